//! What a page's Markdown body must hold, checked by `check` and `build`
//! alike so a contributor learns it from the command, not from the tests:
//! a code page opens with a paragraph and has `## When to send it`,
//! `## What clients should do` and `## Example` (with an ```` ```http ````
//! exchange) in that order; no page leaves a code block unclosed. Problems
//! are reported at their line.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};

use super::Page;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::markdown::{self, LinePositions};

/// The sections every code page has, in this order.
pub const CODE_SECTIONS: &[&str] = &["When to send it", "What clients should do", "Example"];

/// Sections the page shows from the front matter, which the body must not
/// repeat, with the field that holds them.
const FROM_FRONT_MATTER: &[(&str, &str)] = &[
    ("Related headers", "headers"),
    ("Related codes", "related"),
    ("Other uses", "other_uses"),
];

/// A `##` heading of a body.
struct Section {
    title: String,
    line: usize,
    /// The info strings of the fenced code blocks under it.
    fences: Vec<String>,
}

/// What the Markdown of `page` shows, for the checks.
struct Outline {
    /// The first block is a paragraph.
    opens_with_paragraph: bool,
    sections: Vec<Section>,
    problems: Diagnostics,
}

fn outline(page: &Page) -> Outline {
    let positions = LinePositions::new(&page.body, page.body_line);
    let mut outline = Outline {
        opens_with_paragraph: false,
        sections: Vec::new(),
        problems: Diagnostics::default(),
    };
    let mut first_block = true;
    let mut in_h2: Option<(usize, String)> = None;
    for (event, range) in markdown::parser(&page.body).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if first_block {
                    outline.opens_with_paragraph = matches!(tag, Tag::Paragraph);
                    first_block = false;
                }
                match tag {
                    Tag::Heading {
                        level: HeadingLevel::H2,
                        ..
                    } => in_h2 = Some((positions.line_and_column(range.start).0, String::new())),
                    Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                        if let Some(section) = outline.sections.last_mut() {
                            section.fences.push(info.trim().to_string());
                        }
                        if !is_closed(&page.body[range.clone()], range.end == page.body.len()) {
                            let (line, column) = positions.line_and_column(range.start);
                            outline.problems.push(
                                Diagnostic::at(
                                    &page.source,
                                    line,
                                    column,
                                    "this code block is never closed, so the rest of the page is shown as code",
                                )
                                .with_hint("close it with a line of the same fence (```) after its last line"),
                            );
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, title)) = &mut in_h2 {
                    title.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                if let Some((line, title)) = in_h2.take() {
                    outline.sections.push(Section {
                        title: title.trim().to_string(),
                        line,
                        fences: Vec::new(),
                    });
                }
            }
            _ => {}
        }
    }
    outline
}

/// Whether the fenced block whose source is `block` ends with its closing
/// fence; `at_end` is true when the block runs to the end of the body
/// (the only place CommonMark lets a fence stay open).
fn is_closed(block: &str, at_end: bool) -> bool {
    if !at_end {
        return true;
    }
    // Quote markers and indentation come before the fence in a list or
    // quote.
    let unquoted = |line: &str| line.trim_start_matches([' ', '>', '\t']).to_string();
    let mut lines = block.lines();
    let opening = unquoted(lines.next().unwrap_or_default());
    let fence_char = opening.chars().next().unwrap_or('`');
    let fence_len = opening.chars().take_while(|&c| c == fence_char).count();
    lines.next_back().is_some_and(|last| {
        let last = unquoted(last);
        let run = last.chars().take_while(|&c| c == fence_char).count();
        run >= fence_len && last.chars().skip(run).all(char::is_whitespace)
    })
}

/// The checks that apply to every page's body.
pub fn check_body(page: &Page) -> Diagnostics {
    outline(page).problems
}

