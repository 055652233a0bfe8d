//! `httpcodes new`: starts a page for a contributor, and the check that the
//! page was finished.
//!
//! `new 425` writes `content/4xx/425.md`, its front matter filled from the
//! IANA registry compiled into the binary ([`registry`]) and its body laid
//! out with the sections every code page has; `new guide retries` writes
//! `content/guides/retries.md`. Wherever the contributor must write, the
//! page holds a **prompt**: a line (or a front-matter value) that starts
//! with [`PROMPT`] and then says what to write. [`prompts_left`] finds them,
//! and content loading reports each one as an error, so a page cannot be
//! published with a prompt still in it.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::content::front_matter::Status;
use crate::content::source::{self, SplitSource};
use crate::content::{class_name, registry};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// How a prompt starts. What follows it says what to write instead.
pub const PROMPT: &str = "TODO:";

/// What `httpcodes new` was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewPage {
    /// A status code page, 100–599.
    Code(u16),
    /// A guide, by its file name without `.md`.
    Guide(String),
}

const USAGE: &str = "`new` takes a status code, 100–599, or `guide <name>`: \
                     `httpcodes new 425`, `httpcodes new guide retries`";

const GUIDE_NAME_RULE: &str = "guide names become URLs: use lower-case letters, digits and `-` only \
                               (`httpcodes new guide retries`)";

impl NewPage {
    /// Reads the words after `new`: `425`, or `guide retries`.
    pub fn parse(words: &[String]) -> Result<NewPage, String> {
        match words {
            [word] if word == "guide" => {
                Err(format!("`new guide` needs a name. {GUIDE_NAME_RULE}"))
            }
            [word] => {
                let code = (word.len() == 3 && word.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| word.parse::<u16>().ok())
                    .flatten()
                    .filter(|code| (100..=599).contains(code));
                match code {
                    Some(code) => Ok(NewPage::Code(code)),
                    None => Err(format!("`{word}` is not a status code. {USAGE}")),
                }
            }
            [kind, name] if kind == "guide" => {
                if is_guide_name(name) {
                    Ok(NewPage::Guide(name.clone()))
                } else {
                    Err(format!(
                        "`{name}` cannot be a guide name: {GUIDE_NAME_RULE}"
                    ))
                }
            }
            _ => Err(USAGE.to_string()),
        }
    }

    /// The file the page is written to, relative to the site root.
    pub fn path(&self) -> PathBuf {
        match self {
            NewPage::Code(code) => PathBuf::from(format!(
                "content/{}/{code}.md",
                class_name(class_digit(*code))
            )),
            NewPage::Guide(name) => PathBuf::from(format!("content/guides/{name}.md")),
        }
    }

    /// The page's text: front matter and body, with prompts to replace.
    pub fn text(&self) -> String {
        match self {
            NewPage::Code(code) => code_page_text(*code),
            NewPage::Guide(_) => guide_text(),
        }
    }
}

/// The rule `content/` holds guide file names to: lower-case letters,
/// digits and `-`.
fn is_guide_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn class_digit(code: u16) -> u8 {
    (code / 100) as u8
}

/// `httpcodes new …`: writes the page (and its class page when the class
/// has none yet), then says what was made and what to run next. Exit
/// status 0 when made, 2 for a request it refuses or a file it cannot
/// write.
pub fn run(root: &Path, words: &[String]) -> ExitCode {
    let made = NewPage::parse(words).and_then(|request| create(root, &request));
    match made {
        Ok(paths) => {
            let shown: Vec<String> = paths
                .iter()
                .map(|path| shown_path(root, path).display().to_string())
                .collect();
            let check = if root == Path::new(".") {
                "httpcodes check".to_string()
            } else {
                format!("httpcodes check --root {}", root.display())
            };
            let it = if shown.len() == 1 { "it" } else { "them" };
            println!(
                "Created {}. Edit {it}, then preview with `./build.sh serve` or check with `{check}`.",
                shown.join(" and ")
            );
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprintln!("error: {problem}");
            ExitCode::from(2)
        }
    }
}

