//! Loading the theme: its Tera templates (with the site's own `templates/`
//! overriding them by name) and its static files.
//!
//! Template errors are turned into [`Diagnostic`]s that name the template
//! file and line, whether they happen while parsing or while rendering.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Kwargs, State, Tera, TeraResult};

use crate::config::SiteConfig;
use crate::content::source;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{OutputFile, slash_path};

/// The templates every theme must have.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "class.html",
    "code.html",
    "guide.html",
    "404.html",
];

/// A loaded theme, ready to render.
pub struct Theme {
    pub tera: Tera,
    /// Template name → file it came from, relative to the root.
    template_files: BTreeMap<String, PathBuf>,
    /// Static files, copied into the output as they are.
    pub static_files: Vec<StaticFile>,
    /// The ids its templates write as they are (`<main id="main">`), which
    /// headings must leave to the theme. Computed ids (`id="{{ x }}"`) are
    /// not known before rendering; the link check catches their clashes.
    pub ids: BTreeSet<String>,
}

/// A file of the theme's `static/` folder.
pub struct StaticFile {
    /// Where it goes, inside the output (`style.css`).
    pub path: PathBuf,
    /// Where it comes from, from the root (`themes/default/static/style.css`).
    pub source: PathBuf,
    pub bytes: Vec<u8>,
}

impl Theme {
    /// Loads `themes/<config.theme>/` and the site's `templates/` overrides.
    pub fn load(root: &Path, config: &SiteConfig) -> Result<Theme, Diagnostics> {
        if !crate::render::sanitize::is_safe_name(&config.theme) {
            return Err(Diagnostic::at(
                Path::new("site.yaml"),
                SiteConfig::line_of(root, "theme"),
                1,
                format!(
                    "theme `{}` must be the name of a folder in themes/ (letters, digits, `-` and `_`)",
                    config.theme.escape_debug()
                ),
            )
            .into());
        }
        let theme_dir = Path::new("themes").join(&config.theme);
        if let Some(problem) = source::symlink_on_the_way(root, &theme_dir) {
            return Err(problem.into());
        }
        if !root.join(&theme_dir).is_dir() {
            let available = available_themes(root);
            return Err(Diagnostic::at(
                Path::new("site.yaml"),
                SiteConfig::line_of(root, "theme"),
                1,
                format!(
                    "theme `{}` not found: there is no folder {}/ (available: {})",
                    config.theme,
                    theme_dir.display(),
                    if available.is_empty() {
                        "none".into()
                    } else {
                        available.join(", ")
                    }
                ),
            )
            .into());
        }

        let mut diagnostics = Diagnostics::default();
        let mut template_files = BTreeMap::new();
        for folder in [theme_dir.join("templates"), PathBuf::from("templates")] {
            for (name, path) in files_under(root, &folder, &mut diagnostics) {
                template_files.insert(name, path);
            }
        }
        for required in REQUIRED_TEMPLATES {
            if !template_files.contains_key(*required) {
                diagnostics.push(Diagnostic::file(
                    &theme_dir.join("templates").join(required),
                    format!(
                        "the theme has no template `{required}`: every theme needs {}",
                        REQUIRED_TEMPLATES.join(", ")
                    ),
                ));
            }
        }

        let mut sources = Vec::new();
        let mut ids = BTreeSet::new();
        for (name, path) in &template_files {
            match source::read_text(root, path) {
                Ok(text) => {
                    ids.extend(
                        crate::links::ids_in(&text)
                            .into_iter()
                            .filter(|id| !id.contains(['{', '}'])),
                    );
                    sources.push((name.clone(), text));
                }
                Err(error) => diagnostics.push(error),
            }
        }
        let mut static_files = Vec::new();
        for (name, path) in files_under(root, &theme_dir.join("static"), &mut diagnostics) {
            match std::fs::read(root.join(&path)) {
                Ok(bytes) => static_files.push(StaticFile {
                    path: PathBuf::from(name),
                    source: path,
                    bytes,
                }),
                Err(error) => {
                    diagnostics.push(Diagnostic::file(&path, format!("cannot read: {error}")))
                }
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }

        let mut tera = Tera::new();
        tera.register_function("url", url);
        let theme = Theme {
            tera: Tera::new(),
            template_files,
            static_files,
            ids,
        };
        if let Err(error) = tera.add_raw_templates(sources) {
            return Err(theme.diagnostic(&error).into());
        }
        Ok(Theme { tera, ..theme })
    }

    /// Whether the theme (or the site's overrides) has `template`.
    pub fn has_template(&self, template: &str) -> bool {
        self.template_files.contains_key(template)
    }

    /// Renders `template`, turning a template error into a diagnostic.
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|error| self.diagnostic(&error))
    }

    /// Where a Tera error happened, as `themes/default/templates/x.html:line:col`.
    fn diagnostic(&self, error: &tera::Error) -> Diagnostic {
        let file_of = |name: &str| {
            self.template_files
                .get(name)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(name))
        };
        match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                Diagnostic::at(
                    &file_of(report.filename()),
                    span.start_line,
                    span.start_col + 1,
                    format!("template error: {}", report.message()),
                )
            }
            ErrorKind::MissingParent { current, parent } => Diagnostic::file(
                &file_of(current),
                format!("template error: extends `{parent}`, which does not exist"),
            ),
            ErrorKind::TemplateNotFound(name) => Diagnostic::file(
                &file_of(name),
                format!("template error: template `{name}` not found"),
            ),
            other => Diagnostic::file(Path::new("themes"), format!("template error: {other}")),
        }
    }
}

