//! Rendering: Markdown bodies to HTML, then every page through its theme
//! template, in parallel.
//!
//! The serialisable `*View` structs below are the template context; they are
//! documented for theme authors in `themes/README.md`.

pub mod markdown;
pub mod sanitize;
pub mod theme;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;

use self::markdown::{Heading, Rendered};
use crate::config::SiteConfig;
use crate::content::front_matter::{self, OtherUse, Releases, SpecLink, Status};
use crate::content::{ClassPage, CodePage, Content, Page, class_name, header_table};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::WrittenLink;
use crate::output::OutputFile;
use crate::render::theme::Theme;

/// Every page's Markdown rendered, by page URL.
pub type RenderedBodies = BTreeMap<String, Rendered>;

/// Rendered bodies kept between builds of one process (`serve`), so a
/// rebuild renders only the pages whose Markdown changed. A body's
/// rendering depends only on the page (its file, URL, first line and
/// Markdown) and the theme's ids; a change of theme ids empties it.
#[derive(Default)]
pub struct BodyCache {
    entries: std::sync::Mutex<BodyCacheEntries>,
}

#[derive(Default)]
struct BodyCacheEntries {
    theme_ids: BTreeSet<String>,
    by_page: HashMap<BodyKey, (Rendered, Vec<Diagnostic>)>,
}

/// What a body's rendering depends on, besides the theme's ids.
#[derive(PartialEq, Eq, Hash)]
struct BodyKey {
    source: PathBuf,
    url: String,
    body_line: usize,
    body: String,
}

impl BodyKey {
    fn of(page: &Page) -> BodyKey {
        BodyKey {
            source: page.source.clone(),
            url: page.url.clone(),
            body_line: page.body_line,
            body: page.body.clone(),
        }
    }
}

/// Where a page's rendered body comes from: the cache of the previous
/// build when the page is unchanged, else a fresh rendering (kept in the
/// cache for the next build).
struct BodySource<'a> {
    theme_ids: &'a BTreeSet<String>,
    cache: Option<CacheRound<'a>>,
}

/// One build's use of a [`BodyCache`]: what the previous build left, what
/// this one makes.
struct CacheRound<'a> {
    cache: &'a BodyCache,
    previous: HashMap<BodyKey, (Rendered, Vec<Diagnostic>)>,
    made: Mutex<HashMap<BodyKey, (Rendered, Vec<Diagnostic>)>>,
}

impl<'a> BodySource<'a> {
    fn new(theme_ids: &'a BTreeSet<String>, cache: Option<&'a BodyCache>) -> Self {
        let cache = cache.map(|cache| {
            let mut entries = crate::lock(&cache.entries);
            let previous = std::mem::take(&mut *entries);
            CacheRound {
                cache,
                previous: match previous.theme_ids == *theme_ids {
                    true => previous.by_page,
                    false => HashMap::new(),
                },
                made: Mutex::default(),
            }
        });
        BodySource { theme_ids, cache }
    }

    /// The page's Markdown rendered, and its problems.
    fn body(&self, page: &Page) -> (Rendered, Vec<Diagnostic>) {
        let Some(round) = &self.cache else {
            return render_body(page, self.theme_ids);
        };
        let key = BodyKey::of(page);
        let body = match round.previous.get(&key) {
            Some(cached) => cached.clone(),
            None => render_body(page, self.theme_ids),
        };
        crate::lock(&round.made).insert(key, body.clone());
        body
    }