/// `path` as the contributor knows it: under `root`, without a leading `./`.
fn shown_path(root: &Path, path: &Path) -> PathBuf {
    if root == Path::new(".") {
        path.to_path_buf()
    } else {
        root.join(path)
    }
}

/// Writes the page `request` asks for under `root`, never over an existing
/// file. A code whose class has no page yet gets one too. Returns the files
/// made (relative to `root`), the page last; or why nothing was made.
pub fn create(root: &Path, request: &NewPage) -> Result<Vec<PathBuf>, String> {
    if !root.join("content").is_dir() {
        return Err(format!(
            "{} has no content/ folder: run `httpcodes new` in the site's folder, or give it with --root",
            root.display()
        ));
    }
    let page = request.path();
    if root.join(&page).exists() {
        return Err(format!(
            "{} already exists: edit it, or delete it first to start over",
            shown_path(root, &page).display()
        ));
    }
    if let NewPage::Code(code) = request
        && let Some(other) = code_page_elsewhere(root, *code)
    {
        return Err(format!(
            "{code} already has a page, {}: edit that one (one page per code)",
            shown_path(root, &other).display()
        ));
    }

    let mut files = Vec::new();
    if let NewPage::Code(code) = request {
        let class = PathBuf::from(format!(
            "content/{}/_index.md",
            class_name(class_digit(*code))
        ));
        if !root.join(&class).exists() {
            files.push((class, class_page_text(class_digit(*code))));
        }
    }
    files.push((page, request.text()));

    let mut made = Vec::new();
    for (path, text) in files {
        write_new(root, &path, &text)?;
        made.push(path);
    }
    Ok(made)
}

/// A code page for `code` somewhere in a class folder, under another name
/// than the one `new` would write (`content/4xx/old/404.md`).
fn code_page_elsewhere(root: &Path, code: u16) -> Option<PathBuf> {
    let file_name = format!("{code}.md");
    let (files, _) = source::files_under(root, Path::new("content"));
    files.into_iter().find(|path| {
        let mut parts = path.components().skip(1); // "content"
        let in_class_folder = parts
            .next()
            .and_then(|folder| folder.as_os_str().to_str())
            .is_some_and(is_class_folder);
        in_class_folder && path.file_name().is_some_and(|name| *name == *file_name)
    })
}

/// `1xx` … `5xx`.
fn is_class_folder(name: &str) -> bool {
    matches!(name.as_bytes(), [b'1'..=b'5', b'x', b'x'])
}

/// Creates `root/path` with `text`, failing if it exists; refuses to write
/// through a symbolic link, as the build refuses to read through one.
fn write_new(root: &Path, path: &Path, text: &str) -> Result<(), String> {
    let folder = path.parent().unwrap_or(Path::new(""));
    if let Some(problem) = source::symlink_on_the_way(root, folder) {
        return Err(problem.to_string());
    }
    let shown = shown_path(root, path);
    std::fs::create_dir_all(root.join(folder))
        .map_err(|error| format!("cannot create {}: {error}", shown.display()))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(root.join(path))
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{} already exists: edit it, or delete it first to start over",
                shown.display()
            ),
            _ => format!("cannot create {}: {error}", shown.display()),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|error| format!("cannot write {}: {error}", shown.display()))
}

