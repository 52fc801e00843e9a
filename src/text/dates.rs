//! Dates in Chinese news text.
//!
//! [`find_dates`] finds absolute dates (`2021年9月17日`, `二〇〇一年六月十五日`,
//! `2021-09-17`), partial dates (`2021年9月`, `9月17日`, `17日` in a dateline
//! context) and relative years (`今年9月`, `明年`); [`resolve`] turns a match
//! into a concrete day, month or year against the publication date of the
//! report. Helpers read ISO dates ([`parse_iso_date`]) and dates embedded in
//! file names ([`date_from_file_name`]).
//!
//! The input is expected to be normalised: ASCII digits, no spaces inside
//! numbers, full-width Chinese punctuation.

use chrono::{Datelike, Days, NaiveDate};
use std::fmt;

/// A date of which any part may be unknown.
///
/// ```
/// use scokg::text::dates::PartialDate;
/// let d = PartialDate { year: Some(2021), month: Some(9), day: None };
/// assert_eq!(d.month, Some(9));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PartialDate {
    /// Year, e.g. 2021.
    pub year: Option<i32>,
    /// Month, 1–12.
    pub month: Option<u32>,
    /// Day of the month, 1–31.
    pub day: Option<u32>,
}

/// A year given relative to the time of the report.
///
/// * `This`: 今年, 本年度
/// * `Next`: 明年
/// * `Last`: 去年, 上年度, 上一年, 上年 (in 上年同期)
///
/// ```
/// use scokg::text::dates::{find_dates, RelativeYear};
/// assert_eq!(find_dates("中方将于明年举办")[0].relative_year, Some(RelativeYear::Next));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelativeYear {
    /// The year of the report.
    This,
    /// The year after the report.
    Next,
    /// The year before the report.
    Last,
}

impl RelativeYear {
    fn offset(self) -> i32 {
        match self {
            RelativeYear::This => 0,
            RelativeYear::Next => 1,
            RelativeYear::Last => -1,
        }
    }
}

/// A date expression found by [`find_dates`].
///
/// `start..end` is the byte range of the expression itself (on `char`
/// boundaries; a preceding 当地时间 is not included but sets `local_time`).
/// `relative_year` is set for 今年/明年/去年…, in which case `date.year` is
/// `None`.
///
/// ```
/// use scokg::text::dates::{find_dates, DateMatch, PartialDate};
/// let text = "当地时间13日";
/// let m: DateMatch = find_dates(text)[0];
/// assert_eq!(&text[m.start..m.end], "13日");
/// assert_eq!(m.date, PartialDate { year: None, month: None, day: Some(13) });
/// assert!(m.local_time);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateMatch {
    /// Byte offset of the first byte of the expression.
    pub start: usize,
    /// Byte offset just past the expression.
    pub end: usize,
    /// The parts of the date that the text gives.
    pub date: PartialDate,
    /// The year, when the text gives it relative to the report.
    pub relative_year: Option<RelativeYear>,
    /// Whether the date is preceded by 当地时间 (local time at the place of
    /// the event, as opposed to Beijing time).
    pub local_time: bool,
}

/// A date resolved to a day, a month or a year.
///
/// `Display` gives the ISO forms `2021-09-17`, `2021-09` and `2021`
/// (the lexical forms of `xsd:date`, `xsd:gYearMonth`, `xsd:gYear`).
///
/// ```
/// use scokg::text::dates::ResolvedDate;
/// assert_eq!(ResolvedDate::Month(2021, 9).to_string(), "2021-09");
/// assert_eq!(ResolvedDate::Year(2021).to_string(), "2021");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResolvedDate {
    /// A full date.
    Day(NaiveDate),
    /// A year and a month (1–12).
    Month(i32, u32),
    /// A year.
    Year(i32),
}

