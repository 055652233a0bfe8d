//! Paths: a build reads only files really inside the site's folders.
//! Symbolic links are refused with a located error, wherever they are:
//! inside `content/`, as `content/` itself, in a theme, or as `templates/`.

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::support::*;

/// Builds once, lets `make_link` add a link, and expects the next build to
/// fail naming `link` and to keep the first build.
fn assert_link_refused(make_link: impl Fn(&Path), link: &str) {
    let site = fixture_site("valid");
    let output = site.path().join("public");
    build(site.path(), &output, &[]);
    let before = read_tree(&output);

    make_link(site.path());
    let result = httpcodes_in(site.path(), &["build", "--format", "github"]);

    let stdout = String::from_utf8_lossy(&result.stdout);
    assert_eq!(
        result.status.code(),
        Some(1),
        "{link}: the build followed the link"
    );
    assert!(
        stdout.contains(&format!(
            "::error file={link}::this is a symbolic link, and the build does not follow links"
        )),
        "{link}: {stdout}"
    );
    assert_eq!(read_tree(&output), before, "{link}: the output changed");
}

#[test]
fn a_link_inside_content_is_refused() {
    assert_link_refused(
        |root| symlink("/etc/hostname", root.join("content/guides/secret.md")).unwrap(),
        "content/guides/secret.md",
    );
}

#[test]
fn a_linked_content_folder_is_refused() {
    assert_link_refused(
        |root| {
            std::fs::rename(root.join("content"), root.join("real-content")).unwrap();
            symlink(root.join("real-content"), root.join("content")).unwrap();
        },
        "content",
    );
}

#[test]
fn a_link_in_a_theme_is_refused() {
    assert_link_refused(
        |root| symlink("/etc", root.join("themes/default/static/etc")).unwrap(),
        "themes/default/static/etc",
    );
}

#[test]
fn a_linked_templates_folder_is_refused() {
    assert_link_refused(
        |root| {
            let elsewhere = root.join("elsewhere");
            std::fs::create_dir(&elsewhere).unwrap();
            symlink(&elsewhere, root.join("templates")).unwrap();
        },
        "templates",
    );
}

#[test]
fn hidden_files_and_editor_backups_are_not_published() {
    let site = fixture_site("valid");
    let root = site.path();
    std::fs::write(root.join("themes/default/static/.DS_Store"), "x").unwrap();
    std::fs::write(root.join("content/guides/.hello.md.swp"), "x").unwrap();
    std::fs::write(root.join("content/guides/hello.md~"), "x").unwrap();
    let output = root.join("public");
    build(root, &output, &[]);
    let files = read_tree(&output);
    assert!(!files.keys().any(|file| file.contains("DS_Store")));
}
