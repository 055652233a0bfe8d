//! The last check before anything is written: every link and image of
//! every built page, the theme's and the contributors', must reach a file
//! of the build, and every `#fragment` an id of the page it points at; no
//! page may have one id twice.
//!
//! Links written in Markdown ([`WrittenLink`]) are checked here too, once
//! every page is rendered, so they may point at any file the build makes
//! (`/api/codes.json`, `/icon.svg`) and at any id of a page, the theme's
//! included (`/404/#at-a-glance`). Their problems name the Markdown file,
//! line and column; the same link found in the built HTML is not reported
//! a second time. What only the templates link to is reported on the
//! built page.
//!
//! Links are resolved as a browser resolves them: each page gets its URL
//! under the site's base path on a placeholder host, and `url` joins the
//! link onto it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use rayon::prelude::*;
use url::Url;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::OutputFile;
use crate::render::markdown;

/// The host pages are placed on to resolve their links; never contacted.
const HOST: &str = "site.httpcodes.invalid";

/// A link or image written in a page's Markdown, site-absolute (`/404/`)
/// or to the page itself (`#part`), as the contributor wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenLink {
    /// The Markdown file and where in it the link starts.
    pub source: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The URL of the page it is on (`404/`, empty for home).
    pub page: String,
    /// The link as written.
    pub dest: String,
}

/// What one page has: its ids (with how many elements carry each), and
/// its links (attribute, value).
#[derive(Default, Clone)]
struct Scanned {
    ids: BTreeMap<String, usize>,
    links: Vec<(&'static str, String)>,
}

/// The site as the check sees it: its files, the ids of its pages, where
/// it is hosted.
struct Built<'a> {
    root: Url,
    paths: BTreeSet<String>,
    /// Pages whose ids are known, by file path. Two pages of one path (a
    /// duplicate code, reported elsewhere) give it the ids of both.
    ids: HashMap<&'a str, BTreeSet<&'a str>>,
    /// Pages that failed to load: links to them, and to any of their ids,
    /// count as working, so one broken file is reported once.
    unknown: BTreeSet<String>,
}

/// The pages scanned by the last check of one process (`serve`), by path
/// with their bytes: an unchanged page is not parsed again.
#[derive(Default)]
pub struct ScanCache {
    pages: std::sync::Mutex<HashMap<String, (Vec<u8>, Scanned)>>,
}

/// Checks the links of every HTML file in `files`, for a site hosted under
/// `base_path` (`/httpcodes/`), and the links written in Markdown.
/// `unloaded` are the URLs of pages that exist but failed to load. With a
/// `cache`, pages unchanged since the check that filled it are not parsed
/// again.
pub fn check<'w>(
    files: &[OutputFile],
    base_path: &str,
    written: impl IntoIterator<Item = &'w WrittenLink>,
    unloaded: &[String],
    cache: Option<&ScanCache>,
) -> Diagnostics {
    let root = Url::parse(&format!("http://{HOST}{base_path}")).expect("a base path parsed before");
    let is_html = |file: &&OutputFile| {
        file.path
            .extension()
            .is_some_and(|extension| extension == "html")
    };
    let mut cached = cache.map(|cache| {
        cache
            .pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    });
    let previous = cached
        .as_deref_mut()
        .map(std::mem::take)
        .unwrap_or_default();
    let pages: Vec<(String, Scanned)> = files
        .par_iter()
        .filter(is_html)
        .map(|file| {
            let path = slash_path(&file.path);
            let scanned = match previous.get(&path) {
                Some((bytes, scanned)) if *bytes == file.bytes => scanned.clone(),
                _ => scan(&String::from_utf8_lossy(&file.bytes)),
            };
            (path, scanned)
        })
        .collect();
    if let Some(cached) = cached.as_deref_mut() {
        *cached = files
            .iter()
            .filter(is_html)
            .zip(&pages)
            .map(|(file, (path, scanned))| (path.clone(), (file.bytes.clone(), scanned.clone())))
            .collect();
    }
    let unknown: BTreeSet<String> = unloaded
        .iter()
        .map(|url| format!("{url}index.html"))
        .collect();
    let mut built = Built {
        root,
        paths: files
            .iter()
            .map(|file| slash_path(&file.path))
            .chain(unknown.iter().cloned())
            .collect(),
        ids: HashMap::new(),
        unknown,
    };
    for (path, scanned) in &pages {
        built
            .ids
            .entry(path.as_str())
            .or_default()
            .extend(scanned.ids.keys().map(String::as_str));
    }

    let mut diagnostics = Diagnostics::default();
    // Links written in Markdown, reported where they were written; their
    // place in the built page (page file → links, decoded) is then not
    // checked again.
    let mut from_markdown: HashMap<String, HashSet<String>> = HashMap::new();
    for link in written {
        let page_file = format!("{}index.html", link.page);
        let relative = match markdown::relative_link(&link.page, &link.dest) {
            Some(relative) => relative,
            None if link.dest.starts_with('#') => link.dest.clone(),
            // A relative link: reported as such already.
            None => {
                let dest = decoded(&link.dest).into_owned();
                from_markdown.entry(page_file).or_default().insert(dest);
                continue;
            }
        };
        if let Some(problem) = built
            .page_url(&page_file)
            .and_then(|page_url| built.check_link(&page_url, "href", &relative).err())
        {
            diagnostics.push(Diagnostic::at(
                &link.source,
                link.line,
                link.column,
                format!(
                    "broken link `{}`: {}",
                    link.dest,
                    problem.in_markdown(&page_file)
                ),
            ));
        }
        let relative = decoded(&relative).into_owned();
        from_markdown.entry(page_file).or_default().insert(relative);
    }

    // A broken link in a template breaks every page: report it once, with
    // how many pages have it. Problem → (first page, what it has, count).
    let mut broken: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
    let mut report = |problem: String, page: &String, has: String| {
        broken.entry(problem).or_insert((page.clone(), has, 0)).2 += 1;
    };
    for (path, scanned) in &pages {
        let Some(page_url) = built.page_url(path) else {
            continue;
        };
        for (id, count) in &scanned.ids {
            if *count > 1 {
                report(
                    format!("id `{id}` {count} times"),
                    path,
                    format!(
                        "has {count} elements with the id `{id}`, which must be unique: give a heading another `{{#…}}` or change the theme's templates"
                    ),
                );
            }
        }
        let written_here = from_markdown.get(path);
        for (attribute, link) in &scanned.links {
            if written_here.is_some_and(|links| links.contains(decoded(link).as_ref())) {
                continue;
            }
            if let Err(problem) = built.check_link(&page_url, attribute, link) {
                let problem = problem.in_html();
                report(
                    problem.clone(),
                    path,
                    format!(
                        "has a broken link `{link}`: {problem}; check the theme's templates and the page's Markdown"
                    ),
                );
            }
        }
    }
    for (first, has, count) in broken.into_values() {
        let others = match count {
            1 => String::new(),
            2 => " (and 1 other page)".to_string(),
            n => format!(" (and {} other pages)", n - 1),
        };
        diagnostics.push(Diagnostic::built(
            Path::new(&first),
            format!("this built page{others} {has}"),
        ));
    }
    diagnostics
}

