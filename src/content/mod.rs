//! Loading `content/`: every Markdown file becomes a typed page, checked for
//! meaning (is the code in range, in the right file and folder, are related
//! codes real pages…).
//!
//! Files are parsed in parallel; every problem of every file is collected
//! before the step fails, so a contributor sees them all in one run.

pub mod front_matter;
pub mod header_table;
pub mod other_uses;
pub mod references;
pub mod registry;
pub mod reviewed;
pub mod rules;
pub mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use self::front_matter::{
    CodeFrontMatter, LibraryConstant, OtherUse, PageFrontMatter, SpecLink, Status,
};
use self::reviewed::ReviewDate;
use self::source::SplitSource;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// All pages of the site, sorted: codes by number, classes by digit, guides by slug.
#[derive(Debug, Default)]
pub struct Content {
    /// The home page; only missing when loading failed.
    pub home: Option<Page>,
    pub classes: Vec<ClassPage>,
    pub codes: Vec<CodePage>,
    pub guides: Vec<Page>,
}

impl Content {
    /// Every page with a Markdown source: home, classes, codes, guides.
    pub fn pages(&self) -> impl Iterator<Item = &Page> {
        self.home
            .iter()
            .chain(self.classes.iter().map(|class| &class.page))
            .chain(self.codes.iter().map(|code| &code.page))
            .chain(self.guides.iter())
    }
}

/// What every page has: where it came from, where it goes, and its Markdown.
#[derive(Debug, Clone)]
pub struct Page {
    /// Source file, relative to the site root (`content/4xx/404.md`).
    pub source: PathBuf,
    /// Path of the page relative to the site root, ending in `/` (`404/`), or
    /// empty for the home page.
    pub url: String,
    pub title: String,
    pub summary: String,
    /// The Markdown body.
    pub body: String,
    /// 1-based line of the body's first line in the source file.
    pub body_line: usize,
}

/// A class page (`content/4xx/_index.md`).
#[derive(Debug, Clone)]
pub struct ClassPage {
    /// The class's first digit, 1–5.
    pub digit: u8,
    pub page: Page,
}

impl ClassPage {
    /// The class's name, `4xx`.
    pub fn name(&self) -> String {
        class_name(self.digit)
    }
}

/// A status code page (`content/4xx/404.md`).
#[derive(Debug, Clone)]
pub struct CodePage {
    pub code: u16,
    /// Line of the `code:` field, for messages about the code.
    pub code_line: usize,
    pub page: Page,
    pub status: Status,
    pub spec: Vec<SpecLink>,
    pub aliases: Vec<String>,
    pub headers: Vec<String>,
    pub related: Vec<Located<u16>>,
    pub keywords: Vec<String>,
    pub references: BTreeMap<String, LibraryConstant>,
    pub source: Option<String>,
    pub cacheable: bool,
    /// Different meanings vendors give the same number.
    pub other_uses: Vec<OtherUse>,
    /// When the page was last checked against its sources.
    pub reviewed: Option<ReviewDate>,
}

impl CodePage {
    /// The class's first digit.
    pub fn class_digit(&self) -> u8 {
        (self.code / 100) as u8
    }
}

/// A value with the position it was written at.
#[derive(Debug, Clone, Copy)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
}

/// `4` → `"4xx"`.
pub fn class_name(digit: u8) -> String {
    format!("{digit}xx")
}

/// What [`load`] found: every page that loaded, the URLs of pages whose
/// files did not load, are missing (reported) or are claimed by two files
/// (so links to them are not reported as broken too), and every problem.
#[derive(Debug, Default)]
pub struct Loaded {
    pub content: Content,
    pub unloaded: Vec<String>,
    pub problems: Diagnostics,
}

/// Where a file belongs, decided by its place under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Home,
    Class(u8),
    /// A code page in the folder of this class digit.
    Code(u8),
    Guide(String),
}

impl Place {
    /// The URL the file's page gets (for a code page, from its file name).
    fn url(&self, path: &Path) -> String {
        match self {
            Place::Home => String::new(),
            Place::Class(digit) => format!("{}/", class_name(*digit)),
            Place::Code(_) => format!(
                "{}/",
                path.file_stem().unwrap_or_default().to_string_lossy()
            ),
            Place::Guide(slug) => format!("guides/{slug}/"),
        }
    }
}

