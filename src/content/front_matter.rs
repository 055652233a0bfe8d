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
    pub references: BTreeMap<String, LibraryConstant>,
    pub source: Option<String>,
    #[serde(default)]
    pub cacheable: bool,
    #[serde(default)]
    pub other_uses: Vec<Spanned<OtherUse>>,
    pub reviewed: Option<Spanned<String>>,
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
    "other_uses",
    "reviewed",
];

/// The libraries `references` may name.
pub const REFERENCE_KEYS: &[&str] = &[
    "Rust",
    "Go",
    "Python",
    ".NET",
    "ASP.NET Core",
    "Java",
    "Spring",
    "Symfony",
    "Rails",
];

/// What the versions in a `references` entry count: the release of the
/// `http` crate for `Rust`, of Rack (not Rails) for `Rails`, and of the
/// language or framework itself for the others.
pub fn versioned_product(library: &str) -> &'static str {
    match library {
        "Rust" => "http",
        "Go" => "Go",
        "Python" => "Python",
        ".NET" => ".NET",
        "ASP.NET Core" => "ASP.NET Core",
        "Java" => "Java",
        "Spring" => "Spring",
        "Symfony" => "Symfony",
        "Rails" => "Rack",
        _ => "",
    }
}

/// A library's name for a code (`references` → `Spring:`), and, when the
/// name is not the same in every release, which releases have it.
///
/// Written as the bare name (`Spring: HttpStatus.NOT_FOUND`) or as a map:
///
/// ```yaml
/// Spring:
///   name: HttpStatus.CONTENT_TOO_LARGE
///   since: "7.0"
///   formerly: HttpStatus.PAYLOAD_TOO_LARGE
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryConstant {
    pub name: String,
    pub releases: Releases,
}

/// The releases that have a library's name for a code, as far as a page
/// gives them; all empty for a name that is the same in every release.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Releases {
    /// The first release that has the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// The name releases before `since` use for the same code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formerly: Option<String>,
    /// The release that deprecated the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// The first release without the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<String>,
}

impl Releases {
    /// Whether the page gives no release at all.
    pub fn is_empty(&self) -> bool {
        *self == Releases::default()
    }
}

/// The fields of a `references` entry written as a map.
const LIBRARY_CONSTANT_FIELDS: &[&str] = &["name", "since", "formerly", "deprecated", "removed"];

/// A `references` entry written as a map. Its own flat struct, not
/// `name` plus a flattened [`Releases`]: serde cannot refuse unknown
/// fields through `flatten`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LibraryConstantFields {
    name: String,
    since: Option<String>,
    formerly: Option<String>,
    deprecated: Option<String>,
    removed: Option<String>,
}

impl<'de> Deserialize<'de> for LibraryConstant {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;

        impl<'de> serde::de::Visitor<'de> for EntryVisitor {
            type Value = LibraryConstant;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str(REFERENCE_ENTRY_EXPECTED)
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(LibraryConstant {
                    name: name.to_string(),
                    releases: Releases::default(),
                })
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                map: M,
            ) -> Result<Self::Value, M::Error> {
                let fields = LibraryConstantFields::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(LibraryConstant {
                    name: fields.name,
                    releases: Releases {
                        since: fields.since,
                        formerly: fields.formerly,
                        deprecated: fields.deprecated,
                        removed: fields.removed,
                    },
                })
            }
        }

        deserializer.deserialize_any(EntryVisitor)
    }
}

/// A different meaning a vendor gives the same number (`other_uses`):
/// ArcGIS's 499 "Token Required" beside nginx's 499.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OtherUse {
    /// Who uses the number this way: `ArcGIS`.
    pub source: String,
    /// Their name for it: `Token Required`.
    pub title: String,
    /// What it means there, in a sentence or two.
    pub meaning: String,
    /// The vendor's own documentation that shows it.
    pub url: String,
}

/// The fields of an `other_uses` entry.
const OTHER_USE_FIELDS: &[&str] = &["source", "title", "meaning", "url"];

/// What a `references` entry may be, as serde words it when it is neither
/// (recognised in [`explain`]).
const REFERENCE_ENTRY_EXPECTED: &str = "a constant, or a map with `name` and its releases";

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
        let raw = error.without_snippet().to_string();
        let mistake = explain(&raw, T::FIELDS, &split.front_matter, line, column);
        let mut diagnostic = Diagnostic::at(
            path,
            mistake.line + split.front_matter_line - 1,
            mistake.column,
            mistake.message,
        );
        diagnostic.hint = mistake.hint;
        diagnostic
    })
}

