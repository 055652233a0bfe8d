//! Offline reading when hosted: the web app manifest and the service worker.
//!
//! The theme's `sw.js` template gets the list of every file of the build and
//! a version that is a hash of their contents, so a new build replaces the
//! old cache and an unchanged build keeps it.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::links;
use crate::output::OutputFile;
use crate::theme::Theme;

/// The service worker's file, at the site root so its scope is the site.
pub const SERVICE_WORKER: &str = "sw.js";

/// Files the service worker must not cache (crawler and bookkeeping files).
const NOT_PRECACHED: &[&str] = &["sw.js", ".nojekyll", "robots.txt", "sitemap.xml"];

#[derive(Serialize)]
struct Manifest<'a> {
    name: &'a str,
    short_name: &'a str,
    description: &'a str,
    start_url: &'a str,
    scope: &'a str,
    display: &'a str,
    background_color: &'a str,
    theme_color: &'a str,
    icons: [Icon<'a>; 1],
}

#[derive(Serialize)]
struct Icon<'a> {
    src: &'a str,
    sizes: &'a str,
    r#type: &'a str,
}

/// `manifest.webmanifest`.
pub fn manifest(config: &SiteConfig) -> OutputFile {
    let manifest = Manifest {
        name: &config.title,
        short_name: "HTTP codes",
        description: &config.description,
        start_url: "./index.html",
        scope: "./",
        display: "standalone",
        background_color: "#ffffff",
        theme_color: "#1f4e79",
        icons: [Icon {
            src: "icon.svg",
            sizes: "any",
            r#type: "image/svg+xml",
        }],
    };
    let json = serde_json::to_string_pretty(&manifest).expect("the manifest always serializes");
    OutputFile::new("manifest.webmanifest", format!("{json}\n"))
}

/// `sw.js`, rendered from the theme's template over the finished file list.
/// Themes without an `sw.js` template get no service worker.
pub fn service_worker(
    theme: &Theme,
    files: &[OutputFile],
) -> Result<Option<OutputFile>, Diagnostics> {
    if !theme.has_template("sw.js") {
        return Ok(None);
    }
    let mut hash = Fnv64::default();
    let mut precached = Vec::new();
    for file in files {
        let path = file.path.to_string_lossy().replace('\\', "/");
        if NOT_PRECACHED.contains(&path.as_str()) {
            continue;
        }
        hash.write(path.as_bytes());
        hash.write(&file.bytes);
        precached.push(path);
    }
    // A JSON array of URL-encoded paths: a file name with a quote, `#` or
    // `?` can neither break the script nor point the worker elsewhere.
    let urls: Vec<String> = precached
        .iter()
        .map(|path| links::encode_path(path))
        .collect();
    let files = serde_json::to_string_pretty(&urls).expect("a list of strings always serializes");
    let mut context = tera::Context::new();
    context.insert("version", &format!("{:016x}", hash.0));
    context.insert("files", &files);
    let script = theme.render("sw.js", &context)?;
    Ok(Some(OutputFile::new(SERVICE_WORKER, script)))
}

/// FNV-1a: a small, stable hash (the same on every machine and Rust release).
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // Separate fields so ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}
