//! Number expressions in Chinese news text.
//!
//! Handles Arabic numbers (`1000`, `2.3`, `1,000`), Chinese numerals
//! (`一百`, `两千`, `二十一`, `一千零一`, `二〇〇一`, financial forms such as
//! `壹贰叁`) and mixtures with the large units 万, 亿 and 万亿
//! (`20亿`, `2.3万亿`, `3亿5000万`, `三千亿`, `5千万`).
//!
//! The input is expected to be normalised: ASCII digits, no spaces inside
//! numbers, full-width Chinese punctuation (so an ASCII `,` between digit
//! groups is a thousands separator and an ASCII `.` is a decimal point).
//!
//! Values are computed with exact decimal arithmetic (falling back to `f64`
//! only for absurdly long numbers), so `2.3万亿` is exactly `2.3e12`.

use regex::Regex;
use std::sync::LazyLock;

/// A number expression found in a text by [`find_numbers`].
///
/// `start..end` is the byte range of the expression in the searched text
/// (always on `char` boundaries); `value` is its numeric value.
///
/// ```
/// use scokg::text::numbers::{find_numbers, NumberMatch};
/// let text = "合作项目总额达2.3万亿美元";
/// let m: NumberMatch = find_numbers(text)[0];
/// assert_eq!(&text[m.start..m.end], "2.3万亿");
/// assert_eq!(m.value, 2.3e12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumberMatch {
    /// Byte offset of the first byte of the expression.
    pub start: usize,
    /// Byte offset just past the last byte of the expression.
    pub end: usize,
    /// Numeric value of the expression.
    pub value: f64,
}

// ---------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------

/// A Chinese digit: its value and whether it is 两 (which may only stand
/// before a unit, or alone).
fn cn_digit(c: char) -> Option<(u8, bool)> {
    let d = match c {
        '〇' | '零' => 0,
        '一' | '壹' => 1,
        '二' | '贰' | '貳' => 2,
        '两' | '兩' => return Some((2, true)),
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    };
    Some((d, false))
}

/// A small unit (十, 百, 千).
fn cn_unit(c: char) -> Option<u64> {
    match c {
        '十' | '拾' => Some(10),
        '百' | '佰' => Some(100),
        '千' | '仟' => Some(1000),
        _ => None,
    }
}

/// A large unit (万, 亿).
fn cn_big(c: char) -> Option<u64> {
    match c {
        '万' | '萬' => Some(10_000),
        '亿' | '億' => Some(100_000_000),
        _ => None,
    }
}

fn is_cn_numeral(c: char) -> bool {
    cn_digit(c).is_some() || cn_unit(c).is_some() || cn_big(c).is_some()
}

fn is_unit_char(c: char) -> bool {
    cn_unit(c).is_some() || cn_big(c).is_some()
}

/// End (byte offset) of the Arabic number literal starting at `i`, which must
/// be an ASCII digit: digits, optional `,ddd` thousands groups (only when the
/// first group has at most three digits and every group exactly three), and
/// an optional `.digits` fraction.
fn arabic_end(s: &str, i: usize) -> usize {
    let b = s.as_bytes();
    let digits_from = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let mut j = digits_from(i);
    if j - i <= 3 {
        loop {
            let group_end = j + 4;
            let is_group = j < b.len()
                && b[j] == b','
                && group_end <= b.len()
                && b[j + 1..group_end].iter().all(u8::is_ascii_digit)
                && (group_end == b.len() || !b[group_end].is_ascii_digit());
            if !is_group {
                break;
            }
            j = group_end;
        }
    }
    if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
        j = digits_from(j + 1);
    }
    j
}

// ---------------------------------------------------------------------------
// Arithmetic: exact decimals, with an f64 fallback on overflow
// ---------------------------------------------------------------------------

trait Num: Copy {
    fn int(v: u64) -> Self;
    /// An Arabic literal (digits, optional thousands commas, optional fraction).
    fn arabic(s: &str) -> Option<Self>;
    fn mul(self, k: u64) -> Option<Self>;
    fn add(self, o: Self) -> Option<Self>;
    fn is_zero(self) -> bool;
    fn lt(self, k: u64) -> bool;
    fn to_f64(self) -> Option<f64>;
}

/// `num / 10^scale`, non-negative.
#[derive(Debug, Clone, Copy)]
struct Dec {
    num: i128,
    scale: u32,
}