impl Theme {
    /// Where the theme's static files go in the output, with `/`.
    pub fn static_paths(&self) -> impl Iterator<Item = String> + '_ {
        self.static_files.iter().map(|file| slash_path(&file.path))
    }
}

/// Moves the theme's static files into `files`, except those whose path the
/// build already writes (`generated`: `index.html`, `api/codes.json`) or
/// will write (`sw.js`): generated files always win, and each clash is an error
/// naming both.
pub fn add_static_files(
    theme: &mut Theme,
    generated: &BTreeSet<String>,
    files: &mut Vec<OutputFile>,
) -> Diagnostics {
    let has_worker = theme.has_template("sw.js");
    let mut problems = Diagnostics::default();
    for StaticFile {
        path,
        source,
        bytes,
    } in std::mem::take(&mut theme.static_files)
    {
        let shown = slash_path(&path);
        if generated.contains(&shown)
            || (has_worker && shown == crate::index::offline::SERVICE_WORKER)
        {
            problems.push(Diagnostic::file(
                &source,
                format!(
                    "the build makes `{shown}` itself ({}); rename or remove this theme file",
                    what_makes(&shown)
                ),
            ));
        } else {
            files.push(OutputFile::new(path, bytes));
        }
    }
    problems
}

/// What the build makes at `path`, in a contributor's words.
fn what_makes(path: &str) -> String {
    match path {
        "index.html" => "the home page, from content/_index.md".to_string(),
        "404.html" => "the page for unknown addresses, from the template 404.html".to_string(),
        "sw.js" => "the service worker, from the template sw.js".to_string(),
        _ if path.ends_with("/index.html") => {
            format!("the page /{}", path.trim_end_matches("index.html"))
        }
        _ => "a file of the search index, API, sitemap or web app".to_string(),
    }
}

/// `url(path="404/")`: the relative URL of a site path from the page being
/// rendered. Page paths (ending in `/`, or empty for home) get `index.html`
/// so links work from `file://`; other paths (`style.css`) are files.
fn url(kwargs: Kwargs, state: &State) -> TeraResult<String> {
    let path = kwargs.must_get::<&str>("path")?;
    let root = state.get::<String>("root")?.unwrap_or_default();
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        Ok(format!("{root}{path}index.html"))
    } else {
        Ok(format!("{root}{path}"))
    }
}

/// Files under `root/folder`, as (path inside the folder with `/`, path
/// from root), sorted; symbolic links are reported (see [`source::files_under`]).
fn files_under(root: &Path, folder: &Path, problems: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    let (files, found) = source::files_under(root, folder);
    problems.extend(found);
    files
        .into_iter()
        .filter_map(|path| {
            let inner = path.strip_prefix(folder).ok()?;
            let name = slash_path(inner);
            Some((name, path))
        })
        .collect()
}

fn available_themes(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