/// The top-level field whose value holds the 1-based `line` of the YAML
/// `lines`: the nearest unindented `field:` at or above it.
fn enclosing_field<'y>(lines: &[&'y str], line: usize) -> Option<&'y str> {
    lines[..line.min(lines.len())]
        .iter()
        .rev()
        .find(|text| !text.starts_with([' ', '-', '#']) && text.contains(':'))
        .and_then(|text| text.split_once(':'))
        .map(|(key, _)| key.trim())
}

/// The 0-based index of the line where a top-level `field:` is written.
pub fn field_index(yaml: &str, field: &str) -> Option<usize> {
    yaml.lines().position(|line| {
        line.strip_prefix(field)
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

/// A YAML mistake as the contributor should read it: where (1-based, in
/// the YAML text), what is wrong, and what to do.
struct Mistake {
    line: usize,
    column: usize,
    message: String,
    hint: Option<String>,
}

/// Turns a YAML/serde message about the YAML text `yaml`, reported at
/// `line`:`column`, into one a contributor can act on; `fields` are the
/// top-level fields allowed.
fn explain(raw: &str, fields: &[&str], yaml: &str, line: usize, column: usize) -> Mistake {
    // serde-saphyr appends the position, which we report in our own format.
    let message = raw.rfind(" at line ").map_or(raw, |at| &raw[..at]);
    let lines: Vec<&str> = yaml.lines().collect();
    let text = lines.get(line.wrapping_sub(1)).copied().unwrap_or_default();
    let mistake = |message: String, hint: Option<String>| Mistake {
        line,
        column,
        message,
        hint,
    };
    // YAML forbids tabs in indentation; the parser notices later, often a
    // line early. Point at the first tab that indents a line.
    if message.contains("found a tab") || message.contains("tabs disallowed") {
        let tabbed = lines.iter().enumerate().find_map(|(index, text)| {
            let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
            text[..indent].find('\t').map(|at| (index + 1, at + 1))
        });
        let (line, column) = tabbed.unwrap_or((line, column));
        return Mistake {
            line,
            column,
            message: "a tab indents this line, and YAML allows only spaces there".into(),
            hint: Some("replace the tab with spaces".into()),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        // serde lists the fields of the struct that refused it: a `spec`
        // entry's, or the page's.
        let allowed: Vec<&str> = match expected.strip_prefix(", expected one of ") {
            Some(list) => list
                .split(',')
                .map(|name| name.trim().trim_matches('`'))
                .collect(),
            None => fields.to_vec(),
        };
        let inside_spec = allowed == ["title", "url"];
        let place = if inside_spec {
            " in a `spec` entry"
        } else if allowed == LIBRARY_CONSTANT_FIELDS {
            " in a `references` entry"
        } else if allowed == OTHER_USE_FIELDS {
            " in an `other_uses` entry"
        } else {
            ""
        };
        let hint = match did_you_mean(field, &allowed) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("the fields{place} are: {}", allowed.join(", ")),
        };
        if !inside_spec && ["title", "url"].contains(&field) && field_index(yaml, "spec").is_some()
        {
            return mistake(
                format!("`{field}` is not a field of the page here"),
                Some("if it belongs to a `spec` entry, indent it to line up with the entry's other field".into()),
            );
        }
        return mistake(format!("unknown field `{field}`{place}"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        if enclosing_field(&lines, line) == Some("other_uses") {
            return mistake(
                format!("this `other_uses` entry has no `{field}`"),
                Some(
                    "each entry has `source`, `title`, `meaning`, `url`, lined up under its `- `"
                        .into(),
                ),
            );
        }
        if field == "name" {
            return mistake(
                "this `references` entry has no `name`".into(),
                Some(
                    "add `name: …` with the constant, lined up with the entry's other fields"
                        .into(),
                ),
            );
        }
        if ["title", "url"].contains(&field) && line > 1 {
            // A `spec` entry lacks it: often written below, not indented.
            let indent = |text: &str| text.len() - text.trim_start_matches([' ', '-']).len();
            let entry_indent = indent(text);
            let written = lines.iter().enumerate().skip(line).find(|(_, below)| {
                below.trim_start().starts_with(&format!("{field}:")) && indent(below) < entry_indent
            });
            return match written {
                Some((index, below)) => Mistake {
                    line: index + 1,
                    column: below.len() - below.trim_start().len() + 1,
                    message: format!("`{field}` is not indented under its `spec` entry"),
                    hint: Some("indent it to line up with the entry's other field (`  - title: …` then `    url: …`)".into()),
                },
                None => mistake(
                    format!("this `spec` entry has no `{field}`"),
                    Some(format!("add `{field}: …` to it, lined up with its other field")),
                ),
            };
        }
        return mistake(
            format!("missing field `{field}`"),
            Some(format!("add `{field}: …` to the front matter")),
        );
    }
    if message.starts_with("unexpected end of input") {
        return mistake(
            "the front matter must be YAML fields (`title: Not Found`), one per line".into(),
            None,
        );
    }
    let key = text
        .split_once(':')
        .map(|(key, _)| key.trim().trim_start_matches("- "))
        .filter(|key| !key.is_empty() && !key.contains(' '));
    let value = text.split_once(':').map_or("", |(_, value)| value.trim());
    if message.starts_with("expected mapping") {
        return match key {
            Some("references") => mistake(
                "`references` must be a map: one library per line, indented below it".into(),
                Some(
                    "write `references:` then lines like `  Rust: http::StatusCode::NOT_FOUND`"
                        .into(),
                ),
            ),
            _ => mistake(
                "the front matter must be YAML fields (`title: Not Found`), one per line".into(),
                None,
            ),
        };
    }
    if message.ends_with(REFERENCE_ENTRY_EXPECTED) {
        let library = key.unwrap_or("each library");
        return mistake(
            format!("`{library}` in `references` must be a constant, or `name:` and its releases below it"),
            Some("write the constant after the colon (`Rust: http::StatusCode::NOT_FOUND`), or see `references` in CONTRIBUTING.md".into()),
        );
    }
    if message.starts_with("invalid i64") || message.starts_with("invalid u16") {
        return mistake("expected a whole number here".into(), None);
    }
    if message.starts_with("invalid boolean") {
        let field = key.unwrap_or("this field");
        return mistake(format!("`{field}` must be `true` or `false`"), None);
    }
    if message.starts_with("cannot deserialize null") {
        return mistake(
            "this field has no value".into(),
            Some("write it after the colon (`title: Not Found`), or remove the line".into()),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let field = rest.split(',').next().unwrap_or_default().trim();
        return mistake(
            format!("`{field}` is written twice"),
            Some("keep one of them".into()),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, allowed) = rest.split_once("`, expected one of ").unwrap_or((rest, ""));
        let value = value.trim_end_matches('`');
        let allowed: Vec<&str> = allowed
            .split(',')
            .map(|name| name.trim().trim_matches('`'))
            .filter(|name| !name.is_empty())
            .collect();
        let hint = match did_you_mean(value, &allowed) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("write one of: {}", allowed.join(", ")),
        };
        return mistake(
            format!(
                "`{value}` is not one of the allowed values: {}",
                allowed.join(", ")
            ),
            Some(hint),
        );
    }
    if message.starts_with("expected sequence") {
        return match key {
            Some("spec") => mistake(
                "`spec` must be a list of documents, each with a `title` and a `url`".into(),
                Some(format!(
                    "write `spec: [{{title: \"RFC 9110, Section 15.5.5\", url: \"{value}\"}}]`"
                )),
            ),
            Some(key) if !value.is_empty() => mistake(
                format!("`{key}` must be a list"),
                Some(format!("write `{key}: [{value}]`")),
            ),
            _ => mistake(
                "expected a list here".into(),
                Some("write it in brackets (`[429, 431]`) or as `- ` lines".into()),
            ),
        };
    }
    if message.starts_with("expected string scalar") {
        return mistake(
            "expected plain text here".into(),
            Some("put text with special characters ([ ] { } : #) in quotes".into()),
        );
    }
    if message.starts_with("mapping values are not allowed") {
        return mistake(
            "a colon and a space inside a value would start another field".into(),
            Some(format!(
                "put the value in quotes: `{}: \"{value}\"`",
                key.unwrap_or("title")
            )),
        );
    }
    mistake(format!("invalid front matter: {message}"), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(yaml: &str) -> SplitSource {
        SplitSource::of_front_matter(yaml)
    }

    #[test]
    fn unknown_field_suggests_the_right_one_at_its_line() {
        let error = parse::<PageFrontMatter>(Path::new("a.md"), &split("title: x\nsumary: y\n"))
            .unwrap_err();
        assert_eq!(error.line, 3);
        assert_eq!(error.message, "unknown field `sumary`");
        assert_eq!(error.hint.as_deref(), Some("did you mean `summary`?"));
    }

    /// Line (in the file: the YAML starts on line 2), column, message and
    /// hint of a code page's front matter `yaml`.
    fn mistake(yaml: &str) -> (usize, usize, String, String) {
        let error = parse::<CodeFrontMatter>(Path::new("a.md"), &split(yaml)).unwrap_err();
        (
            error.line,
            error.column,
            error.message,
            error.hint.unwrap_or_default(),
        )
    }

    #[test]
    fn yaml_mistakes_are_told_in_plain_words_at_their_place() {
        /// Line, column, message and hint.
        type Expected = (usize, usize, &'static str, &'static str);
        let cases: &[(&str, Expected)] = &[
            (
                "summary:\n",
                (
                    2,
                    8,
                    "this field has no value",
                    "write it after the colon (`title: Not Found`), or remove the line",
                ),
            ),
            (
                "code: 1\ncode: 2\n",
                (3, 1, "`code` is written twice", "keep one of them"),
            ),
            (
                "status: depreciated\n",
                (
                    2,
                    9,
                    "`depreciated` is not one of the allowed values: standard, deprecated, obsolete, unused, temporary, unofficial",
                    "did you mean `deprecated`?",
                ),
            ),
            (
                "related: 429, 431\n",
                (
                    2,
                    10,
                    "`related` must be a list",
                    "write `related: [429, 431]`",
                ),
            ),
            (
                "spec: https://www.rfc-editor.org/rfc/rfc9110\n",
                (
                    2,
                    7,
                    "`spec` must be a list of documents, each with a `title` and a `url`",
                    "write `spec: [{title: \"RFC 9110, Section 15.5.5\", url: \"https://www.rfc-editor.org/rfc/rfc9110\"}]`",
                ),
            ),
            (
                "title: x\n\tsummary: y\n",
                (
                    3,
                    1,
                    "a tab indents this line, and YAML allows only spaces there",
                    "replace the tab with spaces",
                ),
            ),
            (
                "spec:\n  - title: RFC 9110\n  url: https://x\n",
                (
                    4,
                    3,
                    "`url` is not indented under its `spec` entry",
                    "indent it to line up with the entry's other field (`  - title: …` then `    url: …`)",
                ),
            ),
            (
                "spec:\n  - title: RFC 9110\n    link: https://x\n",
                (
                    4,
                    5,
                    "unknown field `link` in a `spec` entry",
                    "the fields in a `spec` entry are: title, url",
                ),
            ),
            (
                "references: [Rust]\n",
                (
                    2,
                    13,
                    "`references` must be a map: one library per line, indented below it",
                    "write `references:` then lines like `  Rust: http::StatusCode::NOT_FOUND`",
                ),
            ),
            (
                "references:\n  Spring:\n    name: HttpStatus.CONTENT_TOO_LARGE\n    sinse: 7.0\n",
                (
                    5,
                    5,
                    "unknown field `sinse` in a `references` entry",
                    "did you mean `since`?",
                ),
            ),
            (
                "references:\n  Spring:\n    since: 7.0\n",
                (
                    4,
                    5,
                    "this `references` entry has no `name`",
                    "add `name: …` with the constant, lined up with the entry's other fields",
                ),
            ),
            (
                "references:\n  Go: [http.StatusOK]\n",
                (
                    3,
                    3,
                    "`Go` in `references` must be a constant, or `name:` and its releases below it",
                    "write the constant after the colon (`Rust: http::StatusCode::NOT_FOUND`), or see `references` in CONTRIBUTING.md",
                ),
            ),
            (
                "cacheable: yes please\n",
                (2, 12, "`cacheable` must be `true` or `false`", ""),
            ),
            (
                "source: nginx: the server\n",
                (
                    2,
                    14,
                    "a colon and a space inside a value would start another field",
                    "put the value in quotes: `source: \"nginx: the server\"`",
                ),
            ),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(yaml, (line, column, message, hint))| {
                mistake(yaml) != (*line, *column, message.to_string(), hint.to_string())
            })
            .map(|(yaml, _)| format!("{yaml:?} gives {:?}", mistake(yaml)))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn missing_field_says_what_to_add() {
        let error = parse::<PageFrontMatter>(Path::new("a.md"), &split("title: x\n")).unwrap_err();
        assert_eq!(error.message, "missing field `summary`");
        assert_eq!(
            error.hint.as_deref(),
            Some("add `summary: …` to the front matter")
        );
    }
}
