//! The search index: one document per code page, class page and guide, plus
//! one per `##` section of a guide, so a result can link to `#anchor`.
//!
//! Written twice: `search-index.json` for other tools, and `search-index.js`,
//! a classic script assigning the same object to
//! `window.HTTPCODES_SEARCH_INDEX`, which the theme loads with a `<script>`
//! tag so search works from `file://`, where `fetch()` is blocked. Body text
//! is kept as an inverted index of words, not as whole text, to stay small.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Content, Page};
use crate::front_matter::Status;
use crate::markdown::{Section, relative_url};
use crate::output::OutputFile;
use crate::render::RenderedBodies;

/// Format version of the index; bump when the shape changes.
const VERSION: u32 = 1;

/// One document: `[code, title, summary, url, kind, aliases, keywords, headers, source]`.
type Document<'a> = (
    Option<u16>,
    String,
    &'a str,
    String,
    &'static str,
    &'a [String],
    &'a [String],
    &'a [String],
    Option<&'a str>,
);

#[derive(Serialize)]
struct SearchIndex<'a> {
    version: u32,
    docs: Vec<Document<'a>>,
    /// Body word → indexes of the documents whose body has it.
    terms: BTreeMap<&'a str, Vec<usize>>,
}

/// Builds `search-index.json` and `search-index.js`.
pub fn files<'a>(content: &'a Content, bodies: &'a RenderedBodies) -> Vec<OutputFile> {
    let none: &[String] = &[];
    let sections_of = |page: &'a Page| {
        bodies
            .get(&page.url)
            .map_or(&[][..], |body| &body.sections[..])
    };
    let mut docs: Vec<Document> = Vec::new();
    // The body sections each document's words come from, by document.
    let mut texts: Vec<Vec<&Section>> = Vec::new();

    for class in &content.classes {
        let page = &class.page;
        docs.push((
            None,
            page.title.clone(),
            &page.summary,
            url(page),
            "class",
            none,
            none,
            none,
            None,
        ));
        texts.push(sections_of(page).iter().collect());
    }
    for code in &content.codes {
        let page = &code.page;
        let kind = if code.status == Status::Unofficial {
            "unofficial"
        } else {
            "code"
        };
        docs.push((
            Some(code.code),
            page.title.clone(),
            &page.summary,
            url(page),
            kind,
            &code.aliases,
            &code.keywords,
            &code.headers,
            code.source.as_deref(),
        ));
        texts.push(sections_of(page).iter().collect());
    }
    for guide in &content.guides {
        let sections = sections_of(guide);
        docs.push((
            None,
            guide.title.clone(),
            &guide.summary,
            url(guide),
            "guide",
            none,
            none,
            none,
            None,
        ));
        texts.push(
            sections
                .iter()
                .filter(|section| section.id.is_empty())
                .collect(),
        );
        for section in sections.iter().filter(|section| !section.id.is_empty()) {
            docs.push((
                None,
                format!("{} › {}", guide.title, section.title),
                &guide.summary,
                format!("{}#{}", url(guide), section.id),
                "section",
                none,
                none,
                none,
                None,
            ));
            texts.push(vec![section]);
        }
    }

    // Each document's distinct words, found in parallel, then inverted:
    // documents are visited in order, so each word's list comes out sorted.
    let words: Vec<Vec<Cow<str>>> = texts
        .par_iter()
        .map(|sections| {
            let mut found: Vec<Cow<str>> = sections
                .iter()
                .flat_map(|section| words(&section.text))
                .collect();
            found.sort_unstable();
            found.dedup();
            found
        })
        .collect();
    let mut terms: HashMap<&str, Vec<usize>> = HashMap::new();
    for (doc, found) in words.iter().enumerate() {
        for word in found {
            terms.entry(word).or_default().push(doc);
        }
    }
    let index = SearchIndex {
        version: VERSION,
        docs,
        terms: terms.into_iter().collect(),
    };
    let json = serde_json::to_string(&index).expect("the index always serializes");
    vec![
        OutputFile::new("search-index.json", format!("{json}\n")),
        OutputFile::new(
            "search-index.js",
            format!("window.HTTPCODES_SEARCH_INDEX = {json};\n"),
        ),
    ]
}

/// The page's file, relative to the site root (`404/index.html`).
fn url(page: &Page) -> String {
    relative_url("", &page.url)
}

/// Words worth indexing: lower case, split on anything but letters and
/// digits, without very short and very common words.
fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| {
            word.len() >= 3 || word.chars().all(|c| c.is_ascii_digit()) && !word.is_empty()
        })
        .map(|word| {
            match word
                .bytes()
                .any(|b| !b.is_ascii_lowercase() && !b.is_ascii_digit())
            {
                true => Cow::Owned(word.to_lowercase()),
                false => Cow::Borrowed(word),
            }
        })
        .filter(|word| !STOP_WORDS.contains(&word.as_ref()))
}

const STOP_WORDS: &[&str] = &[
    "and", "are", "but", "can", "for", "from", "has", "have", "its", "not", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "was", "were", "what", "when", "which",
    "will", "with", "you", "your", "does", "into", "than", "also", "may", "only", "one", "any",
    "all", "more", "some", "such", "should", "would", "could", "other", "same", "about", "just",
    "been", "being",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_without_stop_words() {
        let found: Vec<Cow<str>> = words("The Retry-After header, and 429 in RFC 6585").collect();
        assert_eq!(found, ["retry", "after", "header", "429", "rfc", "6585"]);
    }
}
