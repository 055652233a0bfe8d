//! The site's settings, read from `site.yaml` at the root.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::front_matter::FrontMatter;
use crate::source;

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
        let mut config: SiteConfig = crate::front_matter::parse(path, &split)?;
        if let Some(base_url) = base_url {
            config.base_url = base_url.to_string();
        }
        if !(config.base_url.starts_with("https://") || config.base_url.starts_with("http://")) {
            return Err(Diagnostic::at(
                path,
                field_line(&split.front_matter, "base_url"),
                1,
                format!(
                    "base_url `{}` must be an absolute http(s) URL such as https://user.github.io/httpcodes/",
                    config.base_url
                ),
            ));
        }
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
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

/// 1-based line of a top-level `field:` in YAML text, or 0.
fn field_line(text: &str, field: &str) -> usize {
    crate::front_matter::field_index(text, field).map_or(0, |index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