impl fmt::Display for ResolvedDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolvedDate::Day(d) => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            ResolvedDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            ResolvedDate::Year(y) => write!(f, "{y:04}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Low-level readers. Each takes a byte offset on a char boundary and returns
// a value and the byte offset just past what it read.
// ---------------------------------------------------------------------------

/// A Chinese digit as used in dates (两 is not).
fn cn_digit(c: char) -> Option<u32> {
    match c {
        '〇' | '零' | 'Ｏ' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// Characters that continue a Chinese numeral (for boundary checks).
fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
    )
}

fn next_char(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

fn prev_char(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// 1 to `max` ASCII digits, not followed by another digit.
fn read_digits(text: &str, i: usize, max: usize) -> Option<(u32, usize)> {
    let rest = text.get(i..)?;
    let n = rest.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > max {
        return None;
    }
    Some((rest[..n].parse().ok()?, i + n))
}

/// A small Chinese number as used for months and days: 一…九, 十, 十一…十九,
/// 二十…三十九 (written 二十一, 三十 …). Leading 〇/零 is not accepted.
fn read_cn_small(text: &str, i: usize) -> Option<(u32, usize)> {
    let rest = text.get(i..)?;
    let chars: Vec<char> = rest
        .chars()
        .take_while(|&c| cn_digit(c).is_some() || c == '十')
        .take(4)
        .collect();
    let value = match chars.as_slice() {
        ['十'] => 10,
        [a] => cn_digit(*a).filter(|&d| d > 0)?,
        ['十', b] => 10 + cn_digit(*b).filter(|&d| d > 0)?,
        [a, '十'] => 10 * cn_digit(*a).filter(|&d| d > 0)?,
        [a, '十', b] => 10 * cn_digit(*a).filter(|&d| d > 0)? + cn_digit(*b).filter(|&d| d > 0)?,
        _ => return None,
    };
    let len: usize = chars.iter().map(|c| c.len_utf8()).sum();
    Some((value, i + len))
}

/// A month or day number: up to two ASCII digits or a small Chinese number.
fn read_small(text: &str, i: usize) -> Option<(u32, usize)> {
    read_digits(text, i, 2).or_else(|| read_cn_small(text, i))
}

/// `N月` with 1 ≤ N ≤ 12. `Err(end)` for a month-shaped but invalid number.
fn read_month(text: &str, i: usize) -> Option<Result<(u32, usize), usize>> {
    let (m, e) = read_small(text, i)?;
    if !text.get(e..)?.starts_with('月') {
        return None;
    }
    let end = e + '月'.len_utf8();
    Some(if (1..=12).contains(&m) {
        Ok((m, end))
    } else {
        Err(end)
    })
}

/// `N日` (or `N号` when `hao`), 1 ≤ N ≤ 31. `Err(end)` when out of range.
fn read_day(text: &str, i: usize, hao: bool) -> Option<Result<(u32, usize), usize>> {
    let (d, e) = read_small(text, i)?;
    let rest = text.get(e..)?;
    if !(rest.starts_with('日') || (hao && rest.starts_with('号'))) || rest.starts_with("日元")
    {
        return None;
    }
    let end = e + '日'.len_utf8();
    Some(if (1..=31).contains(&d) {
        Ok((d, end))
    } else {
        Err(end)
    })
}

/// A year followed by 年: four ASCII digits 1900–2100 or four Chinese digits
/// (二〇〇一) in that range. Returns the year and the offset past 年.
fn read_year(text: &str, i: usize) -> Option<(i32, usize)> {
    let (y, e) = read_year_digits(text, i)?;
    if !text.get(e..)?.starts_with('年') {
        return None;
    }
    Some((y, e + '年'.len_utf8()))
}

/// The digits of a year (see [`read_year`]) without the 年.
fn read_year_digits(text: &str, i: usize) -> Option<(i32, usize)> {
    let rest = text.get(i..)?;
    let (y, e) = if rest.starts_with(|c: char| c.is_ascii_digit()) {
        let (y, e) = read_digits(text, i, 4)?;
        if e - i != 4 {
            return None;
        }
        (y, e)
    } else {
        let mut y = 0u32;
        let mut e = i;
        let mut n = 0;
        for c in rest.chars().take(4) {
            y = y * 10 + cn_digit(c)?;
            e += c.len_utf8();
            n += 1;
        }
        if n != 4 || next_char(text, e).is_some_and(is_cn_numeral) {
            return None;
        }
        (y, e)
    };
    if !(1900..=2100).contains(&y) {
        return None;
    }
    Some((i32::try_from(y).ok()?, e))
}

/// The first year of a range sharing one 年 (`2022—2023年`, `2022至2023年`):
/// year digits, a range connector, and a year with 年. Returns the first
/// year and the offset past its digits.
fn read_range_start_year(text: &str, i: usize) -> Option<(i32, usize)> {
    let (y, e) = read_year_digits(text, i)?;
    let rest = text.get(e..)?;
    let conn = RANGE_CONNECTORS.iter().find(|c| rest.starts_with(*c))?;
    let (y2, _) = read_year(text, e + conn.len())?;
    (y2 > y).then_some((y, e))
}

/// ISO-like `2021-09-17`, `2021.09.17`, `2021/9/17` (same separator twice,
/// not followed by a digit), a valid date with a year 1900–2100.
fn read_iso(text: &str, i: usize) -> Option<(NaiveDate, usize)> {
    let (y, e) = read_digits(text, i, 4)?;
    if e - i != 4 || !(1900..=2100).contains(&y) {
        return None;
    }
    let sep = next_char(text, e).filter(|c| matches!(c, '-' | '.' | '/'))?;
    let (m, e) = read_digits(text, e + 1, 2)?;
    if next_char(text, e) != Some(sep) {
        return None;
    }
    let (d, e) = read_digits(text, e + 1, 2)?;
    if next_char(text, e).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?, e))
}

/// Relative-year words, longest first, with their meaning.
const RELATIVE: &[(&str, RelativeYear)] = &[
    ("本年度", RelativeYear::This),
    ("上年度", RelativeYear::Last),
    ("上一年", RelativeYear::Last),
    ("今年", RelativeYear::This),
    ("明年", RelativeYear::Next),
    ("去年", RelativeYear::Last),
    ("上年", RelativeYear::Last),
];

/// Whether a word of [`RELATIVE`] starts with `c`: asked of every
/// character of every text, so a match instead of a walk over the words (a
/// test keeps the two in step).
fn starts_relative(c: char) -> bool {
    matches!(c, '本' | '上' | '今' | '明' | '去')
}

fn read_relative(text: &str, i: usize) -> Option<(RelativeYear, usize)> {
    let rest = text.get(i..)?;
    let &(word, rel) = RELATIVE.iter().find(|(w, _)| rest.starts_with(w))?;
    let end = i + word.len();
    let after = &text[end..];
    // 年均 (annual average), 年代, 年龄, 年轻 … belong to another word:
    // 至今年均, 过去年代.
    if after.starts_with(['均', '代', '龄', '轻', '纪', '份', '限']) {
        return None;
    }
    if word == "去年" && prev_char(text, i) == Some('过') {
        return None;
    }
    // 上年 only in 上年同期 (otherwise 以上年龄, 马上年底 …).
    if word == "上年" && !after.starts_with("同期") {
        return None;
    }
    Some((rel, end))
}

/// Words after a bare day (`13日…`) that make it a date.
const DAY_FOLLOWERS: &[&str] = &[
    "上午", "下午", "中午", "晚", "早", "凌晨", "夜", "电", "在", "举行", "召开", "开幕", "闭幕",
    "起", "至", "发表", "发布", "表示", "宣布", "会见", "出席", "签署", "抵达", "举办", "开始",
    "结束",
];

/// Words before a bare day (`…13日`) that make it a date.
const DAY_PRECEDERS: &[&str] = &["当地时间", "北京时间", "于"];

/// Connectors of a date range (`6月15日至16日`).
const RANGE_CONNECTORS: &[&str] = &["至", "到", "—", "－", "-", "～", "~"];

enum Attempt {
    Found(DateMatch),
    /// A date-shaped but invalid expression (2021年2月30日): skip it whole.
    Skip(usize),
    Nothing,
}

/// Month and optional day after `i` (after a year, a relative year, or at the
/// start of a month–day expression).
fn month_day(text: &str, i: usize, date: &mut PartialDate) -> Result<usize, usize> {
    let Some(month) = read_month(text, i) else {
        return Ok(i);
    };
    let (m, me) = month?;
    date.month = Some(m);
    let Some(day) = read_day(text, me, true) else {
        return Ok(me);
    };
    let (d, de) = day?;
    // Validate against the real year, or a leap year when unknown.
    let y = date.year.unwrap_or(2000);
    if NaiveDate::from_ymd_opt(y, m, d).is_none() {
        return Err(de);
    }
    date.day = Some(d);
    Ok(de)
}

fn attempt(text: &str, i: usize, prev: Option<&DateMatch>) -> Attempt {
    let Some(c) = next_char(text, i) else {
        return Attempt::Nothing;
    };
    // Every date starts with a digit or a relative year (今年, 上年度 …):
    // rule out every other character at once, as this runs at every one.
    if !(c.is_ascii_digit() || cn_digit(c).is_some() || c == '十' || starts_relative(c)) {
        return Attempt::Nothing;
    }
    let before = prev_char(text, i);
    let found = |end: usize, date: PartialDate, relative_year: Option<RelativeYear>| {
        Attempt::Found(DateMatch {
            start: i,
            end,
            date,
            relative_year,
            local_time: text[..i].ends_with("当地时间"),
        })
    };

    if let Some((rel, e)) = read_relative(text, i) {
        let mut date = PartialDate::default();
        return match month_day(text, e, &mut date) {
            Ok(end) => found(end, date, Some(rel)),
            Err(end) => Attempt::Skip(end),
        };
    }

    let arabic = c.is_ascii_digit();
    let chinese = cn_digit(c).is_some() || c == '十';
    let boundary_ok = if arabic {
        !before.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, '.' | ',' | '第'))
    } else if chinese {
        !before.is_some_and(|b| is_cn_numeral(b) || b == '第')
    } else {
        false
    };
    if !boundary_ok {
        return Attempt::Nothing;
    }

    if arabic {
        if let Some((d, end)) = read_iso(text, i) {
            let date = PartialDate {
                year: Some(d.year()),
                month: Some(d.month()),
                day: Some(d.day()),
            };
            return found(end, date, None);
        }
    }

    if let Some((y, e)) = read_year(text, i) {
        let mut date = PartialDate {
            year: Some(y),
            ..PartialDate::default()
        };
        return match month_day(text, e, &mut date) {
            Ok(end) => found(end, date, None),
            Err(end) => Attempt::Skip(end),
        };
    }

    if let Some((y, end)) = read_range_start_year(text, i) {
        let date = PartialDate {
            year: Some(y),
            ..PartialDate::default()
        };
        return found(end, date, None);
    }

    if read_month(text, i).is_some() {
        let mut date = PartialDate::default();
        return match month_day(text, i, &mut date) {
            // 一月 alone is too often 统一 + 月度 …: it needs a day or 份.
            Ok(end) if c == '一' && date.day.is_none() && !text[end..].starts_with('份') => {
                Attempt::Nothing
            }
            Ok(end) => {
                let (date, rel) = inherit(text, i, prev, date);
                found(end, date, rel)
            }
            Err(end) => Attempt::Skip(end),
        };
    }

    // A bare day: only in a clear date context.
    match read_day(text, i, false) {
        Some(Ok((d, end))) => {
            let before_ok = DAY_PRECEDERS.iter().any(|w| text[..i].ends_with(w));
            // A one-character Chinese day (有朝一日在 …) needs a preceding word.
            let after_ok = DAY_FOLLOWERS.iter().any(|w| text[end..].starts_with(w))
                && (arabic || end - i > '日'.len_utf8() * 2);
            let range_end = range_follows(text, i, prev);
            if before_ok || after_ok || range_end {
                let date = PartialDate {
                    day: Some(d),
                    ..PartialDate::default()
                };
                let (date, rel) = inherit(text, i, prev, date);
                found(end, date, rel)
            } else {
                Attempt::Nothing
            }
        }
        Some(Err(end)) => Attempt::Skip(end),
        None => Attempt::Nothing,
    }
}

