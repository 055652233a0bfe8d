//! The one module that touches the output folder.
//!
//! A build is all or nothing. Its files go into a staging folder beside
//! the output (`.public.httpcodes-staging` for `public/`) as the build
//! makes them ([`Staging`], a [`Sink`]), so a large site is never held
//! whole in memory; once every file is written and every check passed, the
//! staging folder is exchanged with the old output in one step (Linux's
//! `renameat2(RENAME_EXCHANGE)`), so at every instant the output path holds
//! either the old or the new complete site. The old site, left under the
//! staging name, is then deleted. Where the exchange is not available (other
//! systems, some file systems) the old output is first renamed to
//! `.public.httpcodes-retired` and the new one renamed into place: for a
//! moment there is no output folder, but never a half-written one.
//!
//! An interrupted build (Ctrl-C, `SIGTERM`) deletes its staging folder
//! before it ends. Both names are fixed, so the folders a killed build
//! (`SIGKILL`, a power cut) leaves behind are recognised and removed by the
//! next build, which holds a lock on the
//! parent folder while it works so that two builds never share them.
//!
//! A folder is only ever replaced if it is empty or carries the marker file
//! this module writes (so a mistyped `--output ~` cannot delete anything),
//! and never if it is or holds the site's root, or lies inside a folder the
//! build reads.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// A path of the output as the site names it: with `/` separators.
pub fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
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

/// Where the files of a build go as they are made, from any thread.
pub trait Sink: Sync {
    /// Takes one finished file of the site.
    fn put(&self, file: OutputFile);
}

/// Files kept in memory (`serve`, and builds that are only looked at).
#[derive(Default)]
pub struct InMemory {
    files: Mutex<Vec<OutputFile>>,
}

impl InMemory {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self
            .files
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for InMemory {
    fn put(&self, file: OutputFile) {
        crate::lock(&self.files).push(file);
    }
}

/// Files made only to be checked (`check`, and builds that already
/// failed): dropped.
pub struct Nowhere;

impl Sink for Nowhere {
    fn put(&self, _: OutputFile) {}
}

/// The staging folder of the build under way, with the output as given:
/// deleted if the process is interrupted (Ctrl-C, `SIGTERM`) before the
/// folder is put in place. Held while the folders are exchanged, so an
/// interrupt waits for the exchange to end.
static UNDER_WAY: Mutex<Option<(PathBuf, PathBuf)>> = Mutex::new(None);

/// Starts, once per process, the thread that cleans up [`UNDER_WAY`] on
/// an interrupt and ends the process as the shell expects (status 130);
/// returns once it listens.
fn clean_up_on_interrupt() {
    static LISTENING: std::sync::Once = std::sync::Once::new();
    LISTENING.call_once(|| {
        let (listening, ready) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("interrupt".into())
            .spawn(move || {
                if wait_for_interrupt(listening).is_some() {
                    let under_way = crate::lock(&UNDER_WAY);
                    if let Some((folder, output)) = &*under_way {
                        let _ = fs::remove_dir_all(folder);
                        eprintln!(
                            "Build interrupted: {} was left as it was.",
                            output.display()
                        );
                    }
                    std::process::exit(130);
                }
            });
        if spawned.is_ok() {
            let _ = ready.recv();
        }
    });
}

/// Listens for Ctrl-C and `SIGTERM`, says so on `listening`, and returns
/// when one comes; `None` at once if it cannot listen.
fn wait_for_interrupt(listening: std::sync::mpsc::Sender<()>) -> Option<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let _inside = runtime.enter();
        let mut interrupt = signal(SignalKind::interrupt()).ok()?;
        let mut terminate = signal(SignalKind::terminate()).ok()?;
        let _ = listening.send(());
        runtime.block_on(async {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        });
        Some(())
    }
    #[cfg(not(unix))]
    {
        let _ = listening.send(());
        runtime.block_on(tokio::signal::ctrl_c()).ok()
    }
}

/// A new site being written into the staging folder beside the output as
/// its files are made. [`Staging::finish`] puts it in place of the
/// output; dropped unfinished (problems found, a panic), it is deleted.
pub struct Staging {
    /// The output as given, for messages.
    output: PathBuf,
    target: PathBuf,
    folder: PathBuf,
    retired: PathBuf,
    /// Folders of the staging folder made so far.
    folders: Mutex<HashSet<PathBuf>>,
    written: AtomicUsize,
    /// The first file that could not be written, and why.
    failure: Mutex<Option<(PathBuf, io::Error)>>,
    finished: bool,
    _lock: Option<fs::File>,
}

