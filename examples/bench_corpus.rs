//! bench_corpus: writes a generated site twice, once for httpcodes and once
//! for Hugo, so that `bench/run.sh` can time both on the same Markdown.
//!
//! ```text
//! cargo run --release --example bench_corpus -- --pages N --out DIR
//! ```
//!
//! writes
//!
//! - `DIR/httpcodes/`: the repository's `site.yaml`, `themes/` and
//!   `content/` (the real codes, classes, home page and guides), plus N
//!   generated guides under `content/guides/`;
//! - `DIR/hugo/`: a Hugo configuration, the very same `content/` tree, the
//!   theme's static files, and minimal Hugo layouts equivalent to our theme
//!   (see `bench/RESULTS.md` for what each build does beyond them).
//!
//! A generated guide is 2–4 KB of Markdown: YAML front matter with `title`
//! and `summary`, an opening paragraph, `##` sections with a bulleted list,
//! a numbered list, a table, an `http` request and response, inline code,
//! links to other generated guides, to the real guide and to real code
//! pages. Words come from the real content, ranked by frequency, plus
//! invented words from a pool that grows with N, both drawn with a
//! Zipf-like skew, so the search index grows the way a real site's would.
//! Everything is derived from a fixed seed with a small PRNG of our own:
//! the same N gives the same files, byte for byte.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use clap::Parser;

/// Command-line arguments.
#[derive(Parser)]
#[command(about = "Writes a generated benchmark site for httpcodes and for Hugo")]
struct Args {
    /// How many guides to generate.
    #[arg(long)]
    pages: usize,
    /// Folder to write `httpcodes/` and `hugo/` into (replaced if present).
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator.
    #[arg(long, default_value_t = 20_261_202)]
    seed: u64,
}

fn main() -> io::Result<()> {
    let args = Args::parse();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let real = RealContent::read(&repo.join("content"))?;
    let corpus = Corpus::new(&real, args.pages, args.seed);

    let ours = args.out.join("httpcodes");
    let hugo = args.out.join("hugo");
    for site in [&ours, &hugo] {
        if site.exists() {
            fs::remove_dir_all(site)?;
        }
        copy_tree(&repo.join("content"), &site.join("content"))?;
    }
    fs::copy(repo.join("site.yaml"), ours.join("site.yaml"))?;
    copy_tree(&repo.join("themes"), &ours.join("themes"))?;
    copy_tree(&repo.join("themes/default/static"), &hugo.join("static"))?;
    hugo_site::write(&hugo)?;

    let mut sizes = Vec::with_capacity(args.pages);
    for index in 0..args.pages {
        let text = corpus.guide(index);
        sizes.push(text.len());
        let name = format!("{}.md", corpus.slug(index));
        for site in [&ours, &hugo] {
            fs::write(site.join("content/guides").join(&name), &text)?;
        }
    }
    sizes.sort_unstable();
    let median = sizes.get(sizes.len() / 2).copied().unwrap_or(0);
    println!(
        "Wrote {} guides (Markdown {}–{} bytes, median {median}; {} real words, {} invented in the pool) to {}",
        args.pages,
        sizes.first().copied().unwrap_or(0),
        sizes.last().copied().unwrap_or(0),
        real.vocabulary.len(),
        corpus.invented_pool,
        args.out.display()
    );
    Ok(())
}

/// Copies the files of `from` into `to`, recursively (plain files only).
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    let mut entries = fs::read_dir(from)?.collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// SplitMix64: a tiny, well-mixed PRNG; good enough for made-up text.
struct Rng(u64);

impl Rng {
    /// A generator for one purpose (`stream`) of one item (`index`), so any
    /// page's title or body can be made without making the others first.
    fn for_item(seed: u64, stream: u64, index: usize) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F) ^ index as u64);
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An integer in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    /// A rank in `0..count`, small ranks far likelier than large ones
    /// (log-uniform, about Zipf's law with exponent 1).
    fn skewed(&mut self, count: usize) -> usize {
        let rank = ((count as f64 + 1.0).ln() * self.unit()).exp() as usize;
        rank.clamp(1, count) - 1
    }

    fn choose<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.between(0, items.len() - 1)]
    }
}

/// What the generated pages borrow from the repository's real content.
struct RealContent {
    /// Words of the real pages' prose, most frequent first.
    vocabulary: Vec<String>,
    /// Every code page: its link (`/404/`) and its name (`404 Not Found`).
    codes: Vec<(String, String)>,
    /// Links to the real guides (`/guides/choosing-a-status-code/`).
    guides: Vec<(String, String)>,
}

