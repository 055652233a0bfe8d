//! Markdown to HTML: the one place that chooses parser options, gives every
//! heading a stable `id` and a permalink, and turns site-absolute links
//! (`/404/`, `/guides/x/#part`) into relative ones that work from `file://`
//! and under any hosting path.
//!
//! Links are checked against [`LinkTargets`]: a link to a page or `#fragment`
//! that does not exist is reported with its file, line and column.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::sanitize;

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
}

/// Every page URL of the site with the heading ids it has, to check links.
/// A page whose ids are unknown (`None`: it failed to load) accepts any.
#[derive(Debug, Default)]
pub struct LinkTargets {
    pages: BTreeMap<String, Option<BTreeSet<String>>>,
}

impl LinkTargets {
    /// Registers a page (`404/`) and the ids of its headings.
    pub fn insert(&mut self, url: &str, ids: impl IntoIterator<Item = String>) {
        // Two files may claim one URL (a duplicate code, reported
        // elsewhere): links to either page's headings then work.
        let entry = self
            .pages
            .entry(url.to_string())
            .or_insert_with(|| Some(BTreeSet::new()));
        if let Some(anchors) = entry {
            anchors.extend(ids);
        }
    }

    /// Registers a page whose headings are not known.
    pub fn insert_unknown(&mut self, url: &str) {
        self.pages.insert(url.to_string(), None);
    }
}