impl Dec {
    fn rescale(self, scale: u32) -> Option<Dec> {
        let f = 10i128.checked_pow(scale.checked_sub(self.scale)?)?;
        Some(Dec {
            num: self.num.checked_mul(f)?,
            scale,
        })
    }
}

impl Num for Dec {
    fn int(v: u64) -> Self {
        Dec {
            num: i128::from(v),
            scale: 0,
        }
    }
    fn arabic(s: &str) -> Option<Self> {
        let (int_part, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        let digits: String = int_part
            .chars()
            .filter(|c| *c != ',')
            .chain(frac.chars())
            .collect();
        if digits.is_empty() || digits.len() > 38 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Dec {
            num: digits.parse().ok()?,
            scale: u32::try_from(frac.len()).ok()?,
        })
    }
    fn mul(self, k: u64) -> Option<Self> {
        Some(Dec {
            num: self.num.checked_mul(i128::from(k))?,
            scale: self.scale,
        })
    }
    fn add(self, o: Self) -> Option<Self> {
        let scale = self.scale.max(o.scale);
        let (a, b) = (self.rescale(scale)?, o.rescale(scale)?);
        Some(Dec {
            num: a.num.checked_add(b.num)?,
            scale,
        })
    }
    fn is_zero(self) -> bool {
        self.num == 0
    }
    fn lt(self, k: u64) -> bool {
        match 10i128
            .checked_pow(self.scale)
            .and_then(|f| f.checked_mul(i128::from(k)))
        {
            Some(limit) => self.num < limit,
            None => true,
        }
    }
    fn to_f64(self) -> Option<f64> {
        // Rust's float parser is correctly rounded, so this is exact whenever
        // the value is representable (e.g. 23e11 for 2.3万亿).
        let v: f64 = format!("{}e-{}", self.num, self.scale).parse().ok()?;
        v.is_finite().then_some(v)
    }
}

impl Num for f64 {
    fn int(v: u64) -> Self {
        v as f64
    }
    fn arabic(s: &str) -> Option<Self> {
        let t: String = s.chars().filter(|c| *c != ',').collect();
        t.parse().ok()
    }
    fn mul(self, k: u64) -> Option<Self> {
        Some(self * k as f64)
    }
    fn add(self, o: Self) -> Option<Self> {
        Some(self + o)
    }
    fn is_zero(self) -> bool {
        self == 0.0
    }
    fn lt(self, k: u64) -> bool {
        self < k as f64
    }
    fn to_f64(self) -> Option<f64> {
        self.is_finite().then_some(self)
    }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Tok<N> {
    /// A Chinese digit 0–9; `true` for 两.
    Digit(u8, bool),
    /// An Arabic literal; the second field is its count of integer digits
    /// when it has no fraction, else 0.
    Arabic(N, usize),
    /// 十, 百, 千.
    Unit(u64),
    /// 万, 亿, 万亿.
    Big(u64),
}

fn lex<N: Num>(s: &str) -> Option<Vec<Tok<N>>> {
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        if c.is_ascii_digit() {
            let end = arabic_end(s, i);
            let lit = &s[i..end];
            let int_digits = if lit.contains('.') {
                0
            } else {
                lit.bytes().filter(u8::is_ascii_digit).count()
            };
            toks.push(Tok::Arabic(N::arabic(lit)?, int_digits));
            i = end;
            continue;
        }
        i += c.len_utf8();
        if let Some((d, liang)) = cn_digit(c) {
            toks.push(Tok::Digit(d, liang));
        } else if let Some(u) = cn_unit(c) {
            toks.push(Tok::Unit(u));
        } else if let Some(b) = cn_big(c) {
            // 万亿 is a single unit (10^12).
            let next_is_yi = s[i..].chars().next().and_then(cn_big) == Some(100_000_000);
            if b == 10_000 && next_is_yi {
                i += s[i..].chars().next().map_or(0, char::len_utf8);
                toks.push(Tok::Big(1_000_000_000_000));
            } else {
                toks.push(Tok::Big(b));
            }
        } else {
            return None;
        }
    }
    Some(toks)
}

/// Number of zeros of a power of ten.
fn log10(u: u64) -> usize {
    u.checked_ilog10().map_or(0, |v| v as usize)
}

