//! A code page's `references`: which libraries it names, and the releases
//! given for a name that is not the same in every release (`since`,
//! `formerly`, `deprecated`, `removed`). Each problem is reported at the
//! line of the field it is about.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::Path;

use super::front_matter::{self, LibraryConstant};
use super::source::SplitSource;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

/// Checks every entry of `references`, pushing its problems to `errors`.
pub fn check(
    path: &Path,
    split: &SplitSource,
    references: &BTreeMap<String, LibraryConstant>,
    errors: &mut Diagnostics,
) {
    for (library, constant) in references {
        let error = |field: Option<&str>, message: String| {
            let (line, column) = entry_position(split, library, field);
            Diagnostic::at(path, line, column, message)
        };
        if !front_matter::REFERENCE_KEYS.contains(&library.as_str()) {
            let hint = match did_you_mean(library, front_matter::REFERENCE_KEYS) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => format!(
                    "the libraries are: {}",
                    front_matter::REFERENCE_KEYS.join(", ")
                ),
            };
            errors.push(
                error(None, format!("`references` names no library `{library}`")).with_hint(hint),
            );
        }
        if constant.name.trim().is_empty() {
            errors.push(
                error(
                    Some("name"),
                    format!("`references.{library}` names no constant"),
                )
                .with_hint("give the constant or remove the entry"),
            );
        }
        check_releases(library, constant, &error, errors);
    }
}

/// The release fields of one entry: each a release number, in an order that
/// makes sense, and `formerly` only with the `since` that ended it.
fn check_releases(
    library: &str,
    constant: &LibraryConstant,
    error: &dyn Fn(Option<&str>, String) -> Diagnostic,
    errors: &mut Diagnostics,
) {
    let product = front_matter::versioned_product(library);
    let mut releases = Vec::new();
    for (field, written) in [
        ("since", &constant.releases.since),
        ("deprecated", &constant.releases.deprecated),
        ("removed", &constant.releases.removed),
    ] {
        let Some(written) = written else { continue };
        match Release::parse(written) {
            Some(release) => releases.push((field, release)),
            None => errors.push(
                error(
                    Some(field),
                    format!("`{field}` must be a release number of {product}, not `{written}`"),
                )
                .with_hint(format!(
                    "write it like `{field}: \"7.0\"` (in quotes, digits and dots)"
                )),
            ),
        }
    }
    // Written order is the order of time: since, then deprecated, then removed.
    // Comparing neighbours is enough: the order is transitive.
    for pair in releases.windows(2) {
        let [(earlier, earlier_release), (later, later_release)] = pair else {
            continue;
        };
        let (wrong, rule) = match (*earlier, *later) {
            // A name can be deprecated in the release that added it.
            ("since", "deprecated") => (earlier_release > later_release, "must not come before"),
            _ => (earlier_release >= later_release, "must come after"),
        };
        if wrong {
            errors.push(
                error(
                    Some(later),
                    format!("`{later}: {later_release}` {rule} `{earlier}: {earlier_release}`"),
                )
                .with_hint(format!(
                    "`since` is the first release of {product} with the name, `deprecated` the one that deprecated it, `removed` the first one without it"
                )),
            );
        }
    }
    match &constant.releases.formerly {
        Some(formerly) if constant.releases.since.is_none() => errors.push(
            error(
                Some("formerly"),
                format!("`formerly: {formerly}` needs `since`: the first release of {product} with the new name"),
            )
            .with_hint("add `since: \"…\"` to the entry"),
        ),
        Some(formerly) if formerly.trim().is_empty() || *formerly == constant.name => errors.push(
            error(
                Some("formerly"),
                "`formerly` must be the older name, different from `name`".to_string(),
            )
            .with_hint("give the name releases before `since` use, or remove the line"),
        ),
        _ => {}
    }
}

/// A release number: `7.0`, `1.2.0`, `3.13`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release(Vec<u64>);

impl Release {
    /// Digits separated by single dots, or nothing.
    pub fn parse(text: &str) -> Option<Release> {
        text.split('.')
            .map(|part| {
                let digits = !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
                digits.then(|| part.parse().ok()).flatten()
            })
            .collect::<Option<Vec<u64>>>()
            .map(Release)
    }
}

