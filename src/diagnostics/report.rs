//! Printing problems, in the three forms their readers want:
//!
//! - **human** (the default): rustc-style, one block per problem, ordered
//!   by file and position, with the offending line and a caret under the
//!   mistake; coloured on a terminal, plain when piped or when `NO_COLOR`
//!   is set;
//! - **json**: one JSON object per line and problem (`file`, `line`,
//!   `column`, `severity`, `message`, `hint`), for editors;
//! - **github**: workflow commands (`::error file=…,line=…,col=…::…`), so
//!   problems appear on the lines of a pull request's diff.
//!
//! Paths are shown as the contributor would type them from where the
//! command runs, and every character that could move the cursor or forge a
//! line of output (a newline in a file name) is shown escaped.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use super::{Diagnostic, Place, Severity};
use crate::content::source;

/// How problems are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

/// Where and how a report is printed.
#[derive(Debug, Clone)]
pub struct Report {
    /// The site root, as given on the command line.
    pub root: PathBuf,
    pub format: Format,
    /// ANSI colours (human format only).
    pub colour: bool,
}

impl Report {
    /// Every problem, in order, as one text to print (empty when there are
    /// none).
    pub fn render(&self, problems: &[Diagnostic]) -> String {
        let mut sources = Sources::new(&self.root);
        let mut out = String::new();
        for problem in problems {
            let file = self.shown_path(problem);
            match self.format {
                Format::Human => self.human(&mut out, problem, &printable(&file), &mut sources),
                Format::Json => {
                    out.push_str(&json(problem, &file).to_string());
                    out.push('\n');
                }
                Format::Github => {
                    out.push_str(&github(problem, &file));
                    out.push('\n');
                }
            }
        }
        out
    }

    /// Prints `problems`: people read them on standard error, tools on
    /// standard output. Returns how many are errors.
    pub fn print(&self, problems: &[Diagnostic]) -> usize {
        let text = self.render(problems);
        let written = match self.format {
            Format::Human => std::io::stderr().lock().write_all(text.as_bytes()),
            Format::Json | Format::Github => std::io::stdout().lock().write_all(text.as_bytes()),
        };
        // A closed pipe (`| head`) is not worth a panic.
        drop(written);
        problems.iter().filter(|problem| problem.is_error()).count()
    }

    /// Each problem as the JSON object of `--format json`, with
    /// `source_line`: the text of its line as the build read it (null for a
    /// whole-file problem, or a line or file not there).
    pub fn json_with_source_lines(&self, problems: &[Diagnostic]) -> Vec<serde_json::Value> {
        let mut sources = Sources::new(&self.root);
        problems
            .iter()
            .map(|problem| {
                let mut value = json(problem, &self.shown_path(problem));
                value["source_line"] = match (problem.place, problem.line) {
                    (Place::Source, line) if line > 0 => sources.line(&problem.path, line).into(),
                    _ => serde_json::Value::Null,
                };
                value
            })
            .collect()
    }

    /// The problem's file as the contributor would type it from the
    /// current folder: through `--root` as given, or a path relative to the
    /// current folder when that is shorter. Not yet escaped: see
    /// [`printable`].
    pub fn shown_path(&self, problem: &Diagnostic) -> String {
        match problem.place {
            Place::Source => {}
            Place::Option => return problem.path.to_string_lossy().into_owned(),
            Place::Disk => return problem.path.to_string_lossy().into_owned(),
            Place::Built => {
                return format!(
                    "{} (in the built site)",
                    problem.path.to_string_lossy().replace('\\', "/")
                );
            }
        }
        let through_root = tidy(&self.root.join(&problem.path));
        let shortest = std::env::current_dir()
            .ok()
            .and_then(|here| {
                let absolute = lexical(&here.join(&self.root).join(&problem.path));
                relative_to(&absolute, &lexical(&here))
            })
            .filter(|relative| relative.as_os_str().len() < through_root.as_os_str().len())
            .unwrap_or(through_root);
        // Forward slashes on every platform, so output is the same in tests.
        shortest.to_string_lossy().replace('\\', "/")
    }

