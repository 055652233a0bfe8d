//! The vocabulary of search: every word of every field of every document,
//! with the documents that have it and the best weight it has in each, plus
//! each document's "phrases" (the fields a whole query may match, for the
//! phrase bonus). `search.js` ranks with these; the build computes them once
//! so that a reader's browser does not.
//!
//! Words come from [`tokens`], the rule `search.js` applies to queries, so a
//! query word and an indexed word are equal exactly when they should be.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Document, Kind, Lexicon, tokens};

/// Weight of a word found in each field of a document (`search.js` ranks
/// with them; a word keeps its best weight in a document).
mod weight {
    pub const CODE: f64 = 100.0;
    pub const CLASS_MEMBER: f64 = 50.0;
    pub const TITLE: f64 = 10.0;
    pub const ALIAS: f64 = 8.0;
    pub const SOURCE: f64 = 8.0;
    pub const KEYWORD: f64 = 6.0;
    /// The most a header gets: a page about one header is more about it
    /// than a page listing five (see [`super::header_weight`]).
    pub const HEADER: f64 = 6.0;
    pub const SUMMARY: f64 = 3.0;
    pub const BODY: f64 = 1.0;
}

/// A document's weight for each of its `count` headers: 6 / √count, at least 3.
fn header_weight(count: usize) -> f64 {
    (weight::HEADER / (count.max(1) as f64).sqrt()).max(3.0)
}

/// One document that has a word, and the word's best weight there.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Posting {
    pub doc: u32,
    pub weight: Weight,
}

/// A posting's weight, kept as its place among every weight a posting can
/// have (ascending, so the better weight is the greater place): a posting
/// then takes 8 bytes instead of 16, and postings are most of a large
/// site's memory.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Weight(u8);

impl Weight {
    /// Every weight a posting can have, ascending.
    fn all() -> &'static [f64; 9] {
        static ALL: std::sync::OnceLock<[f64; 9]> = std::sync::OnceLock::new();
        ALL.get_or_init(|| {
            [
                weight::BODY,
                weight::SUMMARY, // and header_weight(4 or more)
                header_weight(3),
                header_weight(2),
                weight::KEYWORD, // and header_weight(1)
                weight::ALIAS,   // and weight::SOURCE
                weight::TITLE,
                weight::CLASS_MEMBER,
                weight::CODE,
            ]
        })
    }

    /// The weight `value`, one of [`Weight::all`].
    pub fn of(value: f64) -> Weight {
        let place = Self::all().iter().position(|&weight| weight == value);
        Weight(place.expect("a posting's weight is one of Weight::all") as u8)
    }

    pub fn value(self) -> f64 {
        Self::all()[usize::from(self.0)]
    }
}

/// A field a whole query may match: its words joined by single spaces, and
/// the field's weight.
#[derive(Clone, PartialEq, Debug)]
pub struct Phrase {
    pub text: String,
    pub weight: f64,
}

pub struct Vocabulary {
    /// Every word, sorted by UTF-16 code units: the order of JavaScript's
    /// `sort()` and `<`, which `search.js` uses to look prefixes up.
    pub words: Vec<String>,
    /// For each word of `words`: the documents that have it, ascending.
    pub postings: Vec<Vec<Posting>>,
    /// For each word of `words`: the documents with a phrase that has the
    /// word, ascending, each with the indexes of those phrases in
    /// `phrases`. The phrase bonus needs the query's first word as a whole
    /// word of a phrase, so these are all it needs.
    pub phrases_with: Vec<Vec<(u32, Vec<u32>)>>,
    /// Each document's phrases.
    pub phrases: Vec<Vec<Phrase>>,
}

/// Collects postings document by document (in order, so each word's list
/// stays sorted and a document already there is its list's last entry).
struct Builder {
    /// Every word so far, by number (the body words come numbered).
    lexicon: Lexicon,
    /// Postings by word number.
    postings: Vec<Vec<Posting>>,
    /// Word → (document, phrase index) for every word of every phrase.
    phrase_words: HashMap<String, Vec<(u32, u32)>>,
    phrases: Vec<Vec<Phrase>>,
}

