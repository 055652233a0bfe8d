//! `httpcodes serve`: the real binary serving a fixture site, spoken to over
//! raw TCP (HTTP clients would tidy the hostile paths away before sending
//! them). Waits are generous, and nothing here measures time: the speed of a
//! reload is measured by `bench/serve-reload.sh`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tempfile::TempDir;

use crate::support::*;

/// How long anything may take on a slow, busy machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `httpcodes serve` of a copy of a fixture; killed when dropped.
struct Server {
    child: Child,
    site: TempDir,
    address: SocketAddr,
    /// The URL it printed.
    url: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts serving `site` on a free port, from the site's folder as a
    /// contributor would, and waits for its URL.
    fn start(site: TempDir) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_httpcodes"))
            .args(["serve", "--port", "0"])
            .current_dir(site.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut child_stderr = child.stderr.take().unwrap();
        let collected = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buffer = [0; 4096];
            while let Ok(read @ 1..) = child_stderr.read(&mut buffer) {
                collected
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..read]));
            }
        });
        let lines = read_lines(child.stdout.take().unwrap());
        let serving = loop {
            let line = lines.recv_timeout(PATIENCE).unwrap_or_else(|_| {
                panic!("serve printed no URL; stderr:\n{}", stderr.lock().unwrap())
            });
            if line.starts_with("Serving ") {
                break line;
            }
        };
        // Keep reading stdout, so the child never blocks on a full pipe.
        std::thread::spawn(move || while lines.recv().is_ok() {});
        let url = serving
            .strip_prefix("Serving ")
            .and_then(|rest| rest.split(' ').next())
            .unwrap()
            .to_string();
        let host = url
            .strip_prefix("http://")
            .and_then(|rest| rest.split('/').next())
            .expect("an http URL");
        Server {
            child,
            address: host.parse().expect("an IP address and port"),
            url,
            site,
            stderr,
        }
    }

    fn valid() -> Server {
        Server::start(fixture_site("valid"))
    }

    fn get(&self, target: &str) -> Response {
        request(self.address, &format!("GET {target} HTTP/1.1"))
    }

    /// A new subscriber to the live-reload events.
    fn events(&self) -> Events {
        Events::open(self.address)
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Writes a file of the site, as an editor saves it.
    fn save(&self, relative: &str, text: &str) {
        std::fs::write(self.site.path().join(relative), text).unwrap();
    }

    fn read(&self, relative: &str) -> String {
        read(&self.site.path().join(relative))
    }
}

fn read_lines(stdout: ChildStdout) -> Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request_line` as it is (no normalising) and reads the whole answer.
fn request(address: SocketAddr, request_line: &str) -> Response {
    request_with(address, request_line, "")
}

/// [`request`] with more header lines (each ending in `\r\n`).
fn request_with(address: SocketAddr, request_line: &str, headers: &str) -> Response {
    let mut stream = TcpStream::connect(address).expect("serve accepts connections");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "{request_line}\r\nHost: {address}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("a whole answer");
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// One subscriber to `/__httpcodes/events`: its events as (name, data).
struct Events {
    stream: TcpStream,
    received: Receiver<(String, String)>,
}

impl Events {
    fn open(address: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(address).unwrap();
        write!(
            stream,
            "GET /__httpcodes/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let reader = BufReader::new(stream.try_clone().unwrap());
        let (sender, received) = mpsc::channel();
        std::thread::spawn(move || read_events(reader, &sender));
        Events { stream, received }
    }

    /// The next event (keep-alive comments are skipped).
    fn next(&self) -> (String, String) {
        self.received
            .recv_timeout(PATIENCE)
            .expect("an event from serve")
    }

    /// Waits for an event named `name`, skipping others.
    fn wait_for(&self, name: &str) -> String {
        loop {
            let (event, data) = self.next();
            if event == name {
                return data;
            }
        }
    }
}

/// Reads an event stream sent with chunked transfer coding.
fn read_events(mut reader: BufReader<TcpStream>, sender: &mpsc::Sender<(String, String)>) {
    let mut line = String::new();
    // Status line and headers.
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut text = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let Ok(size) = usize::from_str_radix(line.trim(), 16) else {
            return;
        };
        let mut chunk = vec![0; size + 2];
        if size == 0 || reader.read_exact(&mut chunk).is_err() {
            return;
        }
        text.push_str(&String::from_utf8_lossy(&chunk[..size]));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let mut name = String::from("message");
            let mut data = Vec::new();
            for field in block.lines() {
                if let Some(value) = field.strip_prefix("event:") {
                    name = value.trim().to_string();
                } else if let Some(value) = field.strip_prefix("data:") {
                    data.push(value.strip_prefix(' ').unwrap_or(value));
                }
            }
            if !data.is_empty() && sender.send((name, data.join("\n"))).is_err() {
                return;
            }
        }
    }
}

/// The fixture built by `httpcodes build`, for comparison.
fn built_fixture(server: &Server) -> (TempDir, std::collections::BTreeMap<String, Vec<u8>>) {
    let output = TempDir::new().unwrap();
    build(server.site.path(), output.path(), &[]);
    let mut files = read_tree(output.path());
    // Written by `build` to mark its output folder; not part of the site.
    files.remove(httpcodes::output::MARKER);
    (output, files)
}

/// The tag serve adds to every page, as served.
const LIVE_SCRIPT_TAG: &str = "<script src=\"/__httpcodes/live.js\" defer></script>\n";

fn without_live_script(page: &[u8]) -> String {
    let page = String::from_utf8_lossy(page);
    assert_eq!(
        page.matches(LIVE_SCRIPT_TAG).count(),
        1,
        "the page should carry the live script once"
    );
    page.replacen(LIVE_SCRIPT_TAG, "", 1)
}

/// The base path of the fixture (`/docs/` for `https://example.org/docs/`).
fn base_path(server: &Server) -> String {
    let line = server
        .read("site.yaml")
        .lines()
        .find_map(|line| {
            line.strip_prefix("base_url:")
                .map(str::trim)
                .map(String::from)
        })
        .expect("site.yaml has a base_url");
    let after_host = line.splitn(4, '/').nth(3).unwrap_or("");
    format!("/{after_host}")
}