/// A code page: from the registry for a registered code, as an unofficial
/// code otherwise.
fn code_page_text(code: u16) -> String {
    let mut text = String::from("---\n");
    let _ = writeln!(text, "code: {code}");
    let registered = registry::get(code);
    match registered {
        Some(entry) => {
            let status = entry.status.unwrap_or(Status::Standard);
            let _ = writeln!(text, "title: {}", yaml_text(&entry.phrase));
            let _ = writeln!(text, "summary: {}", prompt_value(&summary_prompt(code)));
            let _ = writeln!(text, "status: {}", status_name(status));
            let _ = writeln!(text, "spec:");
            let _ = writeln!(text, "  - title: {}", yaml_text(&entry.document.title()));
            let _ = writeln!(text, "    url: {}", yaml_text(&entry.document.url()));
        }
        None => {
            let _ = writeln!(
                text,
                "title: {}",
                prompt_value(&format!("the name the software that sends {code} gives it"))
            );
            let _ = writeln!(text, "summary: {}", prompt_value(&summary_prompt(code)));
            let _ = writeln!(text, "status: {}", status_name(Status::Unofficial));
            let _ = writeln!(
                text,
                "source: {}",
                prompt_value(&format!(
                    "who sends {code}, such as a server, proxy or service (nginx, Cloudflare)"
                ))
            );
        }
    }
    text.push_str(
        "# More fields, all optional (see CONTRIBUTING.md): aliases, headers, related,\n\
         # keywords, references, cacheable, other_uses; and, once every claim is\n\
         # checked against its sources, reviewed: YYYY-MM-DD.\n---\n\n",
    );
    let _ = writeln!(
        text,
        "{PROMPT} what {code} means, in two or three sentences; a reader can stop there\n"
    );
    let _ = writeln!(
        text,
        "## When to send it\n\n{PROMPT} when a server should send {code}, and which code fits better in the cases people confuse with it\n"
    );
    let _ = writeln!(
        text,
        "## What clients should do\n\n{PROMPT} how a client, browser or script should react to {code}\n"
    );
    let _ = writeln!(
        text,
        "## Example\n\n```http\n{PROMPT} a request that gets this response: its request line, `Host` and the headers that matter\n```\n"
    );
    match registered {
        Some(entry) => {
            let _ = writeln!(text, "```http\nHTTP/1.1 {code} {}\n```", entry.phrase);
        }
        None => {
            let _ = writeln!(
                text,
                "```http\n{PROMPT} the response: `HTTP/1.1 {code}` and its name, then the headers that matter\n```"
            );
        }
    }
    text
}

fn summary_prompt(code: u16) -> String {
    format!(
        "one plain sentence saying what {code} means, for lists, search results and the page description"
    )
}

/// A class page, for a class that has none yet.
fn class_page_text(digit: u8) -> String {
    let class = class_name(digit);
    format!(
        "---\ntitle: {}\nsummary: {}\n---\n\n{PROMPT} what a {class} status code tells the client, in two or three sentences\n",
        prompt_value(&format!(
            "the class's title: `{class}` and its name, as RFC 9110, Section 15 names the classes"
        )),
        prompt_value(&format!(
            "one plain sentence saying what the {class} codes have in common"
        )),
    )
}

/// A guide: title, summary, an opening and one section to fill.
fn guide_text() -> String {
    format!(
        "---\ntitle: {}\nsummary: {}\n---\n\n{PROMPT} the opening: what the guide helps with, in two or three sentences\n\n\
         ## {PROMPT} the heading of the first section\n\n{PROMPT} the section's text; link to code pages as `[404 Not Found](/404/)`\n",
        prompt_value("the guide's title"),
        prompt_value(
            "one plain sentence saying what the guide helps with, for lists and search results"
        ),
    )
}

/// A prompt as a YAML value: quoted, since it holds `: `.
fn prompt_value(what: &str) -> String {
    quoted(&format!("{PROMPT} {what}"))
}