impl Builder {
    fn add(&mut self, word: &str, doc: u32, weight: Weight) {
        let number = self.lexicon.number(word);
        self.add_number(number, doc, weight);
    }

    fn add_number(&mut self, word: u32, doc: u32, weight: Weight) {
        let word = word as usize;
        if word >= self.postings.len() {
            self.postings.resize_with(word + 1, Vec::new);
        }
        let list = &mut self.postings[word];
        match list.last_mut() {
            Some(last) if last.doc == doc => last.weight = last.weight.max(weight),
            _ => list.push(Posting { doc, weight }),
        }
    }

    /// The numbers of the words of `text`.
    fn numbers(&mut self, text: &str) -> Vec<u32> {
        tokens(text)
            .iter()
            .map(|word| self.lexicon.number(word))
            .collect()
    }

    /// Adds every word of `text`; a phrase field also becomes a phrase.
    fn add_field(&mut self, doc: u32, text: &str, weight: f64, phrase: bool) {
        let words = tokens(text);
        let rank = Weight::of(weight);
        for word in &words {
            self.add(word, doc, rank);
        }
        if phrase && !words.is_empty() {
            let phrases = &mut self.phrases[doc as usize];
            let index = phrases.len() as u32;
            for (k, word) in words.iter().enumerate() {
                if !words[..k].contains(word) {
                    let list = self.phrase_words.entry(word.clone()).or_default();
                    if list.last() != Some(&(doc, index)) {
                        list.push((doc, index));
                    }
                }
            }
            phrases.push(Phrase {
                text: words.join(" "),
                weight,
            });
        }
    }
}

impl Vocabulary {
    /// The vocabulary of `docs`, whose bodies have `body_docs` (by
    /// word number in `lexicon`, the documents whose body has it).
    pub fn build(docs: &[Document], body_docs: &[Vec<u32>], lexicon: Lexicon) -> Vocabulary {
        let mut builder = Builder {
            postings: Vec::with_capacity(lexicon.words.len()),
            lexicon,
            phrase_words: HashMap::new(),
            phrases: vec![Vec::new(); docs.len()],
        };
        // The words of the last section's guide title and summary, numbered.
        let mut guide_words = (("", ""), Vec::new(), Vec::new());
        for (i, doc) in docs.iter().enumerate() {
            let i = i as u32;
            if let Some(code) = doc.code {
                builder.add(&code.to_string(), i, Weight::of(weight::CODE));
                let class = format!("{}xx", code / 100);
                builder.add(&class, i, Weight::of(weight::CLASS_MEMBER));
            }
            if let (Kind::Class, Some(name)) = (doc.kind, class_name(&doc.title)) {
                builder.add(&name, i, Weight::of(weight::CODE));
            }
            if let Kind::Section = doc.kind {
                // "Guide title › Section title": the section's own title is what matters.
                let (guide, own) = match doc.title.rfind('›') {
                    Some(cut) => (&doc.title[..cut], &doc.title[cut + '›'.len_utf8()..]),
                    None => ("", &doc.title[..]),
                };
                builder.add_field(i, own, weight::TITLE, true);
                // A guide's sections follow each other and share these two.
                if guide_words.0 != (guide, doc.summary) {
                    let guide_numbers = builder.numbers(guide);
                    let summary_numbers = builder.numbers(doc.summary);
                    guide_words = ((guide, doc.summary), guide_numbers, summary_numbers);
                }
                for &word in &guide_words.1 {
                    builder.add_number(word, i, Weight::of(weight::SUMMARY));
                }
                for &word in &guide_words.2 {
                    builder.add_number(word, i, Weight::of(weight::BODY));
                }
            } else {
                builder.add_field(i, &doc.title, weight::TITLE, true);
                builder.add_field(i, doc.summary, weight::SUMMARY, false);
            }
            for alias in doc.aliases {
                builder.add_field(i, alias, weight::ALIAS, true);
            }
            for keyword in doc.keywords {
                builder.add_field(i, keyword, weight::KEYWORD, true);
            }
            let header = header_weight(doc.headers.len());
            for name in doc.headers {
                builder.add_field(i, name, header, true);
            }
            if let Some(source) = doc.source {
                builder.add_field(i, source, weight::SOURCE, true);
            }
            // Another meaning of the number is found by its name, which
            // counts like a keyword (below the page's own names, so it
            // cannot outrank the page whose title it shares), and by its
            // vendor, which counts like the summary.
            for other in doc.other_uses {
                builder.add_field(i, &other.title, weight::KEYWORD, true);
                builder.add_field(i, &other.source, weight::SUMMARY, true);
            }
        }
        // The body words, a list at a time: the most postings by far.
        builder
            .postings
            .resize_with(builder.lexicon.words.len(), Vec::new);
        builder
            .postings
            .par_iter_mut()
            .zip(body_docs)
            .for_each(|(list, docs)| *list = with_body(list, docs));

        let mut order: Vec<usize> = (0..builder.lexicon.words.len()).collect();
        let all = &builder.lexicon.words;
        order.sort_by(|&a, &b| all[a].encode_utf16().cmp(all[b].encode_utf16()));
        let words: Vec<String> = order
            .iter()
            .map(|&k| std::mem::take(&mut builder.lexicon.words[k]))
            .collect();
        let postings = order
            .iter()
            .map(|&k| std::mem::take(&mut builder.postings[k]))
            .collect();
        let phrases_with = words
            .iter()
            .map(|word| {
                let mut grouped: Vec<(u32, Vec<u32>)> = Vec::new();
                for &(doc, phrase) in builder.phrase_words.get(word).into_iter().flatten() {
                    match grouped.last_mut() {
                        Some((last, list)) if *last == doc => list.push(phrase),
                        _ => grouped.push((doc, vec![phrase])),
                    }
                }
                grouped
            })
            .collect();
        Vocabulary {
            words,
            postings,
            phrases_with,
            phrases: builder.phrases,
        }
    }
}

