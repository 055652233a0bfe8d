//! Reading a content file and splitting it into front matter and body.
//!
//! Files are read whole, checked to be UTF-8, stripped of a byte-order mark and
//! normalised to `\n` line endings, so every later step sees the same text and
//! line numbers match what the contributor's editor shows.

use std::path::Path;

use crate::diagnostics::Diagnostic;

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
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // CommonMark replaces NUL with U+FFFD; doing it here keeps it out of
    // every output format, not only the HTML.
    Ok(text.replace("\r\n", "\n").replace('\0', "\u{fffd}"))
}

/// Splits `text` into front matter and body.
///
/// The file must start with a line `---`; the front matter ends at the next
/// line that is exactly `---`.
pub fn split_front_matter(relative: &Path, text: &str) -> Result<SplitSource, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return Err(Diagnostic::at(
            relative,
            1,
            1,
            "missing front matter: start the file with a line `---`, then the YAML fields, then another line `---`",
        ));
    }
    let mut offset = 4;
    for (index, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            let front_matter = text[4..offset].to_string();
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
