//! The real content: every registered code has a page that matches the IANA
//! registry, and every page has the sections a reader expects. The constants
//! named under "In code" are checked in `constants.rs`.

use std::collections::{BTreeMap, BTreeSet};

use std::sync::OnceLock;

use serde_json::Value;

use crate::support::*;

/// The IANA HTTP Status Code Registry (last updated 2025-09-15), written
/// from the registry: code, reason phrase, defining document, section.
/// `registry_table_matches_the_registry_file` checks it against the CSV.
const REGISTRY: &[(u16, &str, &str, &str)] = &[
    (100, "Continue", "rfc9110", "15.2.1"),
    (101, "Switching Protocols", "rfc9110", "15.2.2"),
    (102, "Processing", "rfc2518", ""),
    (103, "Early Hints", "rfc8297", ""),
    (
        104,
        "Upload Resumption Supported",
        "draft-ietf-httpbis-resumable-upload-05",
        "",
    ),
    (200, "OK", "rfc9110", "15.3.1"),
    (201, "Created", "rfc9110", "15.3.2"),
    (202, "Accepted", "rfc9110", "15.3.3"),
    (203, "Non-Authoritative Information", "rfc9110", "15.3.4"),
    (204, "No Content", "rfc9110", "15.3.5"),
    (205, "Reset Content", "rfc9110", "15.3.6"),
    (206, "Partial Content", "rfc9110", "15.3.7"),
    (207, "Multi-Status", "rfc4918", ""),
    (208, "Already Reported", "rfc5842", ""),
    (226, "IM Used", "rfc3229", ""),
    (300, "Multiple Choices", "rfc9110", "15.4.1"),
    (301, "Moved Permanently", "rfc9110", "15.4.2"),
    (302, "Found", "rfc9110", "15.4.3"),
    (303, "See Other", "rfc9110", "15.4.4"),
    (304, "Not Modified", "rfc9110", "15.4.5"),
    (305, "Use Proxy", "rfc9110", "15.4.6"),
    (306, "(Unused)", "rfc9110", "15.4.7"),
    (307, "Temporary Redirect", "rfc9110", "15.4.8"),
    (308, "Permanent Redirect", "rfc9110", "15.4.9"),
    (400, "Bad Request", "rfc9110", "15.5.1"),
    (401, "Unauthorized", "rfc9110", "15.5.2"),
    (402, "Payment Required", "rfc9110", "15.5.3"),
    (403, "Forbidden", "rfc9110", "15.5.4"),
    (404, "Not Found", "rfc9110", "15.5.5"),
    (405, "Method Not Allowed", "rfc9110", "15.5.6"),
    (406, "Not Acceptable", "rfc9110", "15.5.7"),
    (407, "Proxy Authentication Required", "rfc9110", "15.5.8"),
    (408, "Request Timeout", "rfc9110", "15.5.9"),
    (409, "Conflict", "rfc9110", "15.5.10"),
    (410, "Gone", "rfc9110", "15.5.11"),
    (411, "Length Required", "rfc9110", "15.5.12"),
    (412, "Precondition Failed", "rfc9110", "15.5.13"),
    (413, "Content Too Large", "rfc9110", "15.5.14"),
    (414, "URI Too Long", "rfc9110", "15.5.15"),
    (415, "Unsupported Media Type", "rfc9110", "15.5.16"),
    (416, "Range Not Satisfiable", "rfc9110", "15.5.17"),
    (417, "Expectation Failed", "rfc9110", "15.5.18"),
    (418, "(Unused)", "rfc9110", "15.5.19"),
    (421, "Misdirected Request", "rfc9110", "15.5.20"),
    (422, "Unprocessable Content", "rfc9110", "15.5.21"),
    (423, "Locked", "rfc4918", ""),
    (424, "Failed Dependency", "rfc4918", ""),
    (425, "Too Early", "rfc8470", ""),
    (426, "Upgrade Required", "rfc9110", "15.5.22"),
    (428, "Precondition Required", "rfc6585", ""),
    (429, "Too Many Requests", "rfc6585", ""),
    (431, "Request Header Fields Too Large", "rfc6585", ""),
    (451, "Unavailable For Legal Reasons", "rfc7725", ""),
    (500, "Internal Server Error", "rfc9110", "15.6.1"),
    (501, "Not Implemented", "rfc9110", "15.6.2"),
    (502, "Bad Gateway", "rfc9110", "15.6.3"),
    (503, "Service Unavailable", "rfc9110", "15.6.4"),
    (504, "Gateway Timeout", "rfc9110", "15.6.5"),
    (505, "HTTP Version Not Supported", "rfc9110", "15.6.6"),
    (506, "Variant Also Negotiates", "rfc2295", ""),
    (507, "Insufficient Storage", "rfc4918", ""),
    (508, "Loop Detected", "rfc5842", ""),
    (510, "Not Extended", "rfc2774", ""),
    (511, "Network Authentication Required", "rfc6585", ""),
];