impl RealContent {
    fn read(content: &Path) -> io::Result<RealContent> {
        let mut files = Vec::new();
        list_markdown(content, &mut files)?;
        files.sort();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut codes = Vec::new();
        let mut guides = Vec::new();
        for file in &files {
            let text = fs::read_to_string(file)?;
            let (front, body) = split_front_matter(&text);
            count_words(body, &mut counts);
            let title = front_field(front, "title").unwrap_or_default();
            let relative = file.strip_prefix(content).unwrap_or(file);
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let folder = relative.parent().and_then(|p| p.to_str()).unwrap_or("");
            if stem == "_index" {
                continue;
            }
            if folder == "guides" {
                guides.push((format!("/guides/{stem}/"), title));
            } else if folder.ends_with("xx") {
                codes.push((format!("/{stem}/"), format!("{stem} {title}")));
            }
        }
        let mut vocabulary: Vec<(String, usize)> = counts.into_iter().collect();
        vocabulary.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(RealContent {
            vocabulary: vocabulary.into_iter().map(|(word, _)| word).collect(),
            codes,
            guides,
        })
    }
}

fn list_markdown(folder: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            list_markdown(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "md") {
            files.push(path);
        }
    }
    Ok(())
}

/// The YAML between the `---` lines, and the body after them.
fn split_front_matter(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return ("", text);
    };
    match rest.find("\n---\n") {
        Some(end) => (&rest[..end], &rest[end + 5..]),
        None => ("", text),
    }
}

/// A top-level scalar of simple front matter (`title: Not Found`).
fn front_field(front: &str, name: &str) -> Option<String> {
    front.lines().find_map(|line| {
        let value = line.strip_prefix(name)?.strip_prefix(':')?.trim();
        Some(value.trim_matches('"').to_string())
    })
}

/// Counts the lowercase ASCII words of a Markdown body's prose, leaving out
/// fenced code, inline code and link targets.
fn count_words(body: &str, counts: &mut BTreeMap<String, usize>) {
    let mut in_fence = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut word = String::new();
        let mut skip_until = None;
        let mut previous = ' ';
        for character in line.chars() {
            if let Some(end) = skip_until {
                if character == end {
                    skip_until = None;
                }
            } else if character == '`' {
                skip_until = Some('`');
            } else if character == '(' && previous == ']' {
                skip_until = Some(')');
            } else if character.is_ascii_alphabetic() {
                word.push(character.to_ascii_lowercase());
            } else {
                take_word(&mut word, counts);
            }
            previous = character;
        }
        take_word(&mut word, counts);
    }
}

fn take_word(word: &mut String, counts: &mut BTreeMap<String, usize>) {
    if word.len() >= 2 {
        *counts.entry(std::mem::take(word)).or_default() += 1;
    }
    word.clear();
}

/// The generator of guide pages for one size of site.
struct Corpus<'a> {
    real: &'a RealContent,
    pages: usize,
    seed: u64,
    /// How many invented words may appear: grows with the site.
    invented_pool: usize,
}

const TITLE_STREAM: u64 = 1;
const BODY_STREAM: u64 = 2;

/// Bounds of a generated guide's size in bytes, front matter included.
const MIN_BYTES: usize = 2_048;
const MAX_BYTES: usize = 4_096;

/// Share of words drawn from the invented pool rather than the real words.
const INVENTED_SHARE: f64 = 0.15;

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];
const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "text/html; charset=utf-8",
    "application/problem+json",
    "text/plain; charset=utf-8",
];
const HEADERS: &[&str] = &[
    "Cache-Control",
    "ETag",
    "If-None-Match",
    "Retry-After",
    "Location",
    "Vary",
    "Content-Type",
    "Authorization",
    "WWW-Authenticate",
    "Accept",
];

