//! The output folder: replaced whole, never a folder we did not make.

use crate::support::*;

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let site = fixture_site("valid");
    let output = site.path().join("precious");
    std::fs::create_dir(&output).unwrap();
    std::fs::write(output.join("thesis.txt"), "years of work").unwrap();

    let result = try_build(site.path(), &output, &[]);

    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("refusing to replace this folder"),
        "{stderr}"
    );
    assert_eq!(read(&output.join("thesis.txt")), "years of work");
}

#[test]
fn replaces_its_own_output_and_removes_stale_files() {
    let site = fixture_site("valid");
    let output = site.path().join("public");
    build(site.path(), &output, &[]);
    std::fs::write(output.join("stale.html"), "old").unwrap();

    build(site.path(), &output, &[]);

    assert!(!output.join("stale.html").exists());
    assert!(output.join("404/index.html").is_file());
}

#[test]
fn check_writes_nothing() {
    let site = fixture_site("valid");
    let result = httpcodes(&["check", "--root", path_str(site.path())]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(String::from_utf8_lossy(&result.stdout).starts_with("Checked 9 pages"));
    assert!(!site.path().join("public").exists());
}

#[test]
fn two_builds_are_byte_for_byte_identical() {
    let site = fixture_site("valid");
    let (first, second) = (site.path().join("one"), site.path().join("two"));
    build(site.path(), &first, &[]);
    build(site.path(), &second, &[]);
    assert_eq!(read_tree(&first), read_tree(&second));
}
