//! The real content, built: every registered code has a page that matches
//! the IANA registry, every other code page is marked unofficial with its
//! source, and the API lists every page of `content/`. What each page must
//! hold (the registry's reason phrase, the sections in order, an `http`
//! example…) is checked by the build itself, which must succeed without a
//! warning here, except that a page has no `reviewed` date yet. The
//! header table is held to IANA's field name registry. The constants named under "In code" are checked in
//! `constants.rs`.

use std::collections::{BTreeMap, BTreeSet};

use std::sync::OnceLock;

use serde_json::Value;

use httpcodes::content::registry;

use crate::support::*;

/// Codes that are heuristically cacheable: the RFC 9110, Section 15.1
/// list, plus 451 (RFC 7725, Section 3).
const CACHEABLE: &[u16] = &[
    200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 451, 501,
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
        let result = build(
            &repo_root(),
            &output.path().join("public"),
            &["--format", "json"],
        );
        // A page not yet reviewed against its sources is a warning meant
        // to stay visible, not a failure: a new page may lack the date.
        let warnings: Vec<Value> = String::from_utf8_lossy(&result.stderr)
            .lines()
            // The problems, one JSON object a line; then the summary.
            .filter(|line| line.starts_with('{'))
            .map(|line| serde_json::from_str(line).unwrap())
            .filter(|problem: &Value| {
                !problem["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("the page has no `reviewed` date")
            })
            .collect();
        assert!(
            warnings.is_empty(),
            "the real site builds with warnings:\n{warnings:#?}"
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

/// Bytes of `bytes` compressed with `gzip -9`.
fn gzipped_size(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut gzip = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip is installed");
    let mut stdin = gzip.stdin.take().unwrap();
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = gzip.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    output.stdout.len()
}

#[test]
fn search_index_grows_no_faster_than_the_content() {
    // Everything a reader of the real site may download to search (the
    // files under search/: one shard of each kind on a site this small),
    // against the Markdown it indexes, both gzipped. A fixed size would
    // fail as pages are added; the index must stay well under the text it
    // stands for. It was 39.6% with the code pages and one guide, 37.9%
    // with the eight guides (when the 48 KB budget this replaces was first
    // exceeded).
    let folder = real_site().output.path().join("public/search");
    let mut index = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        index += gzipped_size(&std::fs::read(entry.unwrap().path()).unwrap());
    }
    let mut markdown = Vec::new();
    for entry in walkdir::WalkDir::new(repo_root().join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry
            .path()
            .extension()
            .is_some_and(|extension| extension == "md")
        {
            markdown.extend(std::fs::read(entry.path()).unwrap());
        }
    }
    let markdown = gzipped_size(&markdown);
    assert!(index > 10_000, "suspiciously small index: {index} bytes");
    assert!(
        index * 100 <= markdown * 45,
        "the search files are {index} bytes gzipped, {:.1}% of the {markdown} bytes of Markdown they index; the budget is 45%",
        index as f64 * 100.0 / markdown as f64
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

/// Every code of the IANA registry (`data/`, compiled into the binary,
/// which `check` holds each page to) has a page, with the registry's
/// reason phrase and a link to its defining document.
#[test]
fn every_registered_code_has_a_page_with_the_registry_title_and_spec() {
    let codes = built_codes();
    let registered = registry::all();
    assert!(registered.len() >= 60, "the registry was not read");
    for entry in registered {
        let page = codes
            .get(&u64::from(entry.code))
            .unwrap_or_else(|| panic!("no page for registered code {}", entry.code));
        assert_eq!(page["title"], entry.phrase.as_str(), "{}", entry.code);
        assert_ne!(page["status"], "unofficial", "{} is registered", entry.code);
        let wanted = entry.document.url();
        assert!(
            page["spec"]
                .as_array()
                .unwrap()
                .iter()
                .any(|spec| spec["url"].as_str().unwrap().starts_with(&wanted)),
            "{}: spec does not link {wanted}",
            entry.code
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

/// Every code the registry lacks is marked unofficial and says who uses
/// it; the list comes from `content/`, so adding a page needs no test edit.
#[test]
fn unofficial_codes_are_marked_with_their_source() {
    let mut unofficial = 0;
    for (code, page) in built_codes() {
        let registered = u16::try_from(*code).ok().and_then(registry::get);
        if registered.is_some() {
            continue;
        }
        unofficial += 1;
        assert_eq!(
            page["status"], "unofficial",
            "{code} is not in the registry, so it must be marked unofficial"
        );
        assert!(
            page["source"]
                .as_str()
                .is_some_and(|source| !source.trim().is_empty()),
            "{code} needs a source"
        );
    }
    assert!(unofficial > 0, "the site explains unofficial codes too");
    // A vendor's different meaning of a registered number (Exchange's 451)
    // is listed on the registered page, each with its source.
    let other_uses: Vec<&Value> = built_codes()
        .iter()
        .filter(|(code, _)| u16::try_from(**code).ok().and_then(registry::get).is_some())
        .flat_map(|(_, page)| page["other_uses"].as_array().unwrap())
        .collect();
    assert!(
        !other_uses.is_empty(),
        "no registered code lists another use of its number"
    );
    for other in other_uses {
        for field in ["source", "title", "meaning"] {
            assert!(
                other[field].as_str().is_some_and(|text| !text.is_empty()),
                "{other}"
            );
        }
        assert!(
            other["url"].as_str().unwrap().starts_with("https://"),
            "{other}"
        );
    }
}

/// `api/codes.json` lists exactly the code pages in `content/`.
#[test]
fn codes_json_lists_every_code_page() {
    let on_disk: Vec<u64> = code_sources().keys().map(|&code| u64::from(code)).collect();
    let in_api: Vec<u64> = built_codes().keys().copied().collect();
    assert_eq!(in_api, on_disk);
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
fn created_explains_location() {
    let created = &code_sources()[&201];
    assert!(
        created.contains("Location"),
        "201 explains that Location names the new resource"
    );
}

#[test]
fn every_guide_links_every_code_it_names() {
    let codes = built_codes();
    let mut named_anywhere = BTreeSet::new();
    let mut guides = 0;
    for entry in std::fs::read_dir(repo_root().join("content/guides")).unwrap() {
        let path = entry.unwrap().path();
        let guide = read(&path);
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
        for code in &named {
            assert!(
                guide.contains(&format!("](/{code}/)")) || guide.contains(&format!("](/{code}/#")),
                "{} names {code} but never links to it",
                path.display()
            );
        }
        named_anywhere.extend(named);
        guides += 1;
    }
    assert!(guides >= 1, "no guide under content/guides");
    assert!(
        named_anywhere.len() >= 25,
        "the guides name only {named_anywhere:?}"
    );
}
