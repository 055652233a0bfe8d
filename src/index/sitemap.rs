//! `sitemap.xml` and `robots.txt`, the only files with absolute URLs
//! (from `base_url`), plus the `.nojekyll` file GitHub Pages needs.

use std::fmt::Write;

use crate::config::SiteConfig;
use crate::content::Content;
use crate::output::OutputFile;

/// The crawler files of the site.
pub fn files(config: &SiteConfig, content: &Content) -> Vec<OutputFile> {
    let lastmod = source_date()
        .map(|date| format!("<lastmod>{date}</lastmod>"))
        .unwrap_or_default();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in content.pages() {
        let _ = writeln!(
            xml,
            "  <url><loc>{}{}</loc>{lastmod}</url>",
            escape_xml(&config.base_url),
            escape_xml(&page.url)
        );
    }
    xml.push_str("</urlset>\n");
    // base_url is a parsed URL without control characters (see config),
    // so it cannot add lines to robots.txt.
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        config.base_url
    );
    vec![
        OutputFile::new("sitemap.xml", xml),
        OutputFile::new("robots.txt", robots),
        OutputFile::new(".nojekyll", ""),
    ]
}

/// The date of `SOURCE_DATE_EPOCH` (reproducible builds), as `YYYY-MM-DD`.
/// Without it the sitemap has no dates, so builds stay byte-for-byte equal.
fn source_date() -> Option<String> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn converts_days_to_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_418), (2025, 11, 26));
    }
}
