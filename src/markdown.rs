//! Markdown to HTML: the one place that chooses parser options, gives every
//! heading a stable `id` and a permalink, and turns site-absolute links
//! (`/404/`, `/guides/x/#part`) into relative ones that work from `file://`
//! and under any hosting path.
//!
//! Links are checked against [`LinkTargets`]: a link to a page or `#fragment`
//! that does not exist is reported with its file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::Page;
use crate::diagnostics::Diagnostic;

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

/// The headings of `markdown` with the ids [`render`] gives them.
pub fn headings(markdown: &str) -> Vec<Heading> {
    let mut ids = IdAllocator::default();
    let mut headings = Vec::new();
    let mut current: Option<(u8, Option<String>, String)> = None;
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((
                    level_number(level),
                    id.map(|id| id.to_string()),
                    String::new(),
                ));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, heading_text)) = &mut current {
                    heading_text.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = current.take() {
                    let id = ids.allocate(explicit.as_deref(), &text);
                    headings.push(Heading {
                        level,
                        id,
                        text: text.trim().to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    headings
}

/// Renders `page`'s Markdown, whose [`headings`] are given, checking and
/// rewriting its internal links.
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
                let id = &headings[heading_index].id;
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
                        problems.push(positions.diagnostic(page, range, message));
                        dest_url
                    }
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
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

    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
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

/// Turns byte offsets in a body into lines and columns of its file.
struct LinePositions {
    starts: Vec<usize>,
    first_line: usize,
}

impl LinePositions {
    fn new(text: &str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        LinePositions { starts, first_line }
    }

    fn diagnostic(&self, page: &Page, range: Range<usize>, message: String) -> Diagnostic {
        let index = self.starts.partition_point(|&start| start <= range.start) - 1;
        let column = range.start - self.starts[index] + 1;
        Diagnostic::at(&page.source, self.first_line + index, column, message)
    }
}

/// Gives each heading a unique id: the explicit `{#id}` or a slug of its text.
#[derive(Default)]
struct IdAllocator {
    used: BTreeMap<String, usize>,
}

impl IdAllocator {
    fn allocate(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = explicit.map_or_else(|| slugify(text), str::to_string);
        let count = self.used.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}-{}", *count - 1)
        }
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
        render(page, headings(&page.body), targets)
    }

    #[test]
    fn slugs_are_stable() {
        assert_eq!(slugify("When to send it"), "when-to-send-it");
        assert_eq!(slugify("301 vs. 308 — which?"), "301-vs-308-which");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn duplicate_headings_get_numbered_ids() {
        let ids: Vec<String> = headings("## A\n## A\n## B {#custom}\n")
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, ["a", "a-1", "custom"]);
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
