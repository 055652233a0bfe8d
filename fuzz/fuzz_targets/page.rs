//! Fuzzes one content page through `httpcodes::render_source`: front-matter
//! split, YAML, Markdown, sanitizer.
//!
//! Input: the first byte picks where the file would be (a code page, a
//! guide, the home page or a class page); the other bytes are the file's
//! text (not UTF-8 → `from_utf8_lossy`). A panic anywhere is a finding, and
//! so is any broken property below:
//!
//! - `Err(problems)`: at least one error; every problem is about the path
//!   given, says something, is free of Rust/serde jargon, and points at a
//!   line the file has (or 0, the whole file).
//! - `Ok((html, warnings))`: read back with html5ever (scraper), the HTML
//!   holds only allow-listed elements and attributes, no event handler, links
//!   that are relative or use an allowed scheme, images with no scheme and no
//!   other host; the warnings are warnings and obey the rules above.
//!
//! `PAGE_FUZZ_SKIP` (comma-separated: `jargon`, `line`, `href`, `src`) turns
//! a check off while a known finding waits for its fix, so fuzzing can go
//! on past it. Leave it unset normally. `PAGE_FUZZ_PRINT=1` prints each
//! input and its result (to look at one file).

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use httpcodes::diagnostics::Diagnostic;
use httpcodes::sanitize::{ALLOWED_ELEMENTS, ELEMENT_ATTRIBUTES, GENERIC_ATTRIBUTES, LINK_SCHEMES};
use libfuzzer_sys::fuzz_target;
use scraper::{Html, Node};

const XHTML: &str = "http://www.w3.org/1999/xhtml";

fuzz_target!(|data: &[u8]| {
    let Some((path, text)) = httpcodes::fuzz_input(data) else {
        return;
    };
    // Lines as the contributor's editor and the build count them (`\n`,
    // `\r\n` and a lone `\r` each end one); a problem may point one past
    // the last (end of file).
    let max_line = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .count()
        + 1;

    let result = httpcodes::render_source(path, &text);
    if std::env::var_os("PAGE_FUZZ_PRINT").is_some() {
        eprintln!("{path:?} {text:?}\n=> {result:#?}");
    }
    match result {
        Err(problems) => {
            let problems = problems.into_sorted();
            assert!(!problems.is_empty(), "Err without any problem");
            assert!(
                problems.iter().any(Diagnostic::is_error),
                "Err with warnings only: {problems:?}"
            );
            for problem in &problems {
                check_diagnostic(problem, path, max_line);
            }
        }
        Ok((html, warnings)) => {
            for warning in warnings.into_sorted() {
                assert!(!warning.is_error(), "Ok with an error: {warning:?}");
                check_diagnostic(&warning, path, max_line);
            }
            check_html(&html);
        }
    }
});

fn skipped(check: &str) -> bool {
    static SKIP: OnceLock<Vec<String>> = OnceLock::new();
    SKIP.get_or_init(|| {
        std::env::var("PAGE_FUZZ_SKIP")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .iter()
    .any(|s| s == check)
}

fn check_diagnostic(problem: &Diagnostic, path: &Path, max_line: usize) {
    assert_eq!(
        problem.path, path,
        "problem about another file: {problem:?}"
    );
    assert!(
        !problem.message.trim().is_empty(),
        "empty message: {problem:?}"
    );
    if !skipped("jargon") {
        for jargon in httpcodes::diagnostics::PARSER_WORDS {
            assert!(
                !problem.message.contains(jargon),
                "message with jargon `{jargon}`: {problem:?}"
            );
        }
    }
    if !skipped("line") {
        assert!(
            problem.line <= max_line,
            "line {} but the file has {} lines: {problem:?}",
            problem.line,
            max_line - 1
        );
    }
}

fn check_html(html: &str) {
    let fragment = Html::parse_fragment(html);
    // scraper wraps a fragment in an <html> element of its own; an `<html>`
    // tag in the input would add attributes to it.
    let root = fragment.root_element();
    assert_eq!(root.value().name(), "html");
    assert_eq!(
        root.value().attrs().count(),
        0,
        "attributes on <html>: {html}"
    );

    for node in root.descendants().skip(1) {
        let element = match node.value() {
            Node::Element(element) => element,
            Node::Text(_) | Node::Comment(_) => continue,
            other => panic!("unexpected node {other:?} in {html}"),
        };
        let name = element.name();
        assert_eq!(&*element.name.ns, XHTML, "<{name}> outside HTML in {html}");
        assert!(ALLOWED_ELEMENTS.contains(&name), "<{name}> in {html}");
        let specific: &[&str] = ELEMENT_ATTRIBUTES
            .iter()
            .find(|(element, _)| *element == name)
            .map_or(&[], |(_, attributes)| attributes);
        for (qualified, value) in &element.attrs {
            let attribute = &*qualified.local;
            assert!(
                qualified.prefix.is_none() && qualified.ns.is_empty(),
                "namespaced attribute {qualified:?} on <{name}> in {html}"
            );
            assert!(
                !attribute.to_ascii_lowercase().starts_with("on"),
                "event handler `{attribute}` on <{name}> in {html}"
            );
            assert!(
                GENERIC_ATTRIBUTES.contains(&attribute) || specific.contains(&attribute),
                "`{attribute}` on <{name}> in {html}"
            );
            match attribute {
                "href" if !skipped("href") => check_href(value, html),
                "src" if !skipped("src") => check_src(value, html),
                _ => {}
            }
        }
    }
}

/// The URL as a browser reads an attribute value: leading and trailing C0
/// controls and spaces trimmed, tabs and newlines anywhere removed.
fn as_browser_reads(value: &str) -> String {
    value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// The scheme of a URL as a browser reads it, lower-cased, if it has one.
fn scheme(value: &str) -> Option<String> {
    let value = as_browser_reads(value);
    let mut chars = value.char_indices();
    let (_, first) = chars.next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    for (index, c) in chars {
        match c {
            ':' => return Some(value[..index].to_ascii_lowercase()),
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {}
            _ => return None,
        }
    }
    None
}

fn check_href(value: &str, html: &str) {
    if let Some(scheme) = scheme(value) {
        assert!(
            LINK_SCHEMES.contains(&scheme.as_str()),
            "link with scheme `{scheme}`: href={value:?} in {html}"
        );
    }
    match url::Url::parse(value) {
        Ok(url) => assert!(
            LINK_SCHEMES.contains(&url.scheme()),
            "link with scheme `{}`: href={value:?} in {html}",
            url.scheme()
        ),
        Err(url::ParseError::RelativeUrlWithoutBase) => {}
        Err(error) => panic!("link that is not a URL ({error}): href={value:?} in {html}"),
    }
}

fn check_src(value: &str, html: &str) {
    assert!(
        scheme(value).is_none(),
        "image with a scheme: src={value:?} in {html}"
    );
    let start: Vec<char> = as_browser_reads(value).chars().take(2).collect();
    assert!(
        !(start.len() == 2 && start.iter().all(|&c| c == '/' || c == '\\')),
        "image from another host: src={value:?} in {html}"
    );
    assert_eq!(
        url::Url::parse(value).err(),
        Some(url::ParseError::RelativeUrlWithoutBase),
        "image that is not a relative URL: src={value:?} in {html}"
    );
}