/// An expression, possibly with large units: split at the first occurrence of
/// the largest one, `left × U + right`.
fn parse_expr<N: Num>(toks: &[Tok<N>]) -> Option<N> {
    let big = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Big(b) => Some(*b),
            _ => None,
        })
        .max();
    let Some(unit) = big else {
        return parse_section(toks);
    };
    let idx = toks
        .iter()
        .position(|t| matches!(t, Tok::Big(b) if *b == unit))?;
    let (left, right) = (&toks[..idx], &toks[idx + 1..]);
    let lv = parse_expr(left)?;
    if lv.is_zero() {
        return None;
    }
    let base = lv.mul(unit)?;
    match right {
        [] => Some(base),
        // Colloquial 一万五 = 15000, 一亿五 = 1.5亿.
        [Tok::Digit(d, _)] if *d != 0 => base.add(N::int(u64::from(*d)).mul(unit / 10)?),
        // 1万5000 is fine, 1万5 is ambiguous.
        [Tok::Arabic(v, n)] => (*n == log10(unit) && v.lt(unit)).then(|| base.add(*v))?,
        _ => {
            let rv = parse_expr(right)?;
            if !rv.lt(unit) {
                return None;
            }
            base.add(rv)
        }
    }
}

/// A section below 万: digits and the units 十百千, or one Arabic literal.
fn parse_section<N: Num>(toks: &[Tok<N>]) -> Option<N> {
    match toks {
        [] => return None,
        [Tok::Arabic(v, _)] => return Some(*v),
        [Tok::Digit(d, _)] => return Some(N::int(u64::from(*d))),
        _ => {}
    }
    // Only digits: positional reading (二〇〇一 = 2001), 两 not allowed.
    if toks.iter().all(|t| matches!(t, Tok::Digit(_, false))) {
        let mut v: u64 = 0;
        for t in toks {
            if let Tok::Digit(d, _) = t {
                v = v.checked_mul(10)?.checked_add(u64::from(*d))?;
            }
        }
        return Some(N::int(v));
    }
    let mut acc = N::int(0);
    // Pending multiplier: value, is a Chinese digit, is 两.
    let mut pending: Option<(N, bool, bool)> = None;
    let mut last_unit = u64::MAX;
    let mut zero_since_unit = false;
    let mut started = false;
    for t in toks {
        match *t {
            Tok::Digit(0, _) => {
                if pending.is_some() {
                    return None;
                }
                zero_since_unit = true;
            }
            Tok::Digit(d, liang) => {
                if pending.is_some() {
                    return None;
                }
                pending = Some((N::int(u64::from(d)), true, liang));
            }
            Tok::Arabic(v, _) => {
                if pending.is_some() {
                    return None;
                }
                pending = Some((v, false, false));
            }
            Tok::Unit(u) => {
                if u >= last_unit {
                    return None;
                }
                let m = match pending.take() {
                    Some((v, _, _)) if !v.is_zero() => v,
                    Some(_) => return None,
                    // 十 alone at the start means 一十.
                    None if !started && !zero_since_unit && u == 10 => N::int(1),
                    None => return None,
                };
                acc = acc.add(m.mul(u)?)?;
                last_unit = u;
                zero_since_unit = false;
            }
            Tok::Big(_) => return None,
        }
        started = true;
    }
    match pending {
        Some((v, true, _)) if !zero_since_unit && last_unit >= 100 && last_unit != u64::MAX => {
            // Colloquial 三百五 = 350, 两千五 = 2500.
            acc.add(v.mul(last_unit / 10)?)
        }
        Some((_, true, true)) | Some((_, false, _)) => None,
        Some((v, true, false)) => acc.add(v),
        None if zero_since_unit => None,
        None => Some(acc),
    }
}

fn parse_with<N: Num>(s: &str) -> Option<f64> {
    parse_expr(&lex::<N>(s)?)?.to_f64()
}

/// Parses a whole number expression: Arabic (`1000`, `2.3`, `1,000`),
/// Chinese numerals (`一百`, `两千`, `十`, `二十一`, `一千零一`, `二〇〇一`,
/// `壹佰`), and either of them with the large units 万, 亿, 万亿
/// (`20亿` → 2e9, `2.3万亿` → 2.3e12, `三百亿` → 3e10, `十亿` → 1e9,
/// `5千万` → 5e7, `3亿5000万` → 3.5e8). Colloquial forms with an omitted
/// last unit are read as usual (`一万五` → 15000, `两千五` → 2500).
///
/// Leading and trailing whitespace is ignored. Returns `None` when `s` is
/// not exactly one number expression (`第一`, `千万` without a digit, `1万5`,
/// `十两`, the empty string). Never panics.
///
/// ```
/// use scokg::text::numbers::parse_cn_number;
/// assert_eq!(parse_cn_number("2.3万亿"), Some(2.3e12));
/// assert_eq!(parse_cn_number("一千零一"), Some(1001.0));
/// assert_eq!(parse_cn_number("1,000"), Some(1000.0));
/// assert_eq!(parse_cn_number("一带一路"), None);
/// ```
pub fn parse_cn_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    parse_with::<Dec>(s).or_else(|| parse_with::<f64>(s))
}