/// One parsed file, before the site is put together.
enum LoadedFile {
    Home(Page),
    Class(ClassPage),
    Code(Box<CodePage>),
    Guide(Page),
}

/// Loads and checks every page under `root/content`.
pub fn load(root: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    if let Some(problem) = source::symlink_on_the_way(root, Path::new("content")) {
        loaded.problems.push(problem);
        return loaded;
    }
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        loaded.problems.push(Diagnostic::file(
            Path::new("content"),
            "no content folder: create content/ with _index.md and one folder per class",
        ));
        return loaded;
    }
    let mut placed = Vec::new();
    for path in content_files(root, &mut loaded.problems) {
        match place(&path) {
            Ok(place) => placed.push((path, place)),
            Err(problem) => loaded.problems.push(problem),
        }
    }
    // A URL two files claim has no one set of headings: links to it count
    // as working, like links to a page that failed to load.
    let claimed_twice = check_unique_urls(&placed, &mut loaded.problems);
    loaded.unloaded.extend(claimed_twice);
    let results: Vec<(Result<LoadedFile, Diagnostics>, Diagnostics)> = placed
        .par_iter()
        .map(|(path, place)| {
            let mut warnings = Diagnostics::default();
            (load_file(root, path, place, &mut warnings), warnings)
        })
        .collect();

    let content = &mut loaded.content;
    for ((path, place), (result, warnings)) in placed.iter().zip(results) {
        loaded.problems.extend(warnings);
        match result {
            Ok(LoadedFile::Home(page)) => content.home = Some(page),
            Ok(LoadedFile::Class(class)) => content.classes.push(class),
            Ok(LoadedFile::Code(code)) => content.codes.push(*code),
            Ok(LoadedFile::Guide(page)) => content.guides.push(page),
            Err(errors) => {
                loaded.unloaded.push(place.url(path));
                loaded.problems.extend(errors);
            }
        }
    }
    // What the bodies must hold; a page that breaks these rules still
    // loads, so its links and headings are checked in the same run.
    let code_sources: BTreeSet<&Path> = content
        .codes
        .iter()
        .map(|code| code.page.source.as_path())
        .collect();
    let body_problems: Vec<Diagnostics> = content
        .home
        .iter()
        .chain(content.classes.iter().map(|class| &class.page))
        .chain(content.codes.iter().map(|code| &code.page))
        .chain(content.guides.iter())
        .collect::<Vec<_>>()
        .par_iter()
        .map(|page| match code_sources.contains(page.source.as_path()) {
            true => rules::check_code_body(page),
            false => rules::check_body(page),
        })
        .collect();
    body_problems
        .into_iter()
        .for_each(|problems| loaded.problems.extend(problems));
    content.codes.sort_by_key(|code| code.code);
    content.classes.sort_by_key(|class| class.digit);
    content.guides.sort_by(|a, b| a.url.cmp(&b.url));

    // Codes whose page exists, even if it failed to load, so one broken
    // file does not also break every page that relates to it.
    let existing: BTreeSet<u16> = placed
        .iter()
        .filter(|(_, place)| matches!(place, Place::Code(_)))
        .filter_map(|(path, _)| path.file_stem()?.to_str()?.parse().ok())
        .collect();
    drop_repeated_related(&mut content.codes, &mut loaded.problems);
    // Pages reported missing: links to them are not reported again.
    let missing_classes = check_site(
        &content.codes,
        &content.classes,
        &existing,
        &mut loaded.problems,
    );
    loaded.unloaded.extend(missing_classes);
    if !placed.iter().any(|(_, place)| *place == Place::Home) {
        loaded.unloaded.push(String::new());
        loaded.problems.push(Diagnostic::file(
            Path::new("content/_index.md"),
            "the home page is missing: create it with `title` and `summary` front matter",
        ));
    }
    loaded
}

/// The Markdown files under `content/`, relative to the root, sorted.
fn content_files(root: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let (files, problems) = source::files_under(root, Path::new("content"));
    diagnostics.extend(problems);
    let (markdown, other): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|path| path.extension().is_some_and(|extension| extension == "md"));
    for path in other {
        diagnostics.push(Diagnostic::file(
            &path,
            "only Markdown (.md) files belong in content/: move or delete this file",
        ));
    }
    markdown
}

