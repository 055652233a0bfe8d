//! The constants a code page names under "In code" (`references` in its front
//! matter) checked against each library's real list of names and values:
//!
//! - Rust, .NET, Spring and Rails (Rack) against lists copied from the
//!   libraries' sources at a release, kept in `tests/data/constants/` with
//!   where they came from (never derived from our pages);
//! - Go by compiling and running a program that prints every named constant,
//!   with the Go toolchain installed on the machine;
//! - Python by asking python3's own `http.HTTPStatus`.
//!
//! A page fails when it names a constant the library does not have, one whose
//! value is not the page's code, or a deprecated name where the library has a
//! current one, and when it leaves a library out that has a current name for
//! its code; the message names the page file and what the library calls that
//! code.
//!
//! An entry may say in which releases its name exists (`since`, `formerly`,
//! `deprecated`, `removed`). Where a library changed names, `tests/data/
//! constants/` keeps its list at an older release too, and each list checks
//! what the entry claims for its release: the name is there exactly when
//! `since` and `removed` say so, deprecated exactly when `deprecated` says so,
//! and `formerly` is the name of the code before `since`. A claim no stored
//! list can confirm or refute fails. The releases each check reads are pinned
//! in [`PINNED_RELEASES`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use httpcodes::content::references::Release;

use crate::content::built_codes;
use crate::support::*;

/// One name a library gives a status code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Constant {
    code: u64,
    deprecated: bool,
}

/// A library's names for status codes at one release: name → value.
struct ConstantList {
    /// Which library, release and file the names come from, for messages.
    source: String,
    /// The release the names are from; none for a list read at a commit.
    release: Option<Release>,
    constants: BTreeMap<String, Constant>,
}

impl ConstantList {
    /// What the library calls `code`, for messages: "calls 413
    /// `HttpStatus.CONTENT_TOO_LARGE` (deprecated: …)" or "has no name for 420".
    fn what_it_calls(&self, code: u64, prefix: &str) -> String {
        let names = |deprecated: bool| -> Vec<String> {
            self.constants
                .iter()
                .filter(|(_, constant)| constant.code == code && constant.deprecated == deprecated)
                .map(|(name, _)| format!("`{prefix}{name}`"))
                .collect()
        };
        let (current, deprecated) = (names(false), names(true));
        let mut said = match (current.is_empty(), deprecated.is_empty()) {
            (true, true) => return format!("{} has no name for {code}", self.source),
            (true, false) => {
                let names = deprecated.join(" or ");
                return format!("{} calls {code} only {names}, deprecated", self.source);
            }
            (false, _) => format!("{} calls {code} {}", self.source, current.join(" or ")),
        };
        if !deprecated.is_empty() {
            said.push_str(&format!(" (deprecated: {})", deprecated.join(", ")));
        }
        said
    }

    /// How many names, current or deprecated, the library gives `code`.
    fn names_of(&self, code: u64) -> usize {
        self.constants
            .values()
            .filter(|constant| constant.code == code)
            .count()
    }

    fn has_current_name_for(&self, code: u64) -> bool {
        self.constants
            .values()
            .any(|constant| constant.code == code && !constant.deprecated)
    }
}

/// How a language's references are written, and which deprecated names pass.
struct Language {
    key: &'static str,
    /// What comes before the library's name: `HttpStatus.` for `HttpStatus.OK`.
    prefix: &'static str,
    /// A well-formed reference, for messages.
    example: &'static str,
    /// A deprecated name is accepted when it is the library's only name for
    /// the code: Spring's deprecated constants are still members of its enum
    /// (they compile, with a warning), and a page may then name them and say
    /// so. Rack's deprecated symbols are a private fallback that logs a
    /// warning on every response and is announced for removal, so Rails
    /// pages never use them. Where the library has a current name, the page
    /// uses it.
    sole_deprecated_name_is_accepted: bool,
    /// Whether the library's lists mark deprecated names, so that an entry's
    /// `deprecated` can be checked against them.
    lists_mark_deprecated: bool,
}

