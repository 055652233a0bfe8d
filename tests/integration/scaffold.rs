//! `httpcodes new`: the pages it starts are rejected by `check` for their
//! prompts and nothing else, build once the prompts are replaced, and it
//! refuses what it must not do (overwrite, a second page for a code, a
//! number that is not a status code, a guide name that cannot be a URL).

use std::path::Path;
use std::process::Output;

use httpcodes::content::registry;

use crate::support::*;

/// The words every prompt error starts with.
const PROMPT_ERROR: &str = "a prompt from `httpcodes new` is still here: replace it with ";

/// `httpcodes new --root <site> <words…>`.
fn new(site: &Path, words: &[&str]) -> Output {
    let mut args = vec!["new", "--root", path_str(site)];
    args.extend_from_slice(words);
    httpcodes(&args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Whether the fixture has a page for `code` (named `<code>.md`).
fn has_page(site: &Path, code: u16) -> bool {
    read_tree(&site.join("content"))
        .keys()
        .any(|path| path.ends_with(&format!("/{code}.md")))
}

/// Whether the fixture has the class page of `code`'s class.
fn has_class_page(site: &Path, code: u16) -> bool {
    site.join(format!("content/{}xx/_index.md", code / 100))
        .exists()
}

/// The lines of `text` that hold a prompt, and how many.
fn prompt_count(text: &str) -> usize {
    text.lines().filter(|line| line.contains("TODO:")).count()
}

/// `text` with every prompt replaced by words of the test, as a
/// contributor would replace them: a heading stays a heading, a
/// front-matter value stays a value.
fn fill_prompts(text: &str) -> String {
    let mut filled = String::new();
    for line in text.lines() {
        match line.find("TODO:") {
            Some(at) => {
                let before = line[..at].trim_end_matches(['"', '\'']);
                filled.push_str(before);
                filled.push_str("Written by the test to replace a prompt.");
            }
            None => filled.push_str(line),
        }
        filled.push('\n');
    }
    filled
}

/// Runs `new` on a fixture copy, then checks that `check` reports exactly
/// the prompts of the files it made (and at least one), and that the site
/// builds once they are filled. Returns the files made, relative to the root.
fn new_page_is_held_back_only_by_its_prompts(words: &[&str]) -> Vec<String> {
    let site = fixture_site("valid");
    let before = read_tree(site.path());
    let made = new(site.path(), words);
    assert_eq!(made.status.code(), Some(0), "{words:?}: {}", stderr(&made));
    assert!(stdout(&made).starts_with("Created "), "{}", stdout(&made));
    assert!(
        stdout(&made).contains("httpcodes check"),
        "{}",
        stdout(&made)
    );

    let after = read_tree(site.path());
    let created: Vec<String> = after
        .keys()
        .filter(|path| !before.contains_key(*path))
        .cloned()
        .collect();
    assert!(!created.is_empty(), "{words:?} made no file");
    for path in &created {
        assert!(
            stdout(&made).contains(path.as_str()),
            "{path} not named in {}",
            stdout(&made)
        );
    }
    let prompts: usize = created
        .iter()
        .map(|path| prompt_count(&read(&site.path().join(path))))
        .sum();

    let checked = httpcodes(&[
        "check",
        "--root",
        path_str(site.path()),
        "--format",
        "github",
    ]);
    assert_eq!(
        checked.status.code(),
        Some(1),
        "{words:?} passed with prompts"
    );
    let errors: Vec<String> = String::from_utf8_lossy(&checked.stdout)
        .lines()
        .filter(|line| line.starts_with("::error "))
        .map(String::from)
        .collect();
    assert!(
        !errors.is_empty(),
        "no error for {words:?}: {}",
        String::from_utf8_lossy(&checked.stdout)
    );
    for error in &errors {
        assert!(
            error.contains(PROMPT_ERROR)
                && created.iter().any(|path| error.contains(path.as_str())),
            "{words:?}: not a prompt of the new files: {error}"
        );
    }
    assert_eq!(
        errors.len(),
        prompts,
        "{words:?}: every prompt is reported once"
    );

    for path in &created {
        let file = site.path().join(path);
        std::fs::write(&file, fill_prompts(&read(&file))).unwrap();
    }
    let output = tempfile::TempDir::new().unwrap();
    build(site.path(), &output.path().join("public"), &[]);
    created
}

#[test]
fn a_registered_code_gets_a_page_that_only_its_prompts_hold_back() {
    let site = fixture_site("valid");
    // A registered code without a page, in a class that has one, and one in
    // a class that has none yet (its class page is made too).
    let missing = |with_class: bool| {
        registry::all()
            .iter()
            .map(|entry| entry.code)
            .find(|code| {
                !has_page(site.path(), *code) && has_class_page(site.path(), *code) == with_class
            })
            .expect("the registry has codes the fixture lacks")
    };
    for (code, with_class) in [(missing(true), true), (missing(false), false)] {
        let created = new_page_is_held_back_only_by_its_prompts(&[&code.to_string()]);
        let class = format!("content/{}xx/_index.md", code / 100);
        assert_eq!(created.contains(&class), !with_class, "{created:?}");
        assert!(created.contains(&format!("content/{}xx/{code}.md", code / 100)));
    }
}

#[test]
fn a_new_registered_page_carries_the_registry_entry() {
    let site = fixture_site("valid");
    let entry = registry::all()
        .iter()
        .find(|entry| !has_page(site.path(), entry.code) && has_class_page(site.path(), entry.code))
        .unwrap();
    assert_eq!(
        new(site.path(), &[&entry.code.to_string()]).status.code(),
        Some(0)
    );
    let text = read(
        &site
            .path()
            .join(format!("content/{}xx/{}.md", entry.code / 100, entry.code)),
    );
    assert!(
        text.contains(&format!("\ncode: {}\n", entry.code)),
        "{text}"
    );
    assert!(text.contains(&entry.phrase), "{text}");
    assert!(text.contains(&entry.document.title()), "{text}");
    assert!(text.contains(&entry.document.url()), "{text}");
    assert!(
        text.contains(&format!("HTTP/1.1 {} {}", entry.code, entry.phrase)),
        "{text}"
    );
}

#[test]
fn an_unregistered_code_gets_an_unofficial_page_that_only_its_prompts_hold_back() {
    let site = fixture_site("valid");
    let code = (100..=599)
        .find(|code| {
            registry::get(*code).is_none()
                && !has_page(site.path(), *code)
                && has_class_page(site.path(), *code)
        })
        .unwrap();
    new_page_is_held_back_only_by_its_prompts(&[&code.to_string()]);
    assert_eq!(
        new(site.path(), &[&code.to_string()]).status.code(),
        Some(0)
    );
    let text = read(
        &site
            .path()
            .join(format!("content/{}xx/{code}.md", code / 100)),
    );
    assert!(text.contains("\nstatus: unofficial\n"), "{text}");
    assert!(text.contains("\nsource: \"TODO: "), "{text}");
}

#[test]
fn a_guide_gets_a_page_that_only_its_prompts_hold_back() {
    let created = new_page_is_held_back_only_by_its_prompts(&["guide", "retry-after-2"]);
    assert_eq!(created, vec!["content/guides/retry-after-2.md".to_string()]);
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let site = fixture_site("valid");
    let existing = read_tree(&site.path().join("content"))
        .into_keys()
        .find_map(|path| {
            path.strip_prefix("4xx/")?
                .strip_suffix(".md")?
                .parse::<u16>()
                .ok()
        })
        .expect("the fixture has a 4xx page");
    let before = read_tree(site.path());
    let refused = new(site.path(), &[&existing.to_string()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains(&format!("content/4xx/{existing}.md already exists")),
        "{}",
        stderr(&refused)
    );
    assert_eq!(read_tree(site.path()), before);

    assert_eq!(new(site.path(), &["guide", "again"]).status.code(), Some(0));
    std::fs::write(site.path().join("content/guides/again.md"), "mine").unwrap();
    let refused = new(site.path(), &["guide", "again"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("content/guides/again.md already exists"));
    assert_eq!(read(&site.path().join("content/guides/again.md")), "mine");
}

#[test]
fn a_code_with_a_page_elsewhere_gets_no_second_one() {
    let site = fixture_site("valid");
    let code = registry::all()
        .iter()
        .map(|entry| entry.code)
        .find(|code| !has_page(site.path(), *code) && has_class_page(site.path(), *code))
        .unwrap();
    let elsewhere = format!("content/{}xx/archive/{code}.md", code / 100);
    std::fs::create_dir_all(site.path().join(&elsewhere).parent().unwrap()).unwrap();
    std::fs::write(site.path().join(&elsewhere), "kept").unwrap();
    let before = read_tree(site.path());
    let refused = new(site.path(), &[&code.to_string()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains(&elsewhere),
        "{}",
        stderr(&refused)
    );
    assert_eq!(read_tree(site.path()), before);
}

#[test]
fn what_is_not_a_status_code_or_a_guide_name_is_refused_with_the_rule() {
    let site = fixture_site("valid");
    let before = read_tree(site.path());
    for words in [
        &["99"][..],
        &["600"],
        &["1000"],
        &["4o4"],
        &["teapot"],
        &["425", "426"],
        &["page", "x"],
    ] {
        let refused = new(site.path(), words);
        assert_eq!(refused.status.code(), Some(2), "{words:?}");
        assert!(
            stderr(&refused).contains("`new` takes a status code, 100–599, or `guide <name>`"),
            "{words:?}: {}",
            stderr(&refused)
        );
    }
    for name in [
        "Retries",
        "retries.md",
        "under_score",
        "../escape",
        "a/b",
        "café",
    ] {
        let refused = new(site.path(), &["guide", name]);
        assert_eq!(refused.status.code(), Some(2), "{name}");
        assert!(
            stderr(&refused).contains("use lower-case letters, digits and `-` only"),
            "{name}: {}",
            stderr(&refused)
        );
    }
    assert_eq!(new(site.path(), &[]).status.code(), Some(2), "no words");
    assert_eq!(
        read_tree(site.path()),
        before,
        "a refused `new` wrote something"
    );
}

#[test]
fn a_root_without_content_is_refused() {
    let empty = tempfile::TempDir::new().unwrap();
    let refused = new(empty.path(), &["425"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("has no content/ folder"),
        "{}",
        stderr(&refused)
    );
    assert!(read_tree(empty.path()).is_empty());
}