/// Where `path` (`content/…`) belongs, or why it belongs nowhere.
fn place(path: &Path) -> Result<Place, Diagnostic> {
    let parts: Vec<String> = path
        .components()
        .skip(1) // "content"
        .filter_map(|component| match component {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["_index.md"] => Ok(Place::Home),
        [folder, "_index.md"] if class_digit(folder).is_some() => {
            Ok(Place::Class(class_digit(folder).unwrap_or_default()))
        }
        ["guides", file] => {
            // One `.md` only: `x.md.md` is not a second `x`.
            let slug = file.strip_suffix(".md").unwrap_or(file);
            if slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                Ok(Place::Guide(slug.to_string()))
            } else {
                Err(Diagnostic::file(
                    path,
                    "guide file names become URLs: use lower-case letters, digits and `-` only, then `.md`",
                ))
            }
        }
        [folder, .., _] if class_digit(folder).is_some() => {
            Ok(Place::Code(class_digit(folder).unwrap_or_default()))
        }
        _ => Err(Diagnostic::file(
            path,
            "this file is not part of the site: code pages go in content/<class>/<code>.md \
             (content/4xx/404.md), guides in content/guides/<name>.md",
        )),
    }
}

/// Reads, splits and parses one file as the page its place says it is.
/// Warnings go to `warnings`, whether the file loads or not.
fn load_file(
    root: &Path,
    path: &Path,
    place: &Place,
    warnings: &mut Diagnostics,
) -> Result<LoadedFile, Diagnostics> {
    let text = source::read_text(root, path)?;
    parse_file(path, place, &text, warnings)
}

/// Parses a content file's normalised text as the page its place says it is.
fn parse_file(
    path: &Path,
    place: &Place,
    text: &str,
    warnings: &mut Diagnostics,
) -> Result<LoadedFile, Diagnostics> {
    let split = source::split_front_matter(path, text)?;
    let url = place.url(path);
    Ok(match place {
        Place::Home => LoadedFile::Home(page(path, &split, url, warnings)?),
        Place::Class(digit) => LoadedFile::Class(ClassPage {
            digit: *digit,
            page: page(path, &split, url, warnings)?,
        }),
        Place::Guide(_) => LoadedFile::Guide(page(path, &split, url, warnings)?),
        Place::Code(digit) => code_page(path, &split, *digit, url, warnings)?,
    })
}

/// One content file on its own, given as text and as where it would be
/// (`content/4xx/404.md`): placed, split and parsed, with the checks that
/// need no other page. For fuzzing and property tests.
pub fn parse_text(path: &Path, text: &str) -> Result<Page, Diagnostics> {
    let place = place(path)?;
    let mut warnings = Diagnostics::default();
    Ok(
        match parse_file(path, &place, &source::normalise(text), &mut warnings)? {
            LoadedFile::Home(page) | LoadedFile::Guide(page) => page,
            LoadedFile::Class(class) => class.page,
            LoadedFile::Code(code) => code.page,
        },
    )
}

/// `"4xx"` → `Some(4)`, for the five classes.
fn class_digit(folder: &str) -> Option<u8> {
    match folder.as_bytes() {
        [digit @ b'1'..=b'5', b'x', b'x'] => Some(digit - b'0'),
        _ => None,
    }
}

/// Parses the home page, a class page or a guide; every problem is reported.
fn page(
    path: &Path,
    split: &SplitSource,
    url: String,
    warnings: &mut Diagnostics,
) -> Result<Page, Diagnostics> {
    let front: PageFrontMatter = front_matter::parse(path, split)?;
    let mut errors = Diagnostics::default();
    check_texts(
        path,
        split,
        &front.title,
        &front.summary,
        &mut errors,
        warnings,
    );
    let page = Page {
        source: path.to_path_buf(),
        url,
        title: front.title,
        summary: front.summary,
        body: split.body.clone(),
        body_line: split.body_line,
    };
    errors.into_result(page)
}

