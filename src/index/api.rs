//! The JSON API: `api/codes.json` (every code, sorted) and `api/<code>.json`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::front_matter::{OtherUse, Releases, SpecLink, Status};
use crate::content::reviewed::ReviewDate;
use crate::content::{CodePage, Content, class_name};
use crate::output::OutputFile;

/// One code as the API serves it.
#[derive(Serialize)]
struct ApiCode<'a> {
    code: u16,
    title: &'a str,
    class: String,
    summary: &'a str,
    status: Status,
    spec: &'a [SpecLink],
    aliases: &'a [String],
    related: Vec<u16>,
    headers: &'a [String],
    keywords: &'a [String],
    /// Library → constant.
    references: BTreeMap<&'a str, &'a str>,
    /// Library → the releases given for its constant, for the entries that
    /// give any (`since`, `formerly`, `deprecated`, `removed`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    reference_releases: BTreeMap<&'a str, &'a Releases>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    cacheable: bool,
    /// Different meanings vendors give the same number.
    other_uses: &'a [OtherUse],
    /// When the page was last checked against its sources (`2026-12-02`),
    /// or null.
    reviewed: Option<ReviewDate>,
    /// Path of the code's page, relative to the site root.
    url: &'a str,
}

fn api_code(code: &CodePage) -> ApiCode<'_> {
    ApiCode {
        code: code.code,
        title: &code.page.title,
        class: class_name(code.class_digit()),
        summary: &code.page.summary,
        status: code.status,
        spec: &code.spec,
        aliases: &code.aliases,
        related: code.related.iter().map(|related| related.value).collect(),
        headers: &code.headers,
        keywords: &code.keywords,
        references: code
            .references
            .iter()
            .map(|(library, constant)| (library.as_str(), constant.name.as_str()))
            .collect(),
        reference_releases: code
            .references
            .iter()
            .filter(|(_, constant)| !constant.releases.is_empty())
            .map(|(library, constant)| (library.as_str(), &constant.releases))
            .collect(),
        source: code.source.as_deref(),
        cacheable: code.cacheable,
        other_uses: &code.other_uses,
        reviewed: code.reviewed,
        url: &code.page.url,
    }
}

/// The API files of the site.
pub fn files(content: &Content) -> Vec<OutputFile> {
    let codes: Vec<ApiCode> = content.codes.iter().map(api_code).collect();
    let mut files = vec![OutputFile::new("api/codes.json", to_json(&codes))];
    for code in &codes {
        files.push(OutputFile::new(
            format!("api/{}.json", code.code),
            to_json(code),
        ));
    }
    files
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("API values always serialize");
    bytes.push(b'\n');
    bytes
}