    /// Leaves this build's bodies in the cache for the next.
    fn keep(self) {
        if let Some(round) = self.cache {
            let mut entries = crate::lock(&round.cache.entries);
            entries.theme_ids = self.theme_ids.clone();
            entries.by_page = round
                .made
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

/// Renders the Markdown of every page (for its problems, when there is no
/// theme to render pages with); `theme_ids` are the ids the theme gives
/// elements of every page, which headings must not take. With a `cache`,
/// bodies found there are not rendered again, and it keeps this build's.
pub fn render_bodies(
    content: &Content,
    theme_ids: &BTreeSet<String>,
    cache: Option<&BodyCache>,
) -> (RenderedBodies, Diagnostics) {
    let source = BodySource::new(theme_ids, cache);
    let pages: Vec<&Page> = content.pages().collect();
    let results: Vec<(Rendered, Vec<Diagnostic>)> =
        pages.par_iter().map(|page| source.body(page)).collect();
    source.keep();
    let mut diagnostics = Diagnostics::default();
    let mut bodies = RenderedBodies::new();
    for (page, (rendered, problems)) in pages.into_iter().zip(results) {
        diagnostics.extend(problems);
        bodies.insert(page.url.clone(), rendered);
    }
    (bodies, diagnostics)
}

/// One page's Markdown rendered, and its problems.
fn render_body(page: &Page, theme_ids: &BTreeSet<String>) -> (Rendered, Vec<Diagnostic>) {
    let (headings, mut problems) = markdown::headings(page, theme_ids);
    let (rendered, body_problems) = markdown::render(page, headings);
    problems.extend(body_problems);
    (rendered, problems)
}

/// Site-wide values every template gets.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
}

/// A code in a list (home, class pages, related codes).
#[derive(Serialize, Clone)]
pub struct CodeSummary<'a> {
    code: u16,
    /// Its class, `4xx`.
    class: String,
    title: &'a str,
    summary: &'a str,
    status: Status,
    source: Option<&'a str>,
    url: &'a str,
}

#[derive(Serialize, Clone)]
struct ClassView<'a> {
    name: String,
    title: &'a str,
    summary: &'a str,
    url: &'a str,
    /// Codes in the IANA registry (any status but `unofficial`).
    registered: Vec<CodeSummary<'a>>,
    /// Codes used by software outside the registry.
    unofficial: Vec<CodeSummary<'a>>,
}

/// The unofficial codes one vendor uses (its `source`), for the home page.
#[derive(Serialize)]
struct VendorView<'a> {
    name: &'a str,
    codes: Vec<CodeSummary<'a>>,
}

#[derive(Serialize, Clone, Copy)]
struct GuideSummary<'a> {
    title: &'a str,
    summary: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    summary: &'a str,
    url: &'a str,
    content: &'a str,
    headings: &'a [Heading],
    /// Where to edit the page's Markdown on the repository's website; none
    /// without `repo_url` in `site.yaml`, or for a page without a source.
    edit_url: Option<String>,
}

/// One library's constant for a code, with the releases that have it.
#[derive(Serialize)]
struct Reference<'a> {
    /// The library: `Spring`.
    name: &'a str,
    constant: &'a str,
    /// What the release numbers count: `Spring`, or `Rack` for Rails.
    product: &'static str,
    /// `since`, `formerly`, `deprecated`, `removed`, beside the others.
    #[serde(flatten)]
    releases: &'a Releases,
}

#[derive(Serialize)]
struct CodeView<'a> {
    code: u16,
    class: String,
    url: &'a str,
    title: &'a str,
    summary: &'a str,
    status: Status,
    spec: &'a [SpecLink],
    aliases: &'a [String],
    headers: Vec<HeaderView<'a>>,
    related: Vec<CodeSummary<'a>>,
    keywords: &'a [String],
    references: Vec<Reference<'a>>,
    source: Option<&'a str>,
    cacheable: bool,
    /// Different meanings vendors give the same number.
    other_uses: &'a [OtherUse],
    /// When the page was last checked against its sources.
    reviewed: Option<ReviewedView>,
    /// The guides whose Markdown links to this code, in the guides' order.
    guides: Vec<GuideSummary<'a>>,
    /// The codes before and after it, in order (none for the first or last).
    previous: Option<CodeSummary<'a>>,
    next: Option<CodeSummary<'a>>,
}

/// A header field of a code, with where it is defined.
#[derive(Serialize)]
struct HeaderView<'a> {
    /// `Retry-After`, as the page writes it.
    name: &'a str,
    /// `RFC 9110, Section 10.2.3`.
    spec: &'a str,
    url: &'a str,
}