#[test]
fn serves_every_built_file_under_the_base_path_from_loopback() {
    let server = Server::valid();
    let base = base_path(&server);
    assert_ne!(base, "/", "the fixture should live under a project path");
    assert!(
        server.url.starts_with("http://127.0.0.1:") && server.url.ends_with(&base),
        "serve binds loopback by default and prints the site's URL: {}",
        server.url
    );

    // The root redirects to the base path.
    let root = server.get("/");
    assert!(
        (300..400).contains(&root.status),
        "/ answered {}",
        root.status
    );
    assert_eq!(root.header("location"), Some(base.as_str()));

    let (_output, built) = built_fixture(&server);
    for (path, bytes) in &built {
        let served = server.get(&format!("{base}{path}"));
        assert_eq!(served.status, 200, "{path}");
        assert_eq!(served.header("cache-control"), Some("no-store"), "{path}");
        let content_type = served.header("content-type").unwrap_or_default();
        let expected_type = match path.rsplit_once('.').map(|(_, extension)| extension) {
            Some("html") => "text/html",
            Some("css") => "text/css",
            Some("js") => "text/javascript",
            Some("json") => "application/json",
            Some("svg") => "image/svg+xml",
            Some("webmanifest") => "application/manifest+json",
            Some("xml") => "application/xml",
            Some("txt") => "text/plain",
            _ => "application/octet-stream",
        };
        assert!(
            content_type.starts_with(expected_type),
            "{path}: {content_type}"
        );
        if path == "sw.js" {
            // The site's worker gives way to one that removes itself.
            assert_ne!(&served.body, bytes);
            assert!(served.text().contains("unregister()"), "{}", served.text());
        } else if path.ends_with(".html") {
            assert_eq!(
                without_live_script(&served.body),
                String::from_utf8_lossy(bytes),
                "{path}"
            );
        } else {
            assert_eq!(&served.body, bytes, "{path}");
        }
    }

    // Folders: by their index.html, and redirected to from their slashless URL.
    let folder = built
        .keys()
        .find_map(|path| {
            path.strip_suffix("/index.html")
                .filter(|folder| !folder.contains('/'))
        })
        .expect("a page in a folder");
    let page = server.get(&format!("{base}{folder}/"));
    assert_eq!(page.status, 200);
    let slashless = server.get(&format!("{base}{folder}?q=1"));
    assert!(
        (300..400).contains(&slashless.status),
        "{}",
        slashless.status
    );
    assert_eq!(
        slashless.header("location"),
        Some(format!("{base}{folder}/?q=1").as_str())
    );
    let home = server.get(base.trim_end_matches('/'));
    assert_eq!(home.header("location"), Some(base.as_str()));

    // A service worker the browser asks for anywhere on the origin (one left
    // by an earlier session under another path, say) is the retiring one.
    let elsewhere = request_with(
        server.address,
        "GET /old/sw.js HTTP/1.1",
        "Service-Worker: script\r\n",
    );
    assert_eq!(elsewhere.status, 200);
    assert!(
        elsewhere.text().contains("unregister()"),
        "{}",
        elsewhere.text()
    );

    // The reload script is served, as a file of its own.
    let script = server.get("/__httpcodes/live.js");
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(script.text().contains("EventSource"));

    // Nothing was written to the site's folder.
    assert!(!server.site.path().join("public").exists());
}

