//! Shared helpers: copying fixture sites into temporary folders, running the
//! binary, and reading built trees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The repository root (where `Cargo.toml` is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures")
}

/// A temporary copy of `tests/fixtures/<name>` with the repository's themes,
/// unless the fixture brings its own.
pub fn fixture_site(name: &str) -> TempDir {
    let site = TempDir::new().expect("temp dir");
    copy_tree(&fixtures().join(name), site.path());
    if !site.path().join("themes").exists() {
        copy_tree(&repo_root().join("themes"), &site.path().join("themes"));
    }
    site
}

/// Copies every file under `from` into `to`, overwriting.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `httpcodes` with `args`, without inheriting SOURCE_DATE_EPOCH.
pub fn httpcodes(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

/// The `httpcodes` command with `args`, as every test runs it: without the
/// caller's `SOURCE_DATE_EPOCH`, so outputs do not depend on it.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_httpcodes"));
    command.args(args).env_remove("SOURCE_DATE_EPOCH");
    command
}

/// `httpcodes build --root SITE --output OUTPUT`, not yet run.
pub fn build_command(site: &Path, output: &Path) -> Command {
    command(&[
        "build",
        "--root",
        path_str(site),
        "--output",
        path_str(output),
    ])
}

/// Runs `httpcodes` with `args` in the folder `dir`, as a contributor would
/// from the site's folder.
pub fn httpcodes_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_httpcodes"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// `httpcodes build --root <site> --output <output> <extra…>`.
pub fn try_build(site: &Path, output: &Path, extra: &[&str]) -> Output {
    build_command(site, output)
        .args(extra)
        .output()
        .expect("the binary runs")
}

/// [`try_build`], asserting success.
pub fn build(site: &Path, output: &Path, extra: &[&str]) -> Output {
    let result = try_build(site, output, extra);
    assert!(
        result.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    result
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

/// Every file under `folder`: relative path → bytes.
pub fn read_tree(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .map(|entry| entry.expect("readable output"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry
                .path()
                .strip_prefix(folder)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (relative, std::fs::read(entry.path()).unwrap())
        })
        .collect()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The `href`/`src` values of an HTML document.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            let end = rest.find('"').expect("closed attribute");
            found.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    found
}
