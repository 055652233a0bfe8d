//! Watches what a build reads (`content/`, `themes/`, `templates/` and
//! `site.yaml`) and rebuilds once a burst of changes is over.
//!
//! An editor's save is often several events (write a temporary file, rename
//! it over the old one, delete a backup). A build is served only once the
//! folders have been quiet for [`QUIET`] after the last change it could have
//! missed; so an editor's save is one rebuild, never a half-saved site. To
//! keep the reload quick, the build starts once the events of one write are
//! in ([`SETTLE`]) and runs during that quiet time: if another change comes
//! while it runs, its result is thrown away and it starts again. Events that
//! do not change a file (the build itself opening files to read them) are
//! ignored, or every build would start the next one.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::Live;

/// How long the folders must stay quiet before a build is served.
const QUIET: Duration = Duration::from_millis(10);
/// How long they must stay quiet before a build starts: the events of one
/// write (truncate, write, close) come within a fraction of this.
const SETTLE: Duration = Duration::from_millis(2);
/// After this long of changes without a pause (a tool writing many files),
/// the latest build is served anyway.
const LONGEST: Duration = Duration::from_millis(500);

/// The folders of the root a build reads; `site.yaml` is watched too.
const WATCHED_FOLDERS: [&str; 3] = ["content", "themes", "templates"];

/// Starts watching in a thread of its own, which builds `live` once, then on
/// every change; returns once the first build is served. On an error, no
/// build was made.
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
    // The first build runs in the same thread as the rebuilds, so that a
    // save during it (already being watched) is built after it, not beside.
    let (first_built, wait_for_first) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("httpcodes-watch".into())
        .spawn(move || {
            live.rebuild(Instant::now());
            let _ = first_built.send(());
            rebuild_on_changes(&live, &mut watcher, &events);
        })?;
    let _ = wait_for_first.recv();
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
        // …then build, until a build saw the last change of the burst.
        let mut last_change = first_seen;
        loop {
            if changes_until_quiet(live, watcher, events, &mut last_change, SETTLE).is_none() {
                return;
            }
            let attempt = live.attempt();
            let Some(changed_meanwhile) =
                changes_until_quiet(live, watcher, events, &mut last_change, QUIET)
            else {
                return;
            };
            if !changed_meanwhile || first_seen.elapsed() >= LONGEST {
                live.publish(attempt, first_seen);
                break;
            }
        }
    }
}

/// Reads the events that came since the last look, until the folders have
/// been quiet for `quiet` since `last_change` (which it moves on). Says
/// whether anything changed, or `None` when the watcher is gone.
fn changes_until_quiet(
    live: &Live,
    watcher: &mut impl Watcher,
    events: &mpsc::Receiver<notify::Result<Event>>,
    last_change: &mut Instant,
    quiet: Duration,
) -> Option<bool> {
    let mut changed = false;
    loop {
        let wait = (*last_change + quiet).saturating_duration_since(Instant::now());
        let event = if wait.is_zero() {
            match events.try_recv() {
                Ok(event) => event,
                Err(mpsc::TryRecvError::Empty) => return Some(changed),
                Err(mpsc::TryRecvError::Disconnected) => return None,
            }
        } else {
            match events.recv_timeout(wait) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => return Some(changed),
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        };
        if takes_a_rebuild(live, watcher, event) {
            changed = true;
            *last_change = Instant::now();
        }
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