const RUST: Language = Language {
    key: "Rust",
    prefix: "http::StatusCode::",
    example: "http::StatusCode::NOT_FOUND",
    sole_deprecated_name_is_accepted: true,
    lists_mark_deprecated: false,
};
const GO: Language = Language {
    key: "Go",
    prefix: "http.",
    example: "http.StatusNotFound",
    sole_deprecated_name_is_accepted: true,
    lists_mark_deprecated: false,
};
const PYTHON: Language = Language {
    key: "Python",
    prefix: "http.HTTPStatus.",
    example: "http.HTTPStatus.NOT_FOUND",
    sole_deprecated_name_is_accepted: true,
    lists_mark_deprecated: false,
};
const DOTNET: Language = Language {
    key: ".NET",
    prefix: "HttpStatusCode.",
    example: "HttpStatusCode.NotFound",
    sole_deprecated_name_is_accepted: true,
    lists_mark_deprecated: false,
};
const SPRING: Language = Language {
    key: "Spring",
    prefix: "HttpStatus.",
    example: "HttpStatus.NOT_FOUND",
    sole_deprecated_name_is_accepted: true,
    lists_mark_deprecated: true,
};
const RAILS: Language = Language {
    key: "Rails",
    prefix: ":",
    example: ":not_found",
    sole_deprecated_name_is_accepted: false,
    lists_mark_deprecated: true,
};

const SYMFONY: Language = Language {
    key: "Symfony",
    prefix: "Response::",
    example: "Response::HTTP_NOT_FOUND",
    sole_deprecated_name_is_accepted: true,
    lists_mark_deprecated: false,
};
const ASPNET_CORE: Language = Language {
    key: "ASP.NET Core",
    prefix: "StatusCodes.",
    example: "StatusCodes.Status404NotFound",
    sole_deprecated_name_is_accepted: true,
    lists_mark_deprecated: false,
};
const JAVA: Language = Language {
    key: "Java",
    prefix: "HttpURLConnection.",
    example: "HttpURLConnection.HTTP_NOT_FOUND",
    sole_deprecated_name_is_accepted: true,
    lists_mark_deprecated: true,
};

/// One constant a page names.
struct Reference {
    /// The page's source, `content/4xx/404.md`.
    page: String,
    code: u64,
    /// As written: `HttpStatus.NOT_FOUND`.
    written: String,
    /// The releases the page gives for it, as the API serves them.
    since: Option<String>,
    formerly: Option<String>,
    deprecated: Option<String>,
    removed: Option<String>,
}

impl Reference {
    /// Whether the page says the name exists in `release`.
    fn exists_in(&self, release: &Release) -> bool {
        let since = self.since.as_deref().map(release_of);
        let removed = self.removed.as_deref().map(release_of);
        since.is_none_or(|since| since <= *release)
            && removed.is_none_or(|removed| *release < removed)
    }

    /// Whether the page says the name is deprecated in `release`.
    fn deprecated_in(&self, release: &Release) -> bool {
        self.deprecated
            .as_deref()
            .map(release_of)
            .is_some_and(|deprecated| deprecated <= *release)
    }
}

/// A release as a page or a list writes it; the build already refused any
/// other form.
fn release_of(text: &str) -> Release {
    Release::parse(text).unwrap_or_else(|| panic!("`{text}` is not a release number"))
}

/// Every code page's source file, relative to the repository: code → path.
fn page_files() -> &'static BTreeMap<u64, String> {
    static FILES: OnceLock<BTreeMap<u64, String>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = repo_root();
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(root.join("content")) {
            let entry = entry.unwrap();
            let code = entry
                .path()
                .file_stem()
                .and_then(|stem| stem.to_str())
                .and_then(|stem| stem.parse().ok());
            if let Some(code) = code {
                let relative = entry.path().strip_prefix(&root).unwrap();
                files.insert(code, relative.to_string_lossy().into_owned());
            }
        }
        files
    })
}

/// Every page's reference for `language`, from the built site's API.
fn references(language: &Language) -> Vec<Reference> {
    built_codes()
        .iter()
        .filter_map(|(code, page)| {
            let written = page["references"].get(language.key)?.as_str()?;
            let releases = &page["reference_releases"][language.key];
            let release = |field: &str| releases[field].as_str().map(str::to_string);
            Some(Reference {
                page: page_files()
                    .get(code)
                    .unwrap_or_else(|| panic!("no file under content/ for {code}"))
                    .clone(),
                code: *code,
                written: written.to_string(),
                since: release("since"),
                formerly: release("formerly"),
                deprecated: release("deprecated"),
                removed: release("removed"),
            })
        })
        .collect()
}

/// The library's name in `written` (a reference of `page`), or why it is
/// not written the documented way. Only ASCII letters, digits and `_` pass,
/// so a name is safe to paste into generated code.
fn name_in<'a>(language: &Language, page: &str, written: &'a str) -> Result<&'a str, String> {
    written
        .strip_prefix(language.prefix)
        .filter(|name| !name.is_empty())
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .filter(|name| language.key != "Go" || name.starts_with("Status"))
        .ok_or_else(|| {
            format!(
                "{page}: {} reference `{written}` is not written like `{}`",
                language.key, language.example
            )
        })
}

