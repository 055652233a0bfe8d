//! Where each header field is defined: `data/headers.yaml`, data that
//! travels with the project (compiled into the binary), maps a field name
//! to the document and section that define it. A code page's `headers`
//! link there, so a reader can read the rule itself; a name the table
//! lacks is an error that says where to add it. The tests hold the table
//! to IANA's HTTP Field Name Registry (`data/iana-http-field-names.csv`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::content::front_matter;
use crate::content::source::SplitSource;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

/// The table, as written.
pub const HEADERS_YAML: &str = include_str!("../../data/headers.yaml");

/// Where the table lives, for messages.
pub const HEADERS_FILE: &str = "data/headers.yaml";

/// The document and section that define a header field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderDefinition {
    /// `RFC 9110, Section 10.2.3`.
    pub spec: String,
    /// `https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3`.
    pub url: String,
}

/// Field name → its definition, read once.
pub fn table() -> &'static BTreeMap<String, HeaderDefinition> {
    static TABLE: OnceLock<BTreeMap<String, HeaderDefinition>> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_saphyr::from_str(HEADERS_YAML)
            .unwrap_or_else(|error| panic!("{HEADERS_FILE} is not a valid table: {error}"))
    })
}

/// The definition of `name`; field names are compared without case, as
/// HTTP compares them.
pub fn definition(name: &str) -> Option<&'static HeaderDefinition> {
    table()
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name.trim()))
        .map(|(_, definition)| definition)
}

/// Every name in a page's `headers` must be in the table, which says
/// where the field is defined (the page links it there).
pub fn check(path: &Path, split: &SplitSource, headers: &[String], errors: &mut Diagnostics) {
    for name in headers {
        if definition(name).is_some() {
            continue;
        }
        let (line, column) = position_in_headers(split, name);
        let known: Vec<&str> = table().keys().map(String::as_str).collect();
        let hint = match did_you_mean(name, &known) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!(
                "add `{name}` to {HEADERS_FILE} with the document and section that define it (its `spec` and `url`)"
            ),
        };
        errors.push(
            Diagnostic::at(
                path,
                line,
                column,
                format!("the header `{name}` is not in the header table"),
            )
            .with_hint(hint),
        );
    }
}

/// Where `name` is first written at or below the `headers:` line, in the
/// file's lines and columns (1-based).
fn position_in_headers(split: &SplitSource, name: &str) -> (usize, usize) {
    let start = front_matter::field_index(&split.front_matter, "headers").unwrap_or(0);
    split
        .front_matter
        .lines()
        .enumerate()
        .skip(start)
        .find_map(|(index, line)| {
            line.find(name)
                .map(|at| (index + split.front_matter_line, at + 1))
        })
        .unwrap_or((start + split.front_matter_line, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_links_https_documents() {
        assert!(!table().is_empty());
        for (name, definition) in table() {
            assert!(
                definition.url.starts_with("https://"),
                "{name}: {}",
                definition.url
            );
            assert!(!definition.spec.trim().is_empty(), "{name}");
        }
    }

    #[test]
    fn names_are_found_whatever_their_case() {
        assert_eq!(
            definition("retry-after").map(|found| found.spec.as_str()),
            Some("RFC 9110, Section 10.2.3")
        );
        assert_eq!(definition("X-No-Such-Header"), None);
    }
}