/// Formats a value in the lexical form of `xsd:decimal`: no exponent, no
/// trailing `.0` on integral values, at most six fraction digits (rounded,
/// which hides float noise such as `0.30000000000000004`). Negative zero
/// prints as `0`; non-finite values (which have no `xsd:decimal` form) print
/// as `0`.
///
/// ```
/// use scokg::text::numbers::format_decimal;
/// assert_eq!(format_decimal(2.3e12), "2300000000000");
/// assert_eq!(format_decimal(0.5), "0.5");
/// assert_eq!(format_decimal(0.1 + 0.2), "0.3");
/// ```
pub fn format_decimal(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let mut s = format!("{v:.6}");
    if s.contains('.') {
        let trimmed = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(trimmed);
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s
}

/// ISO-like dates (`2021-09-17`, `2021.09.17`, `2021/9/17`): their digits are
/// not reported as numbers.
static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(19\d\d|20\d\d|2100)[-./](\d{1,2})[-./](\d{1,2})").expect("valid regex")
});

/// Longest candidate considered, in atoms (an Arabic literal or one Chinese
/// numeral character).
const MAX_ATOMS: usize = 32;

/// Range connectors between two years sharing one 年 (`2022—2023年`).
const YEAR_RANGE_CONNECTORS: &[&str] = &["至", "到", "—", "－", "-", "～", "~"];

/// Whether `rest` starts with a 4-digit year 1900–2100 and 年.
fn starts_with_year(rest: &str) -> bool {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits == 4
        && rest[4..].starts_with('年')
        && rest[..4]
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y))
}

/// Whether a number directly followed by `rest` is part of a date.
fn is_date_part(sub: &str, value: f64, rest: &str) -> bool {
    if value.fract() != 0.0 || sub.contains([',', '.']) || rest.starts_with("日元") {
        return false;
    }
    let arabic_year = sub.len() == 4 && sub.bytes().all(|b| b.is_ascii_digit());
    if arabic_year
        && (1900.0..=2100.0).contains(&value)
        && YEAR_RANGE_CONNECTORS
            .iter()
            .any(|c| rest.strip_prefix(c).is_some_and(starts_with_year))
    {
        return true;
    }
    match rest.chars().next() {
        Some('年') => {
            let cn_year = !sub.bytes().any(|b| b.is_ascii_digit());
            (arabic_year || cn_year) && (1900.0..=2100.0).contains(&value)
        }
        Some('月') => (1.0..=12.0).contains(&value),
        Some('日' | '号') => (1.0..=31.0).contains(&value),
        _ => false,
    }
}