/// Whether the expression at `i` ends a range whose start is `prev`.
fn range_follows(text: &str, i: usize, prev: Option<&DateMatch>) -> bool {
    prev.and_then(|p| text.get(p.end..i))
        .is_some_and(|between| RANGE_CONNECTORS.contains(&between))
}

/// The end of a range takes the missing year or relative year (and, for a
/// bare day, the month) from its start: `2021年6月15日至16日` → 2021-06-16.
fn inherit(
    text: &str,
    i: usize,
    prev: Option<&DateMatch>,
    date: PartialDate,
) -> (PartialDate, Option<RelativeYear>) {
    let Some(p) = prev.filter(|_| range_follows(text, i, prev)) else {
        return (date, None);
    };
    let mut merged = date;
    let mut rel = None;
    if merged.day.is_some() && merged.month.is_none() {
        merged.month = p.date.month;
    }
    if merged.year.is_none() && merged.month.is_some() {
        merged.year = p.date.year;
        rel = p.relative_year;
    }
    let valid = match (merged.year, merged.month, merged.day) {
        (y, Some(m), Some(d)) => NaiveDate::from_ymd_opt(y.unwrap_or(2000), m, d).is_some(),
        _ => true,
    };
    if valid {
        (merged, rel)
    } else {
        (date, None)
    }
}