/// Bound to 127.0.0.1 itself, not to every address: another loopback
/// address of the machine (127.0.0.2) is refused.
#[cfg(target_os = "linux")]
#[test]
fn binds_the_loopback_address_only_by_default() {
    let server = Server::valid();
    assert_eq!(server.address.ip().to_string(), "127.0.0.1");
    let elsewhere = SocketAddr::new([127, 0, 0, 2].into(), server.address.port());
    assert!(
        TcpStream::connect_timeout(&elsewhere, Duration::from_secs(5)).is_err(),
        "serve answers on {elsewhere}: it listens on more than loopback"
    );
}

#[test]
fn a_save_tells_open_tabs_to_reload_with_the_new_page() {
    let server = Server::valid();
    let base = base_path(&server);
    let events = server.events();
    let (name, first_build) = events.next();
    assert_eq!(name, "hello");

    let page = "content/4xx/404.md";
    let marker = "savedbytheservetest";
    assert!(!server.get(&format!("{base}404/")).text().contains(marker));
    server.save(
        page,
        &format!("{}\nA new line: {marker}.\n", server.read(page)),
    );

    let reloaded_build = events.wait_for("reload");
    assert_ne!(reloaded_build, first_build);
    let served = server.get(&format!("{base}404/"));
    assert_eq!(served.status, 200);
    assert!(served.text().contains(marker), "the page was not rebuilt");
    // Still nothing on disk.
    assert!(!server.site.path().join("public").exists());
}

#[test]
fn a_broken_save_keeps_the_last_good_site_and_reports_where_until_fixed() {
    let server = Server::valid();
    let base = base_path(&server);
    let events = server.events();
    assert_eq!(events.next().0, "hello");
    let good_page = server.get(&format!("{base}404/")).text();

    let page = "content/4xx/404.md";
    let original = server.read(page);
    let (line_index, title_line) = original
        .lines()
        .enumerate()
        .find(|(_, line)| line.starts_with("title:"))
        .expect("the page has a title");
    let broken_line = "title: [an unclosed list";
    server.save(page, &original.replacen(title_line, broken_line, 1));

    let problems: serde_json::Value = serde_json::from_str(&events.wait_for("problems")).unwrap();
    let problem = problems
        .as_array()
        .unwrap()
        .iter()
        .find(|problem| problem["file"] == page)
        .unwrap_or_else(|| panic!("no problem in {page}: {problems}"));
    assert_eq!(problem["line"], line_index + 1, "{problem}");
    assert_eq!(problem["severity"], "error");
    assert_eq!(problem["source_line"], broken_line);
    let message = problem["message"].as_str().unwrap();
    assert!(!message.is_empty());
    let column = problem["column"].as_u64().unwrap();
    let located = format!(
        "error: {message}\n --> {page}:{}:{column}\n",
        line_index + 1
    );
    wait_until(
        || server.stderr().contains(&located),
        || {
            format!(
                "the terminal should show `{located}`; stderr:\n{}",
                server.stderr()
            )
        },
    );
    // The summary line follows the problems; the reader thread may not
    // have it yet.
    wait_until(
        || server.stderr().contains("last good build still served"),
        || format!("no summary line; stderr:\n{}", server.stderr()),
    );

    // The last good build is still served, and a tab opened now hears of the
    // problems at once.
    let still = server.get(&format!("{base}404/"));
    assert_eq!(still.status, 200);
    assert_eq!(still.text(), good_page);
    let late_tab = server.events();
    assert_eq!(late_tab.next().0, "hello");
    assert_eq!(late_tab.next().0, "problems");

    // Fixed: every tab reloads, and the problems are gone for new tabs too
    // (the next news a new tab hears is a reload, not problems).
    server.save(page, &original);
    events.wait_for("reload");
    late_tab.wait_for("reload");
    let new_tab = server.events();
    assert_eq!(new_tab.next().0, "hello");
    server.save(page, &format!("{original}\nOne more line.\n"));
    assert_eq!(new_tab.next().0, "reload");
}

#[test]
fn a_site_broken_from_the_start_is_served_an_error_page_until_fixed() {
    let site = fixture_site("valid");
    let page = site.path().join("content/4xx/404.md");
    let original = read(&page);
    std::fs::write(&page, original.replacen("title:", "titel:", 1)).unwrap();
    let server = Server::start(site);
    let base = base_path(&server);

    let waiting = server.get(&base);
    assert_eq!(waiting.status, 503);
    assert!(
        waiting.text().contains(LIVE_SCRIPT_TAG),
        "{}",
        waiting.text()
    );
    let events = server.events();
    assert_eq!(events.next().0, "hello");
    let (name, problems) = events.next();
    assert_eq!(name, "problems");
    assert!(problems.contains("content/4xx/404.md"), "{problems}");

    std::fs::write(&page, original).unwrap();
    events.wait_for("reload");
    assert_eq!(server.get(&base).status, 200);
}

