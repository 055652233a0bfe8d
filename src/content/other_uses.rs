//! `other_uses`: the different meanings vendors give a code's number
//! (ArcGIS's 499 "Token Required" beside nginx's 499). Each entry names
//! who uses it, their name for it, what it means and the vendor's own
//! document that shows it; the checks here make sure all four say
//! something and that the document is an `https://` link.

use std::path::Path;

use serde_saphyr::Spanned;

use crate::content::front_matter::OtherUse;
use crate::content::source::SplitSource;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Checks each `other_uses` entry of the page titled `title` and returns
/// them as written.
pub fn check(
    path: &Path,
    split: &SplitSource,
    title: &str,
    entries: Vec<Spanned<OtherUse>>,
    errors: &mut Diagnostics,
) -> Vec<OtherUse> {
    let mut uses: Vec<OtherUse> = Vec::new();
    for entry in entries {
        let (line, column) = split.position_of(&entry);
        let other = entry.value;
        let mut problem = |field: &str, message: String, hint: &str| {
            let (line, column) = field_position(split, line, column, field);
            errors.push(Diagnostic::at(path, line, column, message).with_hint(hint));
        };
        for (field, value) in [
            ("source", &other.source),
            ("title", &other.title),
            ("meaning", &other.meaning),
            ("url", &other.url),
        ] {
            if value.trim().is_empty() {
                problem(
                    field,
                    format!("`{field}` of this `other_uses` entry is empty"),
                    "say who uses the number (`source`), their name for it (`title`), what it means there (`meaning`) and link their documentation (`url`)",
                );
            }
        }
        if !other.url.trim().is_empty() && !other.url.starts_with("https://") {
            problem(
                "url",
                format!("`url` `{}` is not an https:// URL", other.url),
                "link the vendor's own documentation by its https:// address",
            );
        }
        if other.title.trim().eq_ignore_ascii_case(title.trim()) {
            problem(
                "title",
                format!("`{}` is this page's own title", other.title),
                "`other_uses` is for a different meaning; another name for the same meaning goes in `aliases`",
            );
        }
        if uses
            .iter()
            .any(|seen| seen.source == other.source && seen.title == other.title)
        {
            problem(
                "source",
                format!(
                    "{} \"{}\" is listed twice in `other_uses`",
                    other.source, other.title
                ),
                "keep one of them",
            );
            continue;
        }
        uses.push(other);
    }
    uses
}

/// Where `field:` is written in the entry that starts at `line`:`column`
/// of the file (both 1-based); the entry's start when it is not found.
fn field_position(split: &SplitSource, line: usize, column: usize, field: &str) -> (usize, usize) {
    let first = line.saturating_sub(split.front_matter_line);
    split
        .front_matter
        .lines()
        .enumerate()
        .skip(first)
        .take_while(|(index, text)| {
            // The entry ends at the next `- ` or a line indented less.
            let indent = text.len() - text.trim_start().len();
            *index == first || (indent + 1 >= column && !text.trim_start().starts_with("- "))
        })
        .find_map(|(index, text)| {
            let at = text.find(&format!("{field}:"))?;
            Some((index + split.front_matter_line, at + 1))
        })
        .unwrap_or((line, column))
}
