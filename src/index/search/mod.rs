//! The search index: one document per code page, class page and guide, plus
//! one per `##` section of a guide, so a result can link to `#anchor`.
//!
//! Written twice. `search-index.json` is for other tools: the documents and
//! their body words (format version 2). The pages get the files under
//! `search/` (format version [`shards::VERSION`], [`shards`]): the build computes the
//! vocabulary once ([`vocabulary`]: every word with its documents and
//! weights), then cuts it into an entry file and shards that `search.js`
//! loads with `<script>` tags as a query needs them, so search works from
//! `file://` (where `fetch()` is blocked) and a reader of a big site does
//! not download the whole index. Both formats are described field by field
//! in `themes/README.md`.
//!
//! Words are cut by [`tokens`], the one tokenisation rule of search:
//! `search.js` applies the same rule to queries, and both are tested against
//! the cases of `tests/data/search-tokens.json`.

use std::collections::{BTreeMap, HashMap};

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
use rayon::prelude::*;
use serde::Serialize;

use crate::content::front_matter::{OtherUse, Status};
use crate::content::{Content, Page};
use crate::output::OutputFile;
use crate::render::RenderedBodies;
use crate::render::markdown::{Section, relative_url};

mod shards;
mod vocabulary;

pub use shards::VERSION as SHARDS_VERSION;
use vocabulary::Vocabulary;

/// Format version of `search-index.json`; bump when its shape or the
/// tokenisation rule changes (the pages' files have their own version,
/// [`shards::VERSION`]).
/// 2: documents are objects with named fields; body words are folded.
const DATA_VERSION: u32 = 2;

/// One searchable document. Empty lists and absent values are left out.
#[derive(Serialize)]
struct Document<'a> {
    /// The status code, on code pages only.
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<u16>,
    title: String,
    summary: &'a str,
    /// The page's file from the site root (`404/index.html`, with
    /// `#anchor` for a guide section).
    url: String,
    kind: Kind,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    keywords: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    headers: &'a [String],
    /// Who uses an unofficial code (`nginx`).
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// Other meanings of the number: their names and users are searched
    /// ("token required" finds 499) but not shown in results.
    #[serde(skip)]
    other_uses: &'a [OtherUse],
}

/// What a document is.
#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Class,
    Code,
    Unofficial,
    Guide,
    Section,
}

#[derive(Serialize)]
struct SearchIndex<'d, 'a, 'w> {
    version: u32,
    docs: &'d [Document<'a>],
    /// Body word → indexes of the documents whose body has it.
    terms: BTreeMap<&'w str, &'w [u32]>,
}

/// Builds `search-index.json` and the files under `search/`, handing each
/// to `put` as soon as it is made (a large site's index is big).
pub fn files<'a>(content: &'a Content, bodies: &'a RenderedBodies, put: shards::Put) {
    let sections_of = |page: &'a Page| {
        bodies
            .get(&page.url)
            .map_or(&[][..], |body| &body.sections[..])
    };
    // A document with only a title, summary and URL.
    let plain = |title: String, summary: &'a str, url: String, kind: Kind| Document {
        code: None,
        title,
        summary,
        url,
        kind,
        aliases: &[],
        keywords: &[],
        headers: &[],
        source: None,
        other_uses: &[],
    };
    let mut docs: Vec<Document> = Vec::new();
    // The body sections each document's words come from, by document.
    let mut texts: Vec<Vec<&Section>> = Vec::new();

    for class in &content.classes {
        let page = &class.page;
        docs.push(plain(
            page.title.clone(),
            &page.summary,
            url(page),
            Kind::Class,
        ));
        texts.push(sections_of(page).iter().collect());
    }
    for code in &content.codes {
        let page = &code.page;
        docs.push(Document {
            code: Some(code.code),
            title: page.title.clone(),
            summary: &page.summary,
            url: url(page),
            kind: match code.status {
                Status::Unofficial => Kind::Unofficial,
                _ => Kind::Code,
            },
            aliases: &code.aliases,
            keywords: &code.keywords,
            headers: &code.headers,
            source: code.source.as_deref(),
            other_uses: &code.other_uses,
        });
        texts.push(sections_of(page).iter().collect());
    }
    for guide in &content.guides {
        let sections = sections_of(guide);
        docs.push(plain(
            guide.title.clone(),
            &guide.summary,
            url(guide),
            Kind::Guide,
        ));
        texts.push(
            sections
                .iter()
                .filter(|section| section.id.is_empty())
                .collect(),
        );
        for section in sections.iter().filter(|section| !section.id.is_empty()) {
            docs.push(plain(
                format!("{} › {}", guide.title, section.title),
                &guide.summary,
                format!("{}#{}", url(guide), section.id),
                Kind::Section,
            ));
            texts.push(vec![section]);
        }
    }

    // Each document's distinct body words, found in parallel a batch of
    // documents at a time and kept as numbers into one list of words, so
    // that a large site's words are never all held as strings; a batch is
    // numbered while the next is found.
    let mut lexicon = Lexicon::default();
    let mut body_words: Vec<Vec<u32>> = Vec::with_capacity(texts.len());
    let find = |batch: &[Vec<&Section>]| -> Vec<String> {
        batch
            .par_iter()
            .map(|sections| distinct_words(sections))
            .collect()
    };
    let mut found: Vec<String> = Vec::new();
    for batch in texts.chunks(1024).map(Some).chain([None]) {
        let numbered = std::mem::take(&mut found);
        let number = || {
            body_words.extend(numbered.iter().map(|words| {
                words
                    .split(' ')
                    .filter(|word| !word.is_empty())
                    .map(|word| lexicon.number(word))
                    .collect()
            }))
        };
        found = rayon::join(|| batch.map(find).unwrap_or_default(), number).0;
    }
    // For tools: the documents and the body words, inverted (documents are
    // visited in order, so each word's list comes out sorted). Written and
    // dropped before the vocabulary grows: on a slow disk, writing it while
    // the vocabulary was computed raised the peak by its size (35 MB of
    // 10,000 guides).
    let body_docs = invert(&body_words, lexicon.words.len());
    drop(body_words);
    let terms: BTreeMap<&str, &[u32]> = lexicon
        .words
        .iter()
        .map(String::as_str)
        .zip(body_docs.iter().map(Vec::as_slice))
        .collect();
    let index = SearchIndex {
        version: DATA_VERSION,
        docs: &docs,
        terms,
    };
    let mut json = serde_json::to_string(&index).expect("the index always serializes");
    json.push('\n');
    drop(index);
    put(OutputFile::new("search-index.json", json));
    // For the pages: the vocabulary, computed once here, in shards.
    let vocabulary = Vocabulary::build(&docs, &body_docs, lexicon);
    drop(body_docs);
    shards::files(&docs, &vocabulary, put);
}