#[test]
fn paths_that_leave_the_build_are_refused() {
    let server = Server::valid();
    let base = base_path(&server);
    let secrets = [server.read("site.yaml"), server.read("content/4xx/404.md")];
    let secret_lines: Vec<&str> = secrets
        .iter()
        .flat_map(|text| text.lines())
        .filter(|line| line.contains(':') && line.len() > 12)
        .collect();
    assert!(!secret_lines.is_empty());
    let attempts = [
        format!("{base}../site.yaml"),
        format!("{base}%2e%2e/site.yaml"),
        format!("{base}%2E%2E/site.yaml"),
        format!("{base}..%2fsite.yaml"),
        format!("{base}..%2Fsite.yaml"),
        format!("{base}..\\site.yaml"),
        format!("{base}..%5csite.yaml"),
        format!("{base}%00"),
        format!("{base}index.html%00.md"),
        format!("{base}./index.html"),
        "/../site.yaml".to_string(),
        "/%2e%2e/site.yaml".to_string(),
        format!("http://127.0.0.1{base}../site.yaml"),
        format!("{base}content/4xx/404.md"),
        format!("{base}../content/4xx/404.md"),
        "/site.yaml".to_string(),
        "//etc/passwd".to_string(),
    ];
    for target in &attempts {
        let response = server.get(target);
        assert!(
            response.status == 400 || response.status == 404,
            "{target} answered {}",
            response.status
        );
        let text = response.text();
        for line in &secret_lines {
            assert!(!text.contains(line), "{target} gave away `{line}`");
        }
    }
}

#[test]
fn unknown_paths_get_the_sites_404_page_with_status_404() {
    let server = Server::valid();
    let base = base_path(&server);
    let (_output, built) = built_fixture(&server);
    let not_found_page = String::from_utf8_lossy(&built["404.html"]).into_owned();
    for target in [
        format!("{base}no-such-page/"),
        format!("{base}no-such-file.css"),
        "/elsewhere/".to_string(),
        "/__httpcodes/nothing".to_string(),
    ] {
        let response = server.get(&target);
        assert_eq!(response.status, 404, "{target}");
        if target.starts_with(&base) || target == "/elsewhere/" {
            assert_eq!(
                without_live_script(&response.body),
                not_found_page,
                "{target}"
            );
        }
    }
    let post = request(server.address, &format!("POST {base} HTTP/1.1"));
    assert_eq!(post.status, 405);
}

#[test]
fn many_clients_and_clients_that_vanish_leave_it_answering() {
    let server = Server::valid();
    let base = base_path(&server);
    let (_output, built) = built_fixture(&server);
    let paths: Vec<String> = built.keys().map(|path| format!("{base}{path}")).collect();

    // Tabs that subscribe and vanish, some mid-stream, some mid-request.
    for _ in 0..20 {
        let events = server.events();
        assert_eq!(events.next().0, "hello");
        let _ = events.stream.shutdown(std::net::Shutdown::Both);
        let mut half = TcpStream::connect(server.address).unwrap();
        let _ = half.write_all(format!("GET {base} HTTP/1.1\r\nHost: x").as_bytes());
    }

    // Many requests at once.
    std::thread::scope(|scope| {
        for worker in 0..16 {
            let paths = &paths;
            let server = &server;
            scope.spawn(move || {
                for round in 0..10 {
                    let path = &paths[(worker * 7 + round) % paths.len()];
                    assert_eq!(server.get(path).status, 200, "{path}");
                }
            });
        }
    });

    // Still serving, and still telling the tabs that stayed.
    let events = server.events();
    assert_eq!(events.next().0, "hello");
    let page = "content/4xx/404.md";
    server.save(page, &format!("{}\nStill here.\n", server.read(page)));
    events.wait_for("reload");
    assert_eq!(server.get(&base).status, 200);
}

#[test]
fn a_port_in_use_is_a_usage_error_naming_it() {
    let server = Server::valid();
    let port = server.address.port().to_string();
    let second = httpcodes(&[
        "serve",
        "--root",
        path_str(server.site.path()),
        "--port",
        &port,
    ]);
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains(&port) && stderr.contains("--port"),
        "{stderr}"
    );
}

/// Polls `done` until it holds, or fails with `what()` after [`PATIENCE`].
fn wait_until(done: impl Fn() -> bool, what: impl Fn() -> String) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < PATIENCE, "{}", what());
        std::thread::sleep(Duration::from_millis(20));
    }
}
