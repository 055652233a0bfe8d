//! `httpcodes serve`: a live preview for contributors.
//!
//! The site is built in memory with [`crate::generate`] (nothing is written
//! to `public/`) and served over HTTP under its base path, as GitHub Pages
//! would host it. [`watch`] rebuilds when a file of `content/`, `themes/`,
//! `templates/` or `site.yaml` is saved, and every open tab hears of it over
//! server-sent events ([`http`]): a good build reloads the tab, a broken one
//! leaves the last good build served and shows its problems in an overlay
//! (`live.js`, `overlay.css`). The reload script is added to the pages by
//! this module only, as a separate file, so the pages' Content-Security-Policy
//! holds; the site's service worker is replaced by one that removes itself
//! (`retire-worker.js`), so no cached build gets in the way of a reload.

mod http;
mod watch;

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use tokio::sync::broadcast;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::report::Report;

/// What `httpcodes serve` was asked to do.
pub struct Options {
    /// Folder holding site.yaml, content/ and themes/.
    pub root: PathBuf,
    /// Overrides base_url in site.yaml (and so the path the site is served under).
    pub base_url: Option<String>,
    /// Address to listen on; loopback unless the contributor says otherwise.
    pub bind: IpAddr,
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// How problems are printed on the terminal (the overlay always gets
    /// the JSON form, with each problem's line).
    pub report: Report,
}

/// Serves the site at `options.root` until interrupted. Returns status 2 when
/// it cannot start (the port is taken, the root cannot be read…).
pub fn run(options: Options) -> ExitCode {
    let root = match options.root.canonicalize() {
        Ok(root) => root,
        Err(error) => {
            eprintln!("error: {}: {error}", options.root.display());
            return ExitCode::from(2);
        }
    };
    let address = SocketAddr::new(options.bind, options.port);
    let listener = match TcpListener::bind(address) {
        Ok(listener) => listener,
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "error: port {} of {} is already in use: choose another with --port (--port 0 picks a free one)",
                options.port, options.bind
            );
            return ExitCode::from(2);
        }
        Err(error) => {
            eprintln!("error: cannot listen on {address}: {error}");
            return ExitCode::from(2);
        }
    };
    let address = match listener.local_addr() {
        Ok(address) => address,
        Err(error) => {
            eprintln!("error: cannot listen on {address}: {error}");
            return ExitCode::from(2);
        }
    };
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, which other machines may reach; the preview is meant for this one (the default is --bind 127.0.0.1)",
            options.bind
        );
    }

    let live = Arc::new(Live::new(root, options.base_url, options.report));
    // Builds once, then on every change.
    if let Err(problem) = watch::start(Arc::clone(&live)) {
        eprintln!("warning: cannot watch the site for changes ({problem}): pages will not reload");
        live.rebuild(Instant::now());
    }

    let url = live.url(address);
    println!("Serving {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(&url);
    }
    match http::serve(listener, live) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: the server stopped: {error}");
            ExitCode::from(2)
        }
    }
}

/// The build being served and the news the open tabs are told.
struct Live {
    root: PathBuf,
    base_url: Option<String>,
    /// Prints problems on the terminal and words them for the overlay.
    report: Report,
    /// What the last build keeps for the next: Markdown bodies and scanned
    /// pages, reused only when unchanged.
    cache: crate::BuildCache,
    /// Tells a tab whether the server it reconnects to is the one it knew.
    session: String,
    state: RwLock<State>,
    news: broadcast::Sender<News>,
}

#[derive(Default)]
struct State {
    /// The last good build; `None` until the first one succeeds.
    site: Option<Arc<Build>>,
    /// Where the site lives on the host (`/httpcodes/`), from the last
    /// `site.yaml` that could be read.
    base_path: String,
    /// Counts the builds served, so a tab knows whether it shows the latest.
    generation: u64,
    /// The problems of the last build as the JSON sent to the tabs, while it
    /// is broken.
    problems: Option<Arc<str>>,
}

/// A good build, ready to serve: site path (`404/index.html`) → bytes, the
/// pages already carrying the reload script.
#[derive(PartialEq)]
struct Build {
    files: HashMap<String, Bytes>,
    page_count: usize,
}

