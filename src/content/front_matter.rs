//! The YAML front matter of content files: its shape, and parsing it with
//! errors that point at the right line of the Markdown file.
//!
//! Parsing (serde) checks shape and types; the meaning of the values (is the
//! code in range, does it match the file name…) is checked in [`crate::content`].

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::content::source::SplitSource;
use crate::diagnostics::{Diagnostic, did_you_mean};

/// Front matter of a status code page (`content/4xx/404.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeFrontMatter {
    pub code: Spanned<i64>,
    pub title: String,
    pub summary: String,
    pub status: Status,
    #[serde(default)]
    pub spec: Vec<SpecLink>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub headers: Vec<String>,
    #[serde(default)]
    pub related: Vec<Spanned<i64>>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub references: BTreeMap<String, String>,
    pub source: Option<String>,
    #[serde(default)]
    pub cacheable: bool,
}

/// The fields a code page may have, for "did you mean" hints.
const CODE_FIELDS: &[&str] = &[
    "code",
    "title",
    "summary",
    "status",
    "spec",
    "aliases",
    "headers",
    "related",
    "keywords",
    "references",
    "source",
    "cacheable",
];

/// Front matter of the home page, a class page or a guide.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    pub title: String,
    pub summary: String,
}

const PAGE_FIELDS: &[&str] = &["title", "summary"];

/// Where a code stands in the IANA registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Standard,
    Deprecated,
    Obsolete,
    Unused,
    Temporary,
    Unofficial,
}

/// A link to the document that defines a code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpecLink {
    pub title: String,
    pub url: String,
}

/// Which kind of front matter to parse; decides the fields a hint may suggest.
pub trait FrontMatter: DeserializeOwned {
    const FIELDS: &'static [&'static str];
}

impl FrontMatter for CodeFrontMatter {
    const FIELDS: &'static [&'static str] = CODE_FIELDS;
}

impl FrontMatter for PageFrontMatter {
    const FIELDS: &'static [&'static str] = PAGE_FIELDS;
}

/// Parses the front matter of `split` as `T`, reporting errors at their line
/// in the original file.
pub fn parse<T: FrontMatter>(path: &Path, split: &SplitSource) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(&split.front_matter).map_err(|error| {
        let (line, column) = error
            .location()
            .map(|location| (location.line() as usize, location.column() as usize))
            .unwrap_or((1, 1));
        let message = explain(&error.without_snippet().to_string(), T::FIELDS);
        Diagnostic::at(path, line + split.front_matter_line - 1, column, message)
    })
}

/// The 0-based index of the line where a top-level `field:` is written.
pub fn field_index(yaml: &str, field: &str) -> Option<usize> {
    yaml.lines().position(|line| {
        line.strip_prefix(field)
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

/// Turns a YAML/serde message into one a contributor can act on.
fn explain(raw: &str, fields: &[&str]) -> String {
    // serde-saphyr appends the position, which we report in our own format.
    let message = raw.rfind(" at line ").map_or(raw, |at| &raw[..at]);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let hint = match did_you_mean(field, fields) {
            Some(suggestion) => format!(" (did you mean `{suggestion}`?)"),
            None => String::new(),
        };
        return format!(
            "unknown field `{field}`{hint}; the fields are: {}",
            fields.join(", ")
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return format!("missing field `{field}`: add `{field}: …` to the front matter");
    }
    if message.starts_with("unexpected end of input") || message.starts_with("expected mapping") {
        return "the front matter must be YAML fields (`title: Not Found`), one per line".into();
    }
    if message.starts_with("invalid i64") || message.starts_with("invalid u16") {
        return "expected a whole number here".into();
    }
    if message.starts_with("cannot deserialize null") {
        return "this field has no value: write it after the colon (`title: Not Found`), or remove the line".into();
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let field = rest.split(',').next().unwrap_or_default().trim();
        return format!("`{field}` is written twice: keep one of them");
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, allowed) = rest.split_once("`, expected one of ").unwrap_or((rest, ""));
        let value = value.trim_end_matches('`');
        let allowed: Vec<&str> = allowed
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        let hint = match did_you_mean(value, &allowed) {
            Some(suggestion) => format!(" (did you mean `{suggestion}`?)"),
            None => String::new(),
        };
        return format!(
            "`{value}` is not one of the allowed values{hint}: {}",
            allowed.join(", ")
        );
    }
    if message.starts_with("expected sequence") {
        return "expected a list here: write it in brackets (`[429, 431]`) or as `- ` lines".into();
    }
    if message.starts_with("expected string scalar") {
        return "expected plain text here; put text with special characters ([ ] { } : #) in quotes".into();
    }
    format!("invalid front matter: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(yaml: &str) -> SplitSource {
        SplitSource {
            front_matter: yaml.into(),
            front_matter_line: 2,
            body: String::new(),
            body_line: 3,
        }
    }

    #[test]
    fn unknown_field_suggests_the_right_one_at_its_line() {
        let error = parse::<PageFrontMatter>(Path::new("a.md"), &split("title: x\nsumary: y\n"))
            .unwrap_err();
        assert_eq!(error.line, 3);
        assert!(
            error
                .message
                .starts_with("unknown field `sumary` (did you mean `summary`?)")
        );
    }

    #[test]
    fn yaml_mistakes_are_told_in_plain_words() {
        let message = |yaml: &str| {
            parse::<CodeFrontMatter>(Path::new("a.md"), &split(yaml))
                .unwrap_err()
                .message
        };
        assert_eq!(
            message("title:\n"),
            "this field has no value: write it after the colon (`title: Not Found`), or remove the line"
        );
        assert_eq!(
            message("title: a\ntitle: b\n"),
            "`title` is written twice: keep one of them"
        );
        assert_eq!(
            message("status: depreciated\n"),
            "`depreciated` is not one of the allowed values (did you mean `deprecated`?): standard, deprecated, obsolete, unused, temporary, unofficial"
        );
        assert_eq!(
            message("related: 429, 431\n"),
            "expected a list here: write it in brackets (`[429, 431]`) or as `- ` lines"
        );
    }

    #[test]
    fn missing_field_says_what_to_add() {
        let error = parse::<PageFrontMatter>(Path::new("a.md"), &split("title: x\n")).unwrap_err();
        assert_eq!(
            error.message,
            "missing field `summary`: add `summary: …` to the front matter"
        );
    }
}
