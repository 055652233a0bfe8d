//! The site's settings, read from `site.yaml` at the root.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::content::front_matter::FrontMatter;
use crate::content::source;
use crate::diagnostics::Diagnostic;

/// `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Shown in the header and in every page title.
    pub title: String,
    /// The site's one-line description.
    pub description: String,
    /// Where the site is hosted, ending in `/`; used for canonical links and
    /// the sitemap only (every other link is relative).
    pub base_url: String,
    /// Folder name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The `lang` attribute of every page.
    #[serde(default = "default_language")]
    pub language: String,
}

fn default_theme() -> String {
    "default".into()
}

fn default_language() -> String {
    "en".into()
}

impl FrontMatter for SiteConfig {
    const FIELDS: &'static [&'static str] =
        &["title", "description", "base_url", "theme", "language"];
}

/// Checks that `root` is a site: a folder holding `site.yaml`. The
/// problem, if any, says which folder was searched and how to point at
/// another (`--root`).
pub fn find_site(root: &Path) -> Result<(), Diagnostic> {
    let searched = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let shown = crate::diagnostics::report::printable(&searched.to_string_lossy()).into_owned();
    if !root.is_dir() {
        return Err(
            Diagnostic::option("--root", format!("there is no folder `{shown}`")).with_hint(
                "pass the folder that holds site.yaml, content/ and themes/: `--root DIR`",
            ),
        );
    }
    if !root.join("site.yaml").is_file() {
        return Err(Diagnostic::option(
            "--root",
            format!("no site.yaml in `{shown}`, the folder searched"),
        )
        .with_hint(
            "run the command in the site's folder (the one holding site.yaml, content/ and themes/), or pass it with `--root DIR`",
        ));
    }
    Ok(())
}

impl SiteConfig {
    /// Reads `root/site.yaml`; `base_url` overrides the file's value.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<SiteConfig, Diagnostic> {
        let path = Path::new("site.yaml");
        let text = source::read_text(root, path)?;
        let split = source::SplitSource {
            front_matter: text,
            front_matter_line: 1,
            body: String::new(),
            body_line: 1,
        };
        let mut config: SiteConfig = crate::content::front_matter::parse(path, &split)?;
        let checked = match base_url {
            Some(from_flag) => checked_base_url(from_flag).map_err(|problem| {
                Diagnostic::option(
                    "--base-url",
                    format!("`{}` {problem}", printable(from_flag)),
                )
            }),
            None => checked_base_url(&config.base_url).map_err(|problem| {
                Diagnostic::at(
                    path,
                    field_line(&split.front_matter, "base_url"),
                    1,
                    format!("base_url `{}` {problem}", printable(&config.base_url)),
                )
            }),
        };
        config.base_url = checked?;
        Ok(config)
    }

    /// The line of `field` in `root/site.yaml`, or 0 when it is not there.
    pub fn line_of(root: &Path, field: &str) -> usize {
        source::read_text(root, Path::new("site.yaml")).map_or(0, |text| field_line(&text, field))
    }

    /// The path part of `base_url` (`/httpcodes/`), where the site lives on its host.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        after_scheme
            .find('/')
            .map_or("/", |slash| &after_scheme[slash..])
    }
}

/// `base_url` as the site uses it (normalised, ending in `/`), or what is
/// wrong with it, in words that follow the URL in a message.
fn checked_base_url(text: &str) -> Result<String, String> {
    const EXAMPLE: &str = "such as https://user.github.io/httpcodes/";
    if text.chars().any(char::is_control) {
        return Err(format!(
            "contains a control character (a line break or tab?): write the URL on one line, {EXAMPLE}"
        ));
    }
    let url = url::Url::parse(text)
        .map_err(|error| format!("is not an absolute URL ({error}): write one {EXAMPLE}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("must start with https:// or http://, {EXAMPLE}"));
    }
    // `https:////evil.example/` parses, but is almost surely a typo, and a
    // page root of `//evil.example/` would load scripts from that host.
    let after_scheme = &text[url.scheme().len() + 1..];
    if after_scheme.starts_with("///")
        || after_scheme.starts_with('\\')
        || !after_scheme.starts_with("//")
    {
        return Err(format!("must be the scheme, `://` and the host, {EXAMPLE}"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("has no host name: write one {EXAMPLE}"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "must not hold a user name or password: write it {EXAMPLE}"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "must not have a `?query` or `#fragment`: write it {EXAMPLE}"
        ));
    }
    let mut normalised = url.to_string();
    if !normalised.ends_with('/') {
        normalised.push('/');
    }
    Ok(normalised)
}

/// `text` with control characters shown as escapes, for a message.
fn printable(text: &str) -> String {
    text.chars()
        .flat_map(char::escape_debug)
        .collect::<String>()
}

/// 1-based line of a top-level `field:` in YAML text, or 0.
fn field_line(text: &str, field: &str) -> usize {
    crate::content::front_matter::field_index(text, field).map_or(0, |index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_must_be_an_absolute_web_url_with_a_host() {
        let ok = |text: &str| checked_base_url(text).unwrap();
        assert_eq!(
            ok("https://user.github.io/httpcodes"),
            "https://user.github.io/httpcodes/"
        );
        assert_eq!(ok("http://localhost:1111/"), "http://localhost:1111/");
        assert_eq!(ok("https://Example.ORG"), "https://example.org/");
        for bad in [
            "https:////evil.example/x/",
            "https:/evil.example/",
            "https:\\\\evil.example/",
            "https://example.org/\nDisallow: /",
            "https://exa\tmple.org/",
            "ftp://example.org/",
            "javascript:alert(1)//",
            "/httpcodes/",
            "https://",
            "https://user:pw@example.org/",
            "https://example.org/?a=1",
            "https://example.org/#top",
        ] {
            assert!(checked_base_url(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn base_path_is_the_url_path() {
        let mut config = SiteConfig {
            title: "t".into(),
            description: "d".into(),
            base_url: "https://user.github.io/httpcodes/".into(),
            theme: default_theme(),
            language: default_language(),
        };
        assert_eq!(config.base_path(), "/httpcodes/");
        config.base_url = "https://example.org/".into();
        assert_eq!(config.base_path(), "/");
    }
}
