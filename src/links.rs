//! The last check before anything is written: every `href` and `src` of
//! every built HTML page, the theme's own links included, must reach a file
//! of the build, and every `#fragment` an id of the page it points at.
//!
//! Markdown links are checked earlier, with their file and line (see
//! [`crate::markdown`]); this check catches what only exists once pages are
//! rendered: a template that links to a missing file or id, or a relative
//! link in Markdown that leads nowhere.
//!
//! Links are resolved as a browser resolves them: each page gets its URL
//! under the site's base path on a placeholder host, and `url` joins the
//! link onto it.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use rayon::prelude::*;
use url::Url;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::OutputFile;

/// The host pages are placed on to resolve their links; never contacted.
const HOST: &str = "site.httpcodes.invalid";

/// What one page has: its ids, and its links (attribute, value).
#[derive(Default)]
struct Scanned {
    ids: BTreeSet<String>,
    links: Vec<(&'static str, String)>,
}

/// Checks the links of every HTML file in `files`, for a site hosted under
/// `base_path` (`/httpcodes/`).
pub fn check(files: &[OutputFile], base_path: &str) -> Diagnostics {
    let root = Url::parse(&format!("http://{HOST}{base_path}")).expect("a base path parsed before");
    let paths: BTreeSet<String> = files.iter().map(|file| slash_path(&file.path)).collect();
    let pages: Vec<(String, Scanned)> = files
        .par_iter()
        .filter(|file| {
            file.path
                .extension()
                .is_some_and(|extension| extension == "html")
        })
        .map(|file| {
            let text = String::from_utf8_lossy(&file.bytes);
            (slash_path(&file.path), scan(&text))
        })
        .collect();
    let ids: HashMap<&str, &BTreeSet<String>> = pages
        .iter()
        .map(|(path, scanned)| (path.as_str(), &scanned.ids))
        .collect();

    // A broken link in a template breaks every page: report it once, with
    // how many pages have it.
    let mut broken: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
    for (path, scanned) in &pages {
        let Ok(page_url) = root.join(&encode_path(path)) else {
            continue;
        };
        for (attribute, link) in &scanned.links {
            if let Err(problem) = check_link(&root, &page_url, attribute, link, &paths, &ids) {
                broken
                    .entry(problem)
                    .and_modify(|(_, _, count)| *count += 1)
                    .or_insert((path.clone(), link.clone(), 1));
            }
        }
    }
    let mut diagnostics = Diagnostics::default();
    for (problem, (first, link, count)) in broken {
        let others = match count {
            1 => String::new(),
            2 => " (and 1 other page)".to_string(),
            n => format!(" (and {} other pages)", n - 1),
        };
        diagnostics.push(Diagnostic::file(
            Path::new(&first),
            format!(
                "this built page{others} has a broken link `{link}`: {problem}; check the theme's templates and the page's Markdown"
            ),
        ));
    }
    diagnostics
}

/// Why `link` on the page at `page_url` is broken, if it is.
fn check_link(
    root: &Url,
    page_url: &Url,
    attribute: &str,
    link: &str,
    paths: &BTreeSet<String>,
    ids: &HashMap<&str, &BTreeSet<String>>,
) -> Result<(), String> {
    let target = page_url
        .join(link)
        .map_err(|error| format!("it is not a valid URL ({error})"))?;
    let same_site = target.host_str() == Some(HOST) && target.scheme() == "http";
    if !same_site {
        // Links to the web are fine; files the page loads must be ours.
        return if attribute == "src" && matches!(target.scheme(), "http" | "https") {
            Err("pages load files from this site only".to_string())
        } else {
            Ok(())
        };
    }
    let Some(inside) = target.path().strip_prefix(root.path()) else {
        return Err(format!(
            "it leads outside the site's folder {}",
            root.path()
        ));
    };
    let mut file = percent_encoding::percent_decode_str(inside)
        .decode_utf8_lossy()
        .into_owned();
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    if !paths.contains(&file) {
        return Err(format!("the build makes no file `{file}`"));
    }
    let fragment = target.fragment().unwrap_or("");
    if fragment.is_empty() {
        return Ok(());
    }
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    match ids.get(file.as_str()) {
        Some(page_ids) if !page_ids.contains(fragment.as_ref()) => {
            Err(format!("the page `{file}` has no id `{fragment}`"))
        }
        _ => Ok(()),
    }
}

/// `path` with `/` separators.
fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A file path of the build as the relative URL a browser requests for it
/// (`a b#1.html` → `a%20b%231.html`): the WHATWG path percent-encode set,
/// plus `%` and `\\`, so `#` or `?` cannot cut a path short.
pub fn encode_path(path: &str) -> String {
    const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'%')
        .add(b'\\');
    percent_encoding::utf8_percent_encode(path, PATH).to_string()
}