/// The headings of `page` with the ids [`render`] gives them, and the
/// problems of their `{#id .class}` attribute blocks.
///
/// An explicit `{#id}` is kept as written and must be unique on the page;
/// every other heading gets a slug of its text, numbered (`-1`, `-2`…) until
/// it is unused, so no two headings ever share an id.
pub fn headings(page: &Page) -> (Vec<Heading>, Vec<Diagnostic>) {
    struct Found {
        level: u8,
        explicit: Option<String>,
        text: String,
        start: usize,
    }
    let positions = LinePositions::new(&page.body, page.body_line);
    let mut problems = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    let mut in_heading = false;
    for (event, range) in parser(&page.body).into_offset_iter() {
        match event {
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
        if !sanitize::is_safe_name(explicit) {
            problems.push(positions.diagnostic(
                page,
                heading.start,
                format!("heading id `{explicit}` may hold only letters, digits, `-` and `_`"),
            ));
            ids.push(None);
        } else if let Some(first) = used.get(explicit) {
            problems.push(positions.diagnostic(
                page,
                heading.start,
                format!(
                    "duplicate heading id `{explicit}`: the heading on line {first} has it already; choose another `{{#…}}`"
                ),
            ));
            ids.push(None);
        } else {
            used.insert(explicit.clone(), line);
            ids.push(Some(explicit.clone()));
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
                while used.contains_key(&id) {
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

/// Renders `page`'s Markdown, whose [`headings`] are given, checking and
/// rewriting its internal links, then sanitizing the HTML. Problems are
/// errors (broken links) and warnings (what the sanitizer removed).
pub fn render(
    page: &Page,
    headings: Vec<Heading>,
    targets: &LinkTargets,
) -> (Rendered, Vec<Diagnostic>) {
    let markdown = &page.body;
    let positions = LinePositions::new(markdown, page.body_line);
    let mut problems = Vec::new();
    let mut sections = vec![Section::default()];
    let mut heading_index = 0;
    let mut in_code_block = false;
    let mut in_heading = false;
    let mut events = Vec::new();
    let mut ids: BTreeSet<String> = headings.iter().map(|h| h.id.clone()).collect();
    // Raw HTML as written, with the offset it starts at, checked once every
    // id of the page is known.
    let mut raw_html: Vec<(usize, String)> = Vec::new();
    let mut html_block: Option<(usize, String)> = None;
    // Links and images to check against the sanitizer's URL rules.
    let mut urls: Vec<(usize, &'static str, String)> = Vec::new();

    for (event, range) in parser(markdown).into_offset_iter() {
        match event {
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
                    level,
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
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match resolve_link(page, &dest_url, &headings, targets) {
                    Ok(url) => CowStr::from(url),
                    Err(message) => {
                        problems.push(positions.diagnostic(page, range.start, message));
                        dest_url
                    }
                };
                urls.push((range.start, "a", dest_url.to_string()));
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
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
    for (start, element, url) in urls {
        let attribute = if element == "a" { "href" } else { "src" };
        if let Err(reason) = sanitize::check_attribute(element, attribute, &url, &ids) {
            let (line, column) = positions.line_and_column(start);
            let what = if element == "a" { "link" } else { "image" };
            problems.push(Diagnostic::warning(
                &page.source,
                line,
                column,
                format!("removed the {what} to `{}`: {reason}", shorten(&url)),
            ));
        }
    }

    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let html = sanitize::clean(&html, &ids);
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
        },
        problems,
    )
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

/// The relative URL for a link written in `page`, or why it is broken.
/// Links that are not site-absolute (`https://…`, `mailto:`) stay as they are.
fn resolve_link(
    page: &Page,
    dest: &str,
    headings: &[Heading],
    targets: &LinkTargets,
) -> Result<String, String> {
    if let Some(fragment) = dest.strip_prefix('#') {
        return if headings.iter().any(|heading| heading.id == fragment) {
            Ok(dest.to_string())
        } else {
            Err(format!(
                "broken link `{dest}`: this page has no heading with id `{fragment}`"
            ))
        };
    }
    if !dest.starts_with('/') || dest.starts_with("//") {
        return Ok(dest.to_string());
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let target = path.trim_start_matches('/').trim_end_matches("index.html");
    let target = if target.is_empty() || target.ends_with('/') {
        target.to_string()
    } else {
        format!("{target}/")
    };
    let Some(anchors) = targets.pages.get(&target) else {
        return Err(format!(
            "broken link `{dest}`: there is no page at `/{target}`; link to a code as `/404/`, a class as `/4xx/`, a guide as `/guides/<name>/`"
        ));
    };
    let mut url = relative_url(&page.url, &target);
    if let Some(fragment) = fragment {
        if anchors
            .as_ref()
            .is_some_and(|anchors| !anchors.contains(fragment))
        {
            return Err(format!(
                "broken link `{dest}`: the page `/{target}` has no heading with id `{fragment}`"
            ));
        }
        url.push('#');
        url.push_str(fragment);
    }
    Ok(url)
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
struct LinePositions<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> LinePositions<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
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
    fn line_and_column(&self, offset: usize) -> (usize, usize) {
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

    fn render_page(page: &Page, targets: &LinkTargets) -> (Rendered, Vec<Diagnostic>) {
        let (headings, mut problems) = headings(page);
        let (rendered, more) = render(page, headings, targets);
        problems.extend(more);
        (rendered, problems)
    }

    fn ids_of(body: &str) -> (Vec<String>, Vec<String>) {
        let (headings, problems) = headings(&page("", body));
        (
            headings.into_iter().map(|h| h.id).collect(),
            problems.iter().map(ToString::to_string).collect(),
        )
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
        let (rendered, problems) = render_page(&page("", body), &LinkTargets::default());
        assert!(!problems.is_empty());
        assert!(!rendered.html.contains("onfocus"), "{}", rendered.html);
        assert!(!rendered.html.contains("autofocus"), "{}", rendered.html);
    }

    #[test]
    fn two_line_headings_keep_their_word_break() {
        let (headings, _) = headings(&page("", "When to\nsend it\n---\n"));
        assert_eq!(headings[0].id, "when-to-send-it");
        assert_eq!(headings[0].text, "When to send it");
    }

    #[test]
    fn script_is_removed_and_reported_where_it_was_written() {
        let body = "Text with <img src=x\n  onerror=\"alert(1)\"> inline.\n\n<div>\n<script>alert(1)</script>\n</div>\n\n[x](javascript:alert(1)) <javascript:alert(2)>\n";
        let (rendered, problems) = render_page(&page("", body), &LinkTargets::default());
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
    fn rewrites_site_links_and_reports_broken_ones_with_position() {
        let mut targets = LinkTargets::default();
        targets.insert("404/", ["example".to_string()]);
        targets.insert("", []);
        let body = "See [404](/404/#example) and [home](/).\n\nAlso [gone](/999/).\n";
        let (rendered, problems) = render_page(&page("guides/g/", body), &targets);
        assert!(
            rendered
                .html
                .contains(r#"href="../../404/index.html#example""#)
        );
        assert!(rendered.html.contains(r#"href="../../index.html""#));
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string().split(": broken").next(),
            Some("content/x.md:7:6")
        );
    }

    #[test]
    fn headings_get_ids_and_permalinks() {
        let (rendered, _) = render_page(&page("", "## When to send it\n"), &LinkTargets::default());
        assert!(rendered.html.starts_with(r##"<h2 id="when-to-send-it">When to send it <a class="heading-anchor" href="#when-to-send-it""##));
    }
}