/// Every problem with the pages' `language` references against the
/// library's `lists`, oldest release first; the last is the release the
/// pages follow, and a page must name what it has for its code.
fn problems(language: &Language, lists: &[ConstantList]) -> Vec<String> {
    let newest = lists.last().expect("every library has a list");
    let mut problems = Vec::new();
    for reference in references(language) {
        let name = name_in(language, &reference.page, &reference.written);
        let formerly = reference
            .formerly
            .as_deref()
            .map(|formerly| name_in(language, &reference.page, formerly))
            .transpose();
        let (name, formerly) = match (name, formerly) {
            (Ok(name), Ok(formerly)) => (name, formerly),
            (name, formerly) => {
                problems.extend(name.err());
                problems.extend(formerly.err());
                continue;
            }
        };
        problems.extend(unchecked_releases(language, &reference, lists));
        for list in lists {
            problems.extend(
                problem_in_list(language, &reference, name, list).map(|problem| {
                    let mut what_it_calls = list.what_it_calls(reference.code, language.prefix);
                    if list.names_of(reference.code) == 0 && std::ptr::eq(list, newest) {
                        what_it_calls.push_str(&format!(", so leave `{}` out", language.key));
                    }
                    format!(
                        "{}: {} reference {problem}; {what_it_calls}",
                        reference.page, language.key
                    )
                }),
            );
            if let Some(formerly) = formerly {
                problems.extend(formerly_problem(language, &reference, formerly, list));
            }
        }
    }
    problems.extend(omissions(language, newest));
    problems
}

/// What `list` contradicts in the entry `reference`, which names `name`.
fn problem_in_list(
    language: &Language,
    reference: &Reference,
    name: &str,
    list: &ConstantList,
) -> Option<String> {
    let written = &reference.written;
    let code = reference.code;
    // A list read at a commit stands for the release the pages follow.
    let (exists, deprecated) = match &list.release {
        Some(release) => (
            reference.exists_in(release),
            reference.deprecated_in(release),
        ),
        None => (true, reference.deprecated.is_some()),
    };
    let constant = list
        .constants
        .get(name)
        .filter(|constant| constant.code == code);
    if !exists {
        return constant.map(|_| {
            let claim = match (&reference.since, &reference.removed) {
                (Some(since), _) if list.release.as_ref() < Some(&release_of(since)) => {
                    format!("`since: {since}`")
                }
                (_, Some(removed)) => format!("`removed: {removed}`"),
                _ => "its releases".to_string(),
            };
            format!("`{written}` exists, though {claim} says it does not")
        });
    }
    let Some(constant) = list.constants.get(name) else {
        return Some(format!("`{written}` does not exist"));
    };
    if constant.code != code {
        return Some(format!("`{written}` is {}, not {code}", constant.code));
    }
    if constant.deprecated
        && (list.has_current_name_for(code) || !language.sole_deprecated_name_is_accepted)
    {
        return Some(format!("`{written}` is deprecated"));
    }
    if language.lists_mark_deprecated && constant.deprecated != deprecated {
        return Some(match &reference.deprecated {
            Some(release) if !constant.deprecated => {
                format!("`{written}` is not deprecated, though `deprecated: {release}` says it is")
            }
            _ => format!(
                "`{written}` is deprecated: give the release that deprecated it (`deprecated:`)"
            ),
        });
    }
    None
}

/// What `list` contradicts in an entry's `formerly`: in a release before
/// `since`, it must be the library's current name for the code.
fn formerly_problem(
    language: &Language,
    reference: &Reference,
    formerly: &str,
    list: &ConstantList,
) -> Option<String> {
    let since = release_of(reference.since.as_deref()?);
    if list
        .release
        .as_ref()
        .is_none_or(|release| *release >= since)
    {
        return None;
    }
    let problem = match list.constants.get(formerly) {
        None => "does not exist".to_string(),
        Some(constant) if constant.code != reference.code => format!("is {}", constant.code),
        Some(constant) if constant.deprecated => "is deprecated".to_string(),
        Some(_) => return None,
    };
    Some(format!(
        "{}: {} reference `formerly: {}` {problem} in {}; {}",
        reference.page,
        language.key,
        reference.formerly.as_deref().unwrap_or(formerly),
        list.source,
        list.what_it_calls(reference.code, language.prefix)
    ))
}

