//! Hostile content: `tests/fixtures/hostile/` (laid over the valid fixture)
//! puts script, handlers, foreign URLs and markup breakers in every
//! front-matter field and all through Markdown bodies. It must build, warn
//! about each removal where it was written (`expected-stderr.txt`), and
//! leave nothing executable in any output format. The browser tests load
//! the same build in Chromium (`tests/browser/hostile.test.mjs`).

use std::path::Path;

use scraper::{Html, Selector};

use crate::support::*;

const EXPECTED: &str = "expected-stderr.txt";

/// Elements that must never come out of content.
const FORBIDDEN: &[&str] = &[
    "iframe", "object", "embed", "form", "base", "style", "svg", "math", "template", "noscript",
    "textarea", "button", "frame", "frameset", "applet",
];

#[test]
fn hostile_content_builds_with_warnings_and_nothing_executable() {
    let site = fixture_site("valid");
    copy_tree(&fixtures().join("hostile"), site.path());
    std::fs::remove_file(site.path().join(EXPECTED)).ok();
    let output = site.path().join("public");
    // From the site's folder, as a contributor would: paths in the report
    // are then the same on every machine.
    let result = httpcodes_in(
        site.path(),
        &[
            "build",
            "--base-url",
            "https://example.github.io/httpcodes/",
        ],
    );
    assert!(
        result.status.success(),
        "the hostile fixture must build:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );

    let stderr = String::from_utf8_lossy(&result.stderr);
    let expected_path = fixtures().join("hostile").join(EXPECTED);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&expected_path, stderr.as_bytes()).unwrap();
    }
    assert_eq!(stderr, read(&expected_path), "the warnings changed");

    let files = read_tree(&output);
    let mut problems = Vec::new();
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            problems.extend(html_problems(path, &text));
        } else if (path.ends_with(".json") || path.ends_with(".webmanifest"))
            && let Err(error) = serde_json::from_str::<serde_json::Value>(&text)
        {
            problems.push(format!("{path}: not JSON: {error}"));
        }
    }
    assert_eq!(problems, Vec::<String>::new());

    // Front matter reaches the API and the search index as the very same
    // text: escaped for JSON, not mangled.
    let api: serde_json::Value = serde_json::from_str(&read(&output.join("api/488.json"))).unwrap();
    assert_eq!(
        api["title"],
        "I'm a teapot</title><script>alert('title')</script>"
    );
    // Each search file is one JSON value registered under its own name.
    let mut found = false;
    for entry in std::fs::read_dir(output.join("search")).unwrap() {
        let script = read(&entry.unwrap().path());
        let json = script
            .split_once("] = ")
            .map(|(_, json)| json.trim().trim_end_matches(';'))
            .unwrap();
        let part: serde_json::Value =
            serde_json::from_str(json).expect("a search file is one JSON value");
        found |= part.to_string().contains("alert('title')");
    }
    assert!(found, "the title is in no search file");
    // The service worker's file list is one JSON array.
    let worker = read(&output.join("sw.js"));
    let list = worker
        .split_once("const FILES = ")
        .and_then(|(_, rest)| rest.split_once(";\n"))
        .map(|(list, _)| list)
        .unwrap();
    let list: Vec<String> = serde_json::from_str(list).expect("the file list is JSON");
    assert!(list.contains(&"488/index.html".to_string()));
}

/// The scripts the default theme ships (`search.js`, …): the only ones a
/// page may load.
fn theme_scripts() -> std::collections::BTreeSet<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".js"))
        .collect()
}

/// What is executable or out of place in one built page.
/// The default theme's own buttons (the colour theme, copying a constant):
/// plain `type="button"` elements its script acts on, which the sanitizer
/// never lets Markdown make (it removes every `<button>` and `data-`
/// attribute).
fn is_theme_control(element: scraper::ElementRef) -> bool {
    let element = element.value();
    element.name() == "button"
        && element.attr("type") == Some("button")
        && (element.attr("data-theme-toggle").is_some() || element.attr("data-copy").is_some())
}

fn html_problems(path: &str, html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let mut problems = Vec::new();
    for element in document
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = element.value().name();
        if FORBIDDEN.contains(&name) && !is_theme_control(element) {
            problems.push(format!("{path}: <{name}>"));
        }
        if name == "script" {
            let src = element.value().attr("src").unwrap_or("");
            let file = src.rsplit('/').next().unwrap_or(src);
            if !theme_scripts().contains(file) || element.text().next().is_some() {
                problems.push(format!(
                    "{path}: a script that is not one of the theme's files {:?}",
                    theme_scripts()
                ));
            }
        }
        if name == "meta"
            && element
                .value()
                .attr("http-equiv")
                .is_some_and(|equiv| !equiv.eq_ignore_ascii_case("Content-Security-Policy"))
        {
            problems.push(format!("{path}: <meta http-equiv>"));
        }
        for (attribute, value) in element.value().attrs() {
            let value_lower = value.trim().to_ascii_lowercase();
            if attribute.starts_with("on") || attribute == "style" {
                problems.push(format!("{path}: <{name} {attribute}>"));
            }
            if matches!(
                attribute,
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && (value_lower.starts_with("javascript:") || value_lower.starts_with("data:"))
            {
                problems.push(format!("{path}: <{name} {attribute}={value}>"));
            }
        }
    }
    let policies: Vec<&str> = document
        .select(&Selector::parse("meta[http-equiv=Content-Security-Policy]").unwrap())
        .filter_map(|meta| meta.value().attr("content"))
        .collect();
    match policies.as_slice() {
        [policy] => {
            for directive in [
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "base-uri 'none'",
                "form-action 'none'",
                "object-src 'none'",
            ] {
                if !policy.split(';').any(|part| part.trim() == directive) {
                    problems.push(format!("{path}: the policy lacks {directive}"));
                }
            }
        }
        _ => problems.push(format!(
            "{path}: {} Content-Security-Policy tags",
            policies.len()
        )),
    }
    problems
}