/// Parses a code page and checks its values for meaning.
fn code_page(
    path: &Path,
    split: &SplitSource,
    folder_digit: u8,
    url: String,
    warnings: &mut Diagnostics,
) -> Result<LoadedFile, Diagnostics> {
    let front: CodeFrontMatter = front_matter::parse(path, split)?;
    let mut errors = Diagnostics::default();
    let at = |spanned| split.position_of(spanned);

    let (line, column) = at(&front.code);
    let code = front.code.value;
    if !(100..=599).contains(&code) {
        errors.push(Diagnostic::at(
            path,
            line,
            column,
            format!("code {code} is out of range: HTTP status codes are 100–599"),
        ));
    } else {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        if stem != code.to_string() {
            errors.push(
                Diagnostic::at(
                    path,
                    line,
                    column,
                    format!("code {code} does not match the file name {stem}.md"),
                )
                .with_hint(format!("rename the file to {code}.md or fix `code`")),
            );
        }
        let digit = (code / 100) as u8;
        if digit != folder_digit {
            errors.push(
                Diagnostic::at(
                    path,
                    line,
                    column,
                    format!(
                        "code {code} belongs in content/{}/, not content/{}/",
                        class_name(digit),
                        class_name(folder_digit)
                    ),
                )
                .with_hint(format!("move the file to content/{}/", class_name(digit))),
            );
        }
    }

    check_texts(
        path,
        split,
        &front.title,
        &front.summary,
        &mut errors,
        warnings,
    );
    let unofficial = front.status == Status::Unofficial;
    if front.spec.is_empty() && !unofficial {
        let example = u16::try_from(code).ok().and_then(registry::get).map_or_else(
            || "RFC 9110, Section 15.5.5\", url: \"https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5".to_string(),
            |registered| format!("{}\", url: \"{}", registered.document.title(), registered.document.url()),
        );
        errors.push(
            Diagnostic::at(
                path,
                field_line(split, "status"),
                1,
                "`spec` is required unless `status: unofficial`",
            )
            .with_hint(format!(
                "add the defining document: `spec: [{{title: \"{example}\"}}]`"
            )),
        );
    }
    for link in &front.spec {
        if !link.url.starts_with("https://") {
            let (line, column) = url_position(split, &link.url);
            errors.push(
                Diagnostic::at(
                    path,
                    line,
                    column,
                    format!("spec link `{}` is not an https:// URL", link.url),
                )
                .with_hint("link the document's https:// address"),
            );
        }
    }
    if (100..=599).contains(&code) {
        check_registry(path, split, code as u16, &front, &mut errors);
    }
    match (&front.source, unofficial) {
        (None, true) => errors.push(
            Diagnostic::at(
                path,
                field_line(split, "status"),
                1,
                "unofficial codes need `source`",
            )
            .with_hint("say who uses the code (`source: nginx`)"),
        ),
        (Some(_), false) => errors.push(Diagnostic::at(
            path,
            field_line(split, "source"),
            1,
            "`source` is only for unofficial codes; list a vendor's different meaning of a registered code in `other_uses`",
        )),
        _ => {}
    }
    references::check(path, split, &front.references, &mut errors);
    header_table::check(path, split, &front.headers, &mut errors);
    let other_uses = other_uses::check(path, split, &front.title, front.other_uses, &mut errors);
    let reviewed = reviewed::check(path, split, front.reviewed.as_ref(), &mut errors, warnings);
    let mut related = Vec::new();
    for spanned in &front.related {
        let (line, column) = at(spanned);
        let value = spanned.value;
        if value == code {
            errors.push(Diagnostic::at(
                path,
                line,
                column,
                "a code cannot be related to itself",
            ));
        } else if !(100..=599).contains(&value) {
            errors.push(Diagnostic::at(
                path,
                line,
                column,
                format!("related code {value} is not a status code: codes are 100–599"),
            ));
        } else if let Ok(value) = u16::try_from(value) {
            related.push(Located {
                value,
                line,
                column,
            });
        }
    }

    let page = Page {
        source: path.to_path_buf(),
        url,
        title: front.title,
        summary: front.summary,
        body: split.body.clone(),
        body_line: split.body_line,
    };
    errors.into_result(LoadedFile::Code(Box::new(CodePage {
        code: u16::try_from(code).unwrap_or(0),
        code_line: line,
        page,
        status: front.status,
        spec: front.spec,
        aliases: front.aliases,
        headers: front.headers,
        related,
        keywords: front.keywords,
        references: front.references,
        source: front.source,
        cacheable: front.cacheable,
        other_uses,
        reviewed,
    })))
}