/// `link` percent-decoded, to compare a link as written in Markdown with
/// the one in the page (pulldown-cmark encodes `#café` as `#caf%C3%A9`).
fn decoded(link: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(link).decode_utf8_lossy()
}

/// Why a link is broken.
#[derive(Debug)]
enum Broken {
    NotAUrl(String),
    LoadsFromElsewhere,
    OutsideTheSite(String),
    NoFile(String),
    /// A page's folder without its `/` (`/404`): it does not open from disk.
    Folder(String),
    NoId {
        file: String,
        id: String,
    },
}

impl Broken {
    /// Said of a link in a built page.
    fn in_html(&self) -> String {
        match self {
            Broken::NotAUrl(error) => format!("it is not a valid URL ({error})"),
            Broken::LoadsFromElsewhere => "pages load files from this site only".to_string(),
            Broken::OutsideTheSite(folder) => {
                format!("it leads outside the site's folder {folder}")
            }
            Broken::NoFile(file) => format!("the build makes no file `{file}`"),
            Broken::Folder(folder) => {
                format!("`{folder}` is a page's folder: link to `{folder}/index.html`")
            }
            Broken::NoId { file, id } => format!("the page `{file}` has no id `{id}`"),
        }
    }

    /// Said of a link written in the Markdown of the page `page_file`, in
    /// site paths (`/404/`) as the contributor writes them.
    fn in_markdown(&self, page_file: &str) -> String {
        let site_path = |file: &str| format!("/{}", file.trim_end_matches("index.html"));
        match self {
            Broken::NoFile(file) if file.ends_with("index.html") => format!(
                "there is no page at `{}`; link to a code as `/404/`, a class as `/4xx/`, a guide as `/guides/<name>/`",
                site_path(file)
            ),
            Broken::NoFile(file) => format!(
                "the build makes no file `/{file}`; link to files as the site has them (`/icon.svg`, `/api/codes.json`)"
            ),
            Broken::Folder(folder) => format!("`/{folder}` is a page's folder: write `/{folder}/`"),
            Broken::NoId { file, id } if file == page_file => {
                format!("this page has no heading or element with id `{id}`")
            }
            Broken::NoId { file, id } => format!(
                "the page `{}` has no heading or element with id `{id}`",
                site_path(file)
            ),
            other => other.in_html(),
        }
    }
}