/// A build made but not served yet, and the base path of the `site.yaml`
/// it read, if that could be read.
struct Attempt {
    outcome: Outcome,
    base_path: Option<String>,
}

enum Outcome {
    Built {
        build: Build,
        warnings: Vec<Diagnostic>,
    },
    /// The problems, sorted, and as the JSON sent to the tabs.
    Failed {
        problems: Vec<Diagnostic>,
        json: Arc<str>,
    },
}

/// What the open tabs are told.
#[derive(Clone)]
enum News {
    /// A new build is served: reload. Holds the build's name.
    Reload(Arc<str>),
    /// The last save broke the build: the problems, as JSON.
    Problems(Arc<str>),
}

impl Live {
    fn new(root: PathBuf, base_url: Option<String>, report: Report) -> Live {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        Live {
            root,
            base_url,
            report,
            cache: Default::default(),
            session: format!("{:x}-{:x}", std::process::id(), started),
            state: RwLock::new(State {
                base_path: "/".into(),
                ..State::default()
            }),
            // Tabs that fall this far behind are sent a reload instead.
            news: broadcast::channel(16).0,
        }
    }

    /// Builds the site again and tells the tabs; `since` is when the change
    /// was seen, for the time printed.
    fn rebuild(&self, since: Instant) {
        self.publish(self.attempt(), since);
    }

    /// Builds the site, without serving the result yet.
    fn attempt(&self) -> Attempt {
        let base_url = self.base_url.as_deref();
        let outcome = match crate::generate_again(&self.root, base_url, &self.cache) {
            Ok(site) => Outcome::Built {
                build: Build::new(site.files, site.page_count),
                warnings: site.warnings.into_sorted(),
            },
            Err(diagnostics) => {
                let problems = diagnostics.into_sorted();
                let json = problems_json(&self.report, &problems).into();
                Outcome::Failed { problems, json }
            }
        };
        let base_path = SiteConfig::load(&self.root, base_url)
            .ok()
            .map(|config| config.base_path().to_string());
        Attempt { outcome, base_path }
    }

    /// Serves a good build (the tabs reload, unless nothing changed) or
    /// keeps the last one and shows the problems; prints what happened.
    fn publish(&self, attempt: Attempt, since: Instant) {
        let mut state = self.write();
        let first = state.generation == 0 && state.problems.is_none();
        if let Some(base_path) = attempt.base_path {
            state.base_path = base_path;
        }
        match attempt.outcome {
            Outcome::Built { build, warnings } => {
                let page_count = build.page_count;
                let same = state.site.as_deref() == Some(&build) && state.problems.is_none();
                if !same {
                    state.generation += 1;
                    state.site = Some(Arc::new(build));
                    state.problems = None;
                    let _ = self.news.send(News::Reload(self.build_name(&state).into()));
                }
                drop(state);
                self.report.print(&warnings);
                let elapsed = since.elapsed().as_millis();
                let verb = if first { "Built" } else { "Rebuilt" };
                let unchanged = if same { " (no change)" } else { "" };
                println!("{verb} {page_count} pages in {elapsed} ms{unchanged}");
            }
            Outcome::Failed { problems, json } => {
                state.problems = Some(Arc::clone(&json));
                let _ = self.news.send(News::Problems(json));
                drop(state);
                self.report.print(&problems);
                let count = problems.iter().filter(|problem| problem.is_error()).count();
                let plural = if count == 1 { "" } else { "s" };
                if first {
                    eprintln!(
                        "Build failed: {count} problem{plural} (an error page is served until it is fixed)"
                    );
                } else {
                    eprintln!(
                        "Rebuild failed: {count} problem{plural} (last good build still served)"
                    );
                }
            }
        }
        let _ = std::io::stdout().flush();
    }

    /// The name of the build being served, unique across restarts of serve.
    fn build_name(&self, state: &State) -> String {
        format!("{}-{}", self.session, state.generation)
    }