/// Longest title and summary that show whole in search results and tabs.
const LONGEST_TITLE: usize = 60;
const LONGEST_SUMMARY: usize = 200;

/// What every page's front matter holds: a title and a summary with text
/// (a long one is a warning), and no prompt left from `httpcodes new`.
fn check_texts(
    path: &Path,
    split: &SplitSource,
    title: &str,
    summary: &str,
    errors: &mut Diagnostics,
    warnings: &mut Diagnostics,
) {
    require_text(path, split, "title", title, errors, warnings);
    require_text(path, split, "summary", summary, errors, warnings);
    errors.extend(crate::scaffold::prompts_left(path, split));
}

/// A title or summary must have text; a long one is a warning.
fn require_text(
    path: &Path,
    split: &SplitSource,
    field: &str,
    value: &str,
    errors: &mut Diagnostics,
    warnings: &mut Diagnostics,
) {
    let line = field_line(split, field);
    if value.trim().is_empty() {
        errors.push(
            Diagnostic::at(path, line, 1, format!("`{field}` is empty"))
                .with_hint(format!("write the {field} of the page")),
        );
    }
    let (longest, advice) = match field {
        "title" => (LONGEST_TITLE, "keep it to the name of the code or topic"),
        _ => (LONGEST_SUMMARY, "keep it to one plain sentence"),
    };
    let length = value.chars().count();
    if length > longest {
        warnings.push(
            Diagnostic::warning(
                path,
                line,
                1,
                format!("the {field} is {length} characters long; search results and tabs cut it after about {longest}"),
            )
            .with_hint(advice),
        );
    }
}

/// A registered code's page must carry the IANA registry's reason phrase,
/// its status note and a link to its defining document; any other code is
/// unofficial.
fn check_registry(
    path: &Path,
    split: &SplitSource,
    code: u16,
    front: &CodeFrontMatter,
    errors: &mut Diagnostics,
) {
    let status_line = field_line(split, "status");
    let Some(registered) = registry::get(code) else {
        if front.status != Status::Unofficial {
            errors.push(
                Diagnostic::at(
                    path,
                    status_line,
                    1,
                    format!("{code} is not in the IANA registry"),
                )
                .with_hint("mark it `status: unofficial` and say who uses it in `source`"),
            );
        }
        return;
    };
    if front.title != registered.phrase && !front.title.trim().is_empty() {
        errors.push(
            Diagnostic::at(
                path,
                field_line(split, "title"),
                1,
                format!("the IANA registry names {code} `{}`", registered.phrase),
            )
            .with_hint(format!(
                "write `title: {}`; put older or common names in `aliases`",
                registered.phrase
            )),
        );
    }
    let status_name = |status: Status| format!("{status:?}").to_lowercase();
    match registered.status {
        Some(noted) if front.status != noted => errors.push(
            Diagnostic::at(
                path,
                status_line,
                1,
                format!("the IANA registry marks {code} as {}", status_name(noted)),
            )
            .with_hint(format!("write `status: {}`", status_name(noted))),
        ),
        None if matches!(
            front.status,
            Status::Unofficial | Status::Temporary | Status::Obsolete | Status::Unused
        ) =>
        {
            errors.push(
                Diagnostic::at(
                    path,
                    status_line,
                    1,
                    format!(
                        "{code} is registered and in use, not {}",
                        status_name(front.status)
                    ),
                )
                .with_hint("write `status: standard`, or `deprecated` if its spec deprecates it"),
            )
        }
        _ => {}
    }
    let wanted = registered.document.url();
    if !front.spec.is_empty() && !front.spec.iter().any(|link| link.url.starts_with(&wanted)) {
        errors.push(
            Diagnostic::at(
                path,
                field_line(split, "spec"),
                1,
                format!(
                    "`spec` does not link {}, where the IANA registry says {code} is defined",
                    registered.document.title()
                ),
            )
            .with_hint(format!(
                "add `{{title: \"{}\", url: \"{wanted}\"}}`",
                registered.document.title()
            )),
        );
    }
}