impl<'a> Corpus<'a> {
    fn new(real: &'a RealContent, pages: usize, seed: u64) -> Corpus<'a> {
        Corpus {
            real,
            pages,
            seed,
            invented_pool: 1_000 + 20 * pages,
        }
    }

    /// One word: a real one or an invented one, skewed to the common ones.
    fn word(&self, rng: &mut Rng) -> String {
        if rng.chance(INVENTED_SHARE) || self.real.vocabulary.is_empty() {
            invented_word(rng.skewed(self.invented_pool))
        } else {
            self.real.vocabulary[rng.skewed(self.real.vocabulary.len())].clone()
        }
    }

    fn words(&self, rng: &mut Rng, count: usize) -> Vec<String> {
        (0..count).map(|_| self.word(rng)).collect()
    }

    /// The title of generated guide `index`.
    fn title(&self, index: usize) -> String {
        let mut rng = Rng::for_item(self.seed, TITLE_STREAM, index);
        let count = rng.between(2, 5);
        capitalized(&self.words(&mut rng, count).join(" "))
    }

    /// The file name (without `.md`) of generated guide `index`, unique.
    fn slug(&self, index: usize) -> String {
        let title = self.title(index).to_ascii_lowercase();
        let words: Vec<&str> = title.split(' ').take(3).collect();
        format!("{}-{index}", words.join("-"))
    }

    /// A Markdown link to another page of the site: mostly generated guides,
    /// sometimes a real code page or a real guide.
    fn link(&self, rng: &mut Rng) -> String {
        let roll = rng.unit();
        if roll < 0.45 || self.pages == 0 {
            let (url, name) = rng.choose(&self.real.codes);
            format!("[{name}]({url})")
        } else if roll < 0.5 && !self.real.guides.is_empty() {
            let (url, name) = rng.choose(&self.real.guides);
            format!("[{}]({url})", name.to_lowercase())
        } else {
            let other = rng.between(0, self.pages - 1);
            format!(
                "[{}](/guides/{}/)",
                self.title(other).to_lowercase(),
                self.slug(other)
            )
        }
    }

    /// A sentence of plain words, sometimes with inline code or a link.
    fn sentence(&self, rng: &mut Rng) -> String {
        let count = rng.between(6, 16);
        let mut parts = self.words(rng, count);
        if rng.chance(0.25) {
            let at = rng.between(1, parts.len() - 1);
            parts.insert(at, format!("`{}`", rng.choose(HEADERS)));
        }
        if rng.chance(0.3) {
            let at = rng.between(1, parts.len() - 1);
            parts.insert(at, self.link(rng));
        }
        format!("{}.", capitalized(&parts.join(" ")))
    }

    fn paragraph(&self, rng: &mut Rng, sentences: usize) -> String {
        let mut text: Vec<String> = (0..sentences).map(|_| self.sentence(rng)).collect();
        text.push(String::new());
        wrap(&text.join(" "))
    }

    fn heading(&self, rng: &mut Rng) -> String {
        let count = rng.between(1, 4);
        format!("## {}\n\n", capitalized(&self.words(rng, count).join(" ")))
    }

    fn bulleted_list(&self, rng: &mut Rng) -> String {
        let mut text = String::new();
        for _ in 0..rng.between(3, 5) {
            let count = rng.between(4, 10);
            let mut item = capitalized(&self.words(rng, count).join(" "));
            if rng.chance(0.4) {
                let _ = write!(item, ": see {}", self.link(rng));
            }
            let _ = writeln!(text, "- {item}.");
        }
        text.push('\n');
        text
    }

    fn numbered_list(&self, rng: &mut Rng) -> String {
        let mut text = String::new();
        for number in 1..=rng.between(3, 5) {
            let count = rng.between(5, 12);
            let words = self.words(rng, count).join(" ");
            let _ = writeln!(text, "{number}. {}.", capitalized(&words));
        }
        text.push('\n');
        text
    }

    fn table(&self, rng: &mut Rng) -> String {
        let mut text = String::from("| case | header | what to send |\n| --- | --- | --- |\n");
        for _ in 0..rng.between(3, 5) {
            let case_words = rng.between(2, 4);
            let case = capitalized(&self.words(rng, case_words).join(" "));
            let header = rng.choose(HEADERS);
            let (url, name) = rng.choose(&self.real.codes);
            let _ = writeln!(text, "| {case} | `{header}` | [{name}]({url}) |");
        }
        text.push('\n');
        text
    }

    fn exchange(&self, rng: &mut Rng) -> String {
        let method = rng.choose(METHODS);
        let path = self.words(rng, 2).join("/");
        let id = rng.between(1, 99_999);
        let (_, status) = rng.choose(&self.real.codes);
        let media_type = rng.choose(MEDIA_TYPES);
        let header = rng.choose(HEADERS);
        let body = format!(
            "{{\"{}\":\"{}\",\"id\":{id}}}",
            self.word(rng),
            self.word(rng)
        );
        format!(
            "```http\n{method} /{path}/{id} HTTP/1.1\nHost: api.example.com\nAccept: {media_type}\n```\n\n\
             ```http\nHTTP/1.1 {status}\nContent-Type: {media_type}\n{header}: \"{id}\"\nContent-Length: {}\n\n{body}\n```\n\n",
            body.len()
        )
    }

    /// The Markdown of generated guide `index`, front matter included.
    fn guide(&self, index: usize) -> String {
        let mut rng = Rng::for_item(self.seed, BODY_STREAM, index);
        let summary_words = rng.between(10, 20);
        let summary = capitalized(&self.words(&mut rng, summary_words).join(" "));
        let mut text = format!(
            "---\ntitle: {}\nsummary: {summary}.\n---\n\n",
            self.title(index)
        );
        let opening = rng.between(3, 5);
        text += &self.paragraph(&mut rng, opening);
        text += &self.heading(&mut rng);
        let sentences = rng.between(2, 3);
        text += &self.paragraph(&mut rng, sentences);
        text += &self.bulleted_list(&mut rng);
        text += &self.heading(&mut rng);
        text += &self.numbered_list(&mut rng);
        text += &self.heading(&mut rng);
        text += &self.table(&mut rng);
        text += "## Example\n\n";
        text += &self.exchange(&mut rng);
        // More prose up to a length drawn between 2 and 4 KB; a section
        // that would pass 4 KB is left out once the page has 2 KB.
        let target = rng.between(2_300, 3_700);
        while text.len() < target {
            let sentences = rng.between(3, 5);
            let section = self.heading(&mut rng) + &self.paragraph(&mut rng, sentences);
            if text.len() + section.len() > MAX_BYTES && text.len() >= MIN_BYTES {
                break;
            }
            text += &section;
        }
        text
    }
}

/// Invented word number `rank`: two or more consonant-vowel syllables.
fn invented_word(rank: usize) -> String {
    const CONSONANTS: &[u8] = b"bdfgklmnprstvz";
    const VOWELS: &[u8] = b"aeiou";
    let syllables = CONSONANTS.len() * VOWELS.len();
    let mut number = rank + syllables;
    let mut word = String::new();
    while number > 0 {
        let syllable = number % syllables;
        word.push(CONSONANTS[syllable / VOWELS.len()] as char);
        word.push(VOWELS[syllable % VOWELS.len()] as char);
        number /= syllables;
    }
    word
}

fn capitalized(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// Wraps prose at about 78 columns, as the real content is, and ends the
/// paragraph with a blank line.
fn wrap(text: &str) -> String {
    let mut wrapped = String::new();
    let mut column = 0;
    for word in text.split_whitespace() {
        if column > 0 && column + 1 + word.len() > 78 {
            wrapped.push('\n');
            column = 0;
        } else if column > 0 {
            wrapped.push(' ');
            column += 1;
        }
        wrapped.push_str(word);
        column += word.len();
    }
    wrapped.push_str("\n\n");
    wrapped
}

/// The Hugo side: configuration and layouts equivalent to our theme.
mod hugo_site {
    use std::fs;
    use std::io;
    use std::path::Path;

    /// Writes `hugo.yaml` and `layouts/` into `site`.
    pub fn write(site: &Path) -> io::Result<()> {
        fs::write(site.join("hugo.yaml"), CONFIG)?;
        for (path, text) in LAYOUTS {
            let file = site.join("layouts").join(path);
            fs::create_dir_all(file.parent().expect("layout paths have a folder"))?;
            fs::write(file, text)?;
        }
        Ok(())
    }

    const CONFIG: &str = include_str!("../bench/hugo/hugo.yaml");

    const LAYOUTS: &[(&str, &str)] = &[
        (
            "_default/baseof.html",
            include_str!("../bench/hugo/layouts/_default/baseof.html"),
        ),
        (
            "_default/single.html",
            include_str!("../bench/hugo/layouts/_default/single.html"),
        ),
        (
            "_default/list.html",
            include_str!("../bench/hugo/layouts/_default/list.html"),
        ),
        (
            "index.html",
            include_str!("../bench/hugo/layouts/index.html"),
        ),
        ("404.html", include_str!("../bench/hugo/layouts/404.html")),
        (
            "partials/footer.html",
            include_str!("../bench/hugo/layouts/partials/footer.html"),
        ),
        (
            "partials/nav.html",
            include_str!("../bench/hugo/layouts/partials/nav.html"),
        ),
        (
            "_default/_markup/render-heading.html",
            include_str!("../bench/hugo/layouts/_default/_markup/render-heading.html"),
        ),
    ];
}
