//! httpcodes: a static site generator for a reference of HTTP status codes.
//!
//! The build is a pipeline you can read top-down in `generate_into`:
//! load (`site.yaml`, `content/`, the theme) → validate → render (Markdown
//! sanitized) → index → check the links of the built pages → write. Each
//! step returns data or every problem it found; only [`output`] touches
//! the output folder. It streams: each file goes to an [`output::Sink`] as
//! soon as it is made (the staging folder for [`build`], memory for
//! [`generate`] and `serve`, nowhere for [`check`]), so no step holds every
//! page at once.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fault;
pub mod index;
pub mod links;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;

use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use config::SiteConfig;
use diagnostics::Diagnostics;
use index::{api, offline, search, sitemap};
use links::{LinkCheck, PageLinks, WrittenLink};
use output::{OutputFile, Sink, slash_path};
use render::{markdown, theme, theme::Theme};

/// A built site, held in memory ([`generate`]).
pub struct Site {
    /// Every file, sorted by path.
    pub files: Vec<OutputFile>,
    /// HTML pages among `files`.
    pub page_count: usize,
    /// What the contributor should know though the build succeeded.
    pub warnings: Diagnostics,
}

/// What a build that wrote its files ([`build`]) or dropped them
/// ([`check`]) tells.
pub struct Built {
    /// HTML pages made.
    pub page_count: usize,
    /// What the contributor should know though the build succeeded.
    pub warnings: Diagnostics,
}

/// Loads, checks and renders the site at `root`, in memory.
///
/// Every step runs as far as it can, so one run reports every problem:
/// pages that failed to load are left out (links to them count as
/// working) and the rest are still rendered and their links checked.
pub fn generate(root: &Path, base_url: Option<&str>) -> Result<Site, Diagnostics> {
    in_memory(root, base_url, None)
}

/// What one build keeps for the next in the same process (`serve`): the
/// rendered Markdown bodies and the scanned pages, each reused only when
/// what it came from is unchanged, so the result is the same as a fresh
/// build's.
#[derive(Default)]
pub struct BuildCache {
    bodies: render::BodyCache,
    scans: links::ScanCache,
}

/// [`generate`], reusing what `cache` holds from the previous build (and
/// updating it): for `serve`, which rebuilds on every save.
pub fn generate_again(
    root: &Path,
    base_url: Option<&str>,
    cache: &BuildCache,
) -> Result<Site, Diagnostics> {
    in_memory(root, base_url, Some(cache))
}

/// Builds the site at `root` as [`generate`] does, keeping nothing: for
/// `httpcodes check`.
pub fn check(root: &Path, base_url: Option<&str>) -> Result<Built, Diagnostics> {
    generate_into(root, base_url, None, &output::Nowhere)
}

fn in_memory(
    root: &Path,
    base_url: Option<&str>,
    cache: Option<&BuildCache>,
) -> Result<Site, Diagnostics> {
    let files = output::InMemory::default();
    let built = generate_into(root, base_url, cache, &files)?;
    Ok(Site {
        files: files.into_files(),
        page_count: built.page_count,
        warnings: built.warnings,
    })
}

