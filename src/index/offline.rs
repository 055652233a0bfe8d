//! Offline reading when hosted: the web app manifest and the service worker.
//!
//! The theme's `sw.js` template gets the list of the files a reader needs
//! and a version that is a hash of their contents, so a new build gets a new
//! cache and an unchanged build keeps its own. How the worker moves from one
//! build to the next is written at the top of the theme's `sw.js`.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::links;
use crate::output::OutputFile;
use crate::render::theme::Theme;

/// The service worker's file, at the site root so its scope is the site.
pub const SERVICE_WORKER: &str = "sw.js";

/// Files the service worker must not cache (crawler and bookkeeping files).
const NOT_PRECACHED: &[&str] = &[SERVICE_WORKER, ".nojekyll", "robots.txt", "sitemap.xml"];

/// Data for programs, which no page loads: the JSON API and
/// `search-index.json` (the pages search with the files under `search/`). Tools fetch
/// them over the network, never through a browser's service worker, so
/// precaching them would only cost every reader their size.
const DATA_EXTENSION: &str = ".json";

/// Whether a reader of the site needs the file offline.
fn is_precached(path: &str) -> bool {
    !NOT_PRECACHED.contains(&path) && !path.ends_with(DATA_EXTENSION)
}

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

/// What the service worker needs of one file of the build: its path (with
/// `/`) and a hash of its path and content, if readers need it offline.
pub fn precached(path: &str, bytes: &[u8]) -> Option<(String, u64)> {
    if !is_precached(path) {
        return None;
    }
    let mut hash = Fnv64::default();
    hash.write(path.as_bytes());
    hash.write(bytes);
    Some((path.to_string(), hash.0))
}

/// `sw.js`, rendered from the theme's template over the [`precached`]
/// files of the build (in any order). Themes without an `sw.js` template
/// get no service worker.
pub fn service_worker(
    theme: &Theme,
    mut files: Vec<(String, u64)>,
) -> Result<Option<OutputFile>, Diagnostics> {
    if !theme.has_template("sw.js") {
        return Ok(None);
    }
    files.sort_unstable();
    // The version: one hash of every file's, in path order.
    let mut version = Fnv64::default();
    for (_, hash) in &files {
        version.write(&hash.to_le_bytes());
    }
    // A JSON array of URL-encoded paths: a file name with a quote, `#` or
    // `?` can neither break the script nor point the worker elsewhere.
    let urls: Vec<String> = files
        .iter()
        .map(|(path, _)| links::encode_path(path))
        .collect();
    let files = serde_json::to_string_pretty(&urls).expect("a list of strings always serializes");
    let mut context = tera::Context::new();
    context.insert("version", &format!("{:016x}", version.0));
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

#[cfg(test)]
mod tests {
    use super::is_precached;

    #[test]
    fn pages_and_what_they_load_are_precached_data_and_crawler_files_are_not() {
        for path in [
            "index.html",
            "404/index.html",
            "style.css",
            "search/index.js",
            "search/terms-0.0123abcd.js",
            "icon.svg",
            "manifest.webmanifest",
        ] {
            assert!(is_precached(path), "{path} should be precached");
        }
        for path in [
            "api/codes.json",
            "api/404.json",
            "search-index.json",
            "sw.js",
            "robots.txt",
            "sitemap.xml",
            ".nojekyll",
        ] {
            assert!(!is_precached(path), "{path} should not be precached");
        }
    }
}
