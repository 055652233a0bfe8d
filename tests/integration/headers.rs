//! The header table (`data/headers.yaml`), which every code page's
//! `headers` link through, held to IANA's HTTP Field Name Registry
//! (`data/iana-http-field-names.csv`, with its provenance): a registered
//! field must link the document and section the registry gives, at the
//! address that document and section have.

use std::collections::BTreeMap;

use httpcodes::content::header_table::{self, HeaderDefinition};

use crate::support::*;

/// The registry's rows: field name (lower case) → its `Reference` cell.
fn field_registry() -> BTreeMap<String, String> {
    let text = read(&repo_root().join("data/iana-http-field-names.csv"));
    let records = csv_records(&text);
    let mut rows = records.iter();
    let header = rows.next().expect("the registry has a header row");
    assert_eq!(
        header[..4],
        ["Field Name", "Status", "Structured Type", "Reference"],
        "the registry's columns changed"
    );
    rows.map(|row| (row[0].to_ascii_lowercase(), row[3].clone()))
        .collect()
}

/// Reads CSV (RFC 4180: quoted cells may hold commas, quotes written
/// twice and line breaks), skipping the `#` provenance lines at the top.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let body: String = text
        .lines()
        .skip_while(|line| line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    let mut records = Vec::new();
    let (mut record, mut cell) = (Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            _ => cell.push(c),
        }
    }
    records
}

/// The documents a registry reference names, each with the sections it
/// gives (none when it cites the whole document): `[RFC 9110, Section
/// 10.2.3: HTTP Semantics]` → `rfc9110` with `10.2.3`.
fn cited(reference: &str) -> Vec<(String, Option<String>)> {
    reference
        .split('[')
        .skip(1)
        .filter_map(|cite| {
            let inside = cite.split(']').next()?;
            let name = inside.split([',', ':']).next()?.trim();
            let document = if let Some(number) = name.strip_prefix("RFC ") {
                format!("rfc{number}")
            } else if let Some(draft) = name.strip_prefix("RFC-") {
                format!("draft-{draft}")
            } else {
                return None;
            };
            let section = inside
                .split_once(", Section ")
                .map(|(_, rest)| rest.split(':').next().unwrap_or(rest).trim().to_string());
            Some((document, section))
        })
        .collect()
}

/// The document and section a table entry names: `RFC 9110, Section
/// 10.2.3` → `rfc9110` with `10.2.3`; `None` for a vendor's document.
fn named(spec: &str) -> Option<(String, String)> {
    let (document, section) = spec.split_once(", Section ")?;
    let document = match document.strip_prefix("RFC ") {
        Some(number) => format!("rfc{number}"),
        None if document.starts_with("draft-") => document.to_string(),
        None => return None,
    };
    Some((document, section.to_string()))
}

/// Where a document's section is read.
fn address(document: &str, section: &str) -> String {
    let base = if document.starts_with("rfc") {
        format!("https://www.rfc-editor.org/rfc/{document}")
    } else {
        format!("https://datatracker.ietf.org/doc/html/{document}")
    };
    format!("{base}#section-{section}")
}

#[test]
fn the_field_registry_says_where_it_comes_from() {
    let text = read(&repo_root().join("data/iana-http-field-names.csv"));
    let provenance: Vec<&str> = text
        .lines()
        .take_while(|line| line.starts_with('#'))
        .collect();
    assert!(
        provenance
            .iter()
            .any(|line| line.contains("https://www.iana.org/assignments/http-fields/")),
        "data/iana-http-field-names.csv must name IANA's registry as its source"
    );
    assert!(
        provenance.iter().any(|line| line.contains("commit")),
        "data/iana-http-field-names.csv must say which copy it is"
    );
    assert!(field_registry().contains_key("retry-after"));
}

#[test]
fn every_registered_header_links_the_document_and_section_the_registry_gives() {
    let registry = field_registry();
    let mut problems = Vec::new();
    let mut registered = 0;
    for (name, HeaderDefinition { spec, url }) in header_table::table() {
        let Some(reference) = registry.get(&name.to_ascii_lowercase()) else {
            // A vendor's field: its own document, at an https:// address.
            if !url.starts_with("https://") {
                problems.push(format!("{name}: {url} is not an https:// address"));
            }
            if let Some((document, section)) = named(spec)
                && *url != address(&document, &section)
            {
                problems.push(format!(
                    "{name}: {spec} is at {}",
                    address(&document, &section)
                ));
            }
            continue;
        };
        registered += 1;
        let Some((document, section)) = named(spec) else {
            problems.push(format!(
                "{name}: `{spec}` does not name a document and section; the registry cites {reference}"
            ));
            continue;
        };
        let citations = cited(reference);
        let sections: Vec<&Option<String>> = citations
            .iter()
            .filter(|(cited_document, _)| *cited_document == document)
            .map(|(_, section)| section)
            .collect();
        if sections.is_empty() {
            problems.push(format!(
                "{name}: the table names {document}, the registry cites {reference}"
            ));
        } else if !sections.contains(&&None) && !sections.contains(&&Some(section.clone())) {
            problems.push(format!(
                "{name}: the table names section {section}, the registry cites {reference}"
            ));
        }
        if *url != address(&document, &section) {
            problems.push(format!(
                "{name}: {spec} is at {}, not {url}",
                address(&document, &section)
            ));
        }
    }
    assert!(registered > 0, "no table entry is in the registry");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn registry_references_are_read_as_documents_and_sections() {
    assert_eq!(
        cited("[RFC 9110, Section 10.2.3: HTTP Semantics]"),
        [("rfc9110".to_string(), Some("10.2.3".to_string()))]
    );
    assert_eq!(
        cited("[RFC 3229: Delta encoding in HTTP]"),
        [("rfc3229".to_string(), None)]
    );
    assert_eq!(
        cited(
            "[RFC-ietf-httpbis-rfc6265bis-22, Section 5.8.1: Cookies: HTTP State Management Mechanism]"
        ),
        [(
            "draft-ietf-httpbis-rfc6265bis-22".to_string(),
            Some("5.8.1".to_string())
        )]
    );
    assert_eq!(
        csv_records("# note\na,\"b, \"\"c\"\"\nd\",e\n"),
        [vec!["a", "b, \"c\"\nd", "e"]]
    );
}