/// The pipeline: every file goes to `sink` as soon as it is made (none if
/// the site has errors); with a cache to reuse and fill.
fn generate_into(
    root: &Path,
    base_url: Option<&str>,
    cache: Option<&BuildCache>,
    sink: &dyn Sink,
) -> Result<Built, Diagnostics> {
    // Load: configuration, content and theme.
    let config = SiteConfig::load(root, base_url).map_err(Diagnostics::from)?;
    let (loaded, theme) = rayon::join(|| content::load(root), || Theme::load(root, &config));
    let content::Loaded {
        content,
        unloaded,
        mut problems,
    } = loaded;
    let mut theme = match theme {
        Ok(theme) => theme,
        Err(theme_problems) => {
            // No pages without a theme, but the Markdown is still checked.
            let bodies = cache.map(|cache| &cache.bodies);
            problems.extend(render::render_bodies(&content, &Default::default(), bodies).1);
            problems.extend(theme_problems);
            return Err(problems);
        }
    };
    let sink = match problems.has_errors() {
        true => &output::Nowhere,
        false => sink,
    };
    let made = Made::new(sink);

    // The data files, known before any page: the API, crawler files, the
    // web app's manifest.
    let mut files = api::files(&content);
    files.extend(sitemap::files(&config, &content));
    files.push(offline::manifest(&config));

    // Render the pages (the Markdown sanitized; headings leave the theme's
    // ids alone), each checked for links and written as it is made.
    let known = render::page_paths(&content, &theme)
        .into_iter()
        .chain(files.iter().map(|file| slash_path(&file.path)))
        .chain(theme.static_paths());
    let links = LinkCheck::new(
        config.base_path(),
        known,
        &unloaded,
        cache.map(|cache| &cache.scans),
    );
    let bodies = cache.map(|cache| &cache.bodies);
    let pages =
        match render::render_pages(&config, &mut theme, &content, bodies, |page, written| {
            made.page(page, written, &links)
        }) {
            Ok(pages) => pages,
            Err(render_problems) => {
                problems.extend(render_problems);
                return Err(problems);
            }
        };
    problems.extend(pages.problems);
    let page_count = pages.finished.len();

    // Index, then the rest; the theme's files may not take the place of
    // any file the build makes.
    search::files(&content, &pages.bodies, &|file| made.file(file));
    let mut generated = made.paths();
    generated.extend(files.iter().map(|file| slash_path(&file.path)));
    problems.extend(theme::add_static_files(&mut theme, &generated, &mut files));
    files.into_par_iter().for_each(|file| made.file(file));
    match offline::service_worker(&theme, made.take_precached()) {
        Ok(worker) => worker.into_iter().for_each(|file| made.file(file)),
        Err(worker_problems) => {
            problems.extend(worker_problems);
            return Err(problems);
        }
    }

    // Check: every link of every built page and of the Markdown.
    let mut page_links = pages.finished;
    page_links.sort_by(|a, b| a.path().cmp(b.path()));
    let written = pages.bodies.values().flat_map(|body| &body.links);
    problems.extend(links.finish(&page_links, &made.paths(), written));
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Built {
        page_count,
        warnings: problems,
    })
}

/// Every file of a build passes through here on its way to the sink: its
/// path is noted (for the link check), its hash taken if readers need it
/// offline (the service worker's version) and, for a page, its links
/// scanned.
struct Made<'s> {
    sink: &'s dyn Sink,
    paths: Mutex<Vec<String>>,
    precached: Mutex<Vec<(String, u64)>>,
}

impl<'s> Made<'s> {
    fn new(sink: &'s dyn Sink) -> Self {
        Made {
            sink,
            paths: Mutex::default(),
            precached: Mutex::default(),
        }
    }

    fn file(&self, file: OutputFile) {
        let path = slash_path(&file.path);
        if let Some(entry) = offline::precached(&path, &file.bytes) {
            lock(&self.precached).push(entry);
        }
        lock(&self.paths).push(path);
        self.sink.put(file);
    }

    fn page(&self, page: OutputFile, written: &[WrittenLink], links: &LinkCheck) -> PageLinks {
        let found = links.page(&slash_path(&page.path), &page.bytes, written);
        self.file(page);
        found
    }

    /// The paths of the files made so far.
    fn paths(&self) -> std::collections::BTreeSet<String> {
        lock(&self.paths).iter().cloned().collect()
    }

    /// The files readers need offline, made so far.
    fn take_precached(&self) -> Vec<(String, u64)> {
        std::mem::take(&mut *lock(&self.precached))
    }
}

