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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::content::built_codes;
use crate::support::*;

/// The `references` keys a page may use.
const LANGUAGES: [&str; 6] = ["Rust", "Go", "Python", ".NET", "Spring", "Rails"];

/// One name a library gives a status code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Constant {
    code: u64,
    deprecated: bool,
}

/// A library's names for status codes: name → value.
struct ConstantList {
    /// Which library, release and file the names come from, for messages.
    source: String,
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
}

const RUST: Language = Language {
    key: "Rust",
    prefix: "http::StatusCode::",
    example: "http::StatusCode::NOT_FOUND",
    sole_deprecated_name_is_accepted: true,
};
const GO: Language = Language {
    key: "Go",
    prefix: "http.",
    example: "http.StatusNotFound",
    sole_deprecated_name_is_accepted: true,
};
const PYTHON: Language = Language {
    key: "Python",
    prefix: "http.HTTPStatus.",
    example: "http.HTTPStatus.NOT_FOUND",
    sole_deprecated_name_is_accepted: true,
};
const DOTNET: Language = Language {
    key: ".NET",
    prefix: "HttpStatusCode.",
    example: "HttpStatusCode.NotFound",
    sole_deprecated_name_is_accepted: true,
};
const SPRING: Language = Language {
    key: "Spring",
    prefix: "HttpStatus.",
    example: "HttpStatus.NOT_FOUND",
    sole_deprecated_name_is_accepted: true,
};
const RAILS: Language = Language {
    key: "Rails",
    prefix: ":",
    example: ":not_found",
    sole_deprecated_name_is_accepted: false,
};

/// One constant a page names.
struct Reference {
    /// The page's source, `content/4xx/404.md`.
    page: String,
    code: u64,
    /// As written: `HttpStatus.NOT_FOUND`.
    written: String,
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
            Some(Reference {
                page: page_files()
                    .get(code)
                    .unwrap_or_else(|| panic!("no file under content/ for {code}"))
                    .clone(),
                code: *code,
                written: written.to_string(),
            })
        })
        .collect()
}

/// The library's name in `reference`, or why it is not written the documented
/// way. Only ASCII letters, digits and `_` pass, so a name is safe to paste
/// into generated code.
fn name_in<'a>(language: &Language, reference: &'a Reference) -> Result<&'a str, String> {
    reference
        .written
        .strip_prefix(language.prefix)
        .filter(|name| !name.is_empty())
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .filter(|name| language.key != "Go" || name.starts_with("Status"))
        .ok_or_else(|| {
            format!(
                "{}: {} reference `{}` is not written like `{}`",
                reference.page, language.key, reference.written, language.example
            )
        })
}