    /// The address of the site's home page.
    fn url(&self, address: SocketAddr) -> String {
        // A wildcard address is not one a browser can open.
        let host = match address.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => {
                SocketAddr::new([127, 0, 0, 1].into(), address.port())
            }
            IpAddr::V6(ip) if ip.is_unspecified() => {
                SocketAddr::new(std::net::Ipv6Addr::LOCALHOST.into(), address.port())
            }
            _ => address,
        };
        format!("http://{host}{}", self.read().base_path)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Where the reload script is served; every page served links to it.
const LIVE_SCRIPT_TAG: &str = "<script src=\"/__httpcodes/live.js\" defer></script>\n";

impl Build {
    fn new(files: Vec<crate::output::OutputFile>, page_count: usize) -> Build {
        let files = files
            .into_iter()
            .map(|file| {
                let path = crate::output::slash_path(&file.path);
                let bytes = if path.ends_with(".html") {
                    with_live_script(file.bytes)
                } else {
                    file.bytes
                };
                (path, Bytes::from(bytes))
            })
            .collect();
        Build { files, page_count }
    }
}

/// The page with the reload script's tag added before `</head>` (or at the
/// end, for a page without one).
fn with_live_script(mut html: Vec<u8>) -> Vec<u8> {
    let end_of_head = html
        .windows(7)
        .position(|window| window.eq_ignore_ascii_case(b"</head>"))
        .unwrap_or(html.len());
    html.splice(end_of_head..end_of_head, LIVE_SCRIPT_TAG.bytes());
    html
}

/// The problems of a failed build as the JSON the overlay reads: an array
/// of the objects of `--format json` (`file`, `line`, `column`, `severity`,
/// `message`, `hint`…), each with `source_line`, the text of its line (null
/// when the problem concerns a whole file or the line cannot be read).
fn problems_json(report: &Report, problems: &[Diagnostic]) -> String {
    serde_json::Value::Array(report.json_with_source_lines(problems)).to_string()
}

/// Opens `url` in the default browser; failing is only a message.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let url = url.to_string();
    let failed =
        move |why: String| eprintln!("Could not open a browser ({why}): open {url} yourself.");
    match command.spawn() {
        // The opener may fail later (no browser, no display): say so then.
        Ok(mut opener) => {
            std::thread::spawn(move || match opener.wait() {
                Ok(status) if !status.success() => {
                    failed(format!("the opener ended with {status}"))
                }
                Ok(_) => {}
                Err(error) => failed(error.to_string()),
            });
        }
        Err(error) => failed(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::report::Format;
    use std::path::Path;

    #[test]
    fn the_live_script_goes_before_the_end_of_head() {
        let page = with_live_script(b"<html><head><title>x</title></HEAD><body></body>".to_vec());
        let page = String::from_utf8(page).unwrap();
        assert_eq!(
            page,
            format!("<html><head><title>x</title>{LIVE_SCRIPT_TAG}</HEAD><body></body>")
        );
        let bare = String::from_utf8(with_live_script(b"<p>hi".to_vec())).unwrap();
        assert_eq!(bare, format!("<p>hi{LIVE_SCRIPT_TAG}"));
    }

    #[test]
    fn problems_carry_their_source_line() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("content")).unwrap();
        std::fs::write(
            root.path().join("content/a.md"),
            "\u{feff}one\r\ntwo <b>\r\n",
        )
        .unwrap();
        let problems = [
            Diagnostic::at(Path::new("content/a.md"), 2, 5, "bad <b>").with_hint("fix it"),
            Diagnostic::file(Path::new("content/a.md"), "whole file"),
            Diagnostic::at(Path::new("../outside"), 1, 1, "outside"),
            Diagnostic::at(Path::new("content/a.md"), 9, 1, "past the end"),
        ];
        let report = Report {
            root: root.path().to_path_buf(),
            format: Format::Human,
            colour: false,
        };
        let json: serde_json::Value =
            serde_json::from_str(&problems_json(&report, &problems)).unwrap();
        assert!(json[0]["file"].as_str().unwrap().ends_with("content/a.md"));
        assert_eq!(json[0]["line"], 2);
        assert_eq!(json[0]["column"], 5);
        assert_eq!(json[0]["severity"], "error");
        assert_eq!(json[0]["message"], "bad <b>");
        assert_eq!(json[0]["source_line"], "two <b>");
        assert_eq!(json[0]["hint"], "fix it");
        for whole_or_unreadable in 1..4 {
            assert!(json[whole_or_unreadable]["source_line"].is_null());
        }
    }
}