/// The releases an entry gives that no stored list can confirm: `since` and
/// `removed` need a list before them and one from them on, `deprecated` a
/// list from it on that marks deprecated names.
fn unchecked_releases(
    language: &Language,
    reference: &Reference,
    lists: &[ConstantList],
) -> Vec<String> {
    let releases: Vec<&Release> = lists
        .iter()
        .filter_map(|list| list.release.as_ref())
        .collect();
    let mut unchecked = Vec::new();
    for (field, written) in [("since", &reference.since), ("removed", &reference.removed)] {
        let Some(written) = written else { continue };
        let release = release_of(written);
        let before = releases.iter().any(|listed| **listed < release);
        let from = releases.iter().any(|listed| **listed >= release);
        if !(before && from) {
            let missing = if before { "from it on" } else { "before it" };
            unchecked.push(format!(
                "{}: {} reference `{field}: {written}` cannot be checked: tests/data/constants has no {} list {missing}; add one, read at a release tag",
                reference.page, language.key, language.key
            ));
        }
    }
    if let Some(written) = &reference.deprecated {
        let release = release_of(written);
        let marked =
            language.lists_mark_deprecated && releases.iter().any(|listed| **listed >= release);
        if !marked {
            unchecked.push(format!(
                "{}: {} reference `deprecated: {written}` cannot be checked: no stored {} list from that release on marks deprecated names",
                reference.page, language.key, language.key
            ));
        }
    }
    unchecked
}

/// Pages that leave `language` out although the library has a current name
/// for their code ("leave a key out when that library has no constant").
fn omissions(language: &Language, list: &ConstantList) -> Vec<String> {
    built_codes()
        .iter()
        .filter(|(_, page)| page["references"].get(language.key).is_none())
        .filter(|(code, _)| list.has_current_name_for(**code))
        .map(|(code, _)| {
            format!(
                "{}: no {} reference, but {}",
                page_files()[code],
                language.key,
                list.what_it_calls(*code, language.prefix)
            )
        })
        .collect()
}

/// Fails with every problem at once.
fn assert_no_problems(language: &Language, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} references that the library contradicts:\n{}",
        language.key,
        problems.join("\n")
    );
}

/// There must be enough references that a broken reader cannot pass by
/// finding none: at least half as many as the codes the library names.
fn assert_some_references(language: &Language, list: &ConstantList) {
    let count = references(language).len();
    let named: BTreeSet<u64> = list.constants.values().map(|c| c.code).collect();
    assert!(
        count * 2 >= named.len() && count > 0,
        "only {count} {} references in the built site, for {} codes the library names",
        language.key,
        named.len()
    );
}

fn data_file(name: &str) -> PathBuf {
    repo_root().join("tests/data/constants").join(name)
}

/// The header lines of a data file: `# key: value` → key → value.
fn provenance(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map_while(|line| line.strip_prefix('#'))
        .filter_map(|line| line.trim().split_once(": "))
        .filter(|(key, _)| !key.contains(' '))
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

/// A list from `tests/data/constants/`: `# ` header lines, then
/// `NAME CODE [deprecated]`, one a line.
fn stored_list(file: &str) -> ConstantList {
    let path = data_file(file);
    let text = read(&path);
    let header = provenance(&text);
    let repository = header["repository"].trim_start_matches("https://github.com/");
    // `v7.0.9`, or `at 8b9361fc` for a list read at a commit.
    let release = match (header.get("tag"), header.get("commit")) {
        (Some(tag), _) => tag.split(' ').next().unwrap().to_string(),
        (None, Some(commit)) => format!("at {}", &commit[..8]),
        (None, None) => panic!("{file}: the header names no tag or commit"),
    };
    let mut constants = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (name, code, deprecated) = match fields[..] {
            [name, code] => (name, code, false),
            [name, code, "deprecated"] => (name, code, true),
            _ => panic!("{file}:{}: expected `NAME CODE [deprecated]`", number + 1),
        };
        let code = code
            .parse()
            .unwrap_or_else(|_| panic!("{file}:{}: `{code}` is not a code", number + 1));
        let previous = constants.insert(name.to_string(), Constant { code, deprecated });
        assert!(previous.is_none(), "{file}: {name} is listed twice");
    }
    assert!(
        constants.len() >= 50,
        "{file}: only {} names",
        constants.len()
    );
    ConstantList {
        source: format!("{repository} {release}"),
        release: header.get("release").map(|release| release_of(release)),
        constants,
    }
}