/// Every problem with the pages' `language` references against `list`.
fn problems(language: &Language, list: &ConstantList) -> Vec<String> {
    let mut problems = Vec::new();
    for reference in references(language) {
        let name = match name_in(language, &reference) {
            Ok(name) => name,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let problem = match list.constants.get(name) {
            None => format!("`{}` does not exist", reference.written),
            Some(constant) if constant.code != reference.code => format!(
                "`{}` is {}, not {}",
                reference.written, constant.code, reference.code
            ),
            Some(constant)
                if constant.deprecated
                    && (list.has_current_name_for(reference.code)
                        || !language.sole_deprecated_name_is_accepted) =>
            {
                format!("`{}` is deprecated", reference.written)
            }
            Some(_) => continue,
        };
        let mut what_it_calls = list.what_it_calls(reference.code, language.prefix);
        if list.names_of(reference.code) == 0 {
            what_it_calls.push_str(&format!(", so leave `{}` out", language.key));
        }
        problems.push(format!(
            "{}: {} reference {problem}; {what_it_calls}",
            reference.page, language.key
        ));
    }
    problems.extend(omissions(language, list));
    problems
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
/// finding none.
fn assert_some_references(language: &Language) {
    let count = references(language).len();
    assert!(
        count >= 50,
        "only {count} {} references in the built site",
        language.key
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
        constants,
    }
}

#[test]
fn every_stored_list_says_where_it_came_from() {
    let folder = repo_root().join("tests/data/constants");
    let mut files = 0;
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
        files += 1;
    }
    assert_eq!(files, 4, "one list each for Rust, .NET, Spring and Rack");
}

#[test]
fn rust_references_name_the_right_http_crate_constant() {
    let list = stored_list("rust-http-statuscode.txt");
    // The stored list is the crate we build with: same version, and exactly
    // the codes that the compiled crate knows a reason phrase for.
    let header = provenance(&read(&data_file("rust-http-statuscode.txt")));
    let lock = read(&repo_root().join("Cargo.lock"));
    let locked = lock
        .split("\n[[package]]\n")
        .find(|package| package.starts_with("name = \"http\"\n"))
        .and_then(|package| package.lines().nth(1))
        .and_then(|line| line.strip_prefix("version = \""))
        .map(|version| version.trim_end_matches('"'))
        .expect("Cargo.lock locks the http crate");
    assert_eq!(
        header["crate"],
        format!("http {locked}"),
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
    let stored: BTreeSet<u64> = list.constants.values().map(|c| c.code).collect();
    assert_eq!(
        stored, compiled,
        "the stored list is not the compiled crate's"
    );

    assert_some_references(&RUST);
    assert_no_problems(&RUST, problems(&RUST, &list));
}

#[test]
fn dotnet_references_name_the_right_http_status_code_member() {
    let list = stored_list("dotnet-httpstatuscode.txt");
    assert_some_references(&DOTNET);
    assert_no_problems(&DOTNET, problems(&DOTNET, &list));
}

#[test]
fn spring_references_name_the_right_http_status_constant() {
    let list = stored_list("spring-httpstatus.txt");
    assert_some_references(&SPRING);
    assert_no_problems(&SPRING, problems(&SPRING, &list));
}

#[test]
fn rails_references_name_a_rack_status_symbol_with_the_right_code() {
    let list = stored_list("rack-status-symbols.txt");
    assert_some_references(&RAILS);
    assert_no_problems(&RAILS, problems(&RAILS, &list));
}

#[test]
fn python_references_name_the_right_http_status_member() {
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
    let members: BTreeMap<String, u64> = serde_json::from_str(members).unwrap();
    let list = ConstantList {
        source: format!("Python {version}"),
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
    assert_some_references(&PYTHON);
    assert_no_problems(&PYTHON, problems(&PYTHON, &list));
}

/// The installed Go toolchain: `go`, or a failure saying how to get it.
fn go() -> Command {
    let found = Command::new("go").arg("version").output();
    match found {
        Ok(output) if output.status.success() => {}
        _ => panic!(
            "the Go check needs the `go` command: install Debian's golang-go \
             (`apt-get install golang-go`; ./test.sh does it)"
        ),
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
    go
}

/// Go's own names for status codes, from the installed `net/http` source.
/// Used only to say what Go calls a code; the check itself is the compiler.
fn go_status_names() -> ConstantList {
    let output = go().args(["env", "GOROOT"]).output().unwrap();
    let root = String::from_utf8(output.stdout).unwrap();
    let version = go().arg("version").output().unwrap().stdout;
    let version = String::from_utf8(version).unwrap();
    let version = version.split_whitespace().nth(2).unwrap_or("");
    let version = version.trim_start_matches("go").to_string();
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
        constants,
    }
}

#[test]
fn go_references_compile_to_the_pages_code() {
    assert_some_references(&GO);
    let mut problems = Vec::new();
    let mut named = Vec::new();
    for reference in references(&GO) {
        match name_in(&GO, &reference) {
            Ok(name) => {
                let name = name.to_string();
                named.push((reference, name));
            }
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
        .current_dir(folder.path())
        .args(["build", "-gcflags=-e", "-o", "references", "references.go"])
        .output()
        .unwrap();
    let hints = go_status_names();
    let what_go_calls = |code: u64| hints.what_it_calls(code, "http.");
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
    problems.extend(omissions(&GO, &hints));
    assert_no_problems(&GO, problems);
}

#[test]
fn references_use_only_the_known_languages() {
    let mut unknown = BTreeSet::new();
    for (code, page) in built_codes() {
        for key in page["references"].as_object().unwrap().keys() {
            if !LANGUAGES.contains(&key.as_str()) {
                unknown.insert(format!("{}: `{key}`", page_files()[code]));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "unknown references keys (known: {LANGUAGES:?}):\n{}",
        unknown.into_iter().collect::<Vec<_>>().join("\n")
    );
}
