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
use url::Url;

use crate::diagnostics::{Diagnostic, Diagnostics};
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

/// The site as the last step sees it: every file, the ids of every page.
struct Built<'a> {
    root: &'a Url,
    paths: &'a BTreeSet<String>,
    /// Pages whose ids are known, by file path. Two pages of one path (a
    /// duplicate code, reported elsewhere) give it the ids of both.
    ids: HashMap<&'a str, BTreeSet<&'a str>>,
    /// Pages that failed to load: links to them, and to any of their ids,
    /// count as working, so one broken file is reported once.
    unknown: &'a BTreeSet<String>,
}

/// The pages scanned by the last check of one process (`serve`), by path
/// with their bytes: an unchanged page is not parsed again.
#[derive(Default)]
pub struct ScanCache {
    pages: std::sync::Mutex<ScannedPages>,
}

/// Scanned pages by path, with the bytes they were scanned from.
type ScannedPages = HashMap<String, (Vec<u8>, Scanned)>;

/// The link check of one build, fed page by page as pages are made
/// ([`LinkCheck::page`], from any thread), then finished once every file
/// of the build is known ([`LinkCheck::finish`]).
///
/// A page's links to files known from the start (every page, the theme's
/// files) are judged at once, so a page is kept only as its ids and the
/// few links that need the whole site: to files made later (the search
/// index, the API) and to ids of other pages.
pub struct LinkCheck<'c> {
    root: Url,
    known: HashSet<String>,
    unknown: BTreeSet<String>,
    /// The cache, and what it held from the previous check.
    cache: Option<(&'c ScanCache, ScannedPages)>,
    /// What this check scanned, for the cache.
    scanned: std::sync::Mutex<ScannedPages>,
}

/// What the check keeps of one built page.
pub struct PageLinks {
    path: String,
    ids: Vec<String>,
    /// Problems found at once: (the problem, what the page has).
    broken: Vec<(String, String)>,
    /// Links judged once every file is known: (attribute, link).
    later: Vec<(&'static str, String)>,
}

impl PageLinks {
    /// The page's path in the output, with `/`.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl<'c> LinkCheck<'c> {
    /// A check for a site hosted under `base_path` (`/httpcodes/`) whose
    /// files include `known` (paths with `/`); `unloaded` are the URLs of
    /// pages that exist but failed to load. With a `cache`, pages unchanged
    /// since the check that filled it are not parsed again.
    pub fn new(
        base_path: &str,
        known: impl IntoIterator<Item = String>,
        unloaded: &[String],
        cache: Option<&'c ScanCache>,
    ) -> Self {
        let unknown: BTreeSet<String> = unloaded
            .iter()
            .map(|url| format!("{url}index.html"))
            .collect();
        let previous = cache.map(|cache| {
            let mut pages = crate::lock(&cache.pages);
            (cache, std::mem::take(&mut *pages))
        });
        LinkCheck {
            root: Url::parse(&format!("http://{HOST}{base_path}"))
                .expect("a base path parsed before"),
            known: known.into_iter().chain(unknown.iter().cloned()).collect(),
            unknown,
            cache: previous,
            scanned: Default::default(),
        }
    }