/// Finds date expressions in `text`, left to right, without overlaps.
///
/// Recognised forms:
/// * `2021年9月17日`, `2021年9月`, `2021年`, `二〇〇一年六月十五日`; a year
///   is four ASCII digits 1900–2100 or four Chinese digits (〇-style) followed
///   by 年, so `2000名`, `成立20年来`, `未来3年` are not years; the first year
///   of a range sharing one 年 counts too (`2022—2023年` gives `2022` and
///   `2023年`, when the second year is the larger);
/// * `9月17日`, `9月17号`, `9月`, `六月十五日` (no year); `一月` without a
///   year or day only as `一月份`;
/// * ISO-like `2021-09-17`, `2021.09.17`, `2021/9/17`;
/// * relative years `今年`, `明年`, `去年`, `本年度`, `上年度`, `上一年`,
///   `上年同期`, alone or with a month and day (`今年9月`);
/// * a bare day `13日` / `十三日` only when it is clearly a date: directly
///   preceded by 当地时间, 北京时间 or 于, or directly followed by one of
///   上午 下午 中午 晚 早 凌晨 夜 电 在 举行 召开 开幕 闭幕 起 至 发表 发布 表示
///   宣布 会见 出席 签署 抵达 举办 开始 结束 (not enough for a one-character
///   Chinese day such as `一日`), or ending a range (below). `号` is not
///   accepted for bare days (`3号楼`), nor is `日元`.
/// * ranges: `6月15日至16日` gives `6月15日` and then `16日` with month 6
///   taken from the start; `2022年至2024年` gives two years. The connector
///   (至 到 — － - ～ ~) must sit directly between the two.
///
/// Months must be 1–12 and days 1–31; a full date must exist
/// (`2021年2月30日` is rejected whole, and so is `2月30日`, checked against a
/// leap year). A preceding 当地时间 sets [`DateMatch::local_time`] but is not
/// part of the span.
///
/// ```
/// use scokg::text::dates::{find_dates, PartialDate};
/// let m = find_dates("新华社北京9月17日电")[0];
/// assert_eq!(m.date, PartialDate { year: None, month: Some(9), day: Some(17) });
/// ```
pub fn find_dates(text: &str) -> Vec<DateMatch> {
    let mut out: Vec<DateMatch> = Vec::new();
    let mut i = 0;
    while let Some(c) = next_char(text, i) {
        match attempt(text, i, out.last()) {
            Attempt::Found(m) if m.end > i => {
                i = m.end;
                out.push(m);
            }
            Attempt::Skip(end) if end > i => i = end,
            _ => i += c.len_utf8(),
        }
    }
    out
}