/// `text` as a YAML value: plain when it reads the same plain (a title,
/// a URL), quoted otherwise.
fn yaml_text(text: &str) -> String {
    let plain = text
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphanumeric() || first == '(')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " -.,()/_:#%".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with([' ', ':'])
        && !matches!(text, "true" | "false" | "null" | "yes" | "no");
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// How front matter spells a status (`standard`, `unofficial`).
fn status_name(status: Status) -> String {
    match serde_json::to_value(status) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// Every prompt left in a content file (split into front matter and body),
/// as an error at its line and column. A prompt is a body line that starts
/// with [`PROMPT`] (after any indentation or `#` heading marks), or a
/// front-matter value that does (quoted or not, in a list or not).
pub fn prompts_left(path: &Path, split: &SplitSource) -> Diagnostics {
    let mut found = Diagnostics::default();
    let mut report = |line: usize, text: &str, at: usize| {
        let what = text[at + PROMPT.len()..]
            .trim()
            .trim_end_matches(['"', '\''])
            .trim();
        let column = text[..at].chars().count() + 1;
        let hint = if what.is_empty() {
            "replace the line with the page's text".to_string()
        } else {
            format!("replace it with {what}")
        };
        found.push(
            Diagnostic::at(
                path,
                line,
                column,
                "a prompt from `httpcodes new` is still here",
            )
            .with_hint(hint),
        );
    };
    for (index, text) in split.front_matter.lines().enumerate() {
        if let Some(at) = front_matter_prompt(text) {
            report(split.front_matter_line + index, text, at);
        }
    }
    for (index, text) in split.body.lines().enumerate() {
        if let Some(at) = body_prompt(text) {
            report(split.body_line + index, text, at);
        }
    }
    found
}

/// The byte offset of the prompt in a body line: `TODO: …`, `## TODO: …`.
fn body_prompt(line: &str) -> Option<usize> {
    let rest = line.trim_start().trim_start_matches('#').trim_start();
    rest.starts_with(PROMPT).then(|| line.len() - rest.len())
}

/// The byte offset of the prompt in a front-matter line: `key: TODO: …`,
/// `key: "TODO: …"`, `- 'TODO: …'`.
fn front_matter_prompt(line: &str) -> Option<usize> {
    let mut rest = line.trim_start();
    if let Some(item) = rest.strip_prefix("- ") {
        rest = item.trim_start();
    }
    // A key: letters, digits and a few marks, then `:` and a space.
    let key_length = rest
        .find(|c: char| !(c.is_alphanumeric() || "_-.".contains(c)))
        .unwrap_or(rest.len());
    if key_length > 0
        && let Some(value) = rest[key_length..].strip_prefix(':')
        && value.starts_with([' ', '\t'])
    {
        rest = value.trim_start();
    }
    rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
    rest.starts_with(PROMPT).then(|| line.len() - rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(front_matter: &str, body: &str) -> SplitSource {
        SplitSource {
            front_matter: front_matter.into(),
            front_matter_line: 2,
            body: body.into(),
            body_line: front_matter.lines().count() + 3,
        }
    }

    /// `(line, column, message)` of each prompt found.
    fn found(front_matter: &str, body: &str) -> Vec<(usize, usize, String)> {
        prompts_left(Path::new("content/4xx/425.md"), &split(front_matter, body))
            .into_sorted()
            .into_iter()
            .map(|problem| {
                assert!(problem.is_error());
                (problem.line, problem.column, problem.full_message())
            })
            .collect()
    }

    #[test]
    fn prompts_are_found_in_values_lines_and_headings_at_their_column() {
        let front = "title: Too Early\nsummary: \"TODO: one sentence\"\nsource: TODO:who\nkeywords:\n  - 'TODO: a word'\n";
        let body = "\nTODO: the opening\n\n## TODO: a heading\n\n```http\n  TODO: a request\n```\n";
        let found = found(front, body);
        let places: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        // Front matter starts at line 2, the body at line 8.
        assert_eq!(
            places,
            vec![(3, 11), (4, 9), (6, 6), (9, 1), (11, 4), (14, 3)]
        );
        assert_eq!(
            found[0].2,
            "a prompt from `httpcodes new` is still here: replace it with one sentence"
        );
        assert_eq!(
            found[2].2,
            "a prompt from `httpcodes new` is still here: replace it with a word"
        );
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(
            found("title: «é» \"x\"\n", "é TODO: not at the start\n"),
            vec![]
        );
        assert_eq!(found("", "  ## TODO: x\n")[0].1, 6);
        assert_eq!(found("tïtle: \"TODO: x\"\n", "")[0].1, 9);
    }

    #[test]
    fn text_that_only_mentions_a_prompt_is_not_one() {
        let front = "title: The TODO: list\nsummary: About todo: lists\n";
        let body =
            "Write `TODO:` in a comment.\n\n- TODO list\ntodo: lower case\nTODO without a colon\n";
        assert_eq!(found(front, body), vec![]);
    }

    #[test]
    fn every_page_new_writes_has_prompts_and_parses() {
        // Every registered code, an unregistered one, and a guide.
        let unregistered = (100..=599)
            .find(|code| registry::get(*code).is_none())
            .unwrap();
        let requests = registry::all()
            .iter()
            .map(|entry| NewPage::Code(entry.code))
            .chain([
                NewPage::Code(unregistered),
                NewPage::Guide("retries".into()),
            ]);
        for request in requests {
            let path = request.path();
            let text = request.text();
            let split = source::split_front_matter(&path, &text).unwrap();
            let prompts = prompts_left(&path, &split);
            assert!(prompts.has_errors(), "{path:?} has no prompt");
            // Apart from the prompts, the page loads as written.
            let loaded = crate::content::parse_text(&path, &text).unwrap_err();
            assert_eq!(loaded.into_sorted(), prompts.into_sorted(), "{path:?}");
        }
    }

    #[test]
    fn a_registered_code_gets_the_registry_phrase_status_and_document() {
        let text = NewPage::Code(104).text();
        let entry = registry::get(104).unwrap();
        assert!(
            text.contains(&format!("\ntitle: {}\n", entry.phrase)),
            "{text}"
        );
        assert!(text.contains("\nstatus: temporary\n"), "{text}");
        assert!(text.contains(&entry.document.url()), "{text}");
        assert!(
            text.contains(&format!("HTTP/1.1 104 {}\n", entry.phrase)),
            "{text}"
        );
        assert!(!text.contains("source:"), "{text}");

        let unofficial = NewPage::Code(499).text();
        assert!(
            unofficial.contains("\nstatus: unofficial\n"),
            "{unofficial}"
        );
        assert!(unofficial.contains("\nsource: \"TODO: "), "{unofficial}");
        assert!(!unofficial.contains("spec:"), "{unofficial}");
    }

    #[test]
    fn plain_yaml_only_where_it_reads_the_same() {
        assert_eq!(yaml_text("(Unused)"), "(Unused)");
        assert_eq!(
            yaml_text("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5"),
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5"
        );
        for quoted in [
            "a: b", "a #b", "yes", "'x'", "\"x\"", "- x", "x:", "[x]", "",
        ] {
            assert!(yaml_text(quoted).starts_with('"'), "{quoted:?}");
            let parsed: String = serde_saphyr::from_str(&yaml_text(quoted)).unwrap();
            assert_eq!(parsed, quoted);
        }
    }

    #[test]
    fn requests_are_read_or_refused_with_the_rule() {
        let parse = |words: &[&str]| {
            NewPage::parse(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(parse(&["425"]), Ok(NewPage::Code(425)));
        assert_eq!(
            parse(&["guide", "retries-2"]),
            Ok(NewPage::Guide("retries-2".into()))
        );
        for bad in [
            &["99"][..],
            &["600"],
            &["4o4"],
            &["+425"],
            &["0425"],
            &["425", "x"],
            &[],
        ] {
            let error = parse(bad).unwrap_err();
            assert!(
                error.contains("100–599, or `guide <name>`"),
                "{bad:?}: {error}"
            );
        }
        for bad in ["Retries", "retries.md", "a_b", "../x", ""] {
            let error = parse(&["guide", bad]).unwrap_err();
            assert!(
                error.contains("lower-case letters, digits and `-`"),
                "{bad:?}: {error}"
            );
        }
        assert!(parse(&["guide"]).unwrap_err().contains("needs a name"));
        assert_eq!(NewPage::Code(425).path(), Path::new("content/4xx/425.md"));
        assert_eq!(
            NewPage::Guide("retries".into()).path(),
            Path::new("content/guides/retries.md")
        );
    }
}
