//! The one module that touches the output folder.
//!
//! A build is all or nothing. It is written whole into a staging folder
//! beside the output (`.public.httpcodes-staging` for `public/`), which is
//! then exchanged with the old output in one step (Linux's
//! `renameat2(RENAME_EXCHANGE)`), so at every instant the output path holds
//! either the old or the new complete site. The old site, left under the
//! staging name, is then deleted. Where the exchange is not available (other
//! systems, some file systems) the old output is first renamed to
//! `.public.httpcodes-retired` and the new one renamed into place: for a
//! moment there is no output folder, but never a half-written one.
//!
//! Both names are fixed, so the folders a killed build leaves behind are
//! recognised and removed by the next build, which holds a lock on the
//! parent folder while it works so that two builds never share them.
//!
//! A folder is only ever replaced if it is empty or carries the marker file
//! this module writes (so a mistyped `--output ~` cannot delete anything),
//! and never if it is or holds the site's root, or lies inside a folder the
//! build reads.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::fault;

/// Name of the file that marks a folder as made by httpcodes.
pub const MARKER: &str = ".httpcodes-output";

/// The folders of the root a build reads; the output may not be inside one.
const INPUT_FOLDERS: &[&str] = &["content", "themes", "templates"];

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

/// The staging and retired folders of `output`: `.<name>.httpcodes-staging`
/// and `.<name>.httpcodes-retired` beside it.
pub fn side_folders(output: &Path) -> (PathBuf, PathBuf) {
    let name = output
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = output.parent().unwrap_or(Path::new("."));
    (
        parent.join(format!(".{name}.httpcodes-staging")),
        parent.join(format!(".{name}.httpcodes-retired")),
    )
}

/// Replaces `output` with exactly `files` (plus the marker), for the site at
/// `root`. On success, returns a warning if the old site could not be
/// deleted after the new one took its place.
pub fn write(
    root: &Path,
    output: &Path,
    files: &[OutputFile],
) -> Result<Option<Diagnostic>, Diagnostic> {
    let fail = |what: &str, path: &Path, error: io::Error| {
        Diagnostic::disk(
            path,
            format!("{what}: {error}; the previous output was left as it was"),
        )
    };
    check_file_paths(files)?;
    let target = resolve(output);
    check_location(&resolve(root), &target, output)?;
    check_replaceable(output)?;
    let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
    fs::create_dir_all(&parent)
        .map_err(|e| fail("cannot create the output's parent folder", &parent, e))?;
    let _lock =
        lock(&parent).map_err(|e| fail("cannot lock the output's parent folder", &parent, e))?;
    let (staging, retired) = side_folders(&target);
    for stale in [&staging, &retired] {
        remove_if_present(stale).map_err(|error| {
            Diagnostic::disk(
                stale,
                format!(
                    "cannot remove this folder, left by an earlier build that was interrupted: {error}; delete it by hand"
                ),
            )
        })?;
    }

    if let Err(error) = write_tree(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("cannot write the new site", &staging, error));
    }
    fault::inject("abort-before-swap");
    swap(&staging, &target, &retired)
        .map_err(|e| fail("cannot move the new site into place", output, e))?;
    fault::inject("abort-after-swap");

    // The old site is under one of the two names now; delete it.
    for old in [&staging, &retired] {
        if let Err(error) = remove_if_present(old) {
            return Ok(Some(Diagnostic::disk(
                old,
                format!(
                    "the new site is in place, but the old one could not be deleted from here: {error}; delete it by hand"
                ),
            )
            .into_warning()));
        }
    }
    Ok(None)
}

/// Puts `staging` at `output`, keeping whatever was at `output` under
/// `staging` or `retired`.
fn swap(staging: &Path, output: &Path, retired: &Path) -> io::Result<()> {
    if fs::symlink_metadata(output).is_err() {
        return fs::rename(staging, output);
    }
    match exchange(staging, output) {
        Ok(()) => Ok(()),
        Err(error) if exchange_unsupported(&error) => {
            fs::rename(output, retired)?;
            fs::rename(staging, output).inspect_err(|_| {
                let _ = fs::rename(retired, output);
            })
        }
        Err(error) => Err(error),
    }
}