/// Every stored list whose file name starts with `prefix`, oldest release
/// first (a list read at a commit, with no release, last).
fn stored_lists(prefix: &str) -> Vec<ConstantList> {
    let files: Vec<String> = std::fs::read_dir(repo_root().join("tests/data/constants"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(prefix))
        .collect();
    let mut lists: Vec<ConstantList> = files.iter().map(|file| stored_list(file)).collect();
    lists.sort_by(|a, b| match (&a.release, &b.release) {
        (Some(a), Some(b)) => a.cmp(b),
        (a, b) => b.is_some().cmp(&a.is_some()),
    });
    assert!(!lists.is_empty(), "no list tests/data/constants/{prefix}*");
    lists
}

#[test]
fn every_stored_list_says_where_it_came_from() {
    let folder = repo_root().join("tests/data/constants");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let header = provenance(&read(&path));
        for key in ["repository", "path"] {
            assert!(
                header.get(key).is_some_and(|value| !value.is_empty()),
                "{}: the header needs a `# {key}: …` line",
                path.display()
            );
        }
        let version = header.get("tag").or(header.get("commit"));
        assert!(
            version.is_some_and(|version| version.len() >= 6),
            "{}: the header needs a `# tag: …` line (or `# commit: …` when no tag can be read)",
            path.display()
        );
        assert!(
            header["repository"].starts_with("https://github.com/"),
            "{}: the repository is a GitHub address",
            path.display()
        );
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            STORED_LIST_PREFIXES
                .iter()
                .any(|prefix| name.starts_with(prefix)),
            "{name}: a stored list's name starts with one of {STORED_LIST_PREFIXES:?}"
        );
        files.push(name);
    }
    for prefix in STORED_LIST_PREFIXES {
        assert!(
            files.iter().any(|name| name.starts_with(prefix)),
            "no list {prefix}*"
        );
    }
}

/// The file names of each library's stored lists start with one of these.
const STORED_LIST_PREFIXES: [&str; 6] = [
    "rust-http-statuscode",
    "dotnet-httpstatuscode",
    "spring-httpstatus",
    "rack-status-symbols",
    "symfony-response",
    "aspnetcore-statuscodes",
];

/// The release each check reads: every stored list (by file), the `http`
/// crate the tests build with, and the Python and Go installed on the
/// machine (major.minor). A check that reads another release fails, so
/// moving one is a decision: read the new release's names, then review
/// what the pages say about releases.
const PINNED_RELEASES: &[(&str, &str)] = &[
    ("aspnetcore-statuscodes.txt", "2.2.0"),
    ("dotnet-httpstatuscode.txt", "at 8b9361fc"),
    ("rack-status-symbols-3.0.txt", "3.0.18"),
    ("rack-status-symbols.txt", "3.2.7"),
    ("rust-http-statuscode-1.1.txt", "1.1.0"),
    ("rust-http-statuscode-1.3.txt", "1.3.1"),
    ("rust-http-statuscode.txt", "1.5.0"),
    ("spring-httpstatus-6.2.txt", "6.2.19"),
    ("spring-httpstatus.txt", "7.0.9"),
    ("symfony-response.txt", "7.1.5"),
    ("http crate in Cargo.lock", "1.5.0"),
    ("python3", "3.11"),
    ("go", "1.19"),
    ("java", "17"),
];

/// Fails unless `what` is at its pinned release.
fn assert_pinned(what: &str, release: &str) {
    let pinned = PINNED_RELEASES
        .iter()
        .find(|(name, _)| *name == what)
        .map(|(_, release)| *release);
    assert_eq!(
        pinned,
        Some(release),
        "{what} is at {release}, but the constants were checked against {pinned:?} (PINNED_RELEASES in {}): read the names of this release, review what the pages say about releases, then pin it",
        file!()
    );
}

/// `3.11.2` → `3.11`.
fn major_minor(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

#[test]
fn every_check_reads_its_pinned_release() {
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("tests/data/constants")).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        let header = provenance(&read(&data_file(&file)));
        let release = match (header.get("release"), header.get("commit")) {
            (Some(release), _) => release.clone(),
            (None, Some(commit)) => format!("at {}", &commit[..8]),
            (None, None) => panic!("{file}: the header names no release or commit"),
        };
        assert_pinned(&file, &release);
        checked.push(file);
    }
    assert_pinned("http crate in Cargo.lock", &locked_http_crate());
    assert_pinned("python3", &major_minor(&python_http_status().0));
    if let Some(go) = go() {
        let version = go_version(go);
        assert_pinned("go", &major_minor(&version));
    }
    if let Some((version, _)) = java_status_fields() {
        assert_pinned("java", &version);
    }
    checked.extend(["http crate in Cargo.lock", "python3", "go", "java"].map(String::from));
    checked.sort();
    let mut pinned: Vec<String> = PINNED_RELEASES
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    pinned.sort();
    assert_eq!(
        checked, pinned,
        "PINNED_RELEASES names exactly what the checks read"
    );
}

