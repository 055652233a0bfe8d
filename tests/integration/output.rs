//! The output folder: replaced whole, never a folder we did not make, never
//! half-written, whatever happens during the build.
//!
//! Faults are injected through the debug binary's `HTTPCODES_FAULT` (see
//! `src/fault.rs`); a full and a read-only disk are also made for real with
//! a tmpfs when the tests may mount one (as root on Linux).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::support::*;

/// Folders beside `output` that a build made and left behind.
fn side_folders(output: &Path) -> Vec<String> {
    let name = output.file_name().unwrap().to_string_lossy().into_owned();
    let prefix = format!(".{name}.");
    std::fs::read_dir(output.parent().unwrap())
        .unwrap()
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|file| file.starts_with(&prefix))
        .collect()
}

/// Runs a build with `HTTPCODES_FAULT=fault` and returns it.
fn build_with_fault(site: &Path, output: &Path, fault: &str) -> std::process::Output {
    build_command(site, output)
        .env("HTTPCODES_FAULT", fault)
        .output()
        .expect("the binary runs")
}

/// Changes the site so the next build differs from the last one.
fn edit_site(site: &Path) {
    let home = site.join("content/_index.md");
    let text = read(&home);
    std::fs::write(home, format!("{text}\nOne more line.\n")).unwrap();
}

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
fn refuses_an_output_that_is_holds_or_lies_in_an_input() {
    let site = fixture_site("valid");
    let root = site.path();
    let before = read_tree(root);
    let cases: [(&str, &str); 6] = [
        (".", "the output folder is the site's own folder"),
        ("content/out", "the output folder is inside content/"),
        (
            "themes/default/static/out",
            "the output folder is inside themes/",
        ),
        ("templates/out", "the output folder is inside templates/"),
        ("..", "the output folder holds the site's own folder"),
        (
            "content/../content/4xx/",
            "the output folder is inside content/",
        ),
    ];
    for (output, expected) in cases {
        // Relative to the working folder, as a contributor types it.
        let result = Command::new(env!("CARGO_BIN_EXE_httpcodes"))
            .args(["build", "--format", "github", "--output", output])
            .current_dir(root)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&result.stdout);
        assert_eq!(
            result.status.code(),
            Some(2),
            "--output {output} was accepted"
        );
        assert!(
            stdout.starts_with(&format!("::error::{output}: {expected}")),
            "--output {output}: {stdout}"
        );
    }
    assert_eq!(read_tree(root), before, "a refused build changed the site");
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
    assert_eq!(side_folders(&output), Vec::<String>::new());
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
    assert!(String::from_utf8_lossy(&result.stdout).starts_with("Checked 10 pages"));
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

#[test]
fn a_full_disk_or_a_panic_keeps_the_old_site_and_leaves_nothing() {
    for fault in ["disk-full:3", "panic-in-render"] {
        let site = fixture_site("valid");
        let output = site.path().join("public");
        build(site.path(), &output, &[]);
        let before = read_tree(&output);
        edit_site(site.path());

        let result = build_with_fault(site.path(), &output, fault);

        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(!result.status.success(), "{fault}: the build succeeded");
        assert_eq!(read_tree(&output), before, "{fault}: the old site changed");
        if fault.starts_with("disk-full") {
            assert!(stderr.contains("cannot write the new site"), "{stderr}");
            assert!(stderr.contains("the previous output was left as it was"));
            assert_eq!(side_folders(&output), Vec::<String>::new());
        }
        build(site.path(), &output, &[]);
        assert_eq!(side_folders(&output), Vec::<String>::new(), "{fault}");
    }
}

#[test]
fn a_build_that_dies_before_or_after_the_swap_leaves_a_whole_site() {
    for (fault, lands) in [("abort-before-swap", false), ("abort-after-swap", true)] {
        let site = fixture_site("valid");
        let (output, new) = (site.path().join("public"), site.path().join("new"));
        build(site.path(), &output, &[]);
        let old_tree = read_tree(&output);
        edit_site(site.path());
        build(site.path(), &new, &[]);
        let new_tree = read_tree(&new);

        let result = build_with_fault(site.path(), &output, fault);

        assert!(!result.status.success(), "{fault}: the process did not die");
        let expected = if lands { &new_tree } else { &old_tree };
        assert_eq!(&read_tree(&output), expected, "{fault}: not a whole site");
        assert!(
            !side_folders(&output).is_empty(),
            "{fault}: it died with nothing left to clean up"
        );
        build(site.path(), &output, &[]);
        assert_eq!(side_folders(&output), Vec::<String>::new(), "{fault}");
    }
}