/// Unofficial codes the site must explain, with who uses them.
const UNOFFICIAL: &[u16] = &[
    419, 420, 440, 444, 449, 460, 463, 494, 495, 496, 497, 499, 509, 520, 521, 522, 523, 524, 525,
    526, 530, 561, 598, 599,
];

/// Codes that are heuristically cacheable: the RFC 9110, Section 15.1
/// list, plus 451 (RFC 7725, Section 3).
const CACHEABLE: &[u16] = &[
    200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 451, 501,
];

/// Codes the seed article covers; each needs a page.
const SEED_ARTICLE: &[u16] = &[
    100, 102, 200, 201, 202, 204, 301, 302, 400, 401, 403, 404, 405, 413, 415, 429, 500, 502, 503,
    504,
];

/// The real site, built once into a temporary folder.
struct RealSite {
    output: tempfile::TempDir,
    /// `api/codes.json`, by code.
    codes: BTreeMap<u64, Value>,
}

fn real_site() -> &'static RealSite {
    static SITE: OnceLock<RealSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let output = tempfile::TempDir::new().unwrap();
        let result = build(&repo_root(), &output.path().join("public"), &[]);
        assert!(
            result.stderr.is_empty(),
            "the real site builds with warnings:\n{}",
            String::from_utf8_lossy(&result.stderr)
        );
        let json: Value =
            serde_json::from_str(&read(&output.path().join("public/api/codes.json"))).unwrap();
        let codes = json
            .as_array()
            .unwrap()
            .iter()
            .map(|code| (code["code"].as_u64().unwrap(), code.clone()))
            .collect();
        RealSite { output, codes }
    })
}

/// `api/codes.json` of the real site, by code.
pub fn built_codes() -> &'static BTreeMap<u64, Value> {
    &real_site().codes
}

#[test]
fn search_index_fits_its_budget() {
    let index = real_site().output.path().join("public/search-index.js");
    let gzip = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(&index)
        .output()
        .expect("gzip is installed");
    let size = gzip.stdout.len();
    assert!(size > 10_000, "suspiciously small index: {size} bytes");
    assert!(
        size <= 40 * 1024,
        "search-index.js is {size} bytes gzipped; the budget is 40 KB"
    );
}

/// Every code page's Markdown source: code → text.
fn code_sources() -> BTreeMap<u16, String> {
    let mut sources = BTreeMap::new();
    for entry in walkdir::WalkDir::new(repo_root().join("content")) {
        let entry = entry.unwrap();
        let path = entry.path();
        let Some(code) = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .and_then(|stem| stem.parse().ok())
        else {
            continue;
        };
        sources.insert(code, read(path));
    }
    sources
}

#[test]
fn registry_table_matches_the_registry_file() {
    let csv = read(&repo_root().join("data/iana-http-status-codes.csv"));
    let mut from_file = Vec::new();
    for line in csv.lines().skip(1) {
        let (code, rest) = line.split_once(',').unwrap();
        if code.contains('-') || rest.starts_with("Unassigned") {
            continue;
        }
        let code: u16 = code.parse().unwrap();
        let (phrase, reference) = match rest.strip_prefix('"') {
            Some(quoted) => quoted.split_once("\",").unwrap(),
            None => rest.split_once(',').unwrap(),
        };
        let phrase = phrase
            .split(" (TEMPORARY")
            .next()
            .unwrap()
            .trim_end_matches(" (OBSOLETED)");
        from_file.push((
            code,
            phrase.to_string(),
            reference.trim_matches('"').to_string(),
        ));
    }
    assert_eq!(
        from_file.len(),
        REGISTRY.len(),
        "the registry has 64 assigned codes"
    );
    for ((code, phrase, reference), (t_code, t_phrase, t_doc, t_section)) in
        from_file.iter().zip(REGISTRY)
    {
        assert_eq!((code, phrase.as_str()), (t_code, *t_phrase));
        let document = t_doc.replace("rfc", "RFC");
        assert!(
            reference.contains(&document),
            "{code}: {reference} vs {t_doc}"
        );
        if !t_section.is_empty() {
            assert!(
                reference.contains(&format!("Section {t_section}]")),
                "{code}: {reference}"
            );
        }
    }
}

#[test]
fn every_registered_code_has_a_page_with_the_registry_title_and_spec() {
    let codes = built_codes();
    for (code, phrase, document, section) in REGISTRY {
        let page = codes
            .get(&u64::from(*code))
            .unwrap_or_else(|| panic!("no page for {code}"));
        assert_eq!(
            page["title"], *phrase,
            "{code}: title must be the registry's reason phrase"
        );
        assert_ne!(page["status"], "unofficial", "{code} is registered");
        let urls: Vec<&str> = page["spec"]
            .as_array()
            .unwrap()
            .iter()
            .map(|spec| spec["url"].as_str().unwrap())
            .collect();
        let wanted = if document.starts_with("rfc") {
            format!("https://www.rfc-editor.org/rfc/{document}")
        } else {
            format!("https://datatracker.ietf.org/doc/html/{document}")
        };
        let wanted = if section.is_empty() {
            wanted
        } else {
            format!("{wanted}#section-{section}")
        };
        assert!(
            urls.iter().any(|url| url.starts_with(&wanted)),
            "{code}: spec {urls:?} does not link {wanted}"
        );
    }
}

