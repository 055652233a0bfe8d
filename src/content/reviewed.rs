//! The `reviewed` date of a code page: when someone last checked every
//! claim of the page against its sources. Written `YYYY-MM-DD`, a real
//! date and not a future one; shown on the page and served by the API. A
//! page without one gets a warning, so the gap stays visible.

use std::fmt;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};
use serde_saphyr::Spanned;

use crate::content::source::SplitSource;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// A calendar date, as `reviewed` holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReviewDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl ReviewDate {
    /// Reads `2026-12-02`; `None` for any other form or a day the month
    /// does not have.
    pub fn parse(text: &str) -> Option<ReviewDate> {
        let mut parts = text.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |part: &str, width: usize| {
            (part.len() == width && part.bytes().all(|byte| byte.is_ascii_digit()))
                .then(|| part.parse::<u16>().ok())
                .flatten()
        };
        let date = ReviewDate {
            year: digits(year, 4)?,
            month: u8::try_from(digits(month, 2)?).ok()?,
            day: u8::try_from(digits(day, 2)?).ok()?,
        };
        let valid = parts.next().is_none()
            && (1..=12).contains(&date.month)
            && date.day >= 1
            && date.day <= days_in_month(date.year, date.month);
        valid.then_some(date)
    }

    /// Today's date in UTC, from the system clock.
    pub fn today() -> ReviewDate {
        ReviewDate::from_days_since_epoch(days_since_epoch())
    }

    /// The latest date a contributor may write today: tomorrow in UTC, as
    /// it already is somewhere east of Greenwich.
    fn latest() -> ReviewDate {
        ReviewDate::from_days_since_epoch(days_since_epoch() + 1)
    }

    /// The date `days` days after 1970-01-01: count whole years, then
    /// whole months, in the proleptic Gregorian calendar.
    fn from_days_since_epoch(mut days: u64) -> ReviewDate {
        let mut year = 1970;
        loop {
            let length = if is_leap(year) { 366 } else { 365 };
            if days < length {
                break;
            }
            days -= length;
            year += 1;
        }
        let mut month = 1;
        while days >= u64::from(days_in_month(year, month)) {
            days -= u64::from(days_in_month(year, month));
            month += 1;
        }
        ReviewDate {
            year,
            month,
            day: days as u8 + 1,
        }
    }

    /// `2 December 2026`, as the page shows it.
    pub fn long(&self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month - 1)],
            self.year
        )
    }
}

/// Whole days since 1970-01-01 in UTC, from the system clock.
fn days_since_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() / 86_400)
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `2026-12-02`, as it is written in front matter and served by the API.
impl fmt::Display for ReviewDate {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        write!(
            formatter,
            "{:04}-{:02}-{:02}",
            self.year, self.month, self.day
        )
    }
}

impl Serialize for ReviewDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Checks a code page's `reviewed` field (`None` when it has none): a
/// warning when it is missing, an error when it is not a date or lies in
/// the future (after tomorrow in UTC, since some time zones are ahead).
pub fn check(
    path: &Path,
    split: &SplitSource,
    reviewed: Option<&Spanned<String>>,
    errors: &mut Diagnostics,
    warnings: &mut Diagnostics,
) -> Option<ReviewDate> {
    let today = ReviewDate::today();
    let Some(reviewed) = reviewed else {
        warnings.push(
            Diagnostic::warning(
                path,
                split.front_matter_line,
                1,
                "the page has no `reviewed` date, so readers cannot tell when it was last checked",
            )
            .with_hint(format!(
                "check every claim against its sources, then add `reviewed: {today}`"
            )),
        );
        return None;
    };
    let (line, column) = split.position_of(reviewed);
    let written = reviewed.value.trim();
    let Some(date) = ReviewDate::parse(written) else {
        let shaped = written.len() == 10
            && written
                .bytes()
                .enumerate()
                .all(|(at, byte)| matches!(at, 4 | 7) == (byte == b'-'));
        let message = if shaped {
            format!("`reviewed` is `{written}`, a day the calendar does not have")
        } else {
            format!("`reviewed` is not a date written year-month-day: `{written}`")
        };
        errors.push(
            Diagnostic::at(path, line, column, message).with_hint(format!(
                "write the day you checked the page as year-month-day: `reviewed: {today}`"
            )),
        );
        return None;
    };
    if date > ReviewDate::latest() {
        errors.push(
            Diagnostic::at(
                path,
                line,
                column,
                format!("`reviewed` is {date}, a day that has not come yet"),
            )
            .with_hint(format!(
                "write the day you checked the page, today at the latest ({today})"
            )),
        );
        return None;
    }
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_only_when_real() {
        assert_eq!(
            ReviewDate::parse("2026-12-02"),
            Some(ReviewDate {
                year: 2026,
                month: 12,
                day: 2
            })
        );
        assert!(ReviewDate::parse("2024-02-29").is_some());
        for wrong in [
            "2026-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-00-10",
            "2026-1-2",
            "02-12-2026",
            "2026-12-02T10:00",
            "December 2026",
            "",
        ] {
            assert_eq!(ReviewDate::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn days_since_the_epoch_become_calendar_dates() {
        let date = |days| ReviewDate::from_days_since_epoch(days).to_string();
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(59), "1970-03-01");
        // 2000 is a leap year (divisible by 400): 29 February exists.
        assert_eq!(date(11_016), "2000-02-29");
        assert_eq!(date(20_789), "2026-12-02");
    }

    /// The messages `check` gives for the front matter `yaml`, errors
    /// then warnings, and the date it returns.
    fn checked(yaml: &str) -> (Vec<String>, Option<ReviewDate>) {
        #[derive(serde::Deserialize)]
        struct Front {
            reviewed: Option<Spanned<String>>,
        }
        let front: Front = serde_saphyr::from_str(yaml).unwrap();
        let split = SplitSource::of_front_matter(yaml);
        let (mut errors, mut warnings) = (Diagnostics::default(), Diagnostics::default());
        let date = check(
            Path::new("a.md"),
            &split,
            front.reviewed.as_ref(),
            &mut errors,
            &mut warnings,
        );
        let messages = errors
            .into_sorted()
            .into_iter()
            .chain(warnings.into_sorted())
            .map(|problem| format!("{}:{} {}", problem.line, problem.column, problem.message))
            .collect();
        (messages, date)
    }

    #[test]
    fn a_date_is_checked_against_the_calendar_and_the_clock() {
        let today = ReviewDate::today();
        assert_eq!(
            checked(&format!("reviewed: {today}\n")),
            (vec![], Some(today))
        );
        // Tomorrow in UTC is already today east of Greenwich.
        let tomorrow = ReviewDate::latest();
        assert_eq!(
            checked(&format!("reviewed: {tomorrow}\n")).1,
            Some(tomorrow)
        );
        assert_eq!(
            checked("reviewed: 2999-01-01\n").0,
            ["2:11 `reviewed` is 2999-01-01, a day that has not come yet"]
        );
        assert_eq!(
            checked("reviewed: 2025-02-29\n").0,
            ["2:11 `reviewed` is `2025-02-29`, a day the calendar does not have"]
        );
        assert_eq!(
            checked("reviewed: last week\n").0,
            ["2:11 `reviewed` is not a date written year-month-day: `last week`"]
        );
        assert_eq!(
            checked("other: 1\n").0,
            [
                "2:1 the page has no `reviewed` date, so readers cannot tell when it was last checked"
            ]
        );
    }

    #[test]
    fn pages_show_the_long_form() {
        assert_eq!(
            ReviewDate::parse("2026-03-09").unwrap().long(),
            "9 March 2026"
        );
    }
}
