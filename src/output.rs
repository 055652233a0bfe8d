//! The one module that touches the output folder.
//!
//! A build is written whole into a sibling temporary folder, which then
//! replaces the old output, so a failed or interrupted build never leaves a
//! half-written site. A folder is only ever replaced if it is empty or carries
//! the marker file this module writes, so a mistyped `--output ~` cannot
//! delete anything.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;

/// Name of the file that marks a folder as made by httpcodes.
pub const MARKER: &str = ".httpcodes-output";

/// A file of the built site: its path inside the output folder and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Replaces `output` with exactly `files` (plus the marker).
pub fn write(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let fail = |what: &str, path: &Path, error: io::Error| {
        Diagnostic::file(
            path,
            format!("{what}: {error}; the previous output was left as it was"),
        )
    };
    check_replaceable(output)?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .map_err(|e| fail("cannot create the output's parent folder", &parent, e))?;
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.old-{}", std::process::id()));

    let _ = fs::remove_dir_all(&staging);
    if let Err(error) = write_tree(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("cannot write the new site", &staging, error));
    }
    if output.exists() {
        fs::rename(output, &retired)
            .map_err(|e| fail("cannot move the old output aside", output, e))?;
    }
    if let Err(error) = fs::rename(&staging, output) {
        let _ = fs::rename(&retired, output);
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("cannot move the new site into place", output, error));
    }
    let _ = fs::remove_dir_all(&retired);
    Ok(())
}

/// Refuses folders that hold something other than an earlier build.
fn check_replaceable(output: &Path) -> Result<(), Diagnostic> {
    if !output.exists() {
        return Ok(());
    }
    if !output.is_dir() {
        return Err(Diagnostic::file(
            output,
            "the output path exists and is not a folder: choose another --output",
        ));
    }
    let empty = fs::read_dir(output)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false);
    if empty || output.join(MARKER).is_file() {
        return Ok(());
    }
    Err(Diagnostic::file(
        output,
        format!(
            "refusing to replace this folder: it is not empty and was not made by httpcodes (no {MARKER} file); choose an empty or new --output folder"
        ),
    ))
}

fn write_tree(folder: &Path, files: &[OutputFile]) -> io::Result<()> {
    fs::create_dir_all(folder)?;
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|file| file.path.parent().map(|parent| folder.join(parent)))
        .collect();
    folders.sort();
    folders.dedup();
    for dir in &folders {
        fs::create_dir_all(dir)?;
    }
    files
        .par_iter()
        .try_for_each(|file| fs::write(folder.join(&file.path), &file.bytes))?;
    fs::write(
        folder.join(MARKER),
        "This folder is built by httpcodes; the next build replaces it.\n",
    )
}