/// The value behind `mutex`, also after a thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One content file on its own, as the build treats it: parsed, its
/// Markdown rendered and sanitized. `path` says where it would be
/// (`content/guides/x.md`). Returns the page's HTML and its warnings, or
/// every problem; never panics. Its links are not checked (that needs the
/// whole site). For the fuzzer (`fuzz/`) and property tests.
pub fn render_source(path: &Path, text: &str) -> Result<(String, Diagnostics), Diagnostics> {
    let page = content::parse_text(path, text)?;
    let (headings, heading_problems) = markdown::headings(&page, &Default::default());
    let (rendered, body_problems) = markdown::render(&page, headings);
    let mut problems = Diagnostics::default();
    problems.extend(heading_problems);
    problems.extend(body_problems);
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok((rendered.html, problems))
    }
}

/// Reads one fuzzer input (`fuzz/`): the first byte picks where the file
/// would be (a code page, a guide, the home page or a class page), the rest
/// is its text. The fuzz target and the test that replays its findings
/// (`fuzz/regressions/`) both read inputs through this.
#[doc(hidden)]
pub fn fuzz_input(bytes: &[u8]) -> Option<(&'static Path, std::borrow::Cow<'_, str>)> {
    const PLACES: &[&str] = &[
        "content/4xx/404.md",
        "content/guides/fuzz.md",
        "content/_index.md",
        "content/4xx/_index.md",
    ];
    let (&first, rest) = bytes.split_first()?;
    let place = PLACES[usize::from(first) % PLACES.len()];
    Some((Path::new(place), String::from_utf8_lossy(rest)))
}

/// Why [`build`] wrote nothing.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the site's files: the site was not built.
    Content(Diagnostics),
    /// The site was built but could not be written (the problem, plus the
    /// build's warnings).
    Write(Diagnostics),
}