/// A site with `count` guide pages, large enough that a build takes a while.
fn large_site(count: usize) -> tempfile::TempDir {
    let site = fixture_site("valid");
    let guides = site.path().join("content/guides");
    let body = "Some text about [404](/404/) and `Retry-After`.\n\n".repeat(40);
    for n in 0..count {
        std::fs::write(
            guides.join(format!("guide-{n:05}.md")),
            format!("---\ntitle: Guide {n}\nsummary: Guide number {n}.\n---\n\n## Part\n\n{body}"),
        )
        .unwrap();
    }
    site
}

#[test]
fn a_build_killed_at_random_moments_loses_nothing() {
    let site = large_site(800);
    let (old, new, output) = (
        site.path().join("old"),
        site.path().join("new"),
        site.path().join("public"),
    );
    build(site.path(), &old, &[]);
    let started = Instant::now();
    build(site.path(), &output, &[]);
    let duration = started.elapsed();
    let old_tree = read_tree(&old);
    edit_site(site.path());
    build(site.path(), &new, &[]);
    let new_tree = read_tree(&new);

    // Kill moments spread over a whole build, in a seeded random order.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let mut state = seed | 1;
    let mut kills = Vec::new();
    for _ in 0..8 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let fraction = (state % 1000) as f64 / 1000.0;
        let delay = duration.mul_f64(fraction * 1.1);
        let mut child = spawn_build(site.path(), &output, std::process::Stdio::null());
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        kills.push(format!("{delay:?} ({status})"));
        let tree = read_tree(&output);
        assert!(
            tree == old_tree || tree == new_tree,
            "after a kill at {delay:?} (seed {seed}), the output is neither the old nor the new site: {}",
            tree_difference(&tree, &old_tree, &new_tree)
        );
    }
    build(site.path(), &output, &[]);
    assert_eq!(read_tree(&output), new_tree);
    assert_eq!(
        side_folders(&output),
        Vec::<String>::new(),
        "kills at {kills:?} (seed {seed})"
    );
}

/// Which files of `tree` differ from the old and the new site.
fn tree_difference(
    tree: &std::collections::BTreeMap<String, Vec<u8>>,
    old: &std::collections::BTreeMap<String, Vec<u8>>,
    new: &std::collections::BTreeMap<String, Vec<u8>>,
) -> String {
    let differing = |other: &std::collections::BTreeMap<String, Vec<u8>>| {
        let mut files: Vec<&String> = tree
            .keys()
            .chain(other.keys())
            .filter(|file| tree.get(*file) != other.get(*file))
            .collect();
        files.dedup();
        files.truncate(5);
        format!("{files:?}")
    };
    format!(
        "{} files; differs from the old in {} and from the new in {}",
        tree.len(),
        differing(old),
        differing(new)
    )
}

/// A tmpfs mounted for a test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `size` at a new folder, or `None` where this
    /// process may not mount (not root, or not Linux).
    fn mount(parent: &Path, size: &str) -> Option<Tmpfs> {
        let point = parent.join("disk");
        std::fs::create_dir(&point).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&point)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        mounted.then_some(Tmpfs(point))
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_really_full_or_read_only_disk_keeps_the_old_site() {
    let site = fixture_site("valid");
    let Some(disk) = Tmpfs::mount(site.path(), "600k") else {
        eprintln!(
            "skipped: cannot mount a tmpfs here (needs root on Linux); the injected faults above still ran"
        );
        return;
    };
    let output = disk.0.join("public");
    build(site.path(), &output, &[]);
    let before = read_tree(&output);
    let built: usize = before.values().map(Vec::len).sum();
    assert!(built < 300_000, "the fixture site must fit the disk twice");

    // A theme file too large for the space left: staging fills the disk.
    let big = site.path().join("themes/default/static/big.bin");
    std::fs::write(&big, vec![b'x'; 500_000]).unwrap();
    let result = try_build(site.path(), &output, &[]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success(), "the build fit on a full disk");
    assert!(stderr.contains("cannot write the new site"), "{stderr}");
    assert_eq!(read_tree(&output), before);
    assert_eq!(side_folders(&output), Vec::<String>::new());
    std::fs::remove_file(&big).unwrap();

    disk.remount("ro");
    edit_site(site.path());
    let result = try_build(site.path(), &output, &[]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        !result.status.success(),
        "the build wrote to a read-only disk"
    );
    assert!(stderr.contains("Read-only file system"), "{stderr}");
    assert_eq!(read_tree(&output), before);
    disk.remount("rw");
    build(site.path(), &output, &[]);
    assert_eq!(side_folders(&output), Vec::<String>::new());
}