/// The checks of a code page's body: every page's, plus its sections.
pub fn check_code_body(page: &Page) -> Diagnostics {
    let Outline {
        opens_with_paragraph,
        sections,
        mut problems,
    } = outline(page);
    let at = |line: usize, message: String, hint: String| {
        Diagnostic::at(&page.source, line, 1, message).with_hint(hint)
    };
    let order = CODE_SECTIONS
        .iter()
        .map(|title| format!("`## {title}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let last_line = page.body_line + page.body.lines().count().saturating_sub(1);

    if !opens_with_paragraph {
        problems.push(at(
            page.body_line,
            "a code page opens with a paragraph saying what the code means".into(),
            "write two or three sentences before the first heading".into(),
        ));
    }
    let find = |title: &str| sections.iter().position(|section| section.title == title);
    if CODE_SECTIONS.iter().all(|title| find(title).is_none()) {
        problems.push(at(
            sections.first().map_or(last_line, |section| section.line),
            "the page has none of the sections of a code page".into(),
            format!("add, in this order: {order}"),
        ));
        return problems;
    }
    let mut previous: Option<(usize, &str)> = None;
    for (rank, title) in CODE_SECTIONS.iter().enumerate() {
        match find(title) {
            Some(index) => {
                if let Some((before, before_title)) = previous
                    && index < before
                {
                    problems.push(at(
                        sections[index].line,
                        format!("`## {title}` comes before `## {before_title}`"),
                        format!("put the sections in this order: {order}"),
                    ));
                }
                previous = Some((index, title));
            }
            None => {
                // Point where it belongs: at the next required section
                // present, or at the end of the page.
                let next = CODE_SECTIONS[rank + 1..]
                    .iter()
                    .find_map(|next| find(next))
                    .map_or(last_line, |index| sections[index].line);
                problems.push(at(
                    next,
                    format!("the section `## {title}` is missing"),
                    format!("code pages have, in this order: {order}"),
                ));
            }
        }
    }
    if let Some(example) = find("Example").map(|index| &sections[index])
        && !example
            .fences
            .iter()
            .any(|info| info.split_whitespace().next() == Some("http"))
    {
        problems.push(at(
            example.line,
            "`## Example` has no ```http block".into(),
            "show the exchange in a block that opens with ```http".into(),
        ));
    }
    for section in &sections {
        if let Some((_, field)) = FROM_FRONT_MATTER
            .iter()
            .find(|(title, _)| section.title == *title)
        {
            problems.push(at(
                section.line,
                format!("`## {}` is shown from the front matter", section.title),
                format!("list them in `{field}` instead, and remove this section"),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn page(body: &str) -> Page {
        Page {
            source: PathBuf::from("content/4xx/404.md"),
            url: "404/".into(),
            title: "Not Found".into(),
            summary: "x".into(),
            body: body.into(),
            body_line: 10,
        }
    }

    fn problems(body: &str) -> Vec<String> {
        check_code_body(&page(body))
            .into_sorted()
            .into_iter()
            .map(|problem| format!("{}: {}", problem.line, problem.message))
            .collect()
    }

    const GOOD: &str = "It means this.\n\n## When to send it\n\nNow.\n\n## What clients should do\n\nWait.\n\n## Example\n\n```http\nHTTP/1.1 404 Not Found\n```\n";

    #[test]
    fn a_complete_page_passes() {
        assert_eq!(problems(GOOD), Vec::<String>::new());
        assert_eq!(
            problems(&format!("{GOOD}\n## History\n\n~~~\nold\n~~~\n")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn missing_and_misplaced_sections_are_found_at_their_place() {
        assert_eq!(
            problems("## When to send it\n\nx\n\n## Example\n\n```http\nx\n```\n"),
            vec![
                "10: a code page opens with a paragraph saying what the code means",
                "14: the section `## What clients should do` is missing",
            ]
        );
        assert_eq!(
            problems(&GOOD.replace("## Example", "## Sample")),
            vec!["24: the section `## Example` is missing"]
        );
        let swapped = GOOD
            .replace("## When to send it", "## TMP")
            .replace("## What clients should do", "## When to send it")
            .replace("## TMP", "## What clients should do");
        assert_eq!(
            problems(&swapped),
            vec!["12: `## What clients should do` comes before `## When to send it`"]
        );
    }

    #[test]
    fn a_page_without_sections_gets_one_error() {
        assert_eq!(
            problems("Only text.\n"),
            vec!["10: the page has none of the sections of a code page"]
        );
    }

    #[test]
    fn the_example_needs_an_http_block() {
        assert_eq!(
            problems(&GOOD.replace("```http", "```text")),
            vec!["20: `## Example` has no ```http block"]
        );
        // A heading inside a code block is not a section.
        assert_eq!(
            problems(&GOOD.replace("Wait.", "```\n## Example\n```")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_unclosed_fence_is_an_error_on_any_page() {
        assert_eq!(
            problems(&format!("{GOOD}\n```http\nGET / HTTP/1.1\n")),
            vec!["26: this code block is never closed, so the rest of the page is shown as code"]
        );
        let guide = page("Text.\n\n> ```\n> quoted\n> ```\n\n- item\n\n  ````\n  x\n  ````\n");
        assert!(check_body(&guide).is_empty());
        let open = page("Text.\n\n~~~~\nx\n~~~\n");
        assert_eq!(check_body(&open).into_sorted()[0].line, 12);
    }

    #[test]
    fn sections_the_front_matter_shows_are_refused() {
        assert_eq!(
            problems(&format!("{GOOD}\n## Related headers\n\n- Link\n")),
            vec!["26: `## Related headers` is shown from the front matter"]
        );
    }
}
