//! Problems found in the site's input, reported to the contributor all at once.
//!
//! A [`Diagnostic`] says where (`path:line:col`, path relative to the site
//! root), what is wrong and, in its hint, what to do. Steps of the pipeline
//! collect them in [`Diagnostics`] instead of stopping at the first one, so
//! a single run shows every problem; [`report`] prints them for people
//! (rustc-style), editors (JSON) and pull requests (GitHub annotations).

use std::fmt;
use std::path::{Path, PathBuf};

pub mod report;

/// Wording of Rust, serde and the YAML parser that must never reach a
/// contributor; the fuzzer and the property tests check every message
/// against it.
pub const PARSER_WORDS: &[&str] = &[
    "Option<",
    "variant",
    "serde",
    "Spanned",
    "invalid type:",
    "DuplicateKeyPolicy",
];

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build fails.
    Error,
    /// The build goes on, but the contributor should know (for example,
    /// HTML the sanitizer removed).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// What a problem's `path` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Place {
    /// A file of the site, relative to its root (`content/4xx/404.md`).
    #[default]
    Source,
    /// A command-line option (`--base-url`).
    Option,
    /// A folder or file on disk as given or resolved (`--output` folders).
    Disk,
    /// A file of the built site, relative to the output folder (`404.html`).
    Built,
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// What `path` names: a site file (relative to the root), an option,
    /// a path on disk, or a built file.
    pub place: Place,
    /// File the problem is in; see `place`.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// What is wrong (and, where no hint is given, what to do about it).
    pub message: String,
    /// What to do about it, when said apart from the message: shown under
    /// the caret in a terminal, as `hint` in JSON.
    pub hint: Option<String>,
    pub severity: Severity,
}

impl Diagnostic {
    /// A problem at a position in a file.
    pub fn at(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            place: Place::Source,
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            hint: None,
            severity: Severity::Error,
        }
    }

    /// The same problem, with what to do about it said apart.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A problem with a command-line option (`--base-url`), not a file.
    pub fn option(option: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            place: Place::Option,
            ..Diagnostic::file(Path::new(option), message)
        }
    }

    /// A problem with a folder or file on disk, named as given or resolved
    /// (the output folder), not relative to the site root.
    pub fn disk(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            place: Place::Disk,
            ..Diagnostic::file(path, message)
        }
    }

    /// A problem in a file of the built site (`404.html`), which comes
    /// from the theme's templates and the pages' Markdown.
    pub fn built(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            place: Place::Built,
            ..Diagnostic::file(path, message)
        }
    }

    /// The same problem, as a warning.
    pub fn into_warning(self) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..self
        }
    }

    /// True when the problem is in a command-line option, not a file.
    pub fn is_option(&self) -> bool {
        self.place == Place::Option
    }

    /// The message and the hint as one sentence, for one-line formats.
    pub fn full_message(&self) -> String {
        match &self.hint {
            Some(hint) => format!("{}: {hint}", self.message),
            None => self.message.clone(),
        }
    }

    /// A warning at a position in a file: the build goes on.
    pub fn warning(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::at(path, line, column, message)
        }
    }

    /// True unless this is only a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A problem with a file as a whole (missing, unreadable, misplaced).
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic::at(path, 0, 0, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Forward slashes on every platform, so messages are stable in tests.
        let path = self.path.to_string_lossy().replace('\\', "/");
        let message = self.full_message();
        match (self.line, self.column) {
            (0, _) => write!(f, "{path}: {message}"),
            (line, 0) => write!(f, "{path}:{line}: {message}"),
            (line, column) => write!(f, "{path}:{line}:{column}: {message}"),
        }
    }
}

/// Every problem of a run, kept sorted and without repeats.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Takes over all problems of `other`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when at least one problem fails the build.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// The problems, sorted by file and position, each reported once.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }

    /// `Ok(value)` when nothing was found, otherwise all the problems.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_sorted().into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in self.clone().into_sorted() {
            writeln!(f, "{}: {diagnostic}", diagnostic.severity)?;
        }
        Ok(())
    }
}

/// The closest of `candidates` to a misspelled `word`, if one is close enough
/// to be a likely typo (used for "did you mean" hints).
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (edit_distance(word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(1))
        .min()
        .map(|(_, candidate)| candidate)
}

/// Edit distance between two short strings, counting a swap of two
/// neighbouring letters (`titel`) as one edit (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut distance = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in distance.iter_mut().enumerate() {
        row[0] = i;
    }
    distance[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (distance[i - 1][j] + 1)
                .min(distance[i][j - 1] + 1)
                .min(distance[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(distance[i - 2][j - 2] + 1);
            }
            distance[i][j] = best;
        }
    }
    distance[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let fields = ["code", "title", "summary", "status"];
        assert_eq!(did_you_mean("titel", &fields), Some("title"));
        assert_eq!(did_you_mean("sumary", &fields), Some("summary"));
        assert_eq!(did_you_mean("colour", &fields), None);
    }

    #[test]
    fn displays_path_line_and_column() {
        let d = Diagnostic::at(Path::new("content/4xx/404.md"), 3, 8, "bad");
        assert_eq!(d.to_string(), "content/4xx/404.md:3:8: bad");
        assert_eq!(
            Diagnostic::file(Path::new("a.md"), "x").to_string(),
            "a.md: x"
        );
    }
}
