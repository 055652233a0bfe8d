//! Sanitizing page HTML: contributed Markdown is published to every reader,
//! so the HTML it renders to goes through `ammonia` with an allow-list of
//! what a reference page needs (text markup, tables, code, `<details>`,
//! images of this site) and nothing that can run script, load another
//! origin, submit a form, restyle the page or clobber the theme's ids.
//!
//! The same allow-list also reads the raw HTML a contributor wrote, so `check`
//! can say, with file and line, what the sanitizer is going to remove.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements a page body may contain.
pub const ALLOWED_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "var",
    "wbr",
];

/// Attributes allowed on every allowed element.
pub const GENERIC_ATTRIBUTES: &[&str] = &["title", "lang"];

/// Attributes allowed on particular elements (values are checked too, see
/// [`check_attribute`]).
pub const ELEMENT_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "class", "aria-label"]),
    ("code", &["class"]),
    ("details", &["open"]),
    ("div", &["id", "class"]),
    ("h1", &["id", "class"]),
    ("h2", &["id", "class"]),
    ("h3", &["id", "class"]),
    ("h4", &["id", "class"]),
    ("h5", &["id", "class"]),
    ("h6", &["id", "class"]),
    ("img", &["src", "alt", "width", "height"]),
    ("input", &["type", "checked", "disabled"]),
    ("pre", &["tabindex"]),
    ("ol", &["start"]),
    ("sup", &["class"]),
    ("table", &["tabindex"]),
    ("td", &["class", "colspan", "rowspan"]),
    ("th", &["class", "colspan", "rowspan", "scope"]),
];

/// Schemes a link may use; anything else (`javascript:`, `data:`, `vbscript:`…)
/// is removed. Links without a scheme (site paths, `#fragments`) are kept.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Attributes an element always gets, whatever it had, as (element,
/// attribute, value): an `<input>` is only a task list's box that cannot be
/// changed; code blocks and tables, which scroll inside themselves when
/// wider than the page, take the focus, since a keyboard can scroll only
/// what can.
const FORCED_ATTRIBUTES: &[(&str, &str, &str)] = &[
    ("input", "type", "checkbox"),
    ("input", "disabled", ""),
    ("pre", "tabindex", "0"),
    ("table", "tabindex", "0"),
];

/// True for an attribute [`FORCED_ATTRIBUTES`] sets on `element`.
fn is_forced(element: &str, attribute: &str) -> bool {
    FORCED_ATTRIBUTES
        .iter()
        .any(|(forced_element, forced, _)| *forced_element == element && *forced == attribute)
}

/// Elements removed together with everything inside them.
const REMOVED_WITH_CONTENT: &[&str] = &["script", "style"];

/// Classes the theme styles that Markdown output uses, by element; headings
/// take any class made of safe characters (`## Title {.note}`).
fn class_allowed(element: &str, class: &str) -> bool {
    match element {
        "a" => class == "heading-anchor",
        "code" => class.starts_with("language-"),
        "td" | "th" => matches!(class, "align-left" | "align-center" | "align-right"),
        "sup" => matches!(class, "footnote-reference" | "footnote-definition-label"),
        "div" => class == "footnote-definition",
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => true,
        _ => false,
    }
}

/// True for ids and classes made only of letters, digits, `-` and `_`.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// Whether `value` is kept on `element`'s `attribute`, and if not, why (in
/// words for the contributor). `ids` are the ids the page's own headings
/// and footnotes have; no other id survives.
pub fn check_attribute(
    element: &str,
    attribute: &str,
    value: &str,
    ids: &BTreeSet<String>,
) -> Result<(), String> {
    let allowed_here = GENERIC_ATTRIBUTES.contains(&attribute)
        || ELEMENT_ATTRIBUTES
            .iter()
            .any(|(name, attributes)| *name == element && attributes.contains(&attribute));
    if !allowed_here {
        return Err(if attribute.starts_with("on") {
            "event handlers would run script in readers' browsers".to_string()
        } else if attribute == "style" {
            "pages cannot style themselves; the theme's stylesheet does that".to_string()
        } else {
            format!("`{attribute}` is not an attribute pages may use on `<{element}>`")
        });
    }
    match attribute {
        "href" => check_link(value),
        "src" => check_image(value),
        "id" if ids.contains(value) => Ok(()),
        "id" => Err(
            "ids come from Markdown headings (`## Title {#id}`), so they stay unique".to_string(),
        ),
        "class" => match value
            .split_ascii_whitespace()
            .find(|class| !(is_safe_name(class) && class_allowed(element, class)))
        {
            None => Ok(()),
            Some(class) => Err(format!(
                "the class `{class}` is not one the theme uses here"
            )),
        },
        "type" if !value.eq_ignore_ascii_case("checkbox") => Err(
            "inputs can only be task-list checkboxes (`- [x]`): it becomes a disabled checkbox"
                .to_string(),
        ),
        _ => Ok(()),
    }
}

