//! Bad input: every case under `tests/fixtures/bad/<case>/` is the valid
//! fixture with the case's files laid over it. Building it must fail with
//! exactly the messages in the case's `expected-stderr.txt` and leave the
//! previous build untouched.
//!
//! To add a case, copy a folder, change the files, and run the tests with
//! `UPDATE_EXPECTED=1` once to write `expected-stderr.txt`; then read it.

use std::path::Path;

use crate::support::*;

const EXPECTED: &str = "expected-stderr.txt";

#[test]
fn every_bad_input_case_fails_with_its_messages_and_keeps_the_old_output() {
    let cases = fixtures().join("bad");
    let mut names: Vec<String> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 15,
        "expected the bad-input cases, found {names:?}"
    );

    let failures: Vec<String> = names
        .iter()
        .filter_map(|name| check_case(&cases.join(name)).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn check_case(case: &Path) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy();
    let site = fixture_site("valid");
    let output = site.path().join("public");
    build(site.path(), &output, &[]);
    let before = read_tree(&output);

    copy_tree(case, site.path());
    std::fs::remove_file(site.path().join(EXPECTED)).ok();
    let result = try_build(site.path(), &output, &[]);
    let stderr = String::from_utf8_lossy(&result.stderr).replace(path_str(site.path()), "[SITE]");

    if result.status.success() {
        return Err(format!(
            "{name}: the build succeeded but should have failed"
        ));
    }
    if read_tree(&output) != before {
        return Err(format!("{name}: the previous output was changed"));
    }
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(".public."))
        .collect();
    if !leftovers.is_empty() {
        return Err(format!("{name}: temporary folders were left behind"));
    }

    let expected_path = case.join(EXPECTED);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&expected_path, stderr.as_bytes()).unwrap();
        return Ok(());
    }
    let expected = std::fs::read_to_string(&expected_path)
        .map_err(|_| format!("{name}: no {EXPECTED}; run with UPDATE_EXPECTED=1 and review it"))?;
    if stderr != expected {
        return Err(format!(
            "{name}: stderr differs.\n--- expected\n{expected}--- actual\n{stderr}"
        ));
    }
    Ok(())
}

/// Problems that need a file taken away, which a case folder (laid over the
/// valid fixture) cannot express.
#[test]
fn missing_home_and_class_pages_are_reported_once_each() {
    let site = fixture_site("valid");
    std::fs::remove_file(site.path().join("content/_index.md")).unwrap();
    std::fs::remove_file(site.path().join("content/4xx/_index.md")).unwrap();
    let result = httpcodes(&["check", "--root", path_str(site.path())]);
    assert!(!result.status.success());
    // Not also every page's broken link to them.
    assert_eq!(
        String::from_utf8_lossy(&result.stderr),
        "error: content/4xx/_index.md: the 4xx class page is missing: create it with `title` and `summary` front matter\n\
         error: content/_index.md: the home page is missing: create it with `title` and `summary` front matter\n\
         Check failed: 2 problems.\n"
    );
}