/// Exchanges two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Whether the system or file system lacks the exchange (then two renames
/// do the swap).
fn exchange_unsupported(error: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    error.kind() == io::ErrorKind::Unsupported
        || matches!(error.raw_os_error(), Some(EINVAL | ENOSYS))
}

/// An exclusive lock on `folder`, held until the value is dropped.
fn lock(folder: &Path) -> io::Result<Option<fs::File>> {
    // Folders can be opened (and locked) as files on Unix only.
    if !cfg!(unix) {
        return Ok(None);
    }
    let file = fs::File::open(folder)?;
    file.lock()?;
    Ok(Some(file))
}

fn remove_if_present(folder: &Path) -> io::Result<()> {
    match fs::remove_dir_all(folder) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// `path` made absolute, with `.`, `..` and symbolic links of the part that
/// exists resolved, so two spellings of one folder compare equal.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let parts: Vec<Component> = absolute.components().collect();
    for split in (1..=parts.len()).rev() {
        let existing: PathBuf = parts[..split].iter().collect();
        if let Ok(mut resolved) = existing.canonicalize() {
            for part in &parts[split..] {
                match part {
                    Component::ParentDir => {
                        resolved.pop();
                    }
                    Component::Normal(name) => resolved.push(name),
                    _ => {}
                }
            }
            return resolved;
        }
    }
    absolute
}

/// Refuses an output that is the root, holds it, or lies in a folder the
/// build reads. `root` and `target` are [`resolve`]d; `output` is as given.
fn check_location(root: &Path, target: &Path, output: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: String| {
        Diagnostic::disk(
            output,
            format!("{why}: choose another --output, such as public/ in the site's folder"),
        )
    };
    if target == root {
        return Err(refuse(
            "the output folder is the site's own folder, which the build would replace".into(),
        ));
    }
    if root.starts_with(target) {
        return Err(refuse(format!(
            "the output folder holds the site's own folder ({}), which the build would replace",
            root.display()
        )));
    }
    for input in INPUT_FOLDERS {
        if target.starts_with(root.join(input)) {
            return Err(refuse(format!(
                "the output folder is inside {input}/, which the build reads"
            )));
        }
    }
    Ok(())
}

/// Every file must land inside the output folder.
fn check_file_paths(files: &[OutputFile]) -> Result<(), Diagnostic> {
    for file in files {
        let inside = file.path.components().next().is_some()
            && file
                .path
                .components()
                .all(|part| matches!(part, Component::Normal(_)));
        if !inside {
            return Err(Diagnostic::built(
                &file.path,
                "the build made a file path that leaves the output folder; nothing was written (please report this)",
            ));
        }
    }
    Ok(())
}

/// Refuses folders that hold something other than an earlier build.
fn check_replaceable(output: &Path) -> Result<(), Diagnostic> {
    if !output.exists() {
        return Ok(());
    }
    if !output.is_dir() {
        return Err(Diagnostic::disk(
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
    Err(Diagnostic::disk(
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
    let written = AtomicUsize::new(0);
    files.par_iter().try_for_each(|file| {
        fault::disk_full(written.fetch_add(1, Ordering::Relaxed))?;
        fs::write(folder.join(&file.path), &file.bytes)
    })?;
    fs::write(
        folder.join(MARKER),
        "This folder is built by httpcodes; the next build replaces it.\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_lands_inside_the_output() {
        for bad in ["../x.html", "/etc/passwd", "a/../../b", "", "./a"] {
            assert!(
                check_file_paths(&[OutputFile::new(bad, "")]).is_err(),
                "{bad:?} was accepted"
            );
        }
        assert!(check_file_paths(&[OutputFile::new("guides/x/index.html", "")]).is_ok());
    }

    #[test]
    fn two_spellings_of_a_folder_resolve_alike() {
        let temp = tempfile::TempDir::new().unwrap();
        let root = temp.path();
        std::fs::create_dir(root.join("site")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("site"), root.join("link")).unwrap();
        let resolved = resolve(&root.join("site/new/../public"));
        assert_eq!(resolved, resolve(&root.join("site/public")));
        #[cfg(unix)]
        assert_eq!(resolve(&root.join("link/public")), resolved);
    }
}