/// Links may go anywhere on the web or the site, but run nothing.
fn check_link(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(parsed) if LINK_SCHEMES.contains(&parsed.scheme()) => Ok(()),
        Err(url::ParseError::RelativeUrlWithoutBase) => Ok(()),
        _ => Err(format!(
            "links must be site paths (`/404/`) or use {}",
            LINK_SCHEMES
                .iter()
                .map(|scheme| format!("{scheme}:"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Images come from this site only: no other origin learns who reads a
/// page, and the Content-Security-Policy would block them anyway.
fn check_image(url: &str) -> Result<(), String> {
    // Read the address as a browser does: without leading and trailing
    // control characters and spaces, and without tabs and line breaks
    // anywhere, so `\x01//host` and `/\t/host` are seen as `//host`.
    let as_read: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let protocol_relative = as_read
        .chars()
        .take(2)
        .filter(|c| matches!(c, '/' | '\\'))
        .count()
        == 2;
    match url::Url::parse(url) {
        Err(url::ParseError::RelativeUrlWithoutBase) if !protocol_relative => Ok(()),
        _ => Err("images must be files of this site (`/icon.svg`), not other addresses".into()),
    }
}

/// Sanitizes the HTML of the page at `page_url` (`404/`); `ids` are the ids
/// its headings and footnotes have. Site-absolute links and images, raw
/// HTML's included, become relative to the page
/// ([`crate::render::markdown::relative_link`]).
pub fn clean(html: &str, ids: &BTreeSet<String>, page_url: &str) -> String {
    clean_with_prefix(html, ids, page_url, "")
}

/// [`clean`], then every id and every `#fragment` link given `id_prefix`
/// (`code-404-`), so that bodies of several pages can share one page (the
/// read-all page) without two elements sharing an id.
pub fn clean_with_prefix(
    html: &str,
    ids: &BTreeSet<String>,
    page_url: &str,
    id_prefix: &str,
) -> String {
    let html = align_cells_with_classes(html);
    let element_attributes: HashMap<&str, HashSet<&str>> = ELEMENT_ATTRIBUTES
        .iter()
        .map(|(element, attributes)| {
            // ammonia sets a forced attribute itself.
            let kept = attributes
                .iter()
                .copied()
                .filter(|attribute| !is_forced(element, attribute));
            (*element, kept.collect())
        })
        .collect();
    let ids = ids.clone();
    let id_prefix = id_prefix.to_string();
    let mut builder = ammonia::Builder::empty();
    for (element, attribute, value) in FORCED_ATTRIBUTES {
        builder.set_tag_attribute_value(*element, *attribute, *value);
    }
    builder
        .tags(ALLOWED_ELEMENTS.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(element_attributes)
        .url_schemes(LINK_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::Custom(Box::new(SitePaths {
            page_url: page_url.to_string(),
        })))
        .link_rel(None)
        .strip_comments(true)
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .attribute_filter(move |element, attribute, value| {
            check_attribute(element, attribute, value, &ids).ok()?;
            let fragment = attribute == "href" && value.starts_with('#');
            Some(match (id_prefix.is_empty(), attribute == "id", fragment) {
                (false, true, _) => Cow::Owned(format!("{id_prefix}{value}")),
                (false, _, true) => Cow::Owned(format!("#{id_prefix}{}", &value[1..])),
                _ => Cow::Borrowed(value),
            })
        })
        .clean(&html)
        .to_string()
}

/// Rewrites site-absolute URLs relative to one page.
struct SitePaths {
    page_url: String,
}

impl ammonia::UrlRelativeEvaluate<'_> for SitePaths {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        Some(
            match crate::render::markdown::relative_link(&self.page_url, url) {
                Some(relative) => Cow::Owned(relative),
                None => Cow::Borrowed(url),
            },
        )
    }
}

/// pulldown-cmark aligns table cells with `style` attributes, which the
/// Content-Security-Policy forbids; the theme has classes for them instead.
fn align_cells_with_classes(html: &str) -> Cow<'_, str> {
    if !html.contains(" style=\"text-align: ") {
        return Cow::Borrowed(html);
    }
    let mut html = html.to_string();
    for cell in ["td", "th"] {
        for align in ["left", "center", "right"] {
            html = html.replace(
                &format!("<{cell} style=\"text-align: {align}\">"),
                &format!("<{cell} class=\"align-{align}\">"),
            );
        }
    }
    Cow::Owned(html)
}

/// Something the sanitizer removes from raw HTML a contributor wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// 0-based line inside the fragment.
    pub line: usize,
    /// The tag's name, to find its column on that line.
    pub element: String,
    pub message: String,
}

/// What [`clean`] will remove from the raw HTML `fragment`, tag by tag.
pub fn removals(fragment: &str, ids: &BTreeSet<String>) -> Vec<Removal> {
    let tokenizer = Tokenizer::new(StartTags::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(fragment));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let tags = tokenizer.sink.tags.take();

    let mut found = Vec::new();
    for (line, element, attributes) in tags {
        let mut remove = |message: String| {
            found.push(Removal {
                line,
                element: element.clone(),
                message,
            })
        };
        if REMOVED_WITH_CONTENT.contains(&element.as_str()) {
            remove(format!(
                "removed `<{element}>` and everything in it: pages cannot run scripts or carry styles"
            ));
        } else if !ALLOWED_ELEMENTS.contains(&element.as_str()) {
            remove(format!(
                "removed `<{element}>` (any text inside is kept): it is not an element pages may use; write Markdown instead"
            ));
        } else {
            for (attribute, value) in &attributes {
                if let Err(reason) = check_attribute(&element, attribute, value, ids) {
                    remove(format!(
                        "removed `{attribute}` from `<{element}>`: {reason}"
                    ));
                }
            }
        }
    }
    found
}

/// A start tag as written: 0-based line, element, attributes.
type StartTag = (usize, String, Vec<(String, String)>);

/// Collects start tags with their 0-based line.
#[derive(Default)]
struct StartTags {
    tags: RefCell<Vec<StartTag>>,
}

impl TokenSink for StartTags {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let attributes = tag
                .attrs
                .iter()
                .map(|attribute| {
                    (
                        attribute.name.local.to_string(),
                        attribute.value.to_string(),
                    )
                })
                .collect();
            self.tags.borrow_mut().push((
                usize::try_from(line_number).unwrap_or(1).saturating_sub(1),
                tag.name.to_string(),
                attributes,
            ));
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|id| id.to_string()).collect()
    }

    #[test]
    fn removes_script_handlers_and_foreign_urls() {
        let html = r#"<p onclick="x()">a<script>alert(1)</script><img src="x" onerror="alert(1)"><a href="javascript:alert(1)">b</a><iframe src="https://e.example"></iframe><img src="https://e.example/t.png"><style>main{display:none}</style></p>"#;
        let clean = clean(html, &ids(&[]), "404/");
        assert_eq!(clean, r#"<p>a<img src="x"><a>b</a><img></p>"#);
    }

    #[test]
    fn keeps_what_a_reference_needs() {
        let html = r##"<h2 id="a" class="note">A <a class="heading-anchor" href="#a" aria-label="Link">#</a></h2><details open=""><summary>More</summary><p><kbd>Ctrl</kbd> <abbr title="HyperText">HT</abbr><sup>1</sup><br></p></details><pre><code class="language-http">GET /</code></pre><table><thead><tr><th class="align-left">x</th></tr></thead></table>"##;
        // Code blocks and tables take the focus, so a keyboard can scroll a wide one.
        let focusable = html
            .replace("<pre>", r#"<pre tabindex="0">"#)
            .replace("<table>", r#"<table tabindex="0">"#);
        assert_eq!(clean(html, &ids(&["a"]), "404/"), focusable);
    }

    #[test]
    fn ids_are_only_the_pages_own() {
        assert_eq!(
            clean(
                r#"<h2 id="main">x</h2><div id="a">y</div>"#,
                &ids(&["a"]),
                "404/"
            ),
            r#"<h2>x</h2><div id="a">y</div>"#
        );
    }

    #[test]
    fn a_code_block_can_take_the_focus_to_scroll() {
        assert_eq!(
            clean(
                r#"<pre tabindex="-1" onfocus="x()"><code>GET /</code></pre>"#,
                &ids(&[]),
                "404/"
            ),
            r#"<pre tabindex="0"><code>GET /</code></pre>"#
        );
    }

    #[test]
    fn an_id_prefix_goes_on_ids_and_fragment_links_only() {
        let html = r##"<h2 id="a">A <a class="heading-anchor" href="#a">#</a></h2><p><a href="/404/#a">x</a> <a href="https://e.example/#a">y</a> <a href="#missing">z</a></p>"##;
        assert_eq!(
            clean_with_prefix(html, &ids(&["a"]), "all/", "code-404-"),
            r##"<h2 id="code-404-a">A <a class="heading-anchor" href="#code-404-a">#</a></h2><p><a href="../404/index.html#a">x</a> <a href="https://e.example/#a">y</a> <a href="#code-404-missing">z</a></p>"##
        );
    }

    #[test]
    fn table_alignment_becomes_a_class() {
        assert_eq!(
            clean(
                r#"<table><tr><td style="text-align: right">1</td></tr></table>"#,
                &ids(&[]),
                "404/"
            ),
            r#"<table tabindex="0"><tbody><tr><td class="align-right">1</td></tr></tbody></table>"#
        );
    }

    #[test]
    fn reports_removals_by_line() {
        let found = removals(
            "<div>\n<img src=x\n onerror=alert(1)>\n<script>x</script><form action=/x>",
            &ids(&[]),
        );
        let lines: Vec<(usize, &str)> = found
            .iter()
            .map(|removal| (removal.line, removal.element.as_str()))
            .collect();
        assert_eq!(lines, [(2, "img"), (3, "script"), (3, "form")]);
        assert!(found[0].message.contains("`onerror`"), "{found:?}");
    }
}

/// Property tests: whatever goes in, what comes out is inside the
/// allow-list, as an independent HTML parser (scraper) reads it.
#[cfg(test)]
pub(crate) mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Everything in `html` outside the allow-list, as `element` or
    /// `element[attribute=value]`.
    pub(crate) fn outside_allow_list(html: &str) -> Vec<String> {
        let fragment = scraper::Html::parse_fragment(html);
        let mut found = Vec::new();
        for node in fragment.tree.nodes() {
            let Some(element) = node.value().as_element() else {
                continue;
            };
            let name = element.name();
            // scraper's own wrappers around a fragment (`html`, `body`), at
            // the top of its tree.
            if matches!(name, "html" | "body") && node.ancestors().count() <= 2 {
                continue;
            }
            if !ALLOWED_ELEMENTS.contains(&name) {
                found.push(name.to_string());
            }
            for (attribute, value) in element.attrs() {
                let listed = GENERIC_ATTRIBUTES.contains(&attribute)
                    || ELEMENT_ATTRIBUTES
                        .iter()
                        .any(|(element, list)| *element == name && list.contains(&attribute));
                let url_ok = match attribute {
                    "href" => match url::Url::parse(value) {
                        Ok(url) => LINK_SCHEMES.contains(&url.scheme()),
                        Err(error) => error == url::ParseError::RelativeUrlWithoutBase,
                    },
                    "src" => {
                        let start: String = value
                            .trim_matches(|c: char| c <= ' ')
                            .chars()
                            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                            .take(2)
                            .collect();
                        url::Url::parse(value) == Err(url::ParseError::RelativeUrlWithoutBase)
                            && !start.chars().all(|c| c == '/' || c == '\\')
                    }
                    _ => true,
                };
                let forced_ok = FORCED_ATTRIBUTES
                    .iter()
                    .all(|(element, forced, forced_value)| {
                        (*element, *forced) != (name, attribute) || *forced_value == value
                    });
                if !listed || !url_ok || !forced_ok || attribute.starts_with("on") {
                    found.push(format!("{name}[{attribute}={value}]"));
                }
            }
        }
        found
    }

    /// Pieces of hostile and ordinary Markdown and HTML, and random text.
    pub(crate) fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "<script>alert(1)</script>",
                "<script>",
                "</script>",
                "<img src=x onerror=alert(1)>",
                "<svg onload=alert(1)><a xlink:href=javascript:alert(1)>x</a></svg>",
                "<details ontoggle=alert(1) open><summary>s</summary>",
                "<iframe src=\"javascript:alert(1)\"></iframe>",
                "[x](javascript:alert(1))",
                "[x](JaVaScRiPt:alert(1))",
                "[x](java\tscript:alert(1))",
                "<javascript:alert(1)>",
                "<meta http-equiv=refresh content=\"0;url=//evil.example\">",
                "<form action=//evil.example><button>go</button></form>",
                "<style>main{display:none}</style>",
                "<base href=//evil.example/>",
                "<object data=x></object><embed src=x>",
                "<input autofocus onfocus=alert(1)>",
                "<a href=\"data:text/html,<script>alert(1)</script>\">d</a>",
                "<a href=\"&#106;avascript:alert(1)\">e</a>",
                "![i](data:image/svg+xml,<svg/onload=alert(1)>)",
                "![i](//evil.example/x.png)",
                "![i](\\\\evil.example/x.png)",
                "<img src=\"&#1;//evil.example/x.png\">",
                "<img src=\"/&#9;/evil.example/x.png\">",
                "<img src=\" \n//evil.example/x.png\">",
                "<div id=main style=\"color:red\" class=\"x\">d</div>",
                "<math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>",
                "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
                "<template><script>alert(1)</script></template>",
                "## Heading {#g\"autofocus=\"autofocus\"onfocus=\"alert(1)}",
                "## Heading {#f tabindex=0 onfocus=alert(1)}",
                "## Heading {#a .b}",
                "## A\n## A\n## A-1",
                "Setext\nheading\n---",
                "| a | b |\n|:-|-:|\n| 1 | 2 |",
                "[^1]\n\n[^1]: note",
                "- [x] done",
                "<!-- comment -->",
                "<kbd>Ctrl</kbd> <abbr title=\"t\">a</abbr> <sup>1</sup>",
                "```http\nGET / HTTP/1.1\n```",
                "[site](/404/) [web](https://example.org/) [mail](mailto:a@b.example)",
                "\0",
                "\n",
                "\n\n",
                "- ",
                "> ",
                "`",
                "*",
                "<",
                ">",
                "\"",
                "'",
                "&",
                "{",
                "}",
                "#",
            ])
            .prop_map(str::to_string),
            "[ -~]{0,12}",
            any::<String>(),
        ]
    }

    pub(crate) fn document() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..24).prop_map(|pieces| pieces.concat())
    }

    #[test]
    fn the_checker_sees_what_is_outside() {
        assert_eq!(
            outside_allow_list(
                r#"<p onclick="x()">a<script></script><a href="javascript:x()">b</a><img src="//e.example/i.png"></p>"#
            ),
            [
                "p[onclick=x()]",
                "script",
                "a[href=javascript:x()]",
                "img[src=//e.example/i.png]"
            ]
        );
        assert_eq!(
            outside_allow_list("<p>a <a href=\"/404/\">b</a></p>"),
            Vec::<String>::new()
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn cleaned_html_stays_inside_the_allow_list(html in document()) {
            let ids: BTreeSet<String> = ["a", "main"].iter().map(|id| id.to_string()).collect();
            let clean = clean(&html, &ids, "404/");
            prop_assert_eq!(outside_allow_list(&clean), Vec::<String>::new(), "from {:?}: {}", html, clean);
        }
    }
}
