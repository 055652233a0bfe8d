//! Markdown to HTML: the one place that chooses parser options, gives every
//! heading a stable `id` and a permalink, and turns site-absolute links
//! (`/404/`, `/guides/x/#part`, `/icon.svg`) into relative ones that work
//! from `file://` and under any hosting path ([`relative_link`]).
//!
//! Every site-absolute or `#fragment` link and image is returned as a
//! [`WrittenLink`], checked once the whole site is built (see
//! [`crate::links`]); a relative link (`../429/`, `429.md`) is an error
//! here, since it would mean something different on every page.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::links::WrittenLink;
use crate::render::sanitize;

/// The Markdown parser every page goes through, with the site's options:
/// GFM tables, footnotes, strikethrough, task lists and heading attributes.
pub fn parser(markdown: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(markdown, options)
}

/// A heading of a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A part of a page's text, from one `##` heading to the next; the part
/// before the first `##` has an empty `id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub text: String,
}

/// A page's body as HTML, plus what search and templates need from it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Plain text of the body by section, code blocks left out.
    pub sections: Vec<Section>,
    /// Its links and images without a scheme, to check (relative ones are
    /// reported as errors already).
    pub links: Vec<WrittenLink>,
}

/// The headings of `page` with the ids [`render`] gives them, and the
/// problems of their `{#id .class}` attribute blocks. `theme_ids` are the
/// ids the theme's templates give elements of every page (`main`).
///
/// An explicit `{#id}` is kept as written and must be unique on the page
/// and unused by the theme and the page's footnotes; every other heading
/// gets a slug of its text, numbered (`-1`, `-2`…) until it is unused, so
/// no two elements of a page ever share an id.
pub fn headings(page: &Page, theme_ids: &BTreeSet<String>) -> (Vec<Heading>, Vec<Diagnostic>) {
    struct Found {
        level: u8,
        explicit: Option<String>,
        text: String,
        start: usize,
    }
    let positions = LinePositions::new(&page.body, page.body_line);
    let mut problems = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    let mut footnotes: BTreeSet<String> = BTreeSet::new();
    let mut in_heading = false;
    for (event, range) in parser(&page.body).into_offset_iter() {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                footnotes.insert(label.to_string());
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                in_heading = true;
                for (name, _) in &attrs {
                    problems.push(positions.diagnostic(
                        page,
                        range.start,
                        format!(
                            "heading attribute `{name}` is not allowed: a heading's `{{…}}` block takes only `#id` and `.class`"
                        ),
                    ));
                }
                for class in &classes {
                    if !sanitize::is_safe_name(class) {
                        problems.push(positions.diagnostic(
                            page,
                            range.start,
                            format!(
                                "heading class `{class}` may hold only letters, digits, `-` and `_`"
                            ),
                        ));
                    }
                }
                found.push(Found {
                    level: level_number(level),
                    explicit: id.map(|id| id.to_string()),
                    text: String::new(),
                    start: range.start,
                });
            }
            Event::Text(text) | Event::Code(text) if in_heading => {
                if let Some(heading) = found.last_mut() {
                    heading.text.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_heading => {
                if let Some(heading) = found.last_mut() {
                    heading.text.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            _ => {}
        }
    }

    // Explicit ids first, so a slug never takes an id a heading asked for.
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut ids: Vec<Option<String>> = Vec::with_capacity(found.len());
    for heading in &found {
        let Some(explicit) = &heading.explicit else {
            ids.push(None);
            continue;
        };
        let (line, _) = positions.line_and_column(heading.start);
        let choose_another = "choose another `{#…}`";
        let problem = if !sanitize::is_safe_name(explicit) {
            Some(format!(
                "heading id `{explicit}` may hold only letters, digits, `-` and `_`"
            ))
        } else if theme_ids.contains(explicit) {
            Some(format!(
                "heading id `{explicit}` is taken: the theme gives it to an element of every page; {choose_another}"
            ))
        } else if footnotes.contains(explicit) {
            Some(format!(
                "heading id `{explicit}` is taken by the footnote `[^{explicit}]`; {choose_another}"
            ))
        } else {
            used.get(explicit).map(|first| {
                format!(
                    "duplicate heading id `{explicit}`: the heading on line {first} has it already; {choose_another}"
                )
            })
        };
        match problem {
            Some(message) => {
                problems.push(positions.diagnostic(page, heading.start, message));
                ids.push(None);
            }
            None => {
                used.insert(explicit.clone(), line);
                ids.push(Some(explicit.clone()));
            }
        }
    }
    let mut next_number: HashMap<String, usize> = HashMap::new();
    let headings = found
        .into_iter()
        .zip(ids)
        .map(|(heading, id)| {
            let id = id.unwrap_or_else(|| {
                let base = slugify(&heading.text);
                // Numbers already tried for this base are not tried again,
                // so 100,000 headings with one text stay linear.
                let number = next_number.entry(base.clone()).or_insert(0);
                let mut id = base.clone();
                // Slugs also avoid the theme's ids and the footnotes'.
                while used.contains_key(&id) || theme_ids.contains(&id) || footnotes.contains(&id) {
                    *number += 1;
                    id = format!("{base}-{number}");
                }
                used.insert(id.clone(), 0);
                id
            });
            Heading {
                level: heading.level,
                id,
                text: heading
                    .text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        })
        .collect();
    (headings, problems)
}

/// Renders `page`'s Markdown, whose [`headings`] are given, rewriting its
/// site-absolute links and collecting them to check, then sanitizing the
/// HTML. Problems are errors (relative links) and warnings (what the
/// sanitizer removed).
pub fn render(page: &Page, headings: Vec<Heading>) -> (Rendered, Vec<Diagnostic>) {
    render_in(page, headings, None)
}

/// `page`'s Markdown as HTML to show inside the page at `into_url` (the
/// read-all page): every id and `#fragment` link takes `id_prefix`, and
/// every heading goes one level down, under the heading the other page
/// gives it. Returns the HTML and the links as they are written there; its
/// problems were reported when the page itself was rendered.
pub fn render_embedded(
    page: &Page,
    headings: Vec<Heading>,
    into_url: &str,
    id_prefix: &str,
) -> (String, Vec<WrittenLink>) {
    let Rendered { html, links, .. } = render_in(page, headings, Some(id_prefix)).0;
    let links = links
        .into_iter()
        .map(|link| WrittenLink {
            page: into_url.to_string(),
            dest: match link.dest.strip_prefix('#') {
                Some(fragment) => format!("#{id_prefix}{fragment}"),
                None => link.dest,
            },
            ..link
        })
        .collect();
    (html, links)
}

fn render_in(
    page: &Page,
    headings: Vec<Heading>,
    id_prefix: Option<&str>,
) -> (Rendered, Vec<Diagnostic>) {
    let markdown = &page.body;
    let positions = LinePositions::new(markdown, page.body_line);
    let mut problems = Vec::new();
    let mut sections = vec![Section::default()];
    let mut heading_index = 0;
    let mut in_code_block = false;
    let mut in_heading = false;
    // A header cell of a table being read: where it starts, whether it has
    // anything in it yet.
    let mut in_table_head = false;
    let mut header_cell: Option<(usize, bool)> = None;
    let mut events = Vec::new();
    let mut ids: BTreeSet<String> = headings.iter().map(|h| h.id.clone()).collect();
    // Raw HTML as written, with the offset it starts at, checked once every
    // id of the page is known.
    let mut raw_html: Vec<(usize, String)> = Vec::new();
    let mut html_block: Option<(usize, String)> = None;
    // Links and images to check against the sanitizer's URL rules.
    let mut urls: Vec<(usize, &'static str, String)> = Vec::new();

    for (event, range) in parser(markdown).into_offset_iter() {
        if let Some((_, filled)) = &mut header_cell {
            let blank = matches!(&event, Event::Text(text) if text.trim().is_empty());
            if !blank && !matches!(event, Event::End(TagEnd::TableCell)) {
                *filled = true;
            }
        }
        match event {
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                events.push(event);
            }
            Event::End(TagEnd::TableHead) => {
                in_table_head = false;
                events.push(event);
            }
            Event::Start(Tag::TableCell) if in_table_head => {
                header_cell = Some((range.start, false));
                events.push(event);
            }
            Event::End(TagEnd::TableCell) if header_cell.is_some() => {
                if let Some((start, false)) = header_cell.take() {
                    let (line, column) = positions.line_and_column(start);
                    problems.push(
                        Diagnostic::warning(
                            &page.source,
                            line,
                            column,
                            "a table has an empty header cell, so screen readers announce its column without a name",
                        )
                        .with_hint("name what the column, or the row labels below it, hold: `| Kind | … |`"),
                    );
                }
                push_words(&mut sections, " ");
                events.push(event);
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let heading = &headings[heading_index];
                in_heading = true;
                if level == HeadingLevel::H2 {
                    sections.push(Section {
                        id: heading.id.clone(),
                        title: heading.text.clone(),
                        text: String::new(),
                    });
                }
                events.push(Event::Start(Tag::Heading {
                    level: shown_level(level, id_prefix),
                    id: Some(CowStr::from(heading.id.clone())),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                let id = escape_attribute(&headings[heading_index].id);
                heading_index += 1;
                in_heading = false;
                events.push(Event::InlineHtml(CowStr::from(format!(
                    r##" <a class="heading-anchor" href="#{id}" aria-label="Link to this section">#</a>"##
                ))));
                events.push(Event::End(TagEnd::Heading(shown_level(level, id_prefix))));
            }
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                urls.push((range.start, "a", dest_url.to_string()));
                events.push(event);
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                urls.push((range.start, "img", dest_url.to_string()));
                events.push(event);
            }
            Event::Start(Tag::FootnoteDefinition(ref label)) => {
                ids.insert(label.to_string());
                events.push(event);
            }
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some((range.start, String::new()));
                events.push(event);
            }
            Event::End(TagEnd::HtmlBlock) => {
                raw_html.extend(html_block.take());
                events.push(event);
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                match &mut html_block {
                    // The lines of one HTML block are read as one fragment,
                    // so a tag may span lines.
                    Some((_, block)) => block.push_str(html),
                    None => raw_html.push((range.start, html.to_string())),
                }
                events.push(event);
            }
            // A task list's box is a character, not a form control: pages
            // have no forms.
            Event::TaskListMarker(done) => {
                let mark = if done { "☑ " } else { "☐ " };
                events.push(Event::Text(CowStr::from(mark)));
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                events.push(event);
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                if !in_code_block && !in_heading {
                    push_words(&mut sections, text);
                }
                events.push(event);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                push_words(&mut sections, " ");
                events.push(event);
            }
            other => events.push(other),
        }
    }

    for (start, fragment) in &raw_html {
        for removal in sanitize::removals(fragment, &ids) {
            let (line, column) = positions.find_tag(*start, removal.line, &removal.element);
            problems.push(Diagnostic::warning(
                &page.source,
                line,
                column,
                removal.message,
            ));
        }
    }
    let mut links = Vec::new();
    for (start, element, url) in urls {
        let attribute = if element == "a" { "href" } else { "src" };
        let what = if element == "a" { "link" } else { "image" };
        let (line, column) = positions.line_and_column(start);
        if let Err(reason) = sanitize::check_attribute(element, attribute, &url, &ids) {
            problems.push(Diagnostic::warning(
                &page.source,
                line,
                column,
                format!("removed the {what} to `{}`: {reason}", shorten(&url)),
            ));
        } else {
            let from_site_root = url.starts_with('#') || relative_link(&page.url, &url).is_some();
            if !from_site_root && !is_relative(&url) {
                continue; // another site, or mailto:
            }
            if !from_site_root {
                problems.push(
                    Diagnostic::at(
                        &page.source,
                        line,
                        column,
                        format!("relative {what} `{}`", shorten(&url)),
                    )
                    .with_hint(format!(
                        "write `{}`: links start at the site root, so they mean the same on every page and in every build",
                        shorten(&from_the_root(&page.url, &url))
                    )),
                );
            }
            // Relative ones too, so the link check knows they are reported.
            links.push(WrittenLink {
                source: page.source.clone(),
                line,
                column,
                page: page.url.clone(),
                dest: url,
            });
        }
    }

    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let html = sanitize::clean_with_prefix(&html, &ids, &page.url, id_prefix.unwrap_or(""));
    for section in &mut sections {
        section.text = section
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    sections.retain(|section| !(section.id.is_empty() && section.text.is_empty()));
    (
        Rendered {
            html,
            headings,
            sections,
            links,
        },
        problems,
    )
}

/// The level a heading is shown at: one lower when the body is embedded
/// in another page (`h6` stays `h6`).
fn shown_level(level: HeadingLevel, id_prefix: Option<&str>) -> HeadingLevel {
    match id_prefix {
        None => level,
        Some(_) => match level {
            HeadingLevel::H1 => HeadingLevel::H2,
            HeadingLevel::H2 => HeadingLevel::H3,
            HeadingLevel::H3 => HeadingLevel::H4,
            HeadingLevel::H4 => HeadingLevel::H5,
            HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
        },
    }
}

/// `text` escaped for a double-quoted HTML attribute.
fn escape_attribute(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A long URL cut to a readable length for a message.
fn shorten(url: &str) -> String {
    const MAX: usize = 60;
    if url.chars().count() <= MAX {
        url.to_string()
    } else {
        format!("{}…", url.chars().take(MAX).collect::<String>())
    }
}

fn push_words(sections: &mut [Section], text: &str) {
    if let Some(section) = sections.last_mut() {
        section.text.push_str(text);
    }
}

/// The link from the page at `page_url` (`404/`, empty for home) for the
/// site-absolute `dest` (`/429/#x`, `/icon.svg?v=2`), or `None` when `dest`
/// is not site-absolute. Folders get their `index.html`, so the link works
/// from disk; query and fragment are kept.
pub fn relative_link(page_url: &str, dest: &str) -> Option<String> {
    let rest = dest.strip_prefix('/')?;
    // `//host/x` and `/\host/x` are other sites to a browser.
    if rest.starts_with(['/', '\\']) {
        return None;
    }
    let (path, tail) = rest.split_at(rest.find(['?', '#']).unwrap_or(rest.len()));
    let index = if path.is_empty() || path.ends_with('/') {
        "index.html"
    } else {
        ""
    };
    Some(format!("{}{path}{index}{tail}", root_prefix(page_url)))
}

/// True for a URL with neither a scheme nor a leading `/` or `#`:
/// `../429/`, `429.md`, `page?x`, or nothing at all.
fn is_relative(url: &str) -> bool {
    !url.starts_with(['/', '#'])
        && matches!(
            url::Url::parse(url),
            Err(url::ParseError::RelativeUrlWithoutBase)
        )
}

/// The link from the page at `from` to the page at `to` (both site paths
/// like `404/`, empty for the home page), pointing at the `index.html` file
/// so it works from disk.
pub fn relative_url(from: &str, to: &str) -> String {
    format!("{}{to}index.html", root_prefix(from))
}

/// `../` once per folder level of `page_url`: the way from a page to the site root.
pub fn root_prefix(page_url: &str) -> String {
    "../".repeat(page_url.matches('/').count())
}

/// Turns byte offsets in a body into lines and columns of its file;
/// columns count characters, as editors do.
pub(crate) struct LinePositions<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> LinePositions<'a> {
    pub(crate) fn new(text: &'a str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        LinePositions {
            text,
            starts,
            first_line,
        }
    }

    /// 0-based index of the body line holding `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// The text of body line `index`, without its newline.
    fn line_text(&self, index: usize) -> &'a str {
        let start = self.starts[index];
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        &self.text[start..end]
    }

    /// 1-based file line and character column of `offset`.
    pub(crate) fn line_and_column(&self, offset: usize) -> (usize, usize) {
        let index = self.line_index(offset);
        let start = self.starts[index];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |before| before.chars().count() + 1);
        (self.first_line + index, column)
    }

    /// Where the `<element` of a tag is, for a tag the tokenizer found
    /// `line` lines into the raw HTML starting at `start`: on that line or,
    /// for a tag spanning lines, on one above it.
    fn find_tag(&self, start: usize, line: usize, element: &str) -> (usize, usize) {
        let first = self.line_index(start);
        let last = (first + line).min(self.starts.len() - 1);
        let opening = format!("<{element}");
        for index in (first..=last).rev() {
            let text = self.line_text(index);
            if let Some(at) = text.to_ascii_lowercase().find(&opening) {
                return (self.first_line + index, text[..at].chars().count() + 1);
            }
        }
        (self.first_line + last, 1)
    }

    fn diagnostic(&self, page: &Page, offset: usize, message: String) -> Diagnostic {
        let (line, column) = self.line_and_column(offset);
        Diagnostic::at(&page.source, line, column, message)
    }
}

/// What a relative link written on the page at `page_url` points at,
/// written from the site root: `../429/` on `/422/` is `/429/`; a Markdown
/// file (`429.md`, `../guides/x.md`) is its page (`/429/`, `/guides/x/`);
/// a status code is always at the root (`../429/` on a guide is `/429/`,
/// and so is `../999/`, which the link check then reports missing).
fn from_the_root(page_url: &str, relative: &str) -> String {
    let Ok(base) = url::Url::parse(&format!("https://site.invalid/{page_url}")) else {
        return "/".into();
    };
    let Ok(target) = base.join(relative) else {
        return "/".into();
    };
    let mut path = target.path().to_string();
    if let Some(file) = path.strip_suffix(".md") {
        let (folder, stem) = file.rsplit_once('/').unwrap_or(("", file));
        path = if stem.parse::<u16>().is_ok() {
            format!("/{stem}/")
        } else if folder.ends_with("/guides") {
            format!("/guides/{stem}/")
        } else {
            format!("{file}/")
        };
    }
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if last.len() == 3 && last.bytes().all(|byte| byte.is_ascii_digit()) {
        path = format!("/{last}/");
    }
    let query = target
        .query()
        .map(|query| format!("?{query}"))
        .unwrap_or_default();
    let fragment = target
        .fragment()
        .map(|fragment| format!("#{fragment}"))
        .unwrap_or_default();
    format!("{path}{query}{fragment}")
}

/// `When to send it` → `when-to-send-it`: lower case, letters and digits
/// kept, spaces and hyphens become `-`, everything else dropped.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if (c == ' ' || c == '-') && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug.to_string()
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn page(url: &str, body: &str) -> Page {
        Page {
            source: PathBuf::from("content/x.md"),
            url: url.into(),
            title: "t".into(),
            summary: "s".into(),
            body: body.into(),
            body_line: 5,
        }
    }

    fn render_page(page: &Page) -> (Rendered, Vec<Diagnostic>) {
        let (headings, mut problems) = headings(page, &BTreeSet::new());
        let (rendered, more) = render(page, headings);
        problems.extend(more);
        (rendered, problems)
    }

    fn ids_of(body: &str) -> (Vec<String>, Vec<String>) {
        let (headings, problems) = headings(&page("", body), &BTreeSet::new());
        (
            headings.into_iter().map(|h| h.id).collect(),
            problems.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn an_empty_table_header_cell_is_a_warning_at_its_place() {
        let body = "Intro.\n\n| | GET | POST |\n| --- | --- | --- |\n| 301 | kept | may change |\n\n| A | B |\n|---|---|\n| | empty body cells are fine |\n";
        let (rendered, problems) = render_page(&page("guides/x/", body));
        let warnings: Vec<(usize, usize, &str)> = problems
            .iter()
            .map(|problem| (problem.line, problem.column, problem.message.as_str()))
            .collect();
        assert_eq!(warnings.len(), 1, "{problems:?}");
        // The body's third line is the file's seventh (the body starts on
        // line 5); the cell starts after its `|`.
        assert_eq!((warnings[0].0, warnings[0].1), (7, 2));
        assert!(warnings[0].2.contains("empty header cell"));
        assert!(
            rendered.html.contains("<th></th>"),
            "the page still renders"
        );
    }

    #[test]
    fn slugs_are_stable() {
        assert_eq!(slugify("When to send it"), "when-to-send-it");
        assert_eq!(slugify("301 vs. 308 — which?"), "301-vs-308-which");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn duplicate_headings_get_numbered_ids() {
        let (ids, problems) = ids_of("## A\n## A\n## B {#custom}\n");
        assert_eq!(ids, ["a", "a-1", "custom"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn heading_ids_are_unique_whatever_the_text() {
        let (ids, _) = ids_of("## A\n## A\n## A-1\n## X {#a-2}\n");
        assert_eq!(ids, ["a", "a-1", "a-1-1", "a-2"]);
        let (ids, _) = ids_of("## A {#b}\n## B\n");
        assert_eq!(ids, ["b", "b-1"]);
    }

    #[test]
    fn a_duplicate_explicit_id_is_an_error() {
        let (_, problems) = ids_of("## One {#a}\n\n## Two {#a}\n");
        assert_eq!(
            problems,
            [
                "content/x.md:7:1: duplicate heading id `a`: the heading on line 5 has it already; choose another `{#…}`"
            ]
        );
    }

    #[test]
    fn heading_attributes_take_only_ids_and_classes() {
        let (ids, problems) = ids_of("## Seven {#g tabindex=0 onfocus=alert(1)}\n");
        assert_eq!(ids, ["g"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("heading attribute `tabindex` is not allowed"));
        let body = "## Seven {#g\"autofocus=\"autofocus\"onfocus=\"alert(1)\"}\n";
        let (rendered, problems) = render_page(&page("", body));
        assert!(!problems.is_empty());
        assert!(!rendered.html.contains("onfocus"), "{}", rendered.html);
        assert!(!rendered.html.contains("autofocus"), "{}", rendered.html);
    }

    #[test]
    fn two_line_headings_keep_their_word_break() {
        let (headings, _) = headings(&page("", "When to\nsend it\n---\n"), &BTreeSet::new());
        assert_eq!(headings[0].id, "when-to-send-it");
        assert_eq!(headings[0].text, "When to send it");
    }

    #[test]
    fn script_is_removed_and_reported_where_it_was_written() {
        let body = "Text with <img src=x\n  onerror=\"alert(1)\"> inline.\n\n<div>\n<script>alert(1)</script>\n</div>\n\n[x](javascript:alert(1)) <javascript:alert(2)>\n";
        let (rendered, problems) = render_page(&page("", body));
        let html = &rendered.html;
        for banned in ["onerror", "<script", "alert(1)", "href=\"javascript"] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        assert!(problems.iter().all(|problem| !problem.is_error()));
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "content/x.md:5:11: removed `onerror` from `<img>`: event handlers would run script in readers' browsers",
                "content/x.md:9:1: removed `<script>` and everything in it: pages cannot run scripts or carry styles",
                "content/x.md:12:1: removed the link to `javascript:alert(1)`: links must be site paths (`/404/`) or use http:, https:, mailto:",
                "content/x.md:12:26: removed the link to `javascript:alert(2)`: links must be site paths (`/404/`) or use http:, https:, mailto:",
            ]
        );
    }

    #[test]
    fn site_links_and_images_become_relative_and_are_kept_to_check() {
        let body = "See [404](/404/#example), [home](/) and [api](/api/codes.json?x=1).\n\n\
                    ![icon](/icon.svg) <a href=\"/410/\">raw</a> [top](#see) [web](//example.org/)\n";
        let (rendered, problems) = render_page(&page("guides/g/", body));
        assert_eq!(problems, []);
        for rewritten in [
            r#"href="../../404/index.html#example""#,
            r#"href="../../index.html""#,
            r#"href="../../api/codes.json?x=1""#,
            r#"src="../../icon.svg""#,
            r#"href="../../410/index.html""#,
            r##"href="#see""##,
            r#"href="//example.org/""#,
        ] {
            assert!(
                rendered.html.contains(rewritten),
                "{rewritten} in {}",
                rendered.html
            );
        }
        let written: Vec<(usize, usize, &str)> = rendered
            .links
            .iter()
            .map(|link| (link.line, link.column, link.dest.as_str()))
            .collect();
        assert_eq!(
            written,
            [
                (5, 5, "/404/#example"),
                (5, 27, "/"),
                (5, 41, "/api/codes.json?x=1"),
                (7, 1, "/icon.svg"),
                (7, 44, "#see"),
            ]
        );
    }

    #[test]
    fn relative_links_are_errors_with_position() {
        let body = "Go [there](../429/) or [file](429.md).\n\n![img](icon.svg)\n";
        let (_, problems) = render_page(&page("guides/g/", body));
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("content/x.md:5:4: relative link `../429/`: write `/429/`"),
            "{problems:?}"
        );
        assert!(problems[1].starts_with("content/x.md:5:24: relative link `429.md`"));
        assert!(problems[2].starts_with("content/x.md:7:1: relative image `icon.svg`"));
    }

    #[test]
    fn a_relative_link_is_told_its_form_from_the_root() {
        assert_eq!(from_the_root("422/", "../429/"), "/429/");
        assert_eq!(from_the_root("422/", "431.md"), "/431/");
        assert_eq!(
            from_the_root("guides/a/", "../b.md#part"),
            "/guides/b/#part"
        );
        assert_eq!(from_the_root("", "4xx/"), "/4xx/");
        assert_eq!(from_the_root("404/", "../icon.svg?v=1"), "/icon.svg?v=1");
        assert_eq!(from_the_root("guides/a/", "../429/"), "/429/");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // "Ça — " is 5 characters but 8 bytes: the link starts at column 6.
        let (_, problems) = render_page(&page("", "Ça — [x](../a/)\n"));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .starts_with("content/x.md:5:6: relative link"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn heading_ids_leave_the_theme_and_footnotes_alone() {
        let theme: BTreeSet<String> = ["main".to_string()].into();
        let body = "## Main\n\n## Note\n\nText[^note].\n\n[^note]: A note.\n";
        let (found, problems) = headings(&page("", body), &theme);
        assert_eq!(problems, []);
        let ids: Vec<&str> = found.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-1", "note-1"]);
        let (_, problems) = headings(&page("", "## A {#main}\n\n## B {#n}\n\n[^n]: x\n"), &theme);
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "content/x.md:5:1: heading id `main` is taken: the theme gives it to an element of every page; choose another `{#…}`",
                "content/x.md:7:1: heading id `n` is taken by the footnote `[^n]`; choose another `{#…}`",
            ]
        );
    }

    #[test]
    fn headings_get_ids_and_permalinks() {
        let (rendered, _) = render_page(&page("", "## When to send it\n"));
        assert!(rendered.html.starts_with(r##"<h2 id="when-to-send-it">When to send it <a class="heading-anchor" href="#when-to-send-it""##));
    }
}
