//! Document date: when the text was published, and the year it speaks of.
//!
//! Sources, strongest first: a date given on the command line; a date in the
//! file name; a dated heading such as （2023年7月4日）; a dateline such as
//! 新华社北京9月17日电 or a paragraph opening 6月10日，… whose year comes from
//! an anniversary (上合组织成立17年来 + the founding year in the organisation
//! lexicon) or from a full date in the text with the same month and day.
//! A date that cannot be pinned down is left out rather than guessed.

use crate::document::{DateSource, Document, Layer};
use crate::lexicon::{EntityKind, Lexicon};
use crate::text::dates::{self, date_from_file_name};
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

use super::Pass;

/// The pass.
pub const PASS: Pass = Pass {
    name: "doc_date",
    needs: &[Layer::Mentions],
    adds: &[Layer::DocDate],
    run: date_document,
};

/// A dated heading: （2023年7月4日） on a line or sentence of its own.
static HEADING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(]\s*((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日\s*[）)]")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// A dateline: 新华社北京9月17日电, 本报莫斯科6月15日电, and a report's
/// opening date 6月10日，.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:新华社|中新社|本报|人民日报|央视网|人民网)[^，。\n“”]{0,12}?(\d{1,2})月(\d{1,2})日电|(?:^|\n|。)(?:当地时间)?(\d{1,2})月(\d{1,2})日[，,上下晚])")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// An anniversary: 成立20年来, 成立17周年, 成立 20 年. 多 (20多年来) is not exact.
static ANNIVERSARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"成立(\d{1,3})(?:周年|年来|年之际|年)").unwrap_or_else(|e| unreachable!("{e}"))
});

/// Fill [`Document::date`] and [`Document::year`].
pub fn date_document(doc: &mut Document) {
    if doc.date.is_none() {
        let name = std::path::Path::new(&doc.path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(d) = date_from_file_name(&name) {
            doc.date = Some(d);
            doc.date_source = Some(DateSource::FileName);
        }
    }
    if doc.date.is_none() {
        if let Some(d) = date_from_text(doc) {
            doc.date = Some(d);
            doc.date_source = Some(DateSource::Text);
        }
    }
    doc.year = doc
        .date
        .map(|d| chrono::Datelike::year(&d))
        .or_else(|| anniversary_year(doc));
}

fn date_from_text(doc: &Document) -> Option<NaiveDate> {
    let text = doc.norm();
    if let Some(c) = HEADING_DATE.captures(text) {
        let d = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        if d.is_some() {
            return d;
        }
    }
    let c = DATELINE.captures(text)?;
    let (m, d): (u32, u32) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
        (Some(m), Some(d), _, _) | (_, _, Some(m), Some(d)) => {
            (m.as_str().parse().ok()?, d.as_str().parse().ok()?)
        }
        _ => return None,
    };
    let year = anniversary_year(doc).or_else(|| year_of_same_day(text, m, d))?;
    NaiveDate::from_ymd_opt(year, m, d)
}

/// The year an anniversary phrase implies, when the organisation it follows
/// has a founding year in the lexicon and every such phrase agrees.
fn anniversary_year(doc: &Document) -> Option<i32> {
    let lex = Lexicon::get().ok()?;
    let text = doc.norm();
    let mut years = Vec::new();
    for c in ANNIVERSARY.captures_iter(text) {
        let whole = c.get(0)?;
        let n: i32 = c[1].parse().ok()?;
        // The organisation whose anniversary it is: the nearest mention before it.
        let org = doc
            .mentions()
            .iter()
            .rev()
            .find(|m| m.end <= whole.start() && whole.start() - m.end <= 12)
            .and_then(|m| match m.kind {
                EntityKind::Organization(i) => lex.organizations[i].founded,
                _ => None,
            });
        if let Some(founded) = org {
            years.push(founded + n);
        }
    }
    years.sort_unstable();
    years.dedup();
    (years.len() == 1).then(|| years[0])
}

/// The year of a full date in the text with this month and day, when exactly one year fits.
fn year_of_same_day(text: &str, month: u32, day: u32) -> Option<i32> {
    let mut years: Vec<i32> = dates::find_dates(text)
        .into_iter()
        .filter(|m| m.date.month == Some(month) && m.date.day == Some(day))
        .filter_map(|m| m.date.year)
        .collect();
    years.sort_unstable();
    years.dedup();
    (years.len() == 1).then(|| years[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::mentions::find_mentions;

    fn dated(path: &str, text: &str) -> Document {
        let mut doc = Document::new(path, text, text.as_bytes());
        find_mentions(&mut doc);
        date_document(&mut doc);
        doc
    }

    #[test]
    fn dateline_year_from_an_anniversary() {
        let doc = dated(
            "a.txt",
            "新华社北京9月17日电 国家主席习近平出席会议。习近平指出，上海合作组织成立20年来，始终遵循“上海精神”。",
        );
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2021, 9, 17));
    }

    #[test]
    fn heading_date_wins() {
        let doc = dated("b.txt", "在上海合作组织成员国元首理事会第二十三次会议上的讲话\n（2023年7月4日）\n中华人民共和国主席 习近平");
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2023, 7, 4));
    }

    #[test]
    fn opening_date_with_anniversary_of_seventeen_years() {
        let doc = dated("c.txt", "6月10日，国务委员兼外交部长王毅在青岛接受媒体采访。就上合组织成立17年来的发展历程进行了全面总结。");
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2018, 6, 10));
    }

    #[test]
    fn file_name_date_and_no_guess() {
        let doc = dated("archive/20130913_00.txt", "比什凯克峰会。");
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2013, 9, 13));
        let doc = dated("x.txt", "新华社北京9月17日电 会议举行。");
        assert_eq!(doc.date, None, "no year anywhere: leave it out");
        let doc = dated("y.txt", "上海合作组织成立20多年来，取得成就。");
        assert_eq!(doc.year, None, "20多年 is not an exact anniversary");
    }
}