    /// One rustc-style block:
    ///
    /// ```text
    /// error: unknown field `titel`
    ///  --> content/4xx/404.md:3:1
    ///   |
    /// 3 | titel: Not Found
    ///   | ^^^^^ did you mean `title`?
    /// ```
    fn human(&self, out: &mut String, problem: &Diagnostic, file: &str, sources: &mut Sources) {
        let paint = Paint(self.colour);
        let (label, colour) = match problem.severity {
            Severity::Error => ("error", RED),
            Severity::Warning => ("warning", YELLOW),
        };
        let option = match problem.place {
            Place::Option => format!("{file}: "),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{}{}\n",
            paint.bold(colour, label),
            paint.bold("", &format!(": {option}{}", printable(&problem.message)))
        ));
        let location = match (problem.line, problem.column) {
            (0, _) => file.to_string(),
            (line, 0) => format!("{file}:{line}"),
            (line, column) => format!("{file}:{line}:{column}"),
        };
        let snippet = match problem.line {
            0 => None,
            line => sources.line(&problem.path, line),
        };
        let gutter = match &snippet {
            Some(_) => problem.line.to_string().len(),
            None => 1,
        };
        let pad = " ".repeat(gutter);
        if !problem.is_option() {
            out.push_str(&format!("{pad}{} {location}\n", paint.bold(BLUE, "-->")));
        }
        let bar = paint.bold(BLUE, "|");
        let hint = problem.hint.as_deref().map(printable);
        match snippet {
            Some(text) => {
                let (shown, caret_at, caret_len) = caret_line(&text, problem.column);
                out.push_str(&format!("{pad} {bar}\n"));
                out.push_str(&format!(
                    "{} {bar} {shown}\n",
                    paint.bold(BLUE, &problem.line.to_string())
                ));
                let caret = if problem.column == 0 {
                    String::new()
                } else {
                    format!("{}{}", " ".repeat(caret_at), "^".repeat(caret_len))
                };
                let after = match (&hint, caret.is_empty()) {
                    (Some(hint), false) => format!(" {hint}"),
                    (Some(hint), true) => format!("= help: {hint}"),
                    (None, _) => String::new(),
                };
                let marked = format!("{caret}{after}");
                if !marked.is_empty() {
                    out.push_str(&format!(
                        "{pad} {bar} {}\n",
                        paint.bold(colour, &marked).trim_end()
                    ));
                }
            }
            None => {
                if let Some(hint) = hint {
                    out.push_str(&format!(
                        "{pad} {}\n",
                        paint.bold(BLUE, &format!("= help: {hint}"))
                    ));
                }
            }
        }
        out.push('\n');
    }
}

/// The text of source lines, read once per file.
struct Sources<'a> {
    root: &'a Path,
    lines: BTreeMap<PathBuf, Option<Vec<String>>>,
}

impl<'a> Sources<'a> {
    fn new(root: &'a Path) -> Self {
        Sources {
            root,
            lines: BTreeMap::new(),
        }
    }

    /// Line `line` (1-based) of `path`, as the build read it (BOM, CRLF and
    /// NUL normalised, invalid UTF-8 shown as U+FFFD), or `None` when the
    /// file or the line is not there.
    fn line(&mut self, path: &Path, line: usize) -> Option<String> {
        let inside = path
            .components()
            .all(|part| matches!(part, Component::Normal(_)));
        if !inside {
            return None;
        }
        let root = self.root;
        let lines = self.lines.entry(path.to_path_buf()).or_insert_with(|| {
            let bytes = std::fs::read(root.join(path)).ok()?;
            let text = source::normalise(&String::from_utf8_lossy(&bytes));
            Some(text.lines().map(str::to_string).collect())
        });
        lines.as_ref()?.get(line.checked_sub(1)?).cloned()
    }
}

/// At most this many characters of a source line are shown.
const WIDEST_LINE: usize = 100;