/// A page's `reviewed` date, for a `<time>` element.
#[derive(Serialize)]
struct ReviewedView {
    /// `2026-12-02`, for `datetime`.
    date: String,
    /// `2 December 2026`, for readers.
    long: String,
}

/// A code on the read-all page: its view and its body, whose ids (and
/// `#fragment` links) start with `id` and a dash, and whose headings are one
/// level down.
#[derive(Serialize)]
struct EmbeddedCode<'a> {
    id: String,
    code: CodeView<'a>,
    content: String,
}

fn summary(code: &CodePage) -> CodeSummary<'_> {
    CodeSummary {
        code: code.code,
        class: class_name(code.class_digit()),
        title: &code.page.title,
        summary: &code.page.summary,
        status: code.status,
        source: code.source.as_deref(),
        url: &code.page.url,
    }
}

fn class_view<'a>(class: &'a ClassPage, codes: &'a [CodePage]) -> ClassView<'a> {
    let (unofficial, registered): (Vec<_>, Vec<_>) = codes
        .iter()
        .filter(|code| code.class_digit() == class.digit)
        .map(summary)
        .partition(|code| code.status == Status::Unofficial);
    ClassView {
        name: class.name(),
        title: &class.page.title,
        summary: &class.page.summary,
        url: &class.page.url,
        registered,
        unofficial,
    }
}

/// What one output page needs: its template and its own variables.
enum PageJob<'a> {
    Home(&'a Page),
    Class(&'a ClassPage),
    Code(&'a CodePage),
    Guide(&'a Page),
    NotFound,
    /// Every code page on one page, for themes with an `all.html`.
    ReadAll,
}

/// Where the read-all page is, for themes with `all.html`.
const READ_ALL_URL: &str = "all/";

/// What [`render_pages`] returns: what `finish` made of each page, every
/// page's body (without its HTML, which went into the page), and the
/// problems.
pub struct RenderedPages<R> {
    pub finished: Vec<R>,
    pub bodies: RenderedBodies,
    pub problems: Diagnostics,
}

/// Renders every page of the site through the theme, in parallel, each
/// page's Markdown just before it: each page goes to `finish` (with the
/// links written in its Markdown) as soon as it is made, so pages are
/// never all held in memory. If a page cannot be rendered (a template
/// error), returns every problem.
pub fn render_pages<R: Send>(
    config: &SiteConfig,
    theme: &mut Theme,
    content: &Content,
    cache: Option<&BodyCache>,
    finish: impl Fn(OutputFile, &[WrittenLink]) -> R + Sync,
) -> Result<RenderedPages<R>, Diagnostics> {
    let classes: Vec<ClassView> = content
        .classes
        .iter()
        .map(|class| class_view(class, &content.codes))
        .collect();
    let guides: Vec<GuideSummary> = content
        .guides
        .iter()
        .map(|guide| GuideSummary {
            title: &guide.title,
            summary: &guide.summary,
            url: &guide.url,
        })
        .collect();
    let globals = theme.tera.global_context();
    globals.insert(
        "site",
        &SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
        },
    );
    globals.insert("classes", &classes);
    globals.insert("guides", &guides);
    globals.insert("vendors", &vendors(&content.codes));

    let jobs = page_jobs(content, theme);
    let theme = &*theme;
    let source = BodySource::new(&theme.ids, cache);
    // Guides first: the links in their Markdown decide which guides each
    // code page points to.
    let guide_bodies: HashMap<&str, (Rendered, Vec<Diagnostic>)> = content
        .guides
        .par_iter()
        .map(|guide| (guide.url.as_str(), source.body(guide)))
        .collect();
    let backlinks = Backlinks::from_guides(content, &guides, &guide_bodies);
    let pages = Pages {
        content,
        classes: &classes,
        backlinks: &backlinks,
    };
    type Outcome<R> = (
        Option<(String, Rendered)>,
        Vec<Diagnostic>,
        Result<R, Diagnostic>,
    );
    let results: Vec<Outcome<R>> = jobs
        .par_iter()
        .map(|job| {
            let (mut body, problems) = match job.page() {
                Some(page) => {
                    let (body, problems) = match guide_bodies.get(page.url.as_str()) {
                        Some(rendered) => rendered.clone(),
                        None => source.body(page),
                    };
                    (Some((page.url.clone(), body)), problems)
                }
                None => (None, Vec::new()),
            };
            let rendered = body.as_ref().map(|(_, body)| body);
            let finished =
                render_page(config, theme, &pages, rendered, job).map(|(file, embedded_links)| {
                    let written = match rendered {
                        Some(body) => &body.links,
                        None => &embedded_links,
                    };
                    finish(file, written)
                });
            // The HTML is in the page now; the index and the link check
            // need the rest.
            if let Some((_, body)) = &mut body {
                body.html = String::new();
            }
            (body, problems, finished)
        })
        .collect();
    source.keep();
    let mut pages = RenderedPages {
        finished: Vec::with_capacity(results.len()),
        bodies: RenderedBodies::new(),
        problems: Diagnostics::default(),
    };
    let mut failed = false;
    for (body, problems, finished) in results {
        pages.problems.extend(problems);
        match finished {
            Ok(finished) => pages.finished.push(finished),
            Err(problem) => {
                pages.problems.push(problem);
                failed = true;
            }
        }
        if let Some((url, body)) = body {
            pages.bodies.insert(url, body);
        }
    }
    match failed {
        true => Err(pages.problems),
        false => Ok(pages),
    }
}

/// Every page the theme makes of `content`.
fn page_jobs<'a>(content: &'a Content, theme: &Theme) -> Vec<PageJob<'a>> {
    let mut jobs: Vec<PageJob> = content.home.iter().map(PageJob::Home).collect();
    jobs.push(PageJob::NotFound);
    jobs.extend(content.classes.iter().map(PageJob::Class));
    jobs.extend(content.codes.iter().map(PageJob::Code));
    jobs.extend(content.guides.iter().map(PageJob::Guide));
    if theme.has_template("all.html") {
        jobs.push(PageJob::ReadAll);
    }
    jobs
}