/// Resolves a match against `anchor`, the date of the report:
/// * a date with a year is taken as is;
/// * a relative year is the anchor's year plus 0, +1 or −1;
/// * a month (and day) without a year takes the anchor's year, or the year
///   before when that would put it more than 60 days after the anchor
///   (news reports the past: `12月30日` in a report of 2022-01-02 is
///   2021-12-30); a month alone is compared by its first day;
/// * a bare day takes the anchor's month, or the month before when the day
///   is more than one day after the anchor's day (news reports the past, or
///   tomorrow).
///
/// Returns `None` when the match has nothing to resolve or the result does
/// not exist (`2月29日` in a non-leap year with no leap year before it
/// within reach, `31日` in a 30-day month).
///
/// ```
/// use chrono::NaiveDate;
/// use scokg::text::dates::{find_dates, resolve};
/// let anchor = NaiveDate::from_ymd_opt(2022, 1, 2).unwrap();
/// let m = find_dates("12月30日")[0];
/// assert_eq!(resolve(&m, anchor).unwrap().to_string(), "2021-12-30");
/// ```
pub fn resolve(m: &DateMatch, anchor: NaiveDate) -> Option<ResolvedDate> {
    let PartialDate { year, month, day } = m.date;
    let explicit_year = match (year, m.relative_year) {
        (Some(y), _) => Some(y),
        (None, Some(rel)) => Some(anchor.year().checked_add(rel.offset())?),
        (None, None) => None,
    };
    if let Some(y) = explicit_year {
        return Some(match (month, day) {
            (Some(mo), Some(d)) => ResolvedDate::Day(NaiveDate::from_ymd_opt(y, mo, d)?),
            (Some(mo), None) => {
                NaiveDate::from_ymd_opt(y, mo, 1)?;
                ResolvedDate::Month(y, mo)
            }
            (None, _) => ResolvedDate::Year(y),
        });
    }
    match (month, day) {
        (Some(mo), d) => {
            let limit = anchor.checked_add_days(Days::new(60))?;
            let y = anchor.year();
            let fits = |y: i32| {
                NaiveDate::from_ymd_opt(y, mo, d.unwrap_or(1)).filter(|date| *date <= limit)
            };
            let date = fits(y).or_else(|| fits(y.checked_sub(1)?))?;
            Some(match d {
                Some(_) => ResolvedDate::Day(date),
                None => ResolvedDate::Month(date.year(), mo),
            })
        }
        (None, Some(d)) => {
            let (mut y, mut mo) = (anchor.year(), anchor.month());
            if d > anchor.day() + 1 {
                if mo == 1 {
                    y = y.checked_sub(1)?;
                    mo = 12;
                } else {
                    mo -= 1;
                }
            }
            NaiveDate::from_ymd_opt(y, mo, d).map(ResolvedDate::Day)
        }
        (None, None) => None,
    }
}