/// The version of the `http` crate that Cargo.lock locks.
fn locked_http_crate() -> String {
    let lock = read(&repo_root().join("Cargo.lock"));
    lock.split("\n[[package]]\n")
        .find(|package| package.starts_with("name = \"http\"\n"))
        .and_then(|package| package.lines().nth(1))
        .and_then(|line| line.strip_prefix("version = \""))
        .map(|version| version.trim_end_matches('"').to_string())
        .expect("Cargo.lock locks the http crate")
}

#[test]
fn rust_references_name_the_right_http_crate_constant() {
    let lists = stored_lists("rust-http-statuscode");
    let newest = lists.last().unwrap();
    // The newest stored list is the crate we build with: same version, and
    // exactly the codes that the compiled crate knows a reason phrase for.
    let locked = release_of(&locked_http_crate());
    assert_eq!(
        newest.release.as_ref(),
        Some(&locked),
        "Cargo.lock moved the http crate: refresh tests/data/constants/rust-http-statuscode.txt"
    );
    let compiled: BTreeSet<u64> = (100..1000u16)
        .filter(|&code| {
            http::StatusCode::from_u16(code)
                .unwrap()
                .canonical_reason()
                .is_some()
        })
        .map(u64::from)
        .collect();
    let stored: BTreeSet<u64> = newest.constants.values().map(|c| c.code).collect();
    assert_eq!(
        stored, compiled,
        "the stored list is not the compiled crate's"
    );

    assert_some_references(&RUST, newest);
    assert_no_problems(&RUST, problems(&RUST, &lists));
}

/// The check of a library known by its stored lists (file names starting
/// with `prefix`): enough references, and none the lists contradict.
fn assert_stored_lists_agree(language: &Language, prefix: &str) {
    let lists = stored_lists(prefix);
    assert_some_references(language, lists.last().unwrap());
    assert_no_problems(language, problems(language, &lists));
}

#[test]
fn dotnet_references_name_the_right_http_status_code_member() {
    assert_stored_lists_agree(&DOTNET, "dotnet-httpstatuscode");
}

#[test]
fn spring_references_name_the_right_http_status_constant() {
    assert_stored_lists_agree(&SPRING, "spring-httpstatus");
}

#[test]
fn symfony_references_name_the_right_response_constant() {
    assert_stored_lists_agree(&SYMFONY, "symfony-response");
}

#[test]
fn aspnet_core_references_name_the_right_status_codes_field() {
    assert_stored_lists_agree(&ASPNET_CORE, "aspnetcore-statuscodes");
}

#[test]
fn rails_references_name_a_rack_status_symbol_with_the_right_code() {
    assert_stored_lists_agree(&RAILS, "rack-status-symbols");
}

/// The installed python3's version and its `http.HTTPStatus` members.
fn python_http_status() -> (String, BTreeMap<String, u64>) {
    let script = "import http, json, sys; print(sys.version.split()[0]); \
                  print(json.dumps({name: member.value for name, member in http.HTTPStatus.__members__.items()}))";
    let output = Command::new("python3")
        .args(["-c", script])
        .output()
        .expect("python3 is installed");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let (version, members) = stdout.split_once('\n').unwrap();
    (version.to_string(), serde_json::from_str(members).unwrap())
}

#[test]
fn python_references_name_the_right_http_status_member() {
    let (version, members) = python_http_status();
    assert_pinned("python3", &major_minor(&version));
    let list = ConstantList {
        source: format!("Python {version}"),
        release: Release::parse(&version),
        constants: members
            .into_iter()
            .map(|(name, code)| {
                let constant = Constant {
                    code,
                    deprecated: false,
                };
                (name, constant)
            })
            .collect(),
    };
    assert_some_references(&PYTHON, &list);
    assert_no_problems(&PYTHON, problems(&PYTHON, &[list]));
}

/// The installed Go toolchain, or none. Without it, the Go check is
/// skipped with a message, unless `HTTPCODES_REQUIRE_GO` is set (./test.sh
/// and CI set it), where it fails.
fn go() -> Option<Command> {
    let found = Command::new("go").arg("version").output();
    if !found.is_ok_and(|output| output.status.success()) {
        let how = "install Debian's golang-go (`apt-get install golang-go`; ./test.sh does it)";
        assert!(
            std::env::var_os("HTTPCODES_REQUIRE_GO").is_none(),
            "the Go check needs the `go` command: {how}"
        );
        // Straight to the terminal: the test harness hides what a passing
        // test prints with `eprintln!`.
        let skipped =
            format!("\nSKIPPED: the Go references are not checked: `go` is not installed; {how}\n");
        std::io::Write::write_all(&mut std::io::stderr(), skipped.as_bytes()).unwrap();
        return None;
    }
    let mut go = Command::new("go");
    // Offline, standard library only, and the cache in the target folder.
    go.env("GOPROXY", "off")
        .env("GOFLAGS", "")
        .env("GOTOOLCHAIN", "local")
        .env("GO111MODULE", "on")
        .env(
            "GOCACHE",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-cache"),
        );
    Some(go)
}

