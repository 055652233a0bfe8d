//! A valid fixture site builds into the promised output layout, with
//! relative links that all resolve, and the JSON API.

use crate::support::*;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = fixture_site("valid");
    let output = site.path().join("public");
    let result = build(site.path(), &output, &[]);
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(stdout.starts_with("Built 10 pages in "), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with(&format!("→ {}/", output.display())),
        "{stdout}"
    );
    (site, output)
}

#[test]
fn writes_every_page_and_site_file() {
    let (_site, output) = built();
    for file in [
        "index.html",
        "404.html",
        "2xx/index.html",
        "4xx/index.html",
        "200/index.html",
        "404/index.html",
        "410/index.html",
        "499/index.html",
        "guides/hello/index.html",
        ".nojekyll",
        "sitemap.xml",
        "robots.txt",
        "api/codes.json",
        "api/404.json",
        "style.css",
        "search/index.js",
        "search-index.json",
        "manifest.webmanifest",
    ] {
        assert!(output.join(file).is_file(), "missing {file}");
    }
}

#[test]
fn every_internal_link_is_relative_and_resolves_to_a_file() {
    let (_site, output) = built();
    let mut checked = 0;
    for (path, bytes) in read_tree(&output) {
        // 404.html is served at unknown URLs, so its links start at the base path.
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let page_dir = output.join(&path).parent().unwrap().to_path_buf();
        for link in links(&html) {
            if link.starts_with("https://") || link.starts_with('#') {
                continue;
            }
            assert!(!link.starts_with('/'), "{path}: site-absolute link {link}");
            let file = link.split('#').next().unwrap();
            assert!(
                !file.ends_with('/'),
                "{path}: link to a folder {link} does not work from file://"
            );
            assert!(page_dir.join(file).is_file(), "{path}: broken link {link}");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn markdown_links_are_rewritten_and_headings_get_anchors() {
    let (_site, output) = built();
    let home = read(&output.join("index.html"));
    assert!(
        home.contains(r#"<a href="guides/hello/index.html#second-part">the guide</a>"#),
        "{home}"
    );
    let page = read(&output.join("404/index.html"));
    assert!(page.contains(r#"<a href="../410/index.html">is gone for good</a>"#));
    assert!(page.contains(r##"<h2 id="when-to-send-it">When to send it <a class="heading-anchor" href="#when-to-send-it""##));
    // GFM: tables, strikethrough, task lists, footnotes; raw text is escaped.
    for fragment in [
        r#"<table tabindex="0">"#,
        "<del>struck</del>",
        "☑ done",
        "footnote-definition",
        "&amp; truly",
    ] {
        assert!(page.contains(fragment), "missing {fragment}");
    }
    let class_page = read(&output.join("4xx/index.html"));
    assert!(
        class_page.contains(r#"href="../404/index.html#when-to-send-it""#),
        "CRLF page lost its link"
    );
}

#[test]
fn pages_carry_title_description_and_canonical_url_from_base_url() {
    let (_site, output) = built();
    let page = read(&output.join("404/index.html"));
    assert!(page.contains("<title>404 Not Found · Fixture codes</title>"));
    assert!(page.contains(r#"<meta name="description" content="Nothing is here.">"#));
    assert!(page.contains(r#"<link rel="canonical" href="https://example.org/docs/404/">"#));
    let sitemap = read(&output.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/docs/404/</loc>"));
    assert!(
        !sitemap.contains("lastmod"),
        "no timestamps without SOURCE_DATE_EPOCH"
    );
    assert!(
        read(&output.join("robots.txt")).contains("Sitemap: https://example.org/docs/sitemap.xml")
    );
    // The not-found page works at any depth: its links start at the base path.
    let not_found = read(&output.join("404.html"));
    assert!(
        not_found.contains(r#"href="/docs/index.html""#),
        "{not_found}"
    );
    assert!(not_found.contains(r#"href="/docs/style.css""#));
    // It has no address of its own, so no canonical link; the sitemap is
    // linked from every page, since robots.txt is not read under a path.
    assert!(!not_found.contains(r#"rel="canonical""#), "{not_found}");
    assert!(
        not_found
            .contains(r#"<link rel="sitemap" type="application/xml" href="/docs/sitemap.xml">"#)
    );
    assert!(page.contains(r#"<link rel="sitemap" type="application/xml" href="../sitemap.xml">"#));
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let site = fixture_site("valid");
    let output = site.path().join("public");
    build(
        site.path(),
        &output,
        &["--base-url", "https://user.github.io/httpcodes"],
    );
    let page = read(&output.join("404/index.html"));
    assert!(page.contains(r#"href="https://user.github.io/httpcodes/404/""#));
    assert!(
        page.contains(r#"href="../style.css""#),
        "other links stay relative"
    );
    assert!(read(&output.join("404.html")).contains(r#"href="/httpcodes/style.css""#));
}

#[test]
fn unusual_but_valid_files_build() {
    let (_site, output) = built();
    // 200.md starts with a BOM and has no body; 4xx/_index.md has CRLF endings.
    assert!(
        read(&output.join("200/index.html")).contains(r#"<span class="code-name">OK</span></h1>"#)
    );
    assert!(read(&output.join("4xx/index.html")).contains("<h1>4xx Client errors</h1>"));
}

#[test]
fn home_and_class_pages_list_unofficial_codes_apart() {
    let (_site, output) = built();
    let class_page = read(&output.join("4xx/index.html"));
    let unofficial = class_page
        .find("Unofficial 4xx codes")
        .expect("unofficial heading");
    let pos = |needle: &str| {
        class_page
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle}"))
    };
    assert!(pos(r#"href="../404/index.html""#) < unofficial);
    assert!(pos(r#"href="../499/index.html""#) > unofficial);
    // The home page groups them apart too, by who uses them.
    let home = read(&output.join("index.html"));
    let unofficial = home
        .find(r#"id="unofficial-codes""#)
        .expect("unofficial section");
    let vendor = home
        .find("<h3 class=\"vendor-name\">nginx</h3>")
        .expect("vendor heading");
    let pos = |needle: &str| home.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    assert!(pos(r#"href="404/index.html""#) < unofficial);
    assert!(unofficial < vendor && vendor < pos(r#"href="499/index.html""#));
}

#[test]
fn codes_json_lists_every_code_with_the_documented_fields() {
    let (_site, output) = built();
    let codes: serde_json::Value =
        serde_json::from_str(&read(&output.join("api/codes.json"))).unwrap();
    let codes = codes.as_array().unwrap();
    let numbers: Vec<u64> = codes
        .iter()
        .map(|code| code["code"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [200, 404, 410, 499]);
    let not_found = &codes[1];
    assert_eq!(not_found["title"], "Not Found");
    assert_eq!(not_found["class"], "4xx");
    assert_eq!(not_found["status"], "standard");
    assert_eq!(not_found["url"], "404/");
    assert_eq!(not_found["related"], serde_json::json!([410, 200]));
    assert_eq!(not_found["aliases"], serde_json::json!(["Page Not Found"]));
    assert_eq!(
        not_found["spec"][0]["url"],
        "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5"
    );
    assert_eq!(
        not_found["references"],
        serde_json::json!({
            "Python": "http.HTTPStatus.NOT_FOUND",
            "Rust": "http::StatusCode::NOT_FOUND",
            "Spring": "HttpStatus.NOT_FOUND"
        })
    );
    assert_eq!(
        not_found["reference_releases"],
        serde_json::json!({"Spring": {"since": "3.0"}}),
        "only the entries that give releases, without their name again"
    );
    assert_eq!(codes[3]["source"], "nginx");
    assert_eq!(not_found["reviewed"], "2026-11-30");
    assert_eq!(not_found["other_uses"], serde_json::json!([]));
    assert_eq!(
        codes[3]["other_uses"][0],
        serde_json::json!({
            "source": "ArcGIS",
            "title": "Token Required",
            "meaning": "The request for a secured service carried no token.",
            "url": "https://developers.arcgis.com/rest/services-reference/enterprise/"
        })
    );
    let single: serde_json::Value =
        serde_json::from_str(&read(&output.join("api/404.json"))).unwrap();
    assert_eq!(&single, not_found);
}

#[test]
fn source_date_epoch_dates_the_sitemap() {
    let site = fixture_site("valid");
    let output = site.path().join("public");
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_httpcodes"))
        .args([
            "build",
            "--root",
            path_str(site.path()),
            "--output",
            path_str(&output),
        ])
        .env("SOURCE_DATE_EPOCH", "1764115200")
        .output()
        .unwrap();
    assert!(result.status.success());
    assert!(read(&output.join("sitemap.xml")).contains("<lastmod>2025-11-26</lastmod>"));
}

#[test]
fn search_index_has_codes_classes_guides_and_guide_sections() {
    let (_site, output) = built();
    let index: serde_json::Value =
        serde_json::from_str(&read(&output.join("search-index.json"))).unwrap();
    let docs = index["docs"].as_array().unwrap();
    assert_eq!(index["version"], 2);
    let urls: Vec<&str> = docs
        .iter()
        .map(|doc| doc["url"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&"404/index.html"));
    assert!(urls.contains(&"4xx/index.html"));
    assert!(urls.contains(&"guides/hello/index.html"));
    assert!(urls.contains(&"guides/hello/index.html#second-part"));
    let unofficial = docs.iter().find(|doc| doc["code"] == 499).unwrap();
    assert_eq!(unofficial["kind"], "unofficial");
    assert_eq!(unofficial["source"], "nginx");
    let script = read(&output.join("search/index.js"));
    let version = httpcodes::index::search::SHARDS_VERSION;
    assert!(script.starts_with(&format!(
        r#"(window.HTTPCODES_SEARCH_PARTS = window.HTTPCODES_SEARCH_PARTS || {{}})["search/index.js"] = {{"version":{version},"#
    )));
    // Body words are indexed: "logs" only appears in 499's body.
    let logs = index["terms"]["logs"].as_array().unwrap();
    assert_eq!(logs.len(), 1);
    assert_eq!(docs[logs[0].as_u64().unwrap() as usize]["code"], 499);
}

#[test]
fn a_related_code_listed_twice_is_shown_once_with_a_warning() {
    let site = fixture_site("valid");
    let page = site.path().join("content/4xx/410.md");
    let text = read(&page).replace("related: [404]", "related: [404, 404]");
    std::fs::write(&page, text).unwrap();
    let output = site.path().join("public");
    let result = httpcodes_in(site.path(), &["build", "--format", "github"]);
    assert!(result.status.success());
    assert_eq!(
        String::from_utf8_lossy(&result.stdout),
        "::warning file=content/4xx/410.md,line=9,col=16::related code 404 is listed twice: remove this one\n"
    );
    let gone: serde_json::Value =
        serde_json::from_str(&read(&output.join("api/410.json"))).unwrap();
    assert_eq!(gone["related"], serde_json::json!([404]));
    let html = read(&output.join("410/index.html"));
    let related = &html[html.find(r#"id="related-codes""#).unwrap()..];
    let related = &related[..related.find("</section>").unwrap()];
    assert_eq!(related.matches(r#"href="../404/index.html""#).count(), 1);
}

/// The `href`s of the "Edit this page" links of a built page.
fn edit_links(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let anchors = scraper::Selector::parse("a[href]").unwrap();
    document
        .select(&anchors)
        .filter(|anchor| anchor.text().collect::<String>().trim() == "Edit this page")
        .filter_map(|anchor| anchor.value().attr("href").map(String::from))
        .collect()
}

/// Where each Markdown file of `content/` is published, from its path
/// (`4xx/404.md` → `404/index.html`, `guides/x.md` → `guides/x/index.html`).
fn built_page_of(source: &str) -> String {
    let (folder, file) = source.rsplit_once('/').unwrap_or(("", source));
    match (folder, file.strip_suffix(".md").unwrap()) {
        ("", "_index") => "index.html".to_string(),
        (class, "_index") => format!("{class}/index.html"),
        ("guides", slug) => format!("guides/{slug}/index.html"),
        (_, code) => format!("{code}/index.html"),
    }
}

#[test]
fn every_page_from_markdown_links_to_its_file_for_editing_once_repo_url_is_set() {
    let site = fixture_site("valid");
    let sources: Vec<String> = read_tree(&site.path().join("content"))
        .into_keys()
        .collect();
    assert!(sources.len() > 3);

    // Without repo_url, no page has the link.
    let output = site.path().join("public");
    build(site.path(), &output, &[]);
    for (path, bytes) in read_tree(&output) {
        if path.ends_with(".html") {
            assert_eq!(
                edit_links(&String::from_utf8(bytes).unwrap()),
                Vec::<String>::new(),
                "{path}"
            );
        }
    }

    let config = site.path().join("site.yaml");
    let mut yaml = read(&config);
    yaml.push_str("repo_url: https://github.com/someone/codes/\nedit_branch: release/2\n");
    std::fs::write(&config, yaml).unwrap();
    build(site.path(), &output, &[]);
    for source in &sources {
        let page = built_page_of(source);
        let html = read(&output.join(&page));
        assert_eq!(
            edit_links(&html),
            vec![format!(
                "https://github.com/someone/codes/edit/release/2/content/{source}"
            )],
            "{page}"
        );
    }
    // The page for unknown addresses has no file of its own.
    assert_eq!(
        edit_links(&read(&output.join("404.html"))),
        Vec::<String>::new()
    );
}

#[test]
fn a_repo_url_that_is_not_https_is_a_located_error() {
    let site = fixture_site("valid");
    let config = site.path().join("site.yaml");
    let yaml = read(&config);
    let line = yaml.lines().count() + 1;
    std::fs::write(
        &config,
        format!("{yaml}repo_url: http://github.com/someone/codes\n"),
    )
    .unwrap();
    let checked = httpcodes_in(site.path(), &["check", "--format", "github"]);
    assert_eq!(checked.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert!(
        stdout.contains(&format!("::error file=site.yaml,line={line},col=1::repo_url `http://github.com/someone/codes` must start with https://")),
        "{stdout}"
    );
}

#[test]
fn the_read_all_page_has_every_code_in_order_each_with_its_own_ids() {
    let (_site, output) = built();
    let codes: serde_json::Value =
        serde_json::from_str(&read(&output.join("api/codes.json"))).unwrap();
    let all = read(&output.join("all/index.html"));
    let mut last = 0;
    let mut headings = 0;
    for code in codes.as_array().unwrap() {
        let number = &code["code"];
        let at = all
            .find(&format!(
                r#"<article class="all-code class-{}" aria-labelledby="code-{number}">"#,
                code["class"].as_str().unwrap()
            ))
            .unwrap_or_else(|| panic!("{number} is not on the read-all page"));
        assert!(at > last, "{number} is out of order");
        last = at;
        // Each body heading is there one level down, its id and the links
        // to it given the code's prefix, so no two codes share an id.
        let page = read(
            &output
                .join(code["url"].as_str().unwrap())
                .join("index.html"),
        );
        let body = &page[page.find(r#"<div class="code-body">"#).unwrap()..];
        for id in body
            .split(r#"<h2 id=""#)
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
        {
            if ["in-code", "related-codes", "read-more", "other-uses"].contains(&id) {
                continue; // the theme's, after the body
            }
            assert!(
                all.contains(&format!(r#"<h3 id="code-{number}-{id}">"#)),
                "{number}: {id}"
            );
            assert!(
                all.contains(&format!(r##"href="#code-{number}-{id}""##)),
                "{number}: {id}"
            );
            headings += 1;
        }
    }
    assert!(headings > 0, "the fixture's code pages have headings");
    assert!(read(&output.join("index.html")).contains(r#"href="all/index.html""#));
}

#[test]
fn each_code_page_links_the_codes_before_and_after_it() {
    let (_site, output) = built();
    let codes: serde_json::Value =
        serde_json::from_str(&read(&output.join("api/codes.json"))).unwrap();
    let urls: Vec<&str> = codes
        .as_array()
        .unwrap()
        .iter()
        .map(|code| code["url"].as_str().unwrap())
        .collect();
    for (index, url) in urls.iter().enumerate() {
        let page = read(&output.join(url).join("index.html"));
        let link = |rel: &str| {
            let at = page.find(&format!(r#"rel="{rel}""#))?;
            let start = page[..at].rfind("href=\"").unwrap() + 6;
            Some(page[start..start + page[start..].find('"').unwrap()].to_string())
        };
        let expected = |other: Option<&&str>| other.map(|other| format!("../{other}index.html"));
        assert_eq!(
            link("prev"),
            expected(index.checked_sub(1).and_then(|i| urls.get(i))),
            "{url}"
        );
        assert_eq!(link("next"), expected(urls.get(index + 1)), "{url}");
    }
}

#[test]
fn a_constant_shows_the_releases_its_entry_gives() {
    let (_site, output) = built();
    let page = read(&output.join("404/index.html"));
    let row = |library: &str| {
        let start = page
            .find(&format!("<tr><td>{library}</td>"))
            .unwrap_or_else(|| panic!("no {library} row"));
        page[start..][..page[start..].find("</tr>").unwrap()].to_string()
    };
    assert!(
        row("Spring").contains(r#"<small class="releases">Spring 3.0 and later</small>"#),
        "{}",
        row("Spring")
    );
    assert!(
        !row("Rust").contains("releases"),
        "an entry without releases shows none: {}",
        row("Rust")
    );
}

#[test]
fn a_code_page_lists_the_guides_that_link_to_it_once() {
    let (_site, output) = built();
    // The guide links 404 twice and 410 with a fragment.
    for linked in ["404", "410"] {
        let page = read(&output.join(format!("{linked}/index.html")));
        let section = page
            .split_once(r#"<h2 id="read-more">"#)
            .unwrap_or_else(|| panic!("{linked} has no read-more section"))
            .1;
        let section = &section[..section.find("</section>").unwrap()];
        assert_eq!(
            section
                .matches(r#"<a href="../guides/hello/index.html">Hello guide</a>"#)
                .count(),
            1,
            "{linked}: {section}"
        );
    }
    for unlinked in ["200", "499"] {
        let page = read(&output.join(format!("{unlinked}/index.html")));
        assert!(
            !page.contains("read-more"),
            "no guide links {unlinked}, so its page has no read-more section"
        );
    }
}

#[test]
fn a_code_page_shows_other_uses_its_review_date_and_where_its_headers_are_defined() {
    let (_site, output) = built();
    let arcgis = read(&output.join("499/index.html"));
    let section = arcgis
        .split_once(r#"<h2 id="other-uses">Other uses</h2>"#)
        .expect("499 lists another use of its number")
        .1;
    assert!(
        section.contains("<dt>ArcGIS: 499 Token Required</dt>")
            && section.contains(
                r#"<a href="https://developers.arcgis.com/rest/services-reference/enterprise/">ArcGIS's documentation</a>"#
            ),
        "{section}"
    );
    assert!(
        arcgis.contains(r##"<a href="../499/index.html#other-uses">ArcGIS: Token Required</a>"##)
    );
    assert!(arcgis.contains(r#"<time datetime="2026-11-30">30 November 2026</time>"#));
    let not_found = read(&output.join("404/index.html"));
    assert!(
        !not_found.contains("other-uses"),
        "404 lists no other use, so it has no such section"
    );
    // Every header links the section that defines it (data/headers.yaml).
    let facts = &not_found[not_found.find("<dt>Related headers</dt>").unwrap()..];
    let facts = &facts[..facts.find("</dd>").unwrap()];
    let table = httpcodes::content::header_table::table();
    let linked = facts.matches("<a href=").count();
    assert!(linked > 0, "{facts}");
    for (name, definition) in table {
        if facts.contains(&format!("<code>{name}</code>")) {
            assert!(
                facts.contains(&format!(
                    r#"<a href="{}" title="{}"><code>{name}</code></a>"#,
                    definition.url, definition.spec
                )),
                "{facts}"
            );
        }
    }
}

#[test]
fn a_code_page_offers_a_jump_to_its_sections_for_each_kind_of_reader() {
    let (_site, output) = built();
    let gone = read(&output.join("410/index.html"));
    let jump = gone
        .split_once(r#"<nav class="jump""#)
        .expect("410 has sections for visitors and search engines")
        .1;
    let jump = &jump[..jump.find("</nav>").unwrap()];
    assert!(
        jump.contains(r##"<li><a href="#for-visitors">For visitors</a></li><li><a href="#search-engines">Search engines</a></li>"##),
        "{jump}"
    );
    for code in ["200", "404", "499"] {
        let page = read(&output.join(format!("{code}/index.html")));
        assert!(
            !page.contains(r#"class="jump""#),
            "{code} has none of those sections"
        );
    }
}