/// Parses a strict `YYYY-MM-DD` date (surrounding whitespace ignored).
///
/// ```
/// use scokg::text::dates::parse_iso_date;
/// assert_eq!(parse_iso_date("2021-09-17").map(|d| d.to_string()), Some("2021-09-17".to_string()));
/// assert_eq!(parse_iso_date("2021-02-30"), None);
/// assert_eq!(parse_iso_date("2021-9-17"), None);
/// ```
pub fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.trim().as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(k, c)| k == 4 || k == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        std::str::from_utf8(b.get(r)?).ok()?.parse().ok()
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// Reads a date from a file name such as `20130913_00.txt`,
/// `2013-09-13-xinhua.txt` or `xinhua_2013_09_13.txt`.
///
/// Any directory part is ignored. The name is split into ASCII-alphanumeric
/// tokens; a date is either one all-digit token `YYYYMMDD`, or three
/// all-digit tokens `YYYY`, `M[M]`, `D[D]` separated by single `-`, `_` or
/// `.` characters. The year must be 19xx or 20xx and the date must exist.
/// Digits glued to letters never count, so the hex of
/// `000_c753ae8197271e34.txt` is not read as a date (nor is
/// `xinhua20130913.txt`). The first date found wins.
///
/// ```
/// use scokg::text::dates::date_from_file_name;
/// let d = date_from_file_name("xinhua_2013_09_13.txt").unwrap();
/// assert_eq!(d.to_string(), "2013-09-13");
/// assert_eq!(date_from_file_name("000_c753ae8197271e34.txt"), None);
/// ```
pub fn date_from_file_name(name: &str) -> Option<NaiveDate> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    // Tokens: (text, separator after it).
    let mut tokens: Vec<(&str, Option<char>)> = Vec::new();
    let mut start = None;
    for (k, c) in base.char_indices() {
        if c.is_ascii_alphanumeric() {
            start.get_or_insert(k);
        } else if let Some(s) = start.take() {
            tokens.push((&base[s..k], Some(c)));
        } else if let Some(last) = tokens.last_mut() {
            // Two separators in a row: the tokens are not adjacent.
            last.1 = None;
        }
    }
    if let Some(s) = start {
        tokens.push((&base[s..], None));
    }
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let ymd = |y: &str, m: &str, d: &str| -> Option<NaiveDate> {
        if !(y.starts_with("19") || y.starts_with("20")) {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    };
    let is_sep = |c: Option<char>| matches!(c, Some('-' | '_' | '.'));
    for (k, &(tok, sep)) in tokens.iter().enumerate() {
        if !all_digits(tok) {
            continue;
        }
        if tok.len() == 8 {
            if let Some(d) = ymd(&tok[..4], &tok[4..6], &tok[6..]) {
                return Some(d);
            }
        }
        if tok.len() == 4 && is_sep(sep) {
            if let (Some(&(m, msep)), Some(&(d, _))) = (tokens.get(k + 1), tokens.get(k + 2)) {
                let short = |t: &str| all_digits(t) && (1..=2).contains(&t.len());
                if short(m) && short(d) && is_sep(msep) {
                    if let Some(date) = ymd(tok, m, d) {
                        return Some(date);
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_relative_year_starts_with_a_character_the_scan_stops_at() {
        for (word, _) in RELATIVE {
            let first = word.chars().next().unwrap_or_default();
            assert!(starts_relative(first), "{word}");
        }
        assert!(!starts_relative('年'));
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn pd(year: Option<i32>, month: Option<u32>, day: Option<u32>) -> PartialDate {
        PartialDate { year, month, day }
    }

    /// (matched text, date, relative year, local time)
    fn found(text: &str) -> Vec<(&str, PartialDate, Option<RelativeYear>, bool)> {
        find_dates(text)
            .into_iter()
            .map(|m| (&text[m.start..m.end], m.date, m.relative_year, m.local_time))
            .collect()
    }

    fn spans(text: &str) -> Vec<&str> {
        find_dates(text)
            .into_iter()
            .map(|m| &text[m.start..m.end])
            .collect()
    }

    #[test]
    fn full_dates() {
        assert_eq!(
            found("2001年6月15日，哈萨克斯坦共和国、中华人民共和国"),
            vec![(
                "2001年6月15日",
                pd(Some(2001), Some(6), Some(15)),
                None,
                false
            )]
        );
        assert_eq!(
            found("（2023年7月4日）"),
            vec![(
                "2023年7月4日",
                pd(Some(2023), Some(7), Some(4)),
                None,
                false
            )]
        );
        assert_eq!(
            found("二〇〇一年六月十五日于上海"),
            vec![(
                "二〇〇一年六月十五日",
                pd(Some(2001), Some(6), Some(15)),
                None,
                false
            )]
        );
        assert_eq!(
            found("二〇二一年十二月三十一日"),
            vec![(
                "二〇二一年十二月三十一日",
                pd(Some(2021), Some(12), Some(31)),
                None,
                false
            )]
        );
        assert_eq!(
            found("2021年9月17号"),
            vec![(
                "2021年9月17号",
                pd(Some(2021), Some(9), Some(17)),
                None,
                false
            )]
        );
    }

    #[test]
    fn partial_dates() {
        assert_eq!(
            found("新华社北京9月17日电"),
            vec![("9月17日", pd(None, Some(9), Some(17)), None, false)]
        );
        assert_eq!(
            found("2021年9月"),
            vec![("2021年9月", pd(Some(2021), Some(9), None), None, false)]
        );
        assert_eq!(
            found("2021年有35个项目"),
            vec![("2021年", pd(Some(2021), None, None), None, false)]
        );
        assert_eq!(
            found("9月份"),
            vec![("9月", pd(None, Some(9), None), None, false)]
        );
        assert_eq!(
            found("六月十五日"),
            vec![("六月十五日", pd(None, Some(6), Some(15)), None, false)]
        );
        assert_eq!(
            found("十月十日"),
            vec![("十月十日", pd(None, Some(10), Some(10)), None, false)]
        );
        assert_eq!(
            found("二〇一三年十月"),
            vec![(
                "二〇一三年十月",
                pd(Some(2013), Some(10), None),
                None,
                false
            )]
        );
    }

    #[test]
    fn iso_dates() {
        for s in ["2021-09-17", "2021.09.17", "2021/9/17"] {
            assert_eq!(
                found(s),
                vec![(s, pd(Some(2021), Some(9), Some(17)), None, false)]
            );
        }
        assert!(found("2021-13-17").is_empty());
        assert!(found("2021-09/17").is_empty());
        assert!(found("12021-09-17").is_empty());
    }

    #[test]
    fn bare_days() {
        assert_eq!(
            found("当地时间13日"),
            vec![("13日", pd(None, None, Some(13)), None, true)]
        );
        assert_eq!(
            found("当地时间9月17日"),
            vec![("9月17日", pd(None, Some(9), Some(17)), None, true)]
        );
        assert_eq!(spans("峰会于16日闭幕"), vec!["16日"]);
        assert_eq!(spans("习近平17日在杜尚别"), vec!["17日"]);
        assert_eq!(
            spans("新华社杜尚别9月16日电 17日上午"),
            vec!["9月16日", "17日"]
        );
        assert_eq!(spans("十七日下午"), vec!["十七日"]);
        assert!(found("30日内完成").is_empty());
        assert!(found("一日三餐").is_empty());
        assert!(found("3号楼").is_empty());
        assert!(found("100日元").is_empty());
        assert!(found("于5日元").is_empty());
        assert!(found("第一日在").is_empty());
        assert!(found("有朝一日在").is_empty());
        assert_eq!(spans("于一日在"), vec!["一日"]);
        assert!(found("统一月度报告").is_empty());
        assert_eq!(spans("一月份"), vec!["一月"]);
        assert_eq!(spans("一月五日"), vec!["一月五日"]);
    }

    #[test]
    fn relative_years() {
        assert_eq!(
            found("今年9月"),
            vec![(
                "今年9月",
                pd(None, Some(9), None),
                Some(RelativeYear::This),
                false
            )]
        );
        assert_eq!(
            found("中方将于明年举办"),
            vec![(
                "明年",
                pd(None, None, None),
                Some(RelativeYear::Next),
                false
            )]
        );
        assert_eq!(
            found("去年12月30日"),
            vec![(
                "去年12月30日",
                pd(None, Some(12), Some(30)),
                Some(RelativeYear::Last),
                false
            )]
        );
        assert_eq!(spans("比上年同期增长"), vec!["上年"]);
        assert_eq!(spans("至今年底"), vec!["今年"]);
        assert!(found("成立至今年均增长8%").is_empty());
        assert!(found("过去年代").is_empty());
        assert!(found("60岁以上年龄").is_empty());
        assert!(found("马上年底").is_empty());
    }

    #[test]
    fn not_dates() {
        for s in [
            "成立20年来",
            "未来3年",
            "2000名执法人员",
            "1000个",
            "3000年",
            "1800年",
            "20210年",
            "3个月",
            "第13月",
            "G2021年",
        ] {
            assert!(found(s).is_empty(), "{s}: {:?}", found(s));
        }
    }

    #[test]
    fn years_and_ranges() {
        assert_eq!(spans("1996年和1997年分别"), vec!["1996年", "1997年"]);
        assert_eq!(spans("《2022—2023年合作计划》"), vec!["2022", "2023年"]);
        assert_eq!(
            spans("二〇二二至二〇二三年"),
            vec!["二〇二二", "二〇二三年"]
        );
        assert!(found("帕比—反恐—2021”演习").is_empty());
        assert!(found("2023—2022年").iter().all(|m| m.0 != "2023"));
        assert_eq!(
            found("2022年至2024年合作纲要"),
            vec![
                ("2022年", pd(Some(2022), None, None), None, false),
                ("2024年", pd(Some(2024), None, None), None, false),
            ]
        );
        assert_eq!(
            found("6月15日至16日"),
            vec![
                ("6月15日", pd(None, Some(6), Some(15)), None, false),
                ("16日", pd(None, Some(6), Some(16)), None, false),
            ]
        );
        assert_eq!(
            found("2021年9月15日至17日"),
            vec![
                (
                    "2021年9月15日",
                    pd(Some(2021), Some(9), Some(15)),
                    None,
                    false
                ),
                ("17日", pd(Some(2021), Some(9), Some(17)), None, false),
            ]
        );
        assert_eq!(
            found("2021年9月至12月"),
            vec![
                ("2021年9月", pd(Some(2021), Some(9), None), None, false),
                ("12月", pd(Some(2021), Some(12), None), None, false),
            ]
        );
        assert_eq!(
            found("今年6月30日至7月1日"),
            vec![
                (
                    "今年6月30日",
                    pd(None, Some(6), Some(30)),
                    Some(RelativeYear::This),
                    false
                ),
                (
                    "7月1日",
                    pd(None, Some(7), Some(1)),
                    Some(RelativeYear::This),
                    false
                ),
            ]
        );
    }

    #[test]
    fn invalid_dates_rejected() {
        assert!(found("2021年2月30日").is_empty());
        assert!(found("2月30日").is_empty());
        assert!(found("4月31日").is_empty());
        assert!(found("2021年13月").is_empty());
        assert!(found("9月32日").is_empty());
        assert_eq!(spans("2020年2月29日"), vec!["2020年2月29日"]);
        assert!(found("2021年2月29日").is_empty());
    }

    fn res(text: &str, anchor: NaiveDate) -> Vec<String> {
        find_dates(text)
            .iter()
            .filter_map(|m| resolve(m, anchor))
            .map(|r| r.to_string())
            .collect()
    }

    #[test]
    fn resolving() {
        let a = date(2021, 9, 18);
        assert_eq!(res("2001年6月15日", a), vec!["2001-06-15"]);
        assert_eq!(res("2021年9月", a), vec!["2021-09"]);
        assert_eq!(res("1996年和1997年", a), vec!["1996", "1997"]);
        assert_eq!(res("新华社北京9月17日电", a), vec!["2021-09-17"]);
        assert_eq!(res("当地时间13日", a), vec!["2021-09-13"]);
        assert_eq!(res("于19日举行", a), vec!["2021-09-19"]);
        assert_eq!(res("于25日举行", a), vec!["2021-08-25"]);
        assert_eq!(res("今年9月", a), vec!["2021-09"]);
        assert_eq!(res("中方将于明年举办", a), vec!["2022"]);
        assert_eq!(res("去年12月30日", a), vec!["2020-12-30"]);
        assert_eq!(res("11月", a), vec!["2021-11"]);
        assert_eq!(res("12月", a), vec!["2020-12"]);
        assert_eq!(res("6月15日至16日", a), vec!["2021-06-15", "2021-06-16"]);
        let jan = date(2022, 1, 2);
        assert_eq!(res("12月30日", jan), vec!["2021-12-30"]);
        assert_eq!(res("1月1日", jan), vec!["2022-01-01"]);
        assert_eq!(res("当地时间31日", jan), vec!["2021-12-31"]);
        assert_eq!(res("2月29日", date(2025, 1, 10)), vec!["2024-02-29"]);
        assert!(res("于31日举行", date(2021, 4, 30)).is_empty());
    }

    #[test]
    fn resolve_nothing() {
        let m = DateMatch {
            start: 0,
            end: 0,
            date: PartialDate::default(),
            relative_year: None,
            local_time: false,
        };
        assert_eq!(resolve(&m, date(2021, 1, 1)), None);
        assert_eq!(
            ResolvedDate::Day(date(2021, 9, 17)).to_string(),
            "2021-09-17"
        );
    }

    #[test]
    fn iso_parse() {
        assert_eq!(parse_iso_date("2021-09-17"), Some(date(2021, 9, 17)));
        assert_eq!(parse_iso_date(" 2021-09-17\n"), Some(date(2021, 9, 17)));
        assert_eq!(parse_iso_date("2021-02-30"), None);
        assert_eq!(parse_iso_date("2021/09/17"), None);
        assert_eq!(parse_iso_date("2021-09-1７"), None);
        assert_eq!(parse_iso_date("20210917"), None);
        assert_eq!(parse_iso_date(""), None);
    }

    #[test]
    fn file_names() {
        let d = Some(date(2013, 9, 13));
        assert_eq!(date_from_file_name("20130913_00.txt"), d);
        assert_eq!(date_from_file_name("2013-09-13-xinhua.txt"), d);
        assert_eq!(date_from_file_name("xinhua_2013_09_13.txt"), d);
        assert_eq!(date_from_file_name("corpus/2013/20130913_00.txt"), d);
        assert_eq!(date_from_file_name("2013-9-13.txt"), d);
        assert_eq!(date_from_file_name("000_c753ae8197271e34.txt"), None);
        assert_eq!(date_from_file_name("000_20139913.txt"), None);
        assert_eq!(date_from_file_name("a20130913b.txt"), None);
        assert_eq!(date_from_file_name("123_20130913_00.txt"), d);
        assert_eq!(date_from_file_name("201309131.txt"), None);
        assert_eq!(date_from_file_name("2013--09-13.txt"), None);
        assert_eq!(date_from_file_name("18000101.txt"), None);
        assert_eq!(date_from_file_name(""), None);
    }

    fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
        start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    }

    const ALPHABET: &str =
        "[0-9年月日号至到今明去上本度一二三四五六七八九十〇零同期当地时间于电在上午.\\-/_a-f，]{0,40}";

    proptest! {
        #[test]
        fn never_panics_any(s in any::<String>()) {
            for m in find_dates(&s) {
                prop_assert!(on_boundaries(&s, m.start, m.end));
                let _ = resolve(&m, date(2021, 9, 18));
            }
            let _ = parse_iso_date(&s);
            let _ = date_from_file_name(&s);
        }

        #[test]
        fn never_panics_datelike(s in ALPHABET, y in 1i32..4000, doy in 1u32..366) {
            let anchor = NaiveDate::from_yo_opt(y, doy).unwrap_or_default();
            let mut last_end = 0;
            for m in find_dates(&s) {
                prop_assert!(on_boundaries(&s, m.start, m.end));
                prop_assert!(m.start >= last_end);
                last_end = m.end;
                prop_assert!(m.date.month.is_none_or(|mo| (1..=12).contains(&mo)));
                prop_assert!(m.date.day.is_none_or(|d| (1..=31).contains(&d)));
                if let Some(r) = resolve(&m, anchor) {
                    prop_assert!(!r.to_string().is_empty());
                }
            }
            let _ = date_from_file_name(&s);
            let _ = parse_iso_date(&s);
        }
    }
}