/// Finds every number expression in `text`, left to right, longest match
/// first (`2.3万亿美元` gives one match `2.3万亿`). Offsets are bytes.
///
/// Rules, chosen to avoid firing inside ordinary words:
/// * a match contains an Arabic digit, or is a Chinese-numeral run of at
///   least two characters containing a unit 十百千万亿 (`一百`, `两千`,
///   `十亿`, `二十` match; `一带一路`, `统一`, `一系列`, `千万不要` do not);
/// * runs directly preceded by 第 are ordinals, not quantities, and are
///   skipped (`第一`, `第二十一次`, `第21次`; see [`find_ordinals`]); so are
///   numbers directly followed by 届 (`十三届`), Chinese numerals followed by
///   大 (`党的二十大`) and the plan names `十一五` … `十九五`;
/// * Arabic numbers glued to ASCII letters are names (`G20`, `5G`) and skipped;
/// * numbers that are date parts are skipped: a 4-digit (or Chinese-numeral)
///   integer 1900–2100 directly followed by 年, an integer 1–12 followed by
///   月, an integer 1–31 followed by 日 (but not 日元) or 号 (so
///   `2021年9月17日` gives nothing), the first year of a range sharing one 年
///   (`2022—2023年`), and ISO-like dates `2021-09-17` / `2021.09.17`.
///   Durations are kept: `成立20年来` gives 20;
/// * approximations are read literally: `一千多万` gives 1000 only.
///
/// ```
/// use scokg::text::numbers::find_numbers;
/// let text = "2021年9月17日，2000名执法人员参加，投资三百亿元";
/// let values: Vec<f64> = find_numbers(text).iter().map(|m| m.value).collect();
/// assert_eq!(values, vec![2000.0, 3e10]);
/// ```
pub fn find_numbers(text: &str) -> Vec<NumberMatch> {
    let masks: Vec<(usize, usize)> = ISO_DATE
        .find_iter(text)
        .filter(|m| {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit())
                && !after.is_some_and(|c| c.is_ascii_digit())
        })
        .map(|m| (m.start(), m.end()))
        .collect();

    let mut out = Vec::new();
    let mut run: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let atom_end = if c.is_ascii_digit() {
            Some(arabic_end(text, i))
        } else if is_cn_numeral(c) {
            Some(i + c.len_utf8())
        } else {
            None
        };
        match atom_end {
            Some(end) => {
                run.push((i, end));
                i = end;
            }
            None => {
                scan_run(text, &run, &masks, &mut out);
                run.clear();
                i += c.len_utf8();
            }
        }
    }
    scan_run(text, &run, &masks, &mut out);
    out
}

/// Ordinals written without 第: `十三届` (13th term), `党的二十大` (20th
/// congress), `13届`.
fn is_ordinal_like(sub: &str, rest: &str) -> bool {
    let chinese = !sub.bytes().any(|b| b.is_ascii_digit());
    rest.starts_with('届') || (chinese && rest.starts_with('大'))
}

/// Five-year plans named by number: `十三五`, `十四五`.
fn is_five_year_plan(run: &str) -> bool {
    let chars: Vec<char> = run.chars().collect();
    matches!(chars.as_slice(), ['十', d, '五'] if cn_digit(*d).is_some_and(|(v, l)| v > 0 && !l))
}

/// Greedy longest-match segmentation of one run of adjacent atoms.
fn scan_run(
    text: &str,
    atoms: &[(usize, usize)],
    masks: &[(usize, usize)],
    out: &mut Vec<NumberMatch>,
) {
    let (Some(&(run_start, _)), Some(&(_, run_end))) = (atoms.first(), atoms.last()) else {
        return;
    };
    let before = text[..run_start].chars().next_back();
    let after = text[run_end..].chars().next();
    if before == Some('第') {
        return;
    }
    let starts_arabic = text[run_start..].starts_with(|c: char| c.is_ascii_digit());
    let ends_arabic = text[..run_end].ends_with(|c: char| c.is_ascii_digit());
    let glued = (starts_arabic && before.is_some_and(|c| c.is_ascii_alphabetic()))
        || (ends_arabic && after.is_some_and(|c| c.is_ascii_alphabetic()));
    if glued {
        return;
    }
    if is_five_year_plan(&text[run_start..run_end]) {
        return;
    }
    let mut i = 0;
    while i < atoms.len() {
        let mut next = i + 1;
        let max_j = atoms.len().min(i + MAX_ATOMS);
        for j in (i + 1..=max_j).rev() {
            let (start, end) = (atoms[i].0, atoms[j - 1].1);
            if masks.iter().any(|&(ms, me)| start < me && ms < end) {
                continue;
            }
            let sub = &text[start..end];
            let has_arabic = sub.bytes().any(|b| b.is_ascii_digit());
            if !has_arabic && (sub.chars().count() < 2 || !sub.chars().any(is_unit_char)) {
                continue;
            }
            let Some(value) = parse_cn_number(sub) else {
                continue;
            };
            if !is_date_part(sub, value, &text[end..]) && !is_ordinal_like(sub, &text[end..]) {
                out.push(NumberMatch { start, end, value });
            }
            next = j;
            break;
        }
        i = next;
    }
}

