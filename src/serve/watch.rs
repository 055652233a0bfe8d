//! Watches what a build reads (`content/`, `themes/`, `templates/` and
//! `site.yaml`) and rebuilds once a burst of changes is over.
//!
//! An editor's save is often several events (write a temporary file, rename
//! it over the old one, touch a backup): they are gathered until the
//! folders have been quiet for [`QUIET`], then one rebuild runs. Events that
//! do not change a file (the build itself opening files to read them) are
//! ignored, or every build would start the next one.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::Live;

/// How long the folders must stay quiet before the rebuild starts.
const QUIET: Duration = Duration::from_millis(10);
/// The longest a rebuild waits for a burst to end (a tool writing many files).
const LONGEST: Duration = Duration::from_millis(250);

/// The folders of the root a build reads; `site.yaml` is watched too.
const WATCHED_FOLDERS: [&str; 3] = ["content", "themes", "templates"];

/// Starts watching in a thread of its own, which rebuilds `live` on changes.
pub(super) fn start(live: Arc<Live>) -> notify::Result<()> {
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        // The receiving thread only ends with the process.
        let _ = sender.send(event);
    })?;
    // The root itself, not recursively: site.yaml (whose file an editor may
    // replace) and the watched folders being created or replaced.
    watcher.watch(&live.root, RecursiveMode::NonRecursive)?;
    for folder in WATCHED_FOLDERS {
        watch_folder(&mut watcher, &live.root.join(folder));
    }
    std::thread::Builder::new()
        .name("httpcodes-watch".into())
        .spawn(move || rebuild_on_changes(&live, &mut watcher, &events))?;
    Ok(())
}

/// Rebuilds after each burst of changes, until the watcher goes away.
fn rebuild_on_changes(
    live: &Live,
    watcher: &mut impl Watcher,
    events: &mpsc::Receiver<notify::Result<Event>>,
) {
    loop {
        // Wait for a change…
        let first_seen = loop {
            match events.recv() {
                Ok(event) => {
                    if takes_a_rebuild(live, watcher, event) {
                        break Instant::now();
                    }
                }
                Err(_) => return,
            }
        };
        // …then for the burst to end.
        let mut quiet_from = first_seen + QUIET;
        loop {
            let now = Instant::now();
            let deadline = quiet_from.min(first_seen + LONGEST);
            if now >= deadline {
                break;
            }
            match events.recv_timeout(deadline - now) {
                Ok(event) => {
                    if takes_a_rebuild(live, watcher, event) {
                        quiet_from = Instant::now() + QUIET;
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        live.rebuild(first_seen);
    }
}

/// Whether `event` changes what a build reads. A watched folder that appears
/// (created, or renamed into place) is watched from then on.
fn takes_a_rebuild(live: &Live, watcher: &mut impl Watcher, event: notify::Result<Event>) -> bool {
    let event = match event {
        Ok(event) => event,
        Err(error) => {
            eprintln!("warning: watching for changes: {error}");
            return false;
        }
    };
    let changes_content = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        // Permissions and times: the text is the same.
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    };
    if !changes_content {
        return false;
    }
    let mut read_by_build = false;
    for path in &event.paths {
        let Ok(inside) = path.strip_prefix(&live.root) else {
            continue;
        };
        if inside == Path::new("site.yaml") {
            read_by_build = true;
        } else if let Some(first) = inside.iter().next()
            && WATCHED_FOLDERS.iter().any(|folder| first == *folder)
        {
            read_by_build = true;
            if inside.iter().count() == 1 {
                watch_folder(watcher, path);
            }
        }
    }
    read_by_build
}

/// Watches `folder` and everything under it, if it is there.
fn watch_folder(watcher: &mut impl Watcher, folder: &Path) {
    if folder.is_dir()
        && let Err(error) = watcher.watch(folder, RecursiveMode::Recursive)
    {
        eprintln!(
            "warning: cannot watch {} for changes: {error}",
            folder.display()
        );
    }
}