/// Where each page [`render_pages`] makes goes in the output, with `/`
/// (`404/index.html`, `404.html`), known before any is made.
pub fn page_paths(content: &Content, theme: &Theme) -> Vec<String> {
    page_jobs(content, theme)
        .iter()
        .map(PageJob::path)
        .collect()
}

impl PageJob<'_> {
    /// Where the page goes in the output, with `/`.
    fn path(&self) -> String {
        match (self, self.page()) {
            (PageJob::NotFound, _) => "404.html".to_string(),
            (_, Some(page)) => format!("{}index.html", page.url),
            (_, None) => format!("{READ_ALL_URL}index.html"),
        }
    }

    /// The page whose Markdown this job renders.
    fn page(&self) -> Option<&Page> {
        match self {
            PageJob::Home(page) | PageJob::Guide(page) => Some(page),
            PageJob::Class(class) => Some(&class.page),
            PageJob::Code(code) => Some(&code.page),
            PageJob::NotFound | PageJob::ReadAll => None,
        }
    }
}

/// What every page is rendered with, besides its own body.
struct Pages<'a> {
    content: &'a Content,
    classes: &'a [ClassView<'a>],
    backlinks: &'a Backlinks<'a>,
}

/// For each code page (by URL), the guides whose Markdown links to it.
struct Backlinks<'a> {
    by_code: HashMap<&'a str, Vec<GuideSummary<'a>>>,
}