/// A whole number below 10 000 in Chinese numerals, as ordinals print it
/// (21 → 二十一, 10 → 十, 105 → 一百零五).
///
/// ```
/// use scokg::text::numbers::{parse_ordinal, to_chinese_numeral};
/// assert_eq!(to_chinese_numeral(21), "二十一");
/// assert_eq!(parse_ordinal(&format!("第{}次", to_chinese_numeral(105))), Some(105));
/// ```
pub fn to_chinese_numeral(n: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 || n >= 10_000 {
        return n.to_string();
    }
    let parts = [
        (n / 1000, '千'),
        (n / 100 % 10, '百'),
        (n / 10 % 10, '十'),
        (n % 10, ' '),
    ];
    let mut out = String::new();
    let mut pending_zero = false;
    for (digit, unit) in parts {
        if digit == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        // 十 alone, not 一十, at the head of a number below twenty.
        if !(unit == '十' && digit == 1 && out.is_empty()) {
            out.push(DIGITS[digit as usize]);
        }
        if unit != ' ' {
            out.push(unit);
        }
    }
    out
}

/// Parses an ordinal: `第二十一次` → 21, `第21次` → 21, `第一百次` → 100,
/// `第十七届` → 17, `二十一` → 21. The prefix 第 and a suffix 次, 届 or 个 are
/// optional. Returns `None` unless the rest is a whole number from 1 to
/// `u32::MAX` written with digits or Chinese numerals.
///
/// ```
/// use scokg::text::numbers::parse_ordinal;
/// assert_eq!(parse_ordinal("第二十三次"), Some(23));
/// assert_eq!(parse_ordinal("第21次"), Some(21));
/// assert_eq!(parse_ordinal("第一个"), Some(1));
/// assert_eq!(parse_ordinal("次"), None);
/// ```
pub fn parse_ordinal(s: &str) -> Option<u32> {
    let s = s.trim();
    let s = s.strip_prefix('第').unwrap_or(s);
    let s = s.strip_suffix(['次', '届', '个']).unwrap_or(s);
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || is_cn_numeral(c)) {
        return None;
    }
    let v = parse_cn_number(s)?;
    if v.fract() != 0.0 || !(1.0..=f64::from(u32::MAX)).contains(&v) {
        return None;
    }
    Some(v as u32)
}

static ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"第([0-9]+|[〇零一二两三四五六七八九十百千万]+)[次届]").expect("valid regex")
});