impl Built<'_> {
    /// The URL of the built file at `path`.
    fn page_url(&self, path: &str) -> Option<Url> {
        self.root.join(&encode_path(path)).ok()
    }

    /// Why `link` (an `href` or a `src`) on the page at `page_url` is
    /// broken, if it is.
    fn check_link(&self, page_url: &Url, attribute: &str, link: &str) -> Result<(), Broken> {
        let target = page_url
            .join(link)
            .map_err(|error| Broken::NotAUrl(error.to_string()))?;
        let same_site = target.host_str() == Some(HOST) && target.scheme() == "http";
        if !same_site {
            // Links to the web are fine; files the page loads must be ours.
            return if attribute == "src" && matches!(target.scheme(), "http" | "https") {
                Err(Broken::LoadsFromElsewhere)
            } else {
                Ok(())
            };
        }
        let Some(inside) = target.path().strip_prefix(self.root.path()) else {
            return Err(Broken::OutsideTheSite(self.root.path().to_string()));
        };
        let mut file = decoded(inside).into_owned();
        if file.is_empty() || file.ends_with('/') {
            file.push_str("index.html");
        }
        if !self.paths.contains(&file) {
            return Err(if self.paths.contains(&format!("{file}/index.html")) {
                Broken::Folder(file)
            } else {
                Broken::NoFile(file)
            });
        }
        // An empty fragment (`/410/#`) is the top of the page.
        let fragment = target.fragment().unwrap_or("");
        if fragment.is_empty() || self.unknown.contains(&file) {
            return Ok(());
        }
        // A browser looks for the id as written, then percent-decoded
        // (`#caf%C3%A9` finds `id="café"`).
        let id = decoded(fragment);
        match self.ids.get(file.as_str()) {
            Some(ids) if !ids.contains(fragment) && !ids.contains(id.as_ref()) => {
                Err(Broken::NoId {
                    file,
                    id: id.into_owned(),
                })
            }
            _ => Ok(()),
        }
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

/// The ids elements have in `html`.
pub fn ids_in(html: &str) -> BTreeSet<String> {
    scan(html).ids.into_keys().collect()
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
                    "id" => *scanned.ids.entry(value).or_insert(0) += 1,
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
        check(files, base_path, &[], &[], None)
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

    fn written(page: &str, line: usize, dest: &str) -> WrittenLink {
        WrittenLink {
            source: PathBuf::from(format!("content/{page}x.md")),
            line,
            column: 1,
            page: page.to_string(),
            dest: dest.to_string(),
        }
    }

    #[test]
    fn markdown_links_reach_any_file_and_any_id_of_the_build() {
        let files = site(&[
            ("index.html", r#"<main id="main"></main>"#),
            (
                "404/index.html",
                r#"<main id="main"><section id="at-a-glance"></section><h2 id="café">x</h2></main>"#,
            ),
            ("api/codes.json", "[]"),
            ("icon.svg", ""),
        ]);
        let links = [
            written("404/", 1, "/404/?utm=1"),
            written("404/", 2, "/404/?utm=1#at-a-glance"),
            written("", 3, "/404/#at-a-glance"),
            written("", 4, "/api/codes.json"),
            written("", 5, "/icon.svg"),
            written("404/", 6, "#caf%C3%A9"),
            written("404/", 7, "#café"),
            written("", 8, "/404/#"),
            written("", 9, "/#main"),
            written("", 10, "/gone/#anything"),
        ];
        let found = check(&files, "/httpcodes/", &links, &["gone/".to_string()], None);
        assert_eq!(found.into_sorted(), Vec::new());
    }

    #[test]
    fn broken_markdown_links_are_reported_where_they_were_written() {
        let files = site(&[
            ("index.html", r#"<a href="404/index.html#nope">x</a>"#),
            ("404/index.html", r#"<h2 id="a">x</h2>"#),
        ]);
        let links = [
            written("", 1, "/405/"),
            written("", 2, "/404/#nope"),
            written("404/", 3, "#nope"),
            written("", 4, "/404"),
            written("", 5, "/style.css"),
        ];
        let found: Vec<String> = check(&files, "/", &links, &[], None)
            .into_sorted()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "content/404/x.md:3:1: broken link `#nope`: this page has no heading or element with id `nope`",
                "content/x.md:1:1: broken link `/405/`: there is no page at `/405/`; link to a code as `/404/`, a class as `/4xx/`, a guide as `/guides/<name>/`",
                "content/x.md:2:1: broken link `/404/#nope`: the page `/404/` has no heading or element with id `nope`",
                "content/x.md:4:1: broken link `/404`: `/404` is a page's folder: write `/404/`",
                "content/x.md:5:1: broken link `/style.css`: the build makes no file `/style.css`; link to files as the site has them (`/icon.svg`, `/api/codes.json`)",
            ],
            "the built page's own copy of `/404/#nope` is not reported twice"
        );
    }

    #[test]
    fn an_id_used_twice_on_a_page_is_an_error() {
        let files = site(&[
            (
                "index.html",
                r#"<main id="main"><h2 id="main">Main</h2></main>"#,
            ),
            (
                "a/index.html",
                r#"<main id="main"><h2 id="main">Main</h2></main>"#,
            ),
        ]);
        assert_eq!(
            problems(&files, "/"),
            [
                "index.html: this built page (and 1 other page) has 2 elements with the id `main`, which must be unique: give a heading another `{#…}` or change the theme's templates"
            ]
        );
    }
}