/// For each of `word_count` words, the documents that have it, from each
/// document's words (documents are visited in order, so each list comes
/// out sorted).
fn invert(words_of_doc: &[Vec<u32>], word_count: usize) -> Vec<Vec<u32>> {
    let mut docs_of_word = vec![Vec::new(); word_count];
    for (doc, words) in words_of_doc.iter().enumerate() {
        for &word in words {
            docs_of_word[word as usize].push(doc as u32);
        }
    }
    docs_of_word
}

/// Body words by number, each written once.
#[derive(Default)]
struct Lexicon {
    words: Vec<String>,
    numbers: HashMap<String, u32>,
}

impl Lexicon {
    /// The number of `word`, given it if new.
    fn number(&mut self, word: &str) -> u32 {
        if let Some(&number) = self.numbers.get(word) {
            return number;
        }
        let number = self.words.len() as u32;
        self.words.push(word.to_owned());
        self.numbers.insert(word.to_owned(), number);
        number
    }
}

/// The page's file, relative to the site root (`404/index.html`).
fn url(page: &Page) -> String {
    relative_url("", &page.url)
}

/// Apostrophes are dropped, so that "don't", "don’t" and "dont" are one word:
/// U+0027 (also what the fullwidth U+FF07 decomposes to), U+2019, U+02BC.
const APOSTROPHES: [char; 3] = ['\'', '\u{2019}', '\u{2bc}'];

/// The one tokenisation rule of search (`tokenize` in `search.js` is the
/// same): lower case; compatibility decomposition (NFKD), so "ﬁ" is "fi" and
/// "é" is "e" plus an accent; combining marks and apostrophes dropped; then
/// split on every character that is neither alphabetic nor numeric.
fn tokens(text: &str) -> Vec<String> {
    split(&fold(text)).map(str::to_owned).collect()
}

/// `text` in lower case, NFKD, without marks or apostrophes.
fn fold(text: &str) -> String {
    if text.is_ascii() {
        text.chars()
            .filter(|c| *c != '\'')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    } else {
        let categories = CodePointMapData::<GeneralCategory>::new();
        DecomposingNormalizerBorrowed::new_nfkd()
            .normalize_iter(text.to_lowercase().chars())
            .filter(|&c| {
                !APOSTROPHES.contains(&c) && !GeneralCategoryGroup::Mark.contains(categories.get(c))
            })
            .collect()
    }
}

/// The words of folded text.
fn split(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|token| !token.is_empty())
}

/// Whether a body word is worth indexing: not a very common word, and at
/// least three characters long unless it is a number.
fn worth_indexing(word: &str) -> bool {
    (word.chars().count() >= 3 || word.bytes().all(|b| b.is_ascii_digit()))
        && !STOP_WORDS.contains(&word)
}

/// The distinct words worth indexing of some sections, sorted, joined by
/// spaces (one string, not one per word: a large site has millions).
fn distinct_words(sections: &[&Section]) -> String {
    let folded: Vec<String> = sections.iter().map(|section| fold(&section.text)).collect();
    let mut words: Vec<&str> = folded
        .iter()
        .flat_map(|text| split(text))
        .filter(|word| worth_indexing(word))
        .collect();
    words.sort_unstable();
    words.dedup();
    words.join(" ")
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

    #[derive(serde::Deserialize)]
    struct TokenCases {
        cases: Vec<TokenCase>,
    }

    #[derive(serde::Deserialize)]
    struct TokenCase {
        input: String,
        tokens: Vec<String>,
    }

    #[test]
    fn tokens_follow_the_shared_cases() {
        let cases: TokenCases =
            serde_json::from_str(include_str!("../../../tests/data/search-tokens.json")).unwrap();
        let mut wrong = Vec::new();
        for case in &cases.cases {
            let found = tokens(&case.input);
            if found != case.tokens {
                wrong.push(format!(
                    "{:?} gave {found:?}, expected {:?}",
                    case.input, case.tokens
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// The distinct words worth indexing of one section with `text`.
    fn indexed(text: &str) -> String {
        let section = Section {
            id: String::new(),
            title: String::new(),
            text: text.to_owned(),
        };
        distinct_words(&[&section])
    }

    #[test]
    fn indexed_words_are_lower_case_without_stop_words_sorted_once_each() {
        assert_eq!(
            indexed("The Retry-After header, and 429 in RFC 6585; retry"),
            "429 6585 after header retry rfc"
        );
        assert_eq!(indexed("a of it"), "");
    }

    #[test]
    fn indexed_words_are_folded_and_counted_in_characters() {
        assert_eq!(
            indexed("A café? Don't. Ça va, né, 7 ans"),
            "7 ans cafe dont"
        );
    }
}