/// Finds ordinal spans `第…次` and `第…届` (`第二十一次`, `第21届`) and
/// returns `(start, end, value)` with byte offsets covering the whole span
/// from 第 to 次/届. Spans whose numeral does not parse are left out.
///
/// ```
/// use scokg::text::numbers::find_ordinals;
/// let text = "上海合作组织成员国元首理事会第二十一次会议";
/// let (start, end, n) = find_ordinals(text)[0];
/// assert_eq!(&text[start..end], "第二十一次");
/// assert_eq!(n, 21);
/// ```
pub fn find_ordinals(text: &str) -> Vec<(usize, usize, u32)> {
    ORDINAL
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let n = parse_ordinal(c.get(1)?.as_str())?;
            Some((whole.start(), whole.end(), n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Option<f64> {
        parse_cn_number(s)
    }

    fn found(text: &str) -> Vec<(&str, f64)> {
        find_numbers(text)
            .into_iter()
            .map(|m| (&text[m.start..m.end], m.value))
            .collect()
    }

    #[test]
    fn arabic() {
        assert_eq!(p("1000"), Some(1000.0));
        assert_eq!(p("2.3"), Some(2.3));
        assert_eq!(p("1,000"), Some(1000.0));
        assert_eq!(p("12,345,678.5"), Some(12_345_678.5));
        assert_eq!(p(" 42 "), Some(42.0));
        assert_eq!(p("0"), Some(0.0));
        assert_eq!(p("1,00"), None);
        assert_eq!(p("1.2.3"), None);
        assert_eq!(p("abc"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("."), None);
    }

    #[test]
    fn chinese() {
        assert_eq!(p("一百"), Some(100.0));
        assert_eq!(p("两千"), Some(2000.0));
        assert_eq!(p("十"), Some(10.0));
        assert_eq!(p("十二"), Some(12.0));
        assert_eq!(p("二十一"), Some(21.0));
        assert_eq!(p("一千零一"), Some(1001.0));
        assert_eq!(p("一千零一十"), Some(1010.0));
        assert_eq!(p("三百亿"), Some(3e10));
        assert_eq!(p("十亿"), Some(1e9));
        assert_eq!(p("十万"), Some(1e5));
        assert_eq!(p("一百万"), Some(1e6));
        assert_eq!(p("三万亿"), Some(3e12));
        assert_eq!(p("三千亿"), Some(3e11));
        assert_eq!(p("三万五千亿"), Some(3.5e12));
        assert_eq!(p("一亿五千万"), Some(1.5e8));
        assert_eq!(p("一亿零五百万"), Some(1.05e8));
        assert_eq!(p("一万零五"), Some(10005.0));
        assert_eq!(p("一万五"), Some(15000.0));
        assert_eq!(p("两千五"), Some(2500.0));
        assert_eq!(p("三百五"), Some(350.0));
        assert_eq!(p("二〇〇一"), Some(2001.0));
        assert_eq!(p("〇"), Some(0.0));
        assert_eq!(p("两"), Some(2.0));
        assert_eq!(p("壹佰贰拾叁"), Some(123.0));
        assert_eq!(p("一带一路"), None);
        assert_eq!(p("千万"), None);
        assert_eq!(p("百万"), None);
        assert_eq!(p("万一"), None);
        assert_eq!(p("十两"), None);
        assert_eq!(p("一百零"), None);
        assert_eq!(p("一十百"), None);
        assert_eq!(p("亿"), None);
        assert_eq!(p("一亿亿"), None);
        assert_eq!(p("第一"), None);
    }

    #[test]
    fn mixed_units() {
        assert_eq!(p("20亿"), Some(2e9));
        assert_eq!(p("2.3万亿"), Some(2.3e12));
        assert_eq!(p("300亿"), Some(3e10));
        assert_eq!(p("1亿"), Some(1e8));
        assert_eq!(p("5万"), Some(5e4));
        assert_eq!(p("1.5万"), Some(15000.0));
        assert_eq!(p("3百万"), Some(3e6));
        assert_eq!(p("5千万"), Some(5e7));
        assert_eq!(p("2千亿"), Some(2e11));
        assert_eq!(p("3亿5000万"), Some(3.5e8));
        assert_eq!(p("1万5000"), Some(15000.0));
        assert_eq!(p("1万5"), None);
        assert_eq!(p("0亿"), None);
        assert_eq!(p("1,234.5万"), Some(12_345_000.0));
    }

    #[test]
    fn huge_numbers_fall_back_to_f64() {
        let s = "1".repeat(60);
        assert_eq!(p(&s), s.parse::<f64>().ok());
        assert_eq!(p(&"9".repeat(400)), None);
    }

    #[test]
    fn decimal_format() {
        assert_eq!(format_decimal(2_300_000_000_000.0), "2300000000000");
        assert_eq!(format_decimal(2.3e12), "2300000000000");
        assert_eq!(format_decimal(0.5), "0.5");
        assert_eq!(format_decimal(15000.0), "15000");
        assert_eq!(format_decimal(1.25), "1.25");
        assert_eq!(format_decimal(0.1 + 0.2), "0.3");
        assert_eq!(format_decimal(1e-9), "0");
        assert_eq!(format_decimal(-0.0), "0");
        assert_eq!(format_decimal(-2.5), "-2.5");
        assert_eq!(format_decimal(1e21), "1000000000000000000000");
        assert_eq!(format_decimal(f64::NAN), "0");
        for s in ["2.3万亿", "1.5万", "20亿", "3亿5000万"] {
            let v = p(s).unwrap_or_default();
            assert!(!format_decimal(v).contains(['e', 'E']));
        }
    }

    #[test]
    fn numbers_in_news() {
        assert_eq!(found("2.3万亿美元"), vec![("2.3万亿", 2.3e12)]);
        assert_eq!(
            found("贸易额达20亿美元，增长1,000%"),
            vec![("20亿", 2e9), ("1,000", 1000.0)]
        );
        assert_eq!(found("2000名执法人员"), vec![("2000", 2000.0)]);
        assert_eq!(found("成立20年来"), vec![("20", 20.0)]);
        assert_eq!(found("未来3年"), vec![("3", 3.0)]);
        assert_eq!(
            found("一百多个国家和两千名代表"),
            vec![("一百", 100.0), ("两千", 2000.0)]
        );
        assert_eq!(found("投资十亿元"), vec![("十亿", 1e9)]);
        assert_eq!(found("二十国集团"), vec![("二十", 20.0)]);
        assert_eq!(found("面积3亿5000万平方米"), vec![("3亿5000万", 3.5e8)]);
        assert_eq!(found("增长1.5%"), vec![("1.5", 1.5)]);
    }

    #[test]
    fn no_numbers_in_words() {
        for s in [
            "共建一带一路",
            "统一思想",
            "一系列举措",
            "第一次",
            "第二十一次会议",
            "第21次会议",
            "千万不要",
            "万一",
            "十分重要",
            "G20峰会",
            "5G网络",
            "党的二十大精神",
            "十三届省委",
            "十四五规划",
        ] {
            assert!(found(s).is_empty(), "{s}: {:?}", found(s));
        }
    }

    #[test]
    fn date_parts_skipped() {
        assert!(found("2021年9月17日").is_empty());
        assert!(found("新华社北京9月17日电").is_empty());
        assert!(found("二〇二一年十二月十七日").is_empty());
        assert!(found("2021-09-17").is_empty());
        assert!(found("2021.09.17").is_empty());
        assert!(found("1996年和1997年分别").is_empty());
        assert!(found("2022年至2024年合作纲要").is_empty());
        assert!(found("《2022—2023年合作计划》").is_empty());
        assert_eq!(
            found("2022—3000年"),
            vec![("2022", 2022.0), ("3000", 3000.0)]
        );
        assert_eq!(found("2021年有35个项目"), vec![("35", 35.0)]);
        assert_eq!(found("100日元"), vec![("100", 100.0)]);
        assert_eq!(found("5日元"), vec![("5", 5.0)]);
        assert_eq!(found("13个月"), vec![("13", 13.0)]);
        assert_eq!(found("3000年"), vec![("3000", 3000.0)]);
    }

    #[test]
    fn ordinals() {
        assert_eq!(parse_ordinal("第二十一次"), Some(21));
        assert_eq!(parse_ordinal("第二十三次"), Some(23));
        assert_eq!(parse_ordinal("第十七次"), Some(17));
        assert_eq!(parse_ordinal("第21次"), Some(21));
        assert_eq!(parse_ordinal("第一百次"), Some(100));
        assert_eq!(parse_ordinal("二十一"), Some(21));
        assert_eq!(parse_ordinal("第十届"), Some(10));
        assert_eq!(parse_ordinal("十七"), Some(17));
        assert_eq!(parse_ordinal("第0次"), None);
        assert_eq!(parse_ordinal("第1.5次"), None);
        assert_eq!(parse_ordinal("第次"), None);
        assert_eq!(parse_ordinal("第99999999999次"), None);
        assert_eq!(parse_ordinal("第十两次"), None);
    }

    #[test]
    fn ordinal_spans() {
        let text = "上合组织第二十一次峰会和第21届论坛，第一阶段";
        let got: Vec<(&str, u32)> = find_ordinals(text)
            .into_iter()
            .map(|(s, e, n)| (&text[s..e], n))
            .collect();
        assert_eq!(got, vec![("第二十一次", 21), ("第21届", 21)]);
    }

    fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
        start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    }

    const ALPHABET: &str =
        "[0-9.,，年月日号第次届万亿千百十〇零一二两三四五六七八九壹拾a-zG \\-/至当地时间]{0,40}";

    proptest! {
        #[test]
        fn never_panics_any(s in any::<String>()) {
            let _ = parse_cn_number(&s);
            let _ = parse_ordinal(&s);
            for m in find_numbers(&s) {
                prop_assert!(on_boundaries(&s, m.start, m.end));
            }
            for (a, b, _) in find_ordinals(&s) {
                prop_assert!(on_boundaries(&s, a, b));
            }
        }

        #[test]
        fn never_panics_numeric(s in ALPHABET) {
            let _ = parse_cn_number(&s);
            let _ = parse_ordinal(&s);
            let mut last_end = 0;
            for m in find_numbers(&s) {
                prop_assert!(on_boundaries(&s, m.start, m.end));
                prop_assert!(m.start >= last_end);
                last_end = m.end;
                prop_assert!(m.value.is_finite());
                prop_assert_eq!(parse_cn_number(&s[m.start..m.end]), Some(m.value));
            }
            for (a, b, _) in find_ordinals(&s) {
                prop_assert!(on_boundaries(&s, a, b));
            }
        }

        #[test]
        fn arabic_round_trip(n in 0u64..1_000_000_000_000u64) {
            prop_assert_eq!(parse_cn_number(&n.to_string()), Some(n as f64));
            prop_assert_eq!(format_decimal(n as f64), n.to_string());
        }
    }
}