/// `go version` → `1.19.8`.
fn go_version(mut go: Command) -> String {
    let version = go.arg("version").output().unwrap().stdout;
    let version = String::from_utf8(version).unwrap();
    let version = version.split_whitespace().nth(2).unwrap_or("");
    version.trim_start_matches("go").to_string()
}

/// Go's own names for status codes, from the installed `net/http` source.
/// Used to say what Go calls a code and to check the releases an entry
/// gives; the check of the names themselves is the compiler.
fn go_status_names(version: &str) -> ConstantList {
    let mut go = go().expect("go is installed");
    let output = go.args(["env", "GOROOT"]).output().unwrap();
    let root = String::from_utf8(output.stdout).unwrap();
    let source = read(&Path::new(root.trim()).join("src/net/http/status.go"));
    let constants: BTreeMap<String, Constant> = source
        .lines()
        .filter_map(|line| {
            let (name, value) = line.trim().split_once('=')?;
            let name = name.trim();
            let code = value.split("//").next()?.trim().parse().ok()?;
            name.starts_with("Status").then(|| {
                let constant = Constant {
                    code,
                    deprecated: false,
                };
                (name.to_string(), constant)
            })
        })
        .collect();
    assert!(constants.len() >= 50, "status.go gave {constants:?}");
    ConstantList {
        source: format!("Go {version} net/http"),
        release: Release::parse(version),
        constants,
    }
}

#[test]
fn go_references_compile_to_the_pages_code() {
    let Some(go_command) = go() else { return };
    let version = go_version(go_command);
    assert_pinned("go", &major_minor(&version));
    let installed = go_status_names(&version);
    assert_some_references(&GO, &installed);
    let mut problems = Vec::new();
    let mut named = Vec::new();
    for reference in references(&GO) {
        match name_in(&GO, &reference.page, &reference.written) {
            // Only the names the installed release has, by the page's own
            // releases; `problems` below checks those against it.
            Ok(name)
                if installed
                    .release
                    .as_ref()
                    .is_none_or(|release| reference.exists_in(release)) =>
            {
                let name = name.to_string();
                named.push((reference, name));
            }
            Ok(_) => {}
            Err(problem) => problems.push(problem),
        }
    }
    assert_no_problems(&GO, problems);

    // One line a reference, so a compiler error's line leads to its page.
    let mut program = String::from(
        "// The value of every net/http constant the pages name, one a line.\n\
         package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc main() {\n",
    );
    let first_line = program.lines().count() + 1;
    for (reference, name) in &named {
        program.push_str(&format!(
            "\tfmt.Println(http.{name}) // {}\n",
            reference.page
        ));
    }
    program.push_str("}\n");
    let folder = tempfile::TempDir::new().unwrap();
    std::fs::write(folder.path().join("references.go"), &program).unwrap();
    let built = go()
        .unwrap()
        .current_dir(folder.path())
        .args(["build", "-gcflags=-e", "-o", "references", "references.go"])
        .output()
        .unwrap();
    let what_go_calls = |code: u64| installed.what_it_calls(code, "http.");
    if !built.status.success() {
        let errors = String::from_utf8_lossy(&built.stderr);
        let mut problems = Vec::new();
        for error in errors.lines().filter(|line| !line.starts_with('#')) {
            let line: Option<usize> = error
                .strip_prefix("./references.go:")
                .and_then(|rest| rest.split(':').next())
                .and_then(|line| line.parse().ok());
            match line.and_then(|line| named.get(line.checked_sub(first_line)?)) {
                Some((reference, _)) => problems.push(format!(
                    "{}: Go reference `{}` does not compile ({}); {}",
                    reference.page,
                    reference.written,
                    error.split_once(": ").map_or(error, |(_, message)| message),
                    what_go_calls(reference.code)
                )),
                None => problems.push(error.to_string()),
            }
        }
        panic!("go build failed:\n{}", problems.join("\n"));
    }
    let run = Command::new(folder.path().join("references"))
        .output()
        .unwrap();
    assert!(run.status.success(), "the Go program failed: {run:?}");
    let values: Vec<u64> = String::from_utf8(run.stdout)
        .unwrap()
        .lines()
        .map(|line| line.parse().unwrap())
        .collect();
    assert_eq!(values.len(), named.len(), "one value per reference");
    let mut problems: Vec<String> = named
        .iter()
        .zip(values)
        .filter(|((reference, _), value)| *value != reference.code)
        .map(|((reference, _), value)| {
            format!(
                "{}: Go reference `{}` is {value}, not {}; {}",
                reference.page,
                reference.written,
                reference.code,
                what_go_calls(reference.code)
            )
        })
        .collect();
    problems.extend(self::problems(&GO, &[installed]));
    assert_no_problems(&GO, problems);
}

