//! Huge and odd inputs stay bounded: each builds, or fails with a located
//! error, and the tests assert which. How long they take and how much
//! memory they use is measured in the benchmark, not asserted here.

use std::path::Path;

use crate::support::*;

const FRONT: &str = "---\ntitle: Odd guide\nsummary: A guide made to stress the build.\n---\n";

fn write_guide(root: &Path, name: &str, text: &str) {
    std::fs::write(root.join("content/guides").join(name), text).unwrap();
}

fn built_guide(output: &Path, name: &str) -> String {
    read(&output.join("guides").join(name).join("index.html"))
}

#[test]
fn huge_files_deep_nesting_and_nul_bytes_build() {
    let site = fixture_site("valid");
    let root = site.path();
    let paragraph =
        "Some *text* with a [link](https://example.org/), `code` and <kbd>Ctrl</kbd>.\n\n";
    let big = format!(
        "{FRONT}{}",
        paragraph.repeat(10_000_000 / paragraph.len() + 1)
    );
    assert!(big.len() > 10_000_000);
    write_guide(root, "big.md", &big);
    let headings: String = (0..100_000)
        .map(|n| format!("## Part\n\nText {n}.\n\n"))
        .collect();
    write_guide(root, "headings.md", &format!("{FRONT}{headings}"));
    write_guide(
        root,
        "deep-list.md",
        &format!("{FRONT}{}x\n", "- ".repeat(5_000)),
    );
    write_guide(
        root,
        "deep-quote.md",
        &format!("{FRONT}{}x\n", "> ".repeat(5_000)),
    );
    let summary = "y".repeat(1_000_000);
    write_guide(
        root,
        "big-front.md",
        &format!("---\ntitle: Big front matter\nsummary: {summary}\n---\nBody.\n"),
    );
    write_guide(root, "nul.md", &format!("{FRONT}a\0b\n\n## N\0L\n"));
    let output = root.join("public");

    build(root, &output, &[]);

    assert!(built_guide(&output, "big").len() > 10_000_000);
    // 100,000 headings with one text: 100,000 distinct ids.
    let page = built_guide(&output, "headings");
    let ids = |page: &str| -> usize {
        let ids: std::collections::BTreeSet<String> = page
            .split("<h2 id=\"")
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].to_string())
            .collect();
        ids.len()
    };
    // The theme's own `h2`s (a table of contents' title) come on top.
    let hello_source = std::fs::read_to_string(root.join("content/guides/hello.md")).unwrap();
    let hello_headings = hello_source
        .lines()
        .filter(|line| line.starts_with("## "))
        .count();
    let theme_headings = ids(&built_guide(&output, "hello")) - hello_headings;
    assert_eq!(ids(&page), 100_000 + theme_headings);
    // The theme's own lists (the table of contents) come on top.
    let theme_lists = built_guide(&output, "hello").matches("<ul>").count();
    assert_eq!(
        built_guide(&output, "deep-list").matches("<ul>").count(),
        5_000 + theme_lists
    );
    assert_eq!(
        built_guide(&output, "deep-quote")
            .matches("<blockquote>")
            .count(),
        5_000
    );
    assert!(built_guide(&output, "big-front").contains(&summary));
    // NUL is U+FFFD in every output format, as CommonMark says.
    assert!(built_guide(&output, "nul").contains("a\u{fffd}b"));
    for (file, bytes) in read_tree(&output) {
        assert!(!bytes.contains(&0), "{file} holds a NUL byte");
    }
}

#[test]
fn ten_thousand_tiny_files_build() {
    let site = fixture_site("valid");
    let root = site.path();
    for n in 0..10_000 {
        write_guide(
            root,
            &format!("g{n}.md"),
            &format!("---\ntitle: G{n}\nsummary: Tiny.\n---\nHi.\n"),
        );
    }
    let output = root.join("public");
    let result = build(root, &output, &[]);
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(stdout.starts_with("Built 10010 pages"), "{stdout}");
}

#[test]
fn a_yaml_alias_bomb_fails_with_a_located_error() {
    let site = fixture_site("valid");
    let root = site.path();
    // Nine levels of nine aliases each: 387,420,489 strings if expanded.
    let mut bomb = String::from("&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        bomb = format!("&a{level} [{bomb}, {}]", vec![previous; 8].join(", "));
    }
    for field in ["keywords", "bomb"] {
        write_guide(
            root,
            "bomb.md",
            &format!("---\ntitle: Bomb\nsummary: Laughs.\n{field}: {bomb}\n---\n"),
        );
        let result = httpcodes_in(root, &["build", "--format", "github"]);
        let stdout = String::from_utf8_lossy(&result.stdout);
        assert_eq!(result.status.code(), Some(1), "{field}: the bomb built");
        assert!(
            stdout.starts_with("::error file=content/guides/bomb.md,line=4,"),
            "{field}: {stdout}"
        );
    }
}
