//! The IANA HTTP Status Code Registry, as data that travels with the
//! project (`data/iana-http-status-codes.csv`, IANA's own CSV export,
//! compiled into the binary): `check` holds every registered code's page
//! to its reason phrase, status and defining document, and `new` fills a
//! page's front matter from it.

use std::sync::OnceLock;

use super::front_matter::Status;

/// IANA's CSV export of the registry.
const REGISTRY_CSV: &str = include_str!("../../data/iana-http-status-codes.csv");

/// One registered code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub code: u16,
    /// The reason phrase, without IANA's notes: `Upload Resumption
    /// Supported`, `(Unused)`, `Not Extended`.
    pub phrase: String,
    /// What the registry's notes say about the code: `temporary`,
    /// `obsolete`, `unused`, or `None` for a code in use.
    pub status: Option<Status>,
    /// The first document the registry cites.
    pub document: Document,
}

/// A document the registry cites: `RFC9110` with `15.5.5`, or a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// `rfc9110` or `draft-ietf-httpbis-resumable-upload-05`.
    pub name: String,
    /// `15.5.5`, or empty when the registry cites the whole document.
    pub section: String,
}

impl Document {
    /// Where the document is read: the RFC Editor for an RFC, the IETF
    /// datatracker for a draft; with the section's anchor.
    pub fn url(&self) -> String {
        let base = if self.name.starts_with("rfc") {
            format!("https://www.rfc-editor.org/rfc/{}", self.name)
        } else {
            format!("https://datatracker.ietf.org/doc/html/{}", self.name)
        };
        if self.section.is_empty() {
            base
        } else {
            format!("{base}#section-{}", self.section)
        }
    }

    /// How a page names it: `RFC 9110, Section 15.5.5`, `RFC 6585`, or the
    /// draft's name.
    pub fn title(&self) -> String {
        let name = match self.name.strip_prefix("rfc") {
            Some(number) => format!("RFC {number}"),
            None => self.name.clone(),
        };
        if self.section.is_empty() {
            name
        } else {
            format!("{name}, Section {}", self.section)
        }
    }
}

/// Every registered code, in order.
pub fn all() -> &'static [Registered] {
    static REGISTRY: OnceLock<Vec<Registered>> = OnceLock::new();
    REGISTRY.get_or_init(|| parse(REGISTRY_CSV))
}

/// The registry's entry for `code`, if it is registered.
pub fn get(code: u16) -> Option<&'static Registered> {
    all().iter().find(|entry| entry.code == code)
}

/// Reads IANA's CSV: `code,description,reference`, where description and
/// reference may be quoted, ranges (`104-199`) and `Unassigned` rows are
/// skipped.
fn parse(csv: &str) -> Vec<Registered> {
    let mut registered = Vec::new();
    for line in csv.lines().skip(1) {
        let fields = csv_fields(line);
        let [code, description, reference] = fields.as_slice() else {
            continue;
        };
        let Ok(code) = code.parse::<u16>() else {
            continue; // a range of unassigned codes
        };
        if description == "Unassigned" {
            continue;
        }
        let (phrase, status) = if let Some((phrase, _)) = description.split_once(" (TEMPORARY") {
            (phrase, Some(Status::Temporary))
        } else if let Some(phrase) = description.strip_suffix(" (OBSOLETED)") {
            (phrase, Some(Status::Obsolete))
        } else if description == "(Unused)" {
            (description.as_str(), Some(Status::Unused))
        } else {
            (description.as_str(), None)
        };
        // `[RFC9110, Section 15.5.5]`, `[RFC2774][Status change…]`.
        let first = reference
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or_default();
        let (name, section) = match first.split_once(", Section ") {
            Some((name, section)) => (name, section),
            None => (first, ""),
        };
        registered.push(Registered {
            code,
            phrase: phrase.to_string(),
            status,
            document: Document {
                name: name.to_lowercase(),
                section: section.to_string(),
            },
        });
    }
    registered
}

/// The fields of one CSV line; a quoted field may hold commas (`""` is a
/// quote).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_phrases_notes_and_documents() {
        let not_found = get(404).unwrap();
        assert_eq!(not_found.phrase, "Not Found");
        assert_eq!(not_found.status, None);
        assert_eq!(
            not_found.document.url(),
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5"
        );
        assert_eq!(not_found.document.title(), "RFC 9110, Section 15.5.5");

        let upload = get(104).unwrap();
        assert_eq!(upload.phrase, "Upload Resumption Supported");
        assert_eq!(upload.status, Some(Status::Temporary));
        assert!(
            upload
                .document
                .url()
                .starts_with("https://datatracker.ietf.org/doc/html/draft-")
        );

        assert_eq!(get(510).unwrap().status, Some(Status::Obsolete));
        assert_eq!(get(510).unwrap().phrase, "Not Extended");
        assert_eq!(get(306).unwrap().status, Some(Status::Unused));
        assert_eq!(get(429).unwrap().document.title(), "RFC 6585");
        assert_eq!(get(499), None, "ranges and unassigned codes are skipped");
    }

    #[test]
    fn every_row_of_the_file_is_read() {
        let rows = REGISTRY_CSV
            .lines()
            .skip(1)
            .filter(|line| !line.contains("Unassigned"))
            .count();
        assert_eq!(all().len(), rows);
        assert!(all().windows(2).all(|pair| pair[0].code < pair[1].code));
    }

    #[test]
    fn quoted_fields_keep_their_commas_and_quotes() {
        assert_eq!(
            csv_fields(r#"1,"a, ""b""",c"#),
            vec!["1".to_string(), r#"a, "b""#.to_string(), "c".to_string()]
        );
    }
}