#[test]
fn an_old_site_that_cannot_be_deleted_is_reported() {
    let site = fixture_site("valid");
    let output = site.path().join("public");
    build(site.path(), &output, &[]);
    // An immutable file (root only, on file systems with attributes) makes
    // the old site impossible to delete.
    let stuck = output.join("stuck.txt");
    std::fs::write(&stuck, "x").unwrap();
    let immutable = Command::new("chattr")
        .arg("+i")
        .arg(&stuck)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !immutable {
        eprintln!("skipped: chattr +i is not available here (needs root and ext4 or similar)");
        return;
    }
    // The file is at one of these two places by then.
    let unstick = || {
        for place in [
            stuck.clone(),
            site.path().join(".public.httpcodes-staging/stuck.txt"),
        ] {
            let _ = Command::new("chattr")
                .arg("-i")
                .arg(place)
                .stderr(std::process::Stdio::null())
                .status();
        }
    };

    // The new site goes in; the old one cannot be deleted: a warning.
    let result = try_build(site.path(), &output, &[]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    let success = result.status.success();
    let in_place = !output.join("stuck.txt").exists();
    // The next build cannot clear the leftover: an error, output untouched.
    let before = read_tree(&output);
    let second = try_build(site.path(), &output, &[]);
    let second_stderr = String::from_utf8_lossy(&second.stderr);
    let after = read_tree(&output);
    unstick();

    assert!(success, "{stderr}");
    assert!(in_place, "the new site is not in place");
    assert!(
        stderr.contains("warning: ") && stderr.contains("the old one could not be deleted"),
        "{stderr}"
    );
    assert!(!second.status.success());
    assert!(
        second_stderr.contains("cannot remove this folder, left by an earlier build"),
        "{second_stderr}"
    );
    assert_eq!(after, before);
    build(site.path(), &output, &[]);
    assert_eq!(side_folders(&output), Vec::<String>::new());
}

#[test]
fn a_bad_base_url_names_where_it_came_from() {
    let site = fixture_site("valid");
    let result = httpcodes(&[
        "check",
        "--root",
        path_str(site.path()),
        "--base-url",
        "https:////evil.example/x/",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&result.stderr),
        "error: --base-url: `https:////evil.example/x/` must be the scheme, `://` and the host, such as https://user.github.io/httpcodes/\n\nCheck failed: 1 problem.\n"
    );
    std::fs::write(
        site.path().join("site.yaml"),
        "title: T\ndescription: D\nbase_url: \"https://example.org/\\nDisallow: /\"\n",
    )
    .unwrap();
    let result = httpcodes_in(site.path(), &["check", "--format", "github"]);
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        stdout.starts_with("::error file=site.yaml,line=3,col=1::base_url `https://example.org/\\nDisallow: /` contains a control character"),
        "{stdout}"
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_build_keeps_the_old_site_and_leaves_nothing() {
    let site = large_site(800);
    let output = site.path().join("public");
    build(site.path(), &output, &[]);
    let before = read_tree(&output);
    edit_site(site.path());
    let staging = site.path().join(".public.httpcodes-staging");

    for signal in ["-INT", "-TERM"] {
        let child = spawn_build(site.path(), &output, std::process::Stdio::piped());
        // Interrupt it while it writes the new site.
        let started = Instant::now();
        while !staging.exists() && started.elapsed().as_secs() < 60 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(staging.exists(), "{signal}: the build never staged");
        let sent = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let result = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);

        assert_eq!(result.status.code(), Some(130), "{signal}: {stderr}");
        assert!(stderr.contains("Build interrupted"), "{signal}: {stderr}");
        assert_eq!(read_tree(&output), before, "{signal}: the old site changed");
        assert_eq!(side_folders(&output), Vec::<String>::new(), "{signal}");
    }
}

/// `httpcodes build` of `root` into `output`, started and left running.
fn spawn_build(root: &Path, output: &Path, stderr: std::process::Stdio) -> std::process::Child {
    build_command(root, output)
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}