impl Staging {
    /// Checks that `output` may be replaced by a build of the site at
    /// `root`, locks its parent folder, clears what an interrupted build
    /// left there and makes the empty staging folder.
    pub fn open(root: &Path, output: &Path) -> Result<Staging, Diagnostic> {
        let fail = |what: &str, path: &Path, error: io::Error| {
            Diagnostic::disk(
                path,
                format!("{what}: {error}; the previous output was left as it was"),
            )
        };
        let target = resolve(output);
        check_location(&resolve(root), &target, output)?;
        check_replaceable(output)?;
        let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
        fs::create_dir_all(&parent)
            .map_err(|e| fail("cannot create the output's parent folder", &parent, e))?;
        let lock = lock(&parent)
            .map_err(|e| fail("cannot lock the output's parent folder", &parent, e))?;
        let (folder, retired) = side_folders(&target);
        for stale in [&folder, &retired] {
            remove_if_present(stale).map_err(|error| {
                Diagnostic::disk(
                    stale,
                    format!(
                        "cannot remove this folder, left by an earlier build that was interrupted: {error}; delete it by hand"
                    ),
                )
            })?;
        }
        clean_up_on_interrupt();
        *crate::lock(&UNDER_WAY) = Some((folder.clone(), output.to_path_buf()));
        fs::create_dir(&folder).map_err(|e| fail("cannot write the new site", &folder, e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            target,
            folders: Mutex::new(HashSet::from([folder.clone()])),
            folder,
            retired,
            written: AtomicUsize::new(0),
            failure: Mutex::new(None),
            finished: false,
            _lock: lock,
        })
    }

    /// Puts the new site in place of the output. On success, returns a
    /// warning if the old site could not be deleted after the new one took
    /// its place.
    pub fn finish(mut self) -> Result<Option<Diagnostic>, Diagnostic> {
        let failure = self
            .failure
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        let marked = fs::write(
            self.folder.join(MARKER),
            "This folder is built by httpcodes; the next build replaces it.\n",
        );
        if let Some((path, error)) = failure.or(marked.err().map(|e| (self.folder.clone(), e))) {
            return Err(Diagnostic::disk(
                &path,
                format!(
                    "cannot write the new site: {error}; the previous output was left as it was"
                ),
            ));
        }
        fault::inject("abort-before-swap");
        self.finished = true;
        let mut under_way = crate::lock(&UNDER_WAY);
        let swapped = swap(&self.folder, &self.target, &self.retired);
        *under_way = None;
        drop(under_way);
        swapped.map_err(|error| {
            let _ = fs::remove_dir_all(&self.folder);
            Diagnostic::disk(
                &self.output,
                format!(
                    "cannot move the new site into place: {error}; the previous output was left as it was"
                ),
            )
        })?;
        fault::inject("abort-after-swap");

        // The old site is under one of the two names now; delete it.
        for old in [&self.folder, &self.retired] {
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

    fn write(&self, file: &OutputFile) -> io::Result<()> {
        let path = self.folder.join(&file.path);
        if let Some(parent) = path.parent() {
            let folders = || crate::lock(&self.folders);
            // Made without the lock, so that another file can be written
            // meanwhile (making a folder twice is harmless).
            if !folders().contains(parent) {
                fs::create_dir_all(parent)?;
                folders().insert(parent.to_path_buf());
            }
        }
        fault::disk_full(self.written.fetch_add(1, Ordering::Relaxed))?;
        fs::write(path, &file.bytes)
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) {
        let mut failure = crate::lock(&self.failure);
        if failure.is_some() {
            return;
        }
        drop(failure);
        let result = match inside(&file.path) {
            true => self.write(&file),
            false => Err(io::Error::other(
                "the build made a file path that leaves the output folder (please report this)",
            )),
        };
        if let Err(error) = result {
            failure = crate::lock(&self.failure);
            failure.get_or_insert((file.path, error));
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let mut under_way = crate::lock(&UNDER_WAY);
            *under_way = None;
            let _ = fs::remove_dir_all(&self.folder);
        }
    }
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

/// Whether a file's path lands inside the output folder.
fn inside(path: &Path) -> bool {
    path.components().next().is_some()
        && path
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_lands_inside_the_output() {
        for bad in ["../x.html", "/etc/passwd", "a/../../b", "", "./a"] {
            assert!(!inside(Path::new(bad)), "{bad:?} was accepted");
        }
        assert!(inside(Path::new("guides/x/index.html")));
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