/// The source line as shown (tabs as four spaces, control characters as
/// U+FFFD, long lines cut around the column), where its caret starts and
/// how many carets mark the mistake: the word at the column, up to a space
/// or, for a YAML key, its colon.
fn caret_line(text: &str, column: usize) -> (String, usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let word = chars[at..]
        .iter()
        .take_while(|c| !c.is_whitespace())
        .count();
    let word = match chars[at..at + word].iter().position(|&c| c == ':') {
        Some(colon) if colon > 0 && chars.get(at + colon + 1).is_none_or(|c| c.is_whitespace()) => {
            colon
        }
        _ => word,
    };
    // A window of the line around the column.
    let start = if chars.len() > WIDEST_LINE {
        at.saturating_sub(WIDEST_LINE / 2)
            .min(chars.len() - WIDEST_LINE)
    } else {
        0
    };
    let end = (start + WIDEST_LINE).min(chars.len());
    let mut shown = String::new();
    let mut caret_at = 0;
    if start > 0 {
        shown.push('…');
        caret_at += 1;
    }
    for (index, &c) in chars[start..end].iter().enumerate() {
        let piece = match c {
            '\t' => "    ".to_string(),
            c if c.is_control() || printable_char(c).is_none() => "\u{fffd}".to_string(),
            c => c.to_string(),
        };
        if start + index < at {
            caret_at += piece.chars().count();
        }
        shown.push_str(&piece);
    }
    if end < chars.len() {
        shown.push('…');
    }
    let visible_word = word.min(end.saturating_sub(at)).max(1);
    (shown, caret_at, visible_word)
}

/// One problem as a JSON object.
fn json(problem: &Diagnostic, file: &str) -> serde_json::Value {
    let position = |value: usize| match value {
        0 => serde_json::Value::Null,
        value => value.into(),
    };
    let place = match problem.place {
        Place::Source => "source",
        Place::Option => "option",
        Place::Disk => "disk",
        Place::Built => "built",
    };
    let file = match problem.place {
        Place::Built => problem.path.to_string_lossy().into_owned(),
        _ => file.to_string(),
    };
    serde_json::json!({
        "file": file,
        "place": place,
        "line": position(problem.line),
        "column": position(problem.column),
        "severity": problem.severity.to_string(),
        "message": problem.message,
        "hint": problem.hint,
    })
}

/// One problem as a GitHub Actions workflow command. Values are escaped
/// as the runner expects (`%`, line breaks; in properties also `:` and
/// `,`), so no text can end the command early or start another.
fn github(problem: &Diagnostic, file: &str) -> String {
    let data = |text: &str| {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |text: &str| data(text).replace(':', "%3A").replace(',', "%2C");
    let mut properties = Vec::new();
    let in_the_repository = problem.place == Place::Source;
    if in_the_repository {
        properties.push(format!("file={}", property(&printable(file))));
        if problem.line > 0 {
            properties.push(format!("line={}", problem.line));
        }
        if problem.column > 0 {
            properties.push(format!("col={}", problem.column));
        }
    }
    let message = if in_the_repository {
        problem.full_message()
    } else {
        format!("{file}: {}", problem.full_message())
    };
    let command = match properties.is_empty() {
        true => problem.severity.to_string(),
        false => format!("{} {}", problem.severity, properties.join(",")),
    };
    format!("::{command}::{}", data(&printable(&message)))
}

/// `text` with every character that is not printable shown as an escape
/// (`\n`, `\u{1b}`, `\u{202e}`), so it cannot break or forge a line of a
/// terminal's output.
pub fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| printable_char(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match printable_char(c) {
                Some(c) => c.to_string(),
                None => c.escape_debug().to_string(),
            })
            .collect(),
    )
}

/// `Some(c)` when `c` prints as itself: not a control or format character
/// (Rust's `escape_debug` leaves exactly those alone, quotes and the
/// backslash apart).
fn printable_char(c: char) -> Option<char> {
    let plain = matches!(c, '\'' | '"' | '\\') || c.escape_debug().len() == 1;
    (plain && !c.is_control()).then_some(c)
}

/// `path` without `.` parts (`./content` → `content`).
fn tidy(path: &Path) -> PathBuf {
    let tidy: PathBuf = path
        .components()
        .filter(|part| *part != Component::CurDir)
        .collect();
    if tidy.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        tidy
    }
}

/// An absolute path with `.` and `..` resolved by name (symbolic links are
/// not looked at: this is for showing, not for opening).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            part => out.push(part),
        }
    }
    out
}