#[test]
fn special_registry_statuses_are_right() {
    let codes = built_codes();
    for (code, status) in [
        (102, "deprecated"),
        (104, "temporary"),
        (305, "deprecated"),
        (306, "unused"),
        (418, "unused"),
        (510, "obsolete"),
        (200, "standard"),
    ] {
        assert_eq!(codes[&code]["status"], status, "{code}");
    }
    let aliases = |code: u64| codes[&code]["aliases"].to_string();
    assert!(aliases(413).contains("Payload Too Large"));
    assert!(aliases(422).contains("Unprocessable Entity"));
    assert!(aliases(418).contains("I'm a teapot"));
    assert!(
        code_sources()[&104].contains("2026-11-13"),
        "104 states its registered expiry"
    );
}

#[test]
fn unofficial_codes_are_there_with_their_source() {
    let codes = built_codes();
    for code in UNOFFICIAL {
        let page = codes
            .get(&u64::from(*code))
            .unwrap_or_else(|| panic!("no page for unofficial {code}"));
        assert_eq!(page["status"], "unofficial", "{code}");
        assert!(
            page["source"]
                .as_str()
                .is_some_and(|source| !source.is_empty()),
            "{code} needs a source"
        );
    }
    let registered: BTreeSet<u64> = REGISTRY.iter().map(|row| u64::from(row.0)).collect();
    for (code, page) in codes {
        if !registered.contains(code) {
            assert_eq!(
                page["status"], "unofficial",
                "{code} is not in the registry, so it must be marked unofficial"
            );
        }
    }
    assert!(
        code_sources()[&451].contains("## Other uses"),
        "IIS/Exchange's 451 is explained on the registered page"
    );
}

#[test]
fn codes_json_lists_every_code_page() {
    let on_disk: Vec<u64> = code_sources().keys().map(|&code| u64::from(code)).collect();
    let in_api: Vec<u64> = built_codes().keys().copied().collect();
    assert_eq!(in_api, on_disk);
    assert_eq!(on_disk.len(), REGISTRY.len() + UNOFFICIAL.len());
}

#[test]
fn cacheable_by_default_is_exactly_what_the_specs_say() {
    let marked: Vec<u64> = built_codes()
        .iter()
        .filter(|(_, page)| page["cacheable"] == true)
        .map(|(code, _)| *code)
        .collect();
    let expected: Vec<u64> = CACHEABLE.iter().map(|&code| u64::from(code)).collect();
    assert_eq!(marked, expected);
}

#[test]
fn every_code_page_has_the_sections_in_order() {
    let required = [
        "## When to send it",
        "## What clients should do",
        "## Example",
    ];
    for (code, source) in code_sources() {
        let body = source.splitn(3, "---\n").nth(2).unwrap_or_default();
        let first = body.trim_start().lines().next().unwrap_or_default();
        assert!(
            !first.is_empty() && !first.starts_with('#'),
            "{code}: the page must open with a paragraph saying what the code means"
        );
        let mut from = 0;
        for heading in required {
            let at = body[from..]
                .find(&format!("\n{heading}\n"))
                .unwrap_or_else(|| panic!("{code}: missing `{heading}` (in this order)"));
            from += at + heading.len();
        }
        let example = &body[body.find("\n## Example\n").unwrap()..];
        assert!(
            example.contains("```http\n"),
            "{code}: the example needs an ```http block"
        );
        for header in ["headers", "related"] {
            assert!(
                !body.contains(&format!("\n## Related {header}\n")),
                "{code}: {header} come from the front matter"
            );
        }
    }
}

#[test]
fn seed_article_codes_are_covered() {
    let codes = built_codes();
    for code in SEED_ARTICLE {
        assert!(
            codes.contains_key(&u64::from(*code)),
            "the seed article covers {code}"
        );
    }
    let created = &code_sources()[&201];
    assert!(
        created.contains("Location"),
        "201 explains that Location names the new resource"
    );
}

#[test]
fn guide_links_every_code_it_names() {
    let guide = read(&repo_root().join("content/guides/choosing-a-status-code.md"));
    let codes = built_codes();
    let mut prose = String::new();
    let mut in_code = false;
    for line in guide.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    let named: BTreeSet<u64> = prose
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| word.len() == 3)
        .filter_map(|word| word.parse().ok())
        .filter(|code| codes.contains_key(code))
        .collect();
    assert!(named.len() >= 25, "the guide names only {named:?}");
    for code in named {
        assert!(
            guide.contains(&format!("](/{code}/)")),
            "the guide names {code} but never links to it"
        );
    }
}
