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
    /// The repository's web address (`https://github.com/owner/name`), for
    /// every page's "Edit this page" link; without it there is no link.
    #[serde(default)]
    pub repo_url: Option<String>,
    /// The branch the edit links open (`main`).
    #[serde(default = "default_edit_branch")]
    pub edit_branch: String,
}

fn default_theme() -> String {
    "default".into()
}

fn default_language() -> String {
    "en".into()
}

fn default_edit_branch() -> String {
    "main".into()
}

impl FrontMatter for SiteConfig {
    const FIELDS: &'static [&'static str] = &[
        "title",
        "description",
        "base_url",
        "theme",
        "language",
        "repo_url",
        "edit_branch",
    ];
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
        if let Some(repo_url) = &config.repo_url {
            config.repo_url = Some(checked_repo_url(repo_url).map_err(|problem| {
                Diagnostic::at(
                    path,
                    field_line(&split.front_matter, "repo_url"),
                    1,
                    format!("repo_url `{}` {problem}", printable(repo_url)),
                )
            })?);
        }
        if let Err(problem) = checked_branch(&config.edit_branch) {
            return Err(Diagnostic::at(
                path,
                field_line(&split.front_matter, "edit_branch"),
                1,
                format!("edit_branch `{}` {problem}", printable(&config.edit_branch)),
            ));
        }
        Ok(config)
    }

    /// Where a contributor edits `source` (`content/4xx/404.md`) on the
    /// repository's website: `{repo_url}/edit/{edit_branch}/{source}`, each
    /// path segment percent-encoded; none without `repo_url`.
    pub fn edit_url(&self, source: &Path) -> Option<String> {
        let repo_url = self.repo_url.as_deref()?;
        let source = crate::output::slash_path(source);
        Some(format!(
            "{repo_url}/edit/{}/{}",
            crate::links::encode_path(&self.edit_branch),
            crate::links::encode_path(&source)
        ))
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
    let url = checked_web_url(text, EXAMPLE, |url| {
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
        Ok(())
    })?;
    let mut normalised = url.to_string();
    if !normalised.ends_with('/') {
        normalised.push('/');
    }
    Ok(normalised)
}

/// `text` parsed as a URL that `scheme` accepts, with a host and no
/// control character, user, password, query or fragment; or what is wrong
/// with it, in words that follow the URL in a message and end in `example`.
fn checked_web_url(
    text: &str,
    example: &str,
    scheme: impl Fn(&url::Url) -> Result<(), String>,
) -> Result<url::Url, String> {
    if text.chars().any(char::is_control) {
        return Err(format!(
            "contains a control character (a line break or tab?): write the URL on one line, {example}"
        ));
    }
    let url = url::Url::parse(text)
        .map_err(|error| format!("is not an absolute URL ({error}): write one {example}"))?;
    scheme(&url)?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("has no host name: write one {example}"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "must not hold a user name or password: write it {example}"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "must not have a `?query` or `#fragment`: write it {example}"
        ));
    }
    Ok(url)
}

/// `repo_url` as the edit links use it (no `/` at the end), or what is
/// wrong with it, in words that follow the URL in a message.
fn checked_repo_url(text: &str) -> Result<String, String> {
    const EXAMPLE: &str = "such as https://github.com/user/httpcodes";
    let url = checked_web_url(text, EXAMPLE, |url| {
        if url.scheme() != "https" || !text.starts_with("https://") || text.starts_with("https:///")
        {
            return Err(format!("must start with https:// and the host, {EXAMPLE}"));
        }
        Ok(())
    })?;
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Checks a branch name for the edit links: one line, no spaces.
fn checked_branch(branch: &str) -> Result<(), String> {
    if branch.is_empty() || branch.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(
            "must be a branch name without spaces or line breaks, such as `main`".to_string(),
        );
    }
    Ok(())
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
    fn repo_url_must_be_an_https_url_with_a_host() {
        assert_eq!(
            checked_repo_url("https://github.com/httpcodes/httpcodes/").unwrap(),
            "https://github.com/httpcodes/httpcodes"
        );
        assert_eq!(
            checked_repo_url("https://GitHub.com/a/b").unwrap(),
            "https://github.com/a/b"
        );
        for bad in [
            "http://github.com/a/b",
            "https:///github.com/a/b",
            "https:/github.com/a/b",
            "https://github.com/a/b\n",
            "https://",
            "javascript:alert(1)",
            "github.com/a/b",
            "https://user:pw@github.com/a/b",
            "https://github.com/a/b?x=1",
            "https://github.com/a/b#top",
        ] {
            assert!(checked_repo_url(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(checked_branch("release/1.x").is_ok());
        for bad in ["", "my branch", "main\n"] {
            assert!(checked_branch(bad).is_err(), "{bad:?} was accepted");
        }
    }

    /// A site hosted under a project path, everything else by default.
    fn project_site() -> SiteConfig {
        SiteConfig {
            title: "t".into(),
            description: "d".into(),
            base_url: "https://user.github.io/httpcodes/".into(),
            theme: default_theme(),
            language: default_language(),
            repo_url: None,
            edit_branch: default_edit_branch(),
        }
    }

    #[test]
    fn edit_urls_name_the_branch_and_the_encoded_source() {
        let mut config = project_site();
        config.edit_branch = "release/1.x".into();
        assert_eq!(config.edit_url(Path::new("content/4xx/404.md")), None);
        config.repo_url = Some("https://github.com/a/b".into());
        assert_eq!(
            config.edit_url(Path::new("content/4xx/404.md")).unwrap(),
            "https://github.com/a/b/edit/release/1.x/content/4xx/404.md"
        );
        assert_eq!(
            config
                .edit_url(Path::new("content/guides/a b#?%é.md"))
                .unwrap(),
            "https://github.com/a/b/edit/release/1.x/content/guides/a%20b%23%3F%25%C3%A9.md"
        );
    }

    #[test]
    fn base_path_is_the_url_path() {
        let mut config = project_site();
        assert_eq!(config.base_path(), "/httpcodes/");
        config.base_url = "https://example.org/".into();
        assert_eq!(config.base_path(), "/");
    }
}