    /// Scans the built page at `path` and judges what can be judged now;
    /// `written` are the links of its Markdown, checked in [`finish`]
    /// where they were written, so their copies in the page are skipped.
    ///
    /// [`finish`]: LinkCheck::finish
    pub fn page<'w>(
        &self,
        path: &str,
        bytes: &[u8],
        written: impl IntoIterator<Item = &'w WrittenLink>,
    ) -> PageLinks {
        let scanned = match &self.cache {
            Some((_, previous)) => {
                let scanned = match previous.get(path) {
                    Some((before, scanned)) if before == bytes => scanned.clone(),
                    _ => scan(&String::from_utf8_lossy(bytes)),
                };
                crate::lock(&self.scanned)
                    .insert(path.to_string(), (bytes.to_vec(), scanned.clone()));
                scanned
            }
            None => scan(&String::from_utf8_lossy(bytes)),
        };
        let mut page = PageLinks {
            path: path.to_string(),
            ids: Vec::new(),
            broken: Vec::new(),
            later: Vec::new(),
        };
        for (id, count) in &scanned.ids {
            if *count > 1 {
                page.broken.push((
                    format!("id `{id}` {count} times"),
                    format!(
                        "has {count} elements with the id `{id}`, which must be unique: give a heading another `{{#…}}` or change the theme's templates"
                    ),
                ));
            }
        }
        let Some(page_url) = page_url(&self.root, path) else {
            return page;
        };
        let written_here: HashSet<String> = written
            .into_iter()
            .map(
                |link| match markdown::relative_link(&link.page, &link.dest) {
                    Some(relative) => decoded(&relative).into_owned(),
                    None => decoded(&link.dest).into_owned(),
                },
            )
            .collect();
        for (attribute, link) in scanned.links {
            if written_here.contains(decoded(&link).as_ref()) {
                continue;
            }
            match resolve(&self.root, &page_url, attribute, &link) {
                Ok(None) => {}
                Ok(Some((file, fragment)))
                    if self.known.contains(&file)
                        && (fragment.is_empty()
                            || self.unknown.contains(&file)
                            || (file == path && has_id(&scanned.ids, &fragment))) => {}
                Ok(Some(_)) => page.later.push((attribute, link)),
                Err(problem) => page.broken.push(broken_in_html(problem, &link)),
            }
        }
        page.ids = scanned.ids.into_keys().collect();
        page
    }

    /// The problems of every page (in the order of `pages`) and of the
    /// links `written` in Markdown, once the build's files (`paths`, with
    /// `/`) are all known.
    pub fn finish<'p, 'w>(
        self,
        pages: &'p [PageLinks],
        paths: &BTreeSet<String>,
        written: impl IntoIterator<Item = &'w WrittenLink>,
    ) -> Diagnostics {
        if let Some((cache, _)) = &self.cache {
            *crate::lock(&cache.pages) = self
                .scanned
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        let mut all_paths;
        let paths = if self.unknown.is_subset(paths) {
            paths
        } else {
            all_paths = paths.clone();
            all_paths.extend(self.unknown.iter().cloned());
            &all_paths
        };
        let mut built = Built {
            root: &self.root,
            paths,
            ids: HashMap::new(),
            unknown: &self.unknown,
        };
        for page in pages {
            built
                .ids
                .entry(page.path.as_str())
                .or_default()
                .extend(page.ids.iter().map(String::as_str));
        }

        let mut diagnostics = Diagnostics::default();
        // Links written in Markdown, reported where they were written.
        for link in written {
            let page_file = format!("{}index.html", link.page);
            let relative = match markdown::relative_link(&link.page, &link.dest) {
                Some(relative) => relative,
                None if link.dest.starts_with('#') => link.dest.clone(),
                // A relative link: reported as such already.
                None => continue,
            };
            if let Some(problem) = page_url(&self.root, &page_file)
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
        }

        // A broken link in a template breaks every page: report it once, on
        // the first page of `pages`, with how many pages have it.
        // Problem → (first page, what it has, count).
        let mut broken: BTreeMap<String, (&str, String, usize)> = BTreeMap::new();
        let mut report = |problem: String, path: &'p str, has: String| {
            broken.entry(problem).or_insert((path, has, 0)).2 += 1;
        };
        for page in pages {
            for (problem, has) in &page.broken {
                report(problem.clone(), &page.path, has.clone());
            }
            let Some(page_url) = page_url(&self.root, &page.path) else {
                continue;
            };
            for (attribute, link) in &page.later {
                if let Err(problem) = built.check_link(&page_url, attribute, link) {
                    let (problem, has) = broken_in_html(problem, link);
                    report(problem, &page.path, has);
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
                Path::new(first),
                format!("this built page{others} {has}"),
            ));
        }
        diagnostics
    }
}

/// Whether `ids` has `fragment`, as written or percent-decoded.
fn has_id(ids: &BTreeMap<String, usize>, fragment: &str) -> bool {
    ids.contains_key(fragment) || ids.contains_key(decoded(fragment).as_ref())
}