/// The ids and the `href`/`src` links of an HTML document.
fn scan(html: &str) -> Scanned {
    let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.scanned.take()
}

#[derive(Default)]
struct Collector {
    scanned: RefCell<Scanned>,
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let mut scanned = self.scanned.borrow_mut();
            for attribute in &tag.attrs {
                let value = attribute.value.to_string();
                match &*attribute.name.local {
                    "id" => {
                        scanned.ids.insert(value);
                    }
                    "href" => scanned.links.push(("href", value)),
                    "src" => scanned.links.push(("src", value)),
                    _ => {}
                }
            }
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> Vec<OutputFile> {
        pages
            .iter()
            .map(|(path, html)| OutputFile::new(*path, *html))
            .collect()
    }

    fn problems(files: &[OutputFile], base_path: &str) -> Vec<String> {
        check(files, base_path)
            .into_sorted()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn paths_are_url_encoded_as_a_browser_requests_them() {
        assert_eq!(encode_path("404/index.html"), "404/index.html");
        assert_eq!(encode_path("it's a#b?.css"), "it's%20a%23b%3F.css");
        assert_eq!(encode_path("café.txt"), "caf%C3%A9.txt");
    }

    #[test]
    fn links_reach_files_and_ids_of_the_build() {
        let files = site(&[
            (
                "index.html",
                r#"<a href="404/index.html#at-a-glance">x</a><a href="404/">y</a><link href="style.css"><a href="https://example.org/missing">z</a><a href="mailto:a@b.c">m</a><a href="api/codes.json">api</a>"#,
            ),
            (
                "404/index.html",
                r##"<h2 id="at-a-glance">A</h2><a href="../index.html">home</a><a href="#at-a-glance">top</a><a href="#">top</a>"##,
            ),
            (
                "404.html",
                r#"<a href="/httpcodes/404/index.html?utm=1#at-a-glance">x</a><script src="/httpcodes/search.js"></script>"#,
            ),
            ("style.css", ""),
            ("search.js", ""),
            ("api/codes.json", "[]"),
        ]);
        assert_eq!(problems(&files, "/httpcodes/"), Vec::<String>::new());
    }

    #[test]
    fn broken_links_are_reported_once_with_how_many_pages_have_them() {
        let files = site(&[
            (
                "index.html",
                r#"<link href="missing.css"><a href="a/index.html#nope">x</a><img src="https://cdn.example/x.png"><a href="../../outside/">o</a>"#,
            ),
            (
                "a/index.html",
                r##"<link href="../missing.css"><h2 id="café">x</h2><a href="#caf%C3%A9">ok</a>"##,
            ),
        ]);
        assert_eq!(
            problems(&files, "/"),
            [
                "index.html: this built page (and 1 other page) has a broken link `missing.css`: the build makes no file `missing.css`; check the theme's templates and the page's Markdown",
                "index.html: this built page has a broken link `../../outside/`: the build makes no file `outside/index.html`; check the theme's templates and the page's Markdown",
                "index.html: this built page has a broken link `a/index.html#nope`: the page `a/index.html` has no id `nope`; check the theme's templates and the page's Markdown",
                "index.html: this built page has a broken link `https://cdn.example/x.png`: pages load files from this site only; check the theme's templates and the page's Markdown",
            ]
        );
    }

    #[test]
    fn absolute_links_must_stay_under_the_base_path() {
        let files = site(&[("404.html", r#"<script src="/other/search.js"></script>"#)]);
        assert_eq!(
            problems(&files, "/httpcodes/"),
            [
                "404.html: this built page has a broken link `/other/search.js`: it leads outside the site's folder /httpcodes/; check the theme's templates and the page's Markdown"
            ]
        );
    }
}