/// `path` relative to the folder `from` (both absolute), with `..` steps.
fn relative_to(path: &Path, from: &Path) -> Option<PathBuf> {
    let path: Vec<Component> = path.components().collect();
    let from: Vec<Component> = from.components().collect();
    if path.first() != from.first() {
        return None; // another drive
    }
    let common = path.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut relative = PathBuf::new();
    for _ in common..from.len() {
        relative.push("..");
    }
    for part in &path[common..] {
        relative.push(part);
    }
    Some(relative)
}

const RED: &str = "31";
const YELLOW: &str = "33";
const BLUE: &str = "34";

/// ANSI styling, or none.
struct Paint(bool);

impl Paint {
    /// `text` in bold, in `colour` (an SGR colour code, or "" for none).
    fn bold(&self, colour: &str, text: &str) -> String {
        match (self.0, colour) {
            (false, _) => text.to_string(),
            (true, "") => format!("\x1b[1m{text}\x1b[0m"),
            (true, colour) => format!("\x1b[1;{colour}m{text}\x1b[0m"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(format: Format) -> Report {
        Report {
            root: PathBuf::from("."),
            format,
            colour: false,
        }
    }

    #[test]
    fn the_caret_marks_the_word_or_the_yaml_key_at_the_column() {
        assert_eq!(
            caret_line("titel: Not Found", 1),
            ("titel: Not Found".to_string(), 0, 5)
        );
        assert_eq!(
            caret_line("see [x](/299/) now", 5),
            ("see [x](/299/) now".to_string(), 4, 10)
        );
        assert_eq!(caret_line("\tx", 2), ("    x".to_string(), 4, 1));
        assert_eq!(caret_line("", 1), (String::new(), 0, 1));
        let long = format!("{}word{}", "a ".repeat(200), " b".repeat(200));
        let (shown, at, len) = caret_line(&long, 401);
        assert_eq!(
            &shown.chars().skip(at).take(len).collect::<String>(),
            "word"
        );
        assert!(shown.chars().count() <= WIDEST_LINE + 2);
    }

    #[test]
    fn names_that_could_forge_output_are_escaped() {
        let problem = Diagnostic::file(
            Path::new("content/guides/a\nerror: forged.md"),
            "a \u{1b}[2Jmessage",
        );
        let human = report(Format::Human).render(std::slice::from_ref(&problem));
        assert_eq!(human.lines().count(), 3, "{human}");
        assert!(human.contains(r"a\nerror: forged.md"));
        assert!(human.contains(r"\u{1b}[2J"));
        let github = report(Format::Github).render(std::slice::from_ref(&problem));
        assert_eq!(github.lines().count(), 1, "{github}");
        let json = report(Format::Json).render(&[problem]);
        assert_eq!(json.lines().count(), 1, "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["file"], "content/guides/a\nerror: forged.md");
    }

    #[test]
    fn github_commands_escape_their_values() {
        let problem = Diagnostic::at(Path::new("content/a,b:c.md"), 2, 3, "50% done\nnext")
            .with_hint("fix it");
        assert_eq!(
            github(&problem, "content/a,b:c.md"),
            "::error file=content/a%2Cb%3Ac.md,line=2,col=3::50%25 done\\nnext: fix it"
        );
        let option = Diagnostic::option("--base-url", "bad");
        assert_eq!(github(&option, "--base-url"), "::error::--base-url: bad");
    }

    #[test]
    fn paths_are_shown_as_typed_or_relative_when_shorter() {
        let here = std::env::current_dir().unwrap();
        let problem = Diagnostic::file(Path::new("content/x.md"), "m");
        let through = |root: PathBuf| {
            Report {
                root,
                format: Format::Human,
                colour: false,
            }
            .shown_path(&problem)
        };
        assert_eq!(through(PathBuf::from(".")), "content/x.md");
        assert_eq!(through(PathBuf::from("site")), "site/content/x.md");
        assert_eq!(through(here.join("site")), "site/content/x.md");
        assert_eq!(
            relative_to(Path::new("/a/b/c"), Path::new("/a/d")),
            Some(PathBuf::from("../b/c"))
        );
    }
}
