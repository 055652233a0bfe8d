//! Bad input: every case under `tests/fixtures/bad/<case>/` is the valid
//! fixture with the case's files laid over it. Run from the site's folder,
//! as a contributor would, building it must fail with exit status 1 and
//! exactly the report in the case's `expected-stderr.txt`, and leave the
//! previous build untouched; `check` must report the same problems, and
//! its `--format json` and `--format github` reports must be exactly
//! `expected.json` and `expected-github.txt`.
//!
//! To add a case, copy a folder, change the files, and run the tests with
//! `UPDATE_EXPECTED=1` once to write the expected files; then read them.

use std::path::Path;

use crate::support::*;

/// The expected reports: file name, and the command whose output it is.
const REPORTS: &[(&str, &[&str])] = &[
    ("expected.json", &["check", "--format", "json"]),
    ("expected-github.txt", &["check", "--format", "github"]),
];
const EXPECTED_HUMAN: &str = "expected-stderr.txt";

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
    for (file, _) in REPORTS {
        std::fs::remove_file(site.path().join(file)).ok();
    }
    std::fs::remove_file(site.path().join(EXPECTED_HUMAN)).ok();
    let built = httpcodes_in(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&built.stderr).into_owned();

    if built.status.code() != Some(1) {
        return Err(format!(
            "{name}: the build exited with {:?}, not 1 (content errors)\n{stderr}",
            built.status.code()
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

    // `check` reports what `build` reports; only the last line differs.
    let checked = httpcodes_in(site.path(), &["check"]);
    fn problems(text: &str) -> Vec<&str> {
        text.lines().rev().skip(1).collect()
    }
    let check_stderr = String::from_utf8_lossy(&checked.stderr).into_owned();
    if checked.status.code() != Some(1) || problems(&check_stderr) != problems(&stderr) {
        return Err(format!(
            "{name}: check ({:?}) did not report what build did:\n{check_stderr}",
            checked.status.code()
        ));
    }

    let mut reports = vec![(EXPECTED_HUMAN, stderr)];
    for (file, args) in REPORTS {
        let run = httpcodes_in(site.path(), args);
        if run.status.code() != Some(1) {
            return Err(format!("{name}: `{}` did not exit with 1", args.join(" ")));
        }
        reports.push((file, String::from_utf8_lossy(&run.stdout).into_owned()));
    }
    for (file, actual) in reports {
        let expected_path = case.join(file);
        if std::env::var_os("UPDATE_EXPECTED").is_some() {
            std::fs::write(&expected_path, actual.as_bytes()).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .map_err(|_| format!("{name}: no {file}; run with UPDATE_EXPECTED=1 and review it"))?;
        if actual != expected {
            return Err(format!(
                "{name}: {file} differs.\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
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
    let result = httpcodes_in(site.path(), &["check", "--format", "github"]);
    assert_eq!(result.status.code(), Some(1));
    // Not also every page's broken link to them.
    assert_eq!(
        String::from_utf8_lossy(&result.stdout),
        "::error file=content/4xx/_index.md::the 4xx class page is missing: create it with `title` and `summary` front matter\n\
         ::error file=content/_index.md::the home page is missing: create it with `title` and `summary` front matter\n"
    );
}