impl<'a> Backlinks<'a> {
    /// Reads the links of each guide's rendered Markdown: `/404/`,
    /// `/404/#when-to-send-it` and `/404/?x` all point to `404/`.
    fn from_guides(
        content: &'a Content,
        guides: &[GuideSummary<'a>],
        bodies: &HashMap<&str, (Rendered, Vec<Diagnostic>)>,
    ) -> Self {
        // `404` → `404/`: a link may leave out the final slash.
        let code_urls: HashMap<&str, &'a str> = content
            .codes
            .iter()
            .map(|code| (code.page.url.trim_end_matches('/'), code.page.url.as_str()))
            .collect();
        let mut by_code: HashMap<&'a str, Vec<GuideSummary<'a>>> = HashMap::new();
        for guide in guides {
            let Some((body, _)) = bodies.get(guide.url) else {
                continue;
            };
            let linked: BTreeSet<&'a str> = body
                .links
                .iter()
                .filter_map(|link| {
                    let path = link.dest.strip_prefix('/')?;
                    let path = path.split(['#', '?']).next().unwrap_or_default();
                    code_urls.get(path.trim_end_matches('/')).copied()
                })
                .collect();
            for url in linked {
                by_code.entry(url).or_default().push(*guide);
            }
        }
        Backlinks { by_code }
    }

    fn of(&self, code: &CodePage) -> Vec<GuideSummary<'a>> {
        self.by_code
            .get(code.page.url.as_str())
            .cloned()
            .unwrap_or_default()
    }
}

/// The ids of the sections a code page may have for one kind of reader
/// (CONTRIBUTING.md, "The body of a code page"), in their order.
const AUDIENCE_SECTIONS: &[&str] = &["for-visitors", "for-operators", "search-engines"];

/// A code page's sections for visitors, operators and search engines, so
/// the page can offer a jump to them from the top.
fn audience_sections(headings: &[Heading]) -> Vec<&Heading> {
    AUDIENCE_SECTIONS
        .iter()
        .filter_map(|id| {
            headings
                .iter()
                .find(|heading| heading.level == 2 && heading.id == *id)
        })
        .collect()
}

fn render_page(
    config: &SiteConfig,
    theme: &Theme,
    pages: &Pages,
    body: Option<&Rendered>,
    job: &PageJob,
) -> Result<(OutputFile, Vec<WrittenLink>), Diagnostic> {
    let Pages {
        content,
        classes,
        backlinks,
    } = *pages;
    crate::fault::inject("panic-in-render");
    let mut context = tera::Context::new();
    let empty = Rendered::default();
    // The links the Markdown of other pages wrote into this one.
    let mut embedded_links = Vec::new();
    let (template, page) = match job {
        PageJob::Home(page) => ("index.html", Some(*page)),
        PageJob::Class(class) => {
            let view = classes.iter().find(|view| view.url == class.page.url);
            context.insert("class", &view);
            ("class.html", Some(&class.page))
        }
        PageJob::Code(code) => {
            context.insert("code", &code_view(code, content, backlinks));
            let headings = body.map_or(&[][..], |body| &body.headings[..]);
            context.insert("audience_sections", &audience_sections(headings));
            ("code.html", Some(&code.page))
        }
        PageJob::Guide(page) => ("guide.html", Some(*page)),
        PageJob::NotFound => ("404.html", None),
        PageJob::ReadAll => {
            let (codes, links) = embedded_codes(content, &theme.ids, backlinks);
            context.insert("codes", &codes);
            embedded_links = links;
            ("all.html", None)
        }
    };
    let view = match page {
        Some(page) => {
            let body = body.unwrap_or(&empty);
            PageView {
                title: &page.title,
                summary: &page.summary,
                url: &page.url,
                content: &body.html,
                headings: &body.headings,
                edit_url: config.edit_url(&page.source),
            }
        }
        None if matches!(job, PageJob::ReadAll) => PageView {
            title: "Every status code on one page",
            summary: "Every page of this reference in order, to read through, search with the browser or print.",
            url: READ_ALL_URL,
            content: "",
            headings: &[],
            edit_url: None,
        },
        None => PageView {
            title: "Page not found",
            summary: "There is no page at this address.",
            url: "",
            content: "",
            headings: &[],
            edit_url: None,
        },
    };
    let url = view.url;
    let root = match job {
        // GitHub Pages serves 404.html at any unknown path, so its links
        // start from the site's absolute path instead of a relative one.
        PageJob::NotFound => config.base_path().to_string(),
        _ => markdown::root_prefix(url),
    };
    context.insert("page", &view);
    context.insert("root", &root);
    // The page for unknown addresses has no address of its own.
    let canonical_url = match job {
        PageJob::NotFound => String::new(),
        _ => format!("{}{url}", config.base_url),
    };
    context.insert("canonical_url", &canonical_url);
    let html = theme.render(template, &context)?;
    let file = OutputFile {
        path: PathBuf::from(job.path()),
        bytes: html.into_bytes(),
    };
    Ok((file, embedded_links))
}