/// The installed Java's specification version (`17`) and every `HTTP_*`
/// field of its `java.net.HttpURLConnection`, read by reflection in a
/// program the JDK runs from source; none when `java` is missing (skipped
/// with a message, unless `HTTPCODES_REQUIRE_JAVA` is set, as ./test.sh
/// and CI set it).
fn java_status_fields() -> Option<(String, ConstantList)> {
    static FIELDS: OnceLock<Option<(String, BTreeMap<String, Constant>)>> = OnceLock::new();
    let (version, constants) = FIELDS
        .get_or_init(|| {
            let found = Command::new("java").arg("-version").output();
            if !found.is_ok_and(|output| output.status.success()) {
                let how = "install a JDK (`apt-get install default-jdk-headless`; ./test.sh does it)";
                assert!(
                    std::env::var_os("HTTPCODES_REQUIRE_JAVA").is_none(),
                    "the Java check needs the `java` command: {how}"
                );
                let skipped = format!(
                    "\nSKIPPED: the Java references are not checked: `java` is not installed; {how}\n"
                );
                std::io::Write::write_all(&mut std::io::stderr(), skipped.as_bytes()).unwrap();
                return None;
            }
            let program = "import java.lang.reflect.Field;\n\
                import java.lang.reflect.Modifier;\n\n\
                // Prints the Java version, then every HTTP_* constant of\n\
                // HttpURLConnection: NAME CODE, and `deprecated` when marked so.\n\
                public class StatusFields {\n\
                    public static void main(String[] args) throws Exception {\n\
                        System.out.println(System.getProperty(\"java.specification.version\"));\n\
                        for (Field field : java.net.HttpURLConnection.class.getFields()) {\n\
                            int modifiers = field.getModifiers();\n\
                            if (Modifier.isStatic(modifiers) && field.getType() == int.class\n\
                                    && field.getName().startsWith(\"HTTP_\")) {\n\
                                String mark = field.isAnnotationPresent(Deprecated.class) ? \" deprecated\" : \"\";\n\
                                System.out.println(field.getName() + \" \" + field.getInt(null) + mark);\n\
                            }\n\
                        }\n\
                    }\n\
                }\n";
            let folder = tempfile::TempDir::new().unwrap();
            let file = folder.path().join("StatusFields.java");
            std::fs::write(&file, program).unwrap();
            let run = Command::new("java").arg(&file).output().unwrap();
            assert!(
                run.status.success(),
                "java could not run a program from source (a JDK is needed, not only a JRE: `apt-get install default-jdk-headless`):\n{}",
                String::from_utf8_lossy(&run.stderr)
            );
            let stdout = String::from_utf8(run.stdout).unwrap();
            let mut lines = stdout.lines();
            let version = lines.next().unwrap().to_string();
            let constants = lines
                .map(|line| {
                    let fields: Vec<&str> = line.split_whitespace().collect();
                    let constant = Constant {
                        code: fields[1].parse().unwrap(),
                        deprecated: fields.get(2) == Some(&"deprecated"),
                    };
                    (fields[0].to_string(), constant)
                })
                .collect();
            Some((version, constants))
        })
        .as_ref()?;
    Some((
        version.clone(),
        ConstantList {
            source: format!("Java {version} java.net.HttpURLConnection"),
            release: Release::parse(version),
            constants: constants.clone(),
        },
    ))
}

#[test]
fn java_references_name_the_right_http_url_connection_field() {
    let Some((version, fields)) = java_status_fields() else {
        return;
    };
    assert_pinned("java", &version);
    assert!(
        fields.constants.len() >= 30,
        "HttpURLConnection gave {:?}",
        fields.constants
    );
    assert_some_references(&JAVA, &fields);
    assert_no_problems(&JAVA, problems(&JAVA, &[fields]));
}