/// `7.0` and `7.0.0` are the same release.
impl Ord for Release {
    fn cmp(&self, other: &Self) -> Ordering {
        let length = self.0.len().max(other.0.len());
        let part = |release: &Release, index: usize| release.0.get(index).copied().unwrap_or(0);
        (0..length)
            .map(|index| part(self, index).cmp(&part(other, index)))
            .find(|ordering| ordering.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for Release {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Release {
    fn fmt(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u64::to_string).collect();
        formatter.write_str(&parts.join("."))
    }
}

/// The file line and column of `references` → `library` (→ `field`, when
/// given and written), or of the nearest of them that is written.
fn entry_position(split: &SplitSource, library: &str, field: Option<&str>) -> (usize, usize) {
    let lines: Vec<&str> = split.front_matter.lines().collect();
    let indent = |index: usize| lines[index].len() - lines[index].trim_start().len();
    let names = |index: usize, key: &str| {
        let line = lines[index].trim_start().trim_start_matches(['"', '\'']);
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
    };
    // The first line below `start`, within its indented block, that names `key`.
    let find_below = |start: usize, key: &str| {
        (start + 1..lines.len())
            .take_while(|&index| lines[index].trim().is_empty() || indent(index) > indent(start))
            .find(|&index| names(index, key))
    };
    let Some(parent) = front_matter::field_index(&split.front_matter, "references") else {
        return (split.front_matter_line, 1);
    };
    let entry = find_below(parent, library);
    let found = match (entry, field) {
        (Some(entry), Some(field)) => find_below(entry, field).or(Some(entry)),
        (entry, _) => entry,
    }
    .unwrap_or(parent);
    (found + split.front_matter_line, indent(found) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line, column and message of each problem with the `references` of
    /// the front matter `yaml` (which starts on line 2 of its file).
    fn problems(yaml: &str) -> Vec<(usize, usize, String)> {
        #[derive(serde::Deserialize)]
        struct Front {
            references: BTreeMap<String, LibraryConstant>,
        }
        let front: Front = serde_saphyr::from_str(yaml).unwrap();
        let split = SplitSource::of_front_matter(yaml);
        let mut errors = Diagnostics::default();
        check(Path::new("a.md"), &split, &front.references, &mut errors);
        errors
            .into_sorted()
            .into_iter()
            .map(|error| (error.line, error.column, error.message))
            .collect()
    }

    #[test]
    fn well_formed_entries_pass() {
        let yaml = "references:\n  Rust: http::StatusCode::NOT_FOUND\n  Spring:\n    name: HttpStatus.CONTENT_TOO_LARGE\n    since: 7.0\n    formerly: HttpStatus.PAYLOAD_TOO_LARGE\n  Rails:\n    name: :x\n    since: 2.2\n    deprecated: 3.0\n    removed: 3.10\n";
        assert_eq!(problems(yaml), []);
    }

    #[test]
    fn release_mistakes_are_reported_at_their_field() {
        let cases: &[(&str, (usize, usize, &str))] = &[
            (
                "references:\n  Spring:\n    name: HttpStatus.X\n    since: seven\n",
                (
                    5,
                    5,
                    "`since` must be a release number of Spring, not `seven`",
                ),
            ),
            (
                "references:\n  Rails:\n    name: :x\n    removed: v3.1\n",
                (
                    5,
                    5,
                    "`removed` must be a release number of Rack, not `v3.1`",
                ),
            ),
            (
                "references:\n  Rust:\n    name: http::StatusCode::X\n    since: 1.4\n    removed: 1.2.0\n",
                (6, 5, "`removed: 1.2.0` must come after `since: 1.4`"),
            ),
            (
                "references:\n  Spring:\n    name: HttpStatus.X\n    since: 7.0\n    deprecated: 7\n    removed: 7.0.0\n",
                (7, 5, "`removed: 7.0.0` must come after `deprecated: 7`"),
            ),
            (
                "references:\n  Spring:\n    name: HttpStatus.X\n    formerly: HttpStatus.Y\n",
                (
                    5,
                    5,
                    "`formerly: HttpStatus.Y` needs `since`: the first release of Spring with the new name",
                ),
            ),
            (
                "references:\n  Spring:\n    name: HttpStatus.X\n    since: 7.0\n    formerly: HttpStatus.X\n",
                (
                    6,
                    5,
                    "`formerly` must be the older name, different from `name`",
                ),
            ),
            (
                "references:\n  Kotlin:\n    name: X\n",
                (3, 3, "`references` names no library `Kotlin`"),
            ),
            (
                "references:\n  Go: \" \"\n",
                (3, 3, "`references.Go` names no constant"),
            ),
        ];
        for (yaml, (line, column, message)) in cases {
            assert_eq!(
                problems(yaml),
                [(*line, *column, message.to_string())],
                "{yaml}"
            );
        }
    }

    #[test]
    fn releases_compare_by_number_and_ignore_trailing_zeros() {
        let release = |text| Release::parse(text).unwrap();
        assert!(release("3.10") > release("3.9"));
        assert!(release("1.4.0") > release("1.2.0"));
        assert_eq!(release("7.0"), release("7.0"));
        assert_eq!(release("7.0").cmp(&release("7")), Ordering::Equal);
        assert_eq!(release("3.1.0").to_string(), "3.1.0");
        for bad in ["", "7.", ".7", "7..0", "v7.0", "7.0-RC1", "seven", "7 .0"] {
            assert_eq!(Release::parse(bad), None, "{bad:?} is not a release");
        }
    }
}