/// Line and column of the `url:` value `url` in the front matter, or the
/// `spec:` line.
fn url_position(split: &SplitSource, url: &str) -> (usize, usize) {
    split
        .front_matter
        .lines()
        .enumerate()
        .find_map(|(index, line)| {
            let at = line.find("url:")?;
            line[at..]
                .contains(url)
                .then(|| (index + split.front_matter_line, at + 1))
        })
        .unwrap_or((field_line(split, "spec"), 1))
}

/// The file line of a top-level front-matter field, or the opening fence's.
fn field_line(split: &SplitSource, field: &str) -> usize {
    front_matter::field_index(&split.front_matter, field)
        .map_or(1, |index| index + split.front_matter_line)
}

/// Two files may not become the same page (`guides/x.md` and
/// `guides/x.md.md`, or a code file named like a class). Two code files for
/// one code are reported as a duplicate code instead. Returns the URLs
/// claimed more than once.
fn check_unique_urls(placed: &[(PathBuf, Place)], diagnostics: &mut Diagnostics) -> Vec<String> {
    let mut first_by_url: BTreeMap<String, (&Path, &Place)> = BTreeMap::new();
    let mut claimed_twice = BTreeSet::new();
    for (path, place) in placed {
        let url = place.url(path);
        let Some((first, first_place)) = first_by_url.get(&url) else {
            first_by_url.insert(url, (path, place));
            continue;
        };
        if !(matches!(first_place, Place::Code(_)) && matches!(place, Place::Code(_))) {
            diagnostics.push(Diagnostic::file(
                path,
                format!(
                    "this file and {} would both be published at /{url}: rename or remove one",
                    first.display()
                ),
            ));
        }
        claimed_twice.insert(url);
    }
    claimed_twice.into_iter().collect()
}

/// A related code listed twice is shown once, and the contributor warned.
fn drop_repeated_related(codes: &mut [CodePage], diagnostics: &mut Diagnostics) {
    for code in codes {
        let mut listed = BTreeSet::new();
        let source = &code.page.source;
        code.related.retain(|related| {
            let first = listed.insert(related.value);
            if !first {
                diagnostics.push(
                    Diagnostic::warning(
                        source,
                        related.line,
                        related.column,
                        format!("related code {} is listed twice", related.value),
                    )
                    .with_hint("remove this one"),
                );
            }
            first
        });
    }
}

/// Checks between pages: one page per code, a class page for every class in
/// use, and related codes that exist. Returns the URLs of the missing class
/// pages.
fn check_site(
    codes: &[CodePage],
    classes: &[ClassPage],
    existing: &BTreeSet<u16>,
    diagnostics: &mut Diagnostics,
) -> Vec<String> {
    let mut seen: BTreeMap<u16, &Path> = BTreeMap::new();
    for code in codes {
        if let Some(first) = seen.insert(code.code, &code.page.source) {
            diagnostics.push(Diagnostic::at(
                &code.page.source,
                code.code_line,
                1,
                format!(
                    "duplicate code {}: {} defines it too; keep one page per code",
                    code.code,
                    first.display()
                ),
            ));
        }
    }
    for code in codes {
        for related in &code.related {
            if !existing.contains(&related.value) {
                diagnostics.push(
                    Diagnostic::at(
                        &code.page.source,
                        related.line,
                        related.column,
                        format!("related code {} has no page", related.value),
                    )
                    .with_hint(format!(
                        "add content/{}/{}.md or remove it from `related`",
                        class_name((related.value / 100) as u8),
                        related.value
                    )),
                );
            }
        }
    }
    let with_pages: BTreeSet<u8> = classes.iter().map(|class| class.digit).collect();
    let in_use: BTreeSet<u8> = codes.iter().map(CodePage::class_digit).collect();
    let mut missing = Vec::new();
    for digit in in_use.difference(&with_pages) {
        let name = class_name(*digit);
        diagnostics.push(Diagnostic::file(
            &PathBuf::from(format!("content/{name}/_index.md")),
            format!("the {name} class page is missing: create it with `title` and `summary` front matter"),
        ));
        missing.push(format!("{name}/"));
    }
    missing
}