/// The unofficial codes grouped by who uses them, vendors in alphabetical
/// order (ignoring case), each vendor's codes in order.
fn vendors(codes: &[CodePage]) -> Vec<VendorView<'_>> {
    let mut vendors: BTreeMap<(String, &str), Vec<CodeSummary>> = BTreeMap::new();
    for code in codes {
        if let (Status::Unofficial, Some(source)) = (code.status, code.source.as_deref()) {
            vendors
                .entry((source.to_lowercase(), source))
                .or_default()
                .push(summary(code));
        }
    }
    vendors
        .into_iter()
        .map(|((_, name), codes)| VendorView { name, codes })
        .collect()
}

/// Every code for the read-all page, its body rendered again to sit inside
/// that page (see [`markdown::render_embedded`]), and the links their
/// Markdown wrote (reported at their source already). A code defined twice,
/// which is an error of its own, is shown once.
fn embedded_codes<'a>(
    content: &'a Content,
    theme_ids: &BTreeSet<String>,
    backlinks: &Backlinks<'a>,
) -> (Vec<EmbeddedCode<'a>>, Vec<WrittenLink>) {
    let mut seen = BTreeSet::new();
    let mut links = Vec::new();
    let codes = content
        .codes
        .iter()
        .filter(|code| seen.insert(code.code))
        .map(|code| {
            let id = format!("code-{}", code.code);
            let (headings, _) = markdown::headings(&code.page, theme_ids);
            let (body, written) =
                markdown::render_embedded(&code.page, headings, READ_ALL_URL, &format!("{id}-"));
            links.extend(written);
            EmbeddedCode {
                id,
                code: code_view(code, content, backlinks),
                content: body,
            }
        })
        .collect();
    (codes, links)
}

fn code_view<'a>(
    code: &'a CodePage,
    content: &'a Content,
    backlinks: &Backlinks<'a>,
) -> CodeView<'a> {
    let related = code
        .related
        .iter()
        .filter_map(|related| {
            content
                .codes
                .iter()
                .find(|other| other.code == related.value)
        })
        .map(summary)
        .collect();
    CodeView {
        code: code.code,
        class: class_name(code.class_digit()),
        url: &code.page.url,
        title: &code.page.title,
        summary: &code.page.summary,
        status: code.status,
        spec: &code.spec,
        aliases: &code.aliases,
        headers: code
            .headers
            .iter()
            .filter_map(|name| {
                // Loading refused any name the table lacks.
                let definition = header_table::definition(name)?;
                Some(HeaderView {
                    name,
                    spec: &definition.spec,
                    url: &definition.url,
                })
            })
            .collect(),
        related,
        keywords: &code.keywords,
        references: code
            .references
            .iter()
            .map(|(name, constant)| Reference {
                name,
                constant: &constant.name,
                product: front_matter::versioned_product(name),
                releases: &constant.releases,
            })
            .collect(),
        source: code.source.as_deref(),
        cacheable: code.cacheable,
        other_uses: &code.other_uses,
        reviewed: code.reviewed.map(|date| ReviewedView {
            date: date.to_string(),
            long: date.long(),
        }),
        guides: backlinks.of(code),
        previous: neighbour(content, code, -1),
        next: neighbour(content, code, 1),
    }
}

/// The code `step` places from `code` in the site's order, if any.
fn neighbour<'a>(content: &'a Content, code: &CodePage, step: isize) -> Option<CodeSummary<'a>> {
    let at = content
        .codes
        .iter()
        .position(|other| other.code == code.code)?;
    let index = at.checked_add_signed(step)?;
    content.codes.get(index).map(summary)
}
