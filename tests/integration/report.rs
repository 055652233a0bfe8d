//! How problems are reported, beyond the bad-input snapshots: colour only
//! when asked or on a terminal (and never with `NO_COLOR`), paths as the
//! contributor would type them, exit statuses 0/1/2, a missing site named
//! with the folder searched, and file names that cannot forge output.

use std::path::Path;
use std::process::Command;

use crate::support::*;

/// A valid site whose 404 page has an unknown field on line 3.
fn site_with_a_typo() -> tempfile::TempDir {
    let site = fixture_site("valid");
    let page = site.path().join("content/4xx/404.md");
    let text = read(&page).replacen("title:", "titel:", 1);
    std::fs::write(&page, text).unwrap();
    site
}

#[test]
fn human_reports_show_the_line_and_a_caret_in_colour_only_when_asked() {
    let site = site_with_a_typo();
    let plain = httpcodes_in(site.path(), &["check"]);
    assert_eq!(plain.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(
        stderr.starts_with(
            "error: unknown field `titel`\n --> content/4xx/404.md:3:1\n  |\n3 | titel: Not Found\n  | ^^^^^ did you mean `title`?\n"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "colour when piped: {stderr}");

    let coloured = httpcodes_in(site.path(), &["check", "--color", "always"]);
    let stderr = String::from_utf8_lossy(&coloured.stderr);
    assert!(stderr.contains("\u{1b}[1;31merror\u{1b}[0m"), "{stderr}");

    // NO_COLOR turns off automatic colour; `--color never` always does.
    let no_colour = Command::new(env!("CARGO_BIN_EXE_httpcodes"))
        .args(["check", "--color", "never"])
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&no_colour.stderr).contains('\u{1b}'));
}

#[test]
fn paths_are_shown_through_the_root_as_typed() {
    let site = site_with_a_typo();
    let parent = site.path().parent().unwrap();
    let name = site.path().file_name().unwrap().to_str().unwrap();
    let result = httpcodes_in(parent, &["check", "--root", name, "--format", "github"]);
    assert_eq!(
        String::from_utf8_lossy(&result.stdout).lines().next(),
        Some(
            format!(
                "::error file={name}/content/4xx/404.md,line=3,col=1::unknown field `titel`: did you mean `title`?"
            )
            .as_str()
        )
    );
}

#[test]
fn json_reports_one_object_per_problem() {
    let site = site_with_a_typo();
    let result = httpcodes_in(site.path(), &["check", "--format", "json"]);
    assert_eq!(result.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&result.stdout);
    let problems: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0],
        serde_json::json!({
            "file": "content/4xx/404.md",
            "place": "source",
            "line": 3,
            "column": 1,
            "severity": "error",
            "message": "unknown field `titel`",
            "hint": "did you mean `title`?",
        })
    );
}

#[test]
fn exit_status_is_0_when_clean_1_for_content_2_for_usage() {
    let site = fixture_site("valid");
    assert_eq!(httpcodes_in(site.path(), &["check"]).status.code(), Some(0));
    assert_eq!(
        httpcodes_in(site_with_a_typo().path(), &["check"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        httpcodes_in(site.path(), &["check", "--format", "yaml"])
            .status
            .code(),
        Some(2),
        "an unknown option value is a usage error"
    );
}

#[test]
fn a_missing_site_names_the_folder_searched_and_suggests_root() {
    let empty = tempfile::TempDir::new().unwrap();
    let result = httpcodes_in(empty.path(), &["build"]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    let searched = empty.path().canonicalize().unwrap();
    assert!(
        stderr.contains(&format!("no site.yaml in `{}`", searched.display()))
            || stderr.contains(&format!("no site.yaml in `{}`", empty.path().display())),
        "{stderr}"
    );
    assert!(stderr.contains("--root DIR"), "{stderr}");
    assert!(
        !stderr.contains("left as it was"),
        "no output folder was involved: {stderr}"
    );
    assert!(!empty.path().join("public").exists());

    let result = httpcodes(&["check", "--root", "/does/not/exist"]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.starts_with("error: --root: there is no folder `/does/not/exist`"),
        "{stderr}"
    );
}

#[test]
fn a_file_name_cannot_forge_a_line_of_output() {
    let site = fixture_site("valid");
    let forged = "x\nerror: forged.md:1:1: a forged problem\u{1b}[2J.md";
    std::fs::write(
        site.path().join("content/guides").join(forged),
        "no front matter\n",
    )
    .unwrap();
    for format in ["human", "github"] {
        let result = httpcodes_in(site.path(), &["check", "--format", format]);
        assert_eq!(result.status.code(), Some(1));
        let output = format!(
            "{}{}",
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        );
        assert!(!output.contains('\u{1b}'), "{format}: {output}");
        assert!(
            !output
                .lines()
                .any(|line| line.starts_with("error: content/4xx/404.md")),
            "{format}: a forged line: {output}"
        );
        assert!(output.contains(r"x\nerror"), "{format}: {output}");
    }
}

#[test]
fn a_write_failure_exits_with_2() {
    let site = fixture_site("valid");
    let file = site.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let result = httpcodes_in(site.path(), &["build", "--output", "not-a-folder"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(Path::new(&file).is_file());
}