/// `fields` (postings, ascending) and `body` (documents, ascending, each
/// with the body's weight) as one list: a document in both keeps its best
/// weight.
fn with_body(fields: &[Posting], body: &[u32]) -> Vec<Posting> {
    let body_weight = Weight::of(weight::BODY);
    let mut merged = Vec::with_capacity(fields.len() + body.len());
    let mut fields = fields.iter().peekable();
    for &doc in body {
        while let Some(field) = fields.next_if(|field| field.doc < doc) {
            merged.push(*field);
        }
        let weight = match fields.next_if(|field| field.doc == doc) {
            Some(field) => field.weight.max(body_weight),
            None => body_weight,
        };
        merged.push(Posting { doc, weight });
    }
    merged.extend(fields);
    merged
}

/// The class a class page's title names ("4xx" for "4xx Client errors"):
/// `1xx` to `5xx` in any case at its start, followed by no letter, digit or `_`.
fn class_name(title: &str) -> Option<String> {
    let bytes = title.as_bytes();
    let named = bytes.len() >= 3
        && (b'1'..=b'5').contains(&bytes[0])
        && bytes[1].eq_ignore_ascii_case(&b'x')
        && bytes[2].eq_ignore_ascii_case(&b'x')
        && bytes
            .get(3)
            .is_none_or(|&next| !(next.is_ascii_alphanumeric() || next == b'_'));
    named.then(|| title[..3].to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(kind: Kind, title: &str) -> Document<'static> {
        Document {
            code: None,
            title: title.to_owned(),
            summary: "",
            url: String::new(),
            kind,
            aliases: &[],
            keywords: &[],
            headers: &[],
            source: None,
            other_uses: &[],
        }
    }

    fn weight_of(vocabulary: &Vocabulary, word: &str, doc: u32) -> Option<f64> {
        let k = vocabulary.words.iter().position(|w| w == word)?;
        let posting = vocabulary.postings[k].iter().find(|p| p.doc == doc)?;
        Some(posting.weight.value())
    }

    #[test]
    fn a_word_keeps_its_best_weight_in_each_document() {
        let mut code = doc(Kind::Code, "Too Many Requests");
        code.code = Some(429);
        code.summary = "Too many requests: slow down";
        let docs = [doc(Kind::Class, "4xx Client errors"), code];
        let mut lexicon = Lexicon::default();
        let body = [
            vec![lexicon.number("slow")],
            vec![lexicon.number("requests")],
        ];
        let body = super::super::invert(&body, lexicon.words.len());
        let vocabulary = Vocabulary::build(&docs, &body, lexicon);
        assert_eq!(weight_of(&vocabulary, "4xx", 0), Some(weight::CODE));
        assert_eq!(weight_of(&vocabulary, "4xx", 1), Some(weight::CLASS_MEMBER));
        assert_eq!(weight_of(&vocabulary, "429", 1), Some(weight::CODE));
        assert_eq!(weight_of(&vocabulary, "requests", 1), Some(weight::TITLE));
        assert_eq!(weight_of(&vocabulary, "slow", 1), Some(weight::SUMMARY));
        assert_eq!(weight_of(&vocabulary, "slow", 0), Some(weight::BODY));
        assert_eq!(vocabulary.phrases[1][0].text, "too many requests");
        let many = vocabulary.words.iter().position(|w| w == "many").unwrap();
        assert_eq!(vocabulary.phrases_with[many], [(1, vec![0])]);
        assert_eq!(header_weight(1), weight::HEADER);
        assert_eq!(header_weight(2), 6.0 / 2f64.sqrt());
        assert_eq!(header_weight(5), 3.0);
    }

    #[test]
    fn every_weight_a_posting_can_have_has_a_place_in_order() {
        let all = Weight::all();
        assert!(all.is_sorted_by(|a, b| a < b), "{all:?}");
        for count in 0..20 {
            assert_eq!(
                Weight::of(header_weight(count)).value(),
                header_weight(count)
            );
        }
        let fields = [
            weight::CODE,
            weight::CLASS_MEMBER,
            weight::TITLE,
            weight::ALIAS,
            weight::SOURCE,
            weight::KEYWORD,
            weight::HEADER,
            weight::SUMMARY,
            weight::BODY,
        ];
        for value in fields {
            assert_eq!(Weight::of(value).value(), value);
        }
        assert!(Weight::of(weight::CODE) > Weight::of(weight::TITLE));
    }

    #[test]
    fn a_section_is_found_by_its_own_title_first() {
        let docs = [doc(Kind::Section, "Choosing › Redirects")];
        let vocabulary = Vocabulary::build(&docs, &[], Lexicon::default());
        assert_eq!(weight_of(&vocabulary, "redirects", 0), Some(weight::TITLE));
        assert_eq!(weight_of(&vocabulary, "choosing", 0), Some(weight::SUMMARY));
        assert_eq!(vocabulary.phrases[0][0].text, "redirects");
    }

    #[test]
    fn words_are_in_javascript_order() {
        // U+10428 (a Deseret letter) sorts after U+FA0E (a CJK ideograph) by
        // code point, but before it in UTF-16, where it is a surrogate pair.
        let docs = [doc(Kind::Guide, "\u{fa0e}x \u{10400}x")];
        let vocabulary = Vocabulary::build(&docs, &[], Lexicon::default());
        let first: Vec<char> = vocabulary
            .words
            .iter()
            .map(|w| w.chars().next().unwrap())
            .collect();
        assert_eq!(first, ['\u{10428}', '\u{fa0e}']);
    }

    #[test]
    fn class_names_are_read_like_search_js_did() {
        assert_eq!(class_name("4xx Client errors").as_deref(), Some("4xx"));
        assert_eq!(class_name("5XX").as_deref(), Some("5xx"));
        assert_eq!(class_name("4xxy"), None);
        assert_eq!(class_name("6xx"), None);
        assert_eq!(class_name("4x"), None);
    }
}