/// A broken link of a built page: (the problem, what the page has).
fn broken_in_html(problem: Broken, link: &str) -> (String, String) {
    let problem = problem.in_html();
    let has = format!(
        "has a broken link `{link}`: {problem}; check the theme's templates and the page's Markdown"
    );
    (problem, has)
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

/// The URL of the built file at `path`.
fn page_url(root: &Url, path: &str) -> Option<Url> {
    root.join(&encode_path(path)).ok()
}

/// Where `link` (an `href` or a `src`) on the page at `page_url` leads:
/// nowhere to check (the web), or a file of the site (path from the root
/// with `/`) and a fragment; or why it is broken wherever it leads.
fn resolve(
    root: &Url,
    page_url: &Url,
    attribute: &str,
    link: &str,
) -> Result<Option<(String, String)>, Broken> {
    let target = page_url
        .join(link)
        .map_err(|error| Broken::NotAUrl(error.to_string()))?;
    let same_site = target.host_str() == Some(HOST) && target.scheme() == "http";
    if !same_site {
        // Links to the web are fine; files the page loads must be ours.
        return if attribute == "src" && matches!(target.scheme(), "http" | "https") {
            Err(Broken::LoadsFromElsewhere)
        } else {
            Ok(None)
        };
    }
    let Some(inside) = target.path().strip_prefix(root.path()) else {
        return Err(Broken::OutsideTheSite(root.path().to_string()));
    };
    let mut file = decoded(inside).into_owned();
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    let fragment = target.fragment().unwrap_or("").to_string();
    Ok(Some((file, fragment)))
}

impl Built<'_> {
    /// Why `link` (an `href` or a `src`) on the page at `page_url` is
    /// broken, if it is.
    fn check_link(&self, page_url: &Url, attribute: &str, link: &str) -> Result<(), Broken> {
        let Some((file, fragment)) = resolve(self.root, page_url, attribute, link)? else {
            return Ok(());
        };
        if !self.paths.contains(&file) {
            return Err(if self.paths.contains(&format!("{file}/index.html")) {
                Broken::Folder(file)
            } else {
                Broken::NoFile(file)
            });
        }
        // An empty fragment (`/410/#`) is the top of the page.
        if fragment.is_empty() || self.unknown.contains(&file) {
            return Ok(());
        }
        // A browser looks for the id as written, then percent-decoded
        // (`#caf%C3%A9` finds `id="café"`).
        let id = decoded(&fragment);
        match self.ids.get(file.as_str()) {
            Some(ids) if !ids.contains(fragment.as_str()) && !ids.contains(id.as_ref()) => {
                Err(Broken::NoId {
                    file,
                    id: id.into_owned(),
                })
            }
            _ => Ok(()),
        }
    }
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
                let value = || attribute.value.to_string();
                match &*attribute.name.local {
                    "id" => *scanned.ids.entry(value()).or_insert(0) += 1,
                    "href" => scanned.links.push(("href", value())),
                    "src" => scanned.links.push(("src", value())),
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
    use crate::output::{OutputFile, slash_path};
    use rayon::prelude::*;

    /// The whole [`LinkCheck`] over files already in memory: the links of
    /// every HTML file in `files`, for a site hosted under `base_path`, and
    /// the links written in Markdown.
    fn check<'w>(
        files: &[OutputFile],
        base_path: &str,
        written: impl IntoIterator<Item = &'w WrittenLink>,
        unloaded: &[String],
        cache: Option<&ScanCache>,
    ) -> Diagnostics {
        let written: Vec<&WrittenLink> = written.into_iter().collect();
        let checker = LinkCheck::new(base_path, [], unloaded, cache);
        let pages: Vec<PageLinks> = files
            .par_iter()
            .filter(|file| file.path.extension().is_some_and(|ext| ext == "html"))
            .map(|file| {
                let path = slash_path(&file.path);
                let here = written
                    .iter()
                    .copied()
                    .filter(|link| format!("{}index.html", link.page) == path);
                checker.page(&path, &file.bytes, here)
            })
            .collect();
        let paths = files.iter().map(|file| slash_path(&file.path)).collect();
        checker.finish(&pages, &paths, written)
    }

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