/// Builds the site at `root` and replaces `output` with it. The files
/// are written into a staging folder as they are made, and the output is
/// replaced only if the whole build succeeded.
pub fn build(root: &Path, output: &Path, base_url: Option<&str>) -> Result<Built, Failure> {
    let staging =
        output::Staging::open(root, output).map_err(|problem| Failure::Write(problem.into()))?;
    let mut built = generate_into(root, base_url, None, &staging).map_err(Failure::Content)?;
    match staging.finish() {
        Ok(warning) => built.warnings.extend(warning),
        Err(problem) => {
            built.warnings.push(problem);
            return Err(Failure::Write(built.warnings));
        }
    }
    Ok(built)
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::content::source;
    use crate::render::sanitize::properties::{document, outside_allow_list, piece};
    use proptest::prelude::*;

    /// Front matter that parses, broken front matter, or none at all.
    fn front_matter() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("---\ntitle: A guide\nsummary: One line.\n---\n".to_string()),
            Just("---\u{a0}\ntitle: x\n---\n".to_string()),
            Just("---  \ntitle: x\nsummary: y\n---\n".to_string()),
            Just("\u{feff}---\r\ntitle: x\r\nsummary: y\r\n---\r\n".to_string()),
            Just("---\ntitle: &a [*a]\n---\n".to_string()),
            prop::collection::vec(piece(), 0..8)
                .prop_map(|pieces| format!("---\n{}\n---\n", pieces.concat())),
            Just(String::new()),
        ]
    }

    /// What is wrong with the result of `render_source(path, text)`: HTML
    /// outside the allow-list, or problems that are not errors located in
    /// the file, in plain words.
    fn unsafe_or_unlocated(path: &Path, text: &str) -> Vec<String> {
        let lines = source::normalise(text).lines().count().max(1);
        match render_source(path, text) {
            Ok((html, warnings)) => {
                let mut wrong = outside_allow_list(&html);
                if warnings.has_errors() {
                    wrong.push(format!("an Ok with errors: {warnings}"));
                }
                wrong
            }
            Err(problems) => {
                let problems = problems.into_sorted();
                let mut wrong = Vec::new();
                if !problems.iter().any(|problem| problem.is_error()) {
                    wrong.push("an Err without errors".to_string());
                }
                for problem in problems {
                    let located =
                        problem.path == path && problem.line >= 1 && problem.line <= lines + 1;
                    let plain = !problem.message.is_empty()
                        && !diagnostics::PARSER_WORDS
                            .iter()
                            .any(|words| problem.message.contains(words));
                    if !(located && plain) {
                        wrong.push(problem.to_string());
                    }
                }
                wrong
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any file gives a page inside the allow-list, or errors that each
        /// name the file and a line of it; never a panic.
        #[test]
        fn any_file_gives_a_safe_page_or_located_errors(
            front in front_matter(),
            body in document(),
            guide in any::<bool>(),
        ) {
            let path = Path::new(if guide { "content/guides/odd.md" } else { "content/4xx/404.md" });
            let text = format!("{front}{body}");
            prop_assert_eq!(unsafe_or_unlocated(path, &text), Vec::<String>::new(), "{:?}", text);
        }
    }

    /// A build that reuses the previous one's work (`serve`) makes exactly
    /// what a fresh build makes, after a page and then the theme changed.
    #[test]
    fn a_rebuild_from_the_cache_equals_a_fresh_build() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = tempfile::tempdir().unwrap();
        for (from, to) in [("tests/fixtures/valid", ""), ("themes", "themes")] {
            for entry in walkdir::WalkDir::new(repo.join(from)) {
                let entry = entry.unwrap();
                let target = site
                    .path()
                    .join(to)
                    .join(entry.path().strip_prefix(repo.join(from)).unwrap());
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&target).unwrap();
                } else {
                    std::fs::copy(entry.path(), &target).unwrap();
                }
            }
        }
        let cache = BuildCache::default();
        let outcome = |site: Result<Site, Diagnostics>| match site {
            Ok(site) => (
                site.files
                    .into_iter()
                    .map(|file| (file.path, file.bytes))
                    .collect::<Vec<_>>(),
                site.warnings.into_sorted(),
            ),
            Err(problems) => (Vec::new(), problems.into_sorted()),
        };
        generate_again(site.path(), None, &cache).unwrap();
        let page = site.path().join("content/4xx/404.md");
        let text = std::fs::read_to_string(&page).unwrap();
        let edits = [
            text.replace("Nothing is here,", "Still nothing here,"),
            text.replace("Nothing is here,", "[Broken](/299/) <script>x</script>"),
        ];
        for edit in edits {
            std::fs::write(&page, edit).unwrap();
            assert_eq!(
                outcome(generate_again(site.path(), None, &cache)),
                outcome(generate(site.path(), None))
            );
        }
        let base = site.path().join("themes/default/templates/base.html");
        let template = std::fs::read_to_string(&base).unwrap();
        std::fs::write(
            &base,
            template.replace("<main", "<div id=\"when-to-send-it\"></div><main"),
        )
        .unwrap();
        assert_eq!(
            outcome(generate_again(site.path(), None, &cache)),
            outcome(generate(site.path(), None))
        );
    }

    /// Every input the fuzzer ever broke the build with (`fuzz/regressions/`,
    /// read as the fuzz target reads them: the first byte picks the place).
    #[test]
    fn fuzz_regressions_give_safe_pages_or_located_errors() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
        let mut count = 0;
        for entry in std::fs::read_dir(&folder).expect("fuzz/regressions/ exists") {
            let file = entry.unwrap().path();
            let bytes = std::fs::read(&file).unwrap();
            let Some((path, text)) = fuzz_input(&bytes) else {
                continue;
            };
            let wrong = unsafe_or_unlocated(path, &text);
            assert!(wrong.is_empty(), "{}: {wrong:?}", file.display());
            count += 1;
        }
        assert!(count > 0, "no regression inputs in {}", folder.display());
    }
}
