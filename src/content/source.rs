//! Finding the site's input files, reading a content file and splitting it
//! into front matter and body.
//!
//! Symbolic links are never followed: a build reads only files that are
//! really inside the site's folders, so a link to `/etc` or to another
//! checkout cannot be published. A link is reported where it is, with what
//! to do.
//!
//! Files are read whole, checked to be UTF-8, stripped of a byte-order mark and
//! normalised to `\n` line endings, so every later step sees the same text and
//! line numbers match what the contributor's editor shows.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// A content file's text, split at the `---` fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitSource {
    /// The YAML between the fences.
    pub front_matter: String,
    /// 1-based line of the first YAML line in the file.
    pub front_matter_line: usize,
    /// The Markdown after the closing fence.
    pub body: String,
    /// 1-based line of the first body line in the file.
    pub body_line: usize,
}

impl SplitSource {
    /// The file's line and column (1-based) of a value the YAML parser
    /// located in the front matter.
    pub fn position_of<T>(&self, spanned: &serde_saphyr::Spanned<T>) -> (usize, usize) {
        (
            spanned.referenced.line() as usize + self.front_matter_line - 1,
            spanned.referenced.column() as usize,
        )
    }

    /// A file that is only the front matter `yaml`, opened on line 1 by
    /// `---`, for the tests of the front-matter checks.
    #[cfg(test)]
    pub fn of_front_matter(yaml: &str) -> SplitSource {
        SplitSource {
            front_matter: yaml.into(),
            front_matter_line: 2,
            body: String::new(),
            body_line: yaml.lines().count() + 3,
        }
    }
}

/// The files under `root/folder` (a path relative to the root), relative to
/// the root and sorted; hidden files and folders (`.DS_Store`, `.git`) and
/// editor backups (`x.md~`) are left out. A missing folder has no files.
/// Symbolic links, the folder itself or any folder above it inside the
/// root included, are reported instead of followed.
pub fn files_under(root: &Path, folder: &Path) -> (Vec<PathBuf>, Diagnostics) {
    let mut problems = Diagnostics::default();
    if let Some(problem) = symlink_on_the_way(root, folder) {
        problems.push(problem);
        return (Vec::new(), problems);
    }
    if std::fs::symlink_metadata(root.join(folder)).is_err() {
        return (Vec::new(), problems);
    }
    let mut files = Vec::new();
    let walk = WalkDir::new(root.join(folder))
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            entry.depth() == 0 || !(name.starts_with('.') || name.ends_with('~'))
        });
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(folder);
                let relative = path.strip_prefix(root).unwrap_or(path);
                problems.push(Diagnostic::file(relative, format!("cannot read: {error}")));
                continue;
            }
        };
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if entry.path_is_symlink() {
            problems.push(symlink_problem(relative));
        } else if entry.file_type().is_file() {
            files.push(relative.to_path_buf());
        }
    }
    (files, problems)
}

/// The problem with `root/folder` if it, or a folder above it inside the
/// root, is a symbolic link.
pub fn symlink_on_the_way(root: &Path, folder: &Path) -> Option<Diagnostic> {
    let mut above = PathBuf::new();
    for part in folder.components() {
        above.push(part);
        let metadata = std::fs::symlink_metadata(root.join(&above)).ok()?;
        if metadata.file_type().is_symlink() {
            return Some(symlink_problem(&above));
        }
    }
    None
}

fn symlink_problem(relative: &Path) -> Diagnostic {
    Diagnostic::file(
        relative,
        "this is a symbolic link, and the build does not follow links (so it publishes only files inside the site's folders): replace it with the real file or folder",
    )
}

/// Reads `root/relative` as UTF-8 text with `\n` line endings and no BOM.
pub fn read_text(root: &Path, relative: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(root.join(relative))
        .map_err(|error| Diagnostic::file(relative, format!("cannot read the file: {error}")))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            return Err(Diagnostic::at(
                relative,
                line,
                column,
                "the file is not valid UTF-8: save it with UTF-8 encoding",
            ));
        }
    };
    Ok(normalise(&text))
}

/// The text every later step sees: no byte-order mark, `\n` line endings
/// (a lone `\r` ends a line too, for CommonMark and YAML alike), and NUL as
/// U+FFFD (as CommonMark says; doing it here keeps NUL out of every output
/// format, not only the HTML).
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "\u{fffd}")
}

/// Splits `text` into front matter and body.
///
/// The file must start with a line `---`; the front matter ends at the next
/// line that is exactly `---`.
pub fn split_front_matter(relative: &Path, text: &str) -> Result<SplitSource, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let opening = lines.next().unwrap_or("");
    // Trailing spaces (even a no-break space) after a fence are forgiven.
    if opening.trim_end() != "---" {
        return Err(Diagnostic::at(
            relative,
            1,
            1,
            "missing front matter: start the file with a line `---`, then the YAML fields, then another line `---`",
        ));
    }
    let start = opening.len();
    let mut offset = start;
    for (index, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            let front_matter = text[start..offset].to_string();
            let body = text.get(offset + line.len()..).unwrap_or("").to_string();
            return Ok(SplitSource {
                front_matter,
                front_matter_line: 2,
                body,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::at(
        relative,
        1,
        1,
        "the front matter opened here is never closed: add a line `---` after the last field",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let split = split_front_matter(Path::new("a.md"), "---\na: 1\nb: 2\n---\nbody\n").unwrap();
        assert_eq!(split.front_matter, "a: 1\nb: 2\n");
        assert_eq!(split.body, "body\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn fences_may_end_in_spaces() {
        for fence in ["--- ", "---  ", "---\u{a0}", "---\t"] {
            let text = format!("{fence}\na: 1\n{fence}\nbody\n");
            let split = split_front_matter(Path::new("a.md"), &text).unwrap();
            assert_eq!(split.front_matter, "a: 1\n", "{fence:?}");
            assert_eq!(split.body, "body\n", "{fence:?}");
        }
    }

    #[test]
    fn empty_body_is_fine() {
        let split = split_front_matter(Path::new("a.md"), "---\na: 1\n---").unwrap();
        assert_eq!(split.body, "");
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        let error = split_front_matter(Path::new("a.md"), "---\na: 1\n").unwrap_err();
        assert!(error.message.contains("never closed"));
    }
}
