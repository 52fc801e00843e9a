//! Pledges: commitments with a number, by a country, at a meeting.
//!
//! A pledge is a number with a unit (20亿剂, 2.3万亿美元, 300亿元人民币,
//! 1000名…名额, 10所…工坊, 30个…项目, 100名…科学家) in a clause of a
//! sentence whose subject commits (中方将, 中方愿, 力争, 宣布…举措, 未来3年).
//! Figures of what is already done (迄今已提供将近12亿剂, 2018年设立的首期…,
//! 年均增长约12%) are not pledges. A paragraph printed twice gives the same
//! pledge node: its IRI comes from its defining fields.

use crate::document::{Document, Layer};
use crate::lexicon::{EntityKind, Lexicon, Mention};
use crate::model::Statement;
use crate::text::numbers::{find_numbers, parse_cn_number};
use crate::text::sketch::{CharSketch, Cues};
use regex::Regex;
use std::sync::LazyLock;

use super::{regex as re, Gated, Pass};

/// The pass.
pub const PASS: Pass = Pass {
    name: "pledges",
    needs: &[Layer::Mentions, Layer::Meetings],
    adds: &[Layer::Pledges],
    run: find_pledges,
};

/// A committing verb or phrase somewhere in the sentence.
static COMMIT: Gated = Gated::new(
    &[
        "将", "愿", "力争", "宣布", "承诺", "计划", "拟", "未来", "明年", "今后", "倡议",
    ],
    || {
        re(
            r"将|愿|力争|宣布|承诺|计划|拟|未来\d+年|未来[一二两三四五六七八九十]+年|明年|今后\d+年|倡议",
        )
    },
);
/// Markers of a figure already achieved.
static PAST: LazyLock<Regex> =
    LazyLock::new(|| re(r"已|迄今|此前|截至|完毕|过去|曾|年均|同比|增长|首期"));
/// The period: 未来3年, 今后5年, 明年.
static PERIOD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:未来|今后)(\d+|[一二两三四五六七八九十]+)年|(明年)"));
/// A year printed in a clause: a clause about an earlier year reports the past.
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"((?:19|20)\d{2})年"));

/// Currency units right after the number.
const CURRENCIES: &[(&str, &str)] = &[
    ("美元", "USD"),
    ("元人民币", "CNY"),
    ("元", "CNY"),
    ("人民币", "CNY"),
    ("欧元", "EUR"),
    ("卢布", "RUB"),
];

/// Counted things: classifier, then the noun the phrase must end with (or contain), and the unit.
const COUNTED: &[(&str, &str, &str)] = &[
    ("剂", "", "doses"),
    ("名", "名额", "places"),
    ("个", "名额", "places"),
    ("个", "奖学金", "places"),
    ("所", "工坊", "workshops"),
    ("个", "工坊", "workshops"),
    ("个", "项目", "projects"),
    ("项", "项目", "projects"),
    ("个", "中心", "centres"),
    ("所", "学校", "schools"),
    ("所", "学院", "schools"),
    ("吨", "", "tonnes"),
    ("名", "", "people"),
    ("人", "", "people"),
    ("人次", "", "people"),
];

/// 我国 ("our country"), which the Chinese press writes for China.
const OUR_COUNTRY: Cues = Cues::new(&["我国"]);

/// Who pledges: 中方/中国/我国, or another country named with 方 or in full.
/// `mentions` are the sentence's, `sketch` its sketch.
fn pledger(s: &str, sketch: &CharSketch, mentions: &[Mention], lex: &Lexicon) -> Option<String> {
    for (i, _) in s.match_indices('方') {
        if let Some(c) = s[..i].chars().next_back() {
            if let Some(ci) = lex.country_by_abbr(&c.to_string()) {
                return Some(lex.countries[ci].iso3.clone());
            }
        }
    }
    if sketch.contains_any(s, &OUR_COUNTRY) {
        return Some("CHN".to_string());
    }
    mentions.iter().find_map(|m| match m.kind {
        EntityKind::Country(i) if s[m.end..].starts_with(['将', '愿']) => {
            Some(lex.countries[i].iso3.clone())
        }
        _ => None,
    })
}

/// Split a sentence into clauses at ，；： keeping offsets.
fn clauses(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, '，' | '；' | '：' | '。' | '！') {
            out.push((start, &s[start..i]));
            start = i + c.len_utf8();
        }
    }
    if start < s.len() {
        out.push((start, &s[start..]));
    }
    out
}

/// The noun phrase after a number: up to the clause end or the next counted item (和3000个…).
fn phrase_after(clause: &str) -> &str {
    let mut end = clause.len();
    for (i, c) in clause.char_indices() {
        if (c == '和' || c == '、' || c == '及')
            && clause[i + c.len_utf8()..].starts_with(|d: char| d.is_ascii_digit())
        {
            end = i;
            break;
        }
    }
    &clause[..end]
}

/// Find the pledges of a document.
pub fn find_pledges(doc: &mut Document) {
    let Ok(lex) = Lexicon::get() else { return };
    let doc_year = doc.year;
    let mut facts = Vec::new();
    // One buffer for every sentence's mentions.
    let mut mentions: Vec<Mention> = Vec::new();
    for si in 0..doc.sentences.len() {
        let s = doc.sentence(si);
        let sketch = doc.sketch(si);
        if !COMMIT.is_match(s, sketch) {
            continue;
        }
        mentions.clear();
        mentions.extend(doc.sentence_mentions(si));
        let Some(by) = pledger(s, sketch, &mentions, lex) else {
            continue;
        };
        let meeting = doc.meeting_of(si).map(|m| m.key.clone());
        let period = PERIOD.captures(s).and_then(|c| match (c.get(1), c.get(2)) {
            (Some(n), _) => parse_cn_number(n.as_str()).map(|v| v as u32),
            (_, Some(_)) => Some(1),
            _ => None,
        });
        for (offset, clause) in clauses(s) {
            if PAST.is_match(clause) {
                continue;
            }
            if let (Some(y), Some(c)) = (doc_year, YEAR.captures(clause)) {
                if c[1].parse::<i32>().is_ok_and(|cy| cy < y) {
                    continue;
                }
            }
            for n in find_numbers(clause) {
                // The period itself (未来3年) is no pledge.
                let after = &clause[n.end..];
                if after.starts_with('年') || after.starts_with('%') || after.starts_with('月') {
                    continue;
                }
                let Some((unit, multiplier, item)) = classify(clause, n.start, after) else {
                    continue;
                };
                let _ = offset;
                facts.push((
                    Statement::Pledge {
                        by: by.clone(),
                        amount: n.value * multiplier,
                        unit: unit.to_string(),
                        item,
                        period_years: period,
                        meeting: meeting.clone(),
                    },
                    si,
                ));
            }
        }
    }
    for (statement, si) in facts {
        doc.add_fact(statement, si, "pledges.committed-amount");
    }
}

/// Unit, multiplier and item of the number at `start` in `clause`, whose text after the number is `after`.
fn classify(clause: &str, start: usize, after: &str) -> Option<(&'static str, f64, String)> {
    let after = after.trim_start_matches('多');
    for (word, unit) in CURRENCIES {
        if let Some(rest) = after.strip_prefix(word) {
            let rest = rest.trim_start_matches("人民币");
            let _ = rest;
            // A sum's purpose is printed around it: keep the whole clause.
            return Some((unit, 1.0, clause.trim().to_string()));
        }
    }
    for (classifier, noun, unit) in COUNTED {
        let Some(rest) = after.strip_prefix(classifier) else {
            continue;
        };
        let phrase = phrase_after(rest);
        if phrase.is_empty() {
            continue;
        }
        if noun.is_empty() || phrase.contains(noun) {
            if *unit == "people" && !is_people_noun(phrase) {
                continue;
            }
            let _ = start;
            return Some((unit, 1.0, phrase.to_string()));
        }
    }
    None
}

/// Whether a phrase after 名 counts people (人员, 学员, 科学家, 青年 …).
fn is_people_noun(phrase: &str) -> bool {
    const PEOPLE: &[&str] = &[
        "人员",
        "学员",
        "科学家",
        "青年",
        "专家",
        "官员",
        "教师",
        "学生",
        "干部",
        "医生",
        "记者",
        "人才",
        "留学生",
        "代表",
    ];
    PEOPLE.iter().any(|p| phrase.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract;

    fn pledges(text: &str) -> Vec<(String, String, String, Option<u32>)> {
        let doc = extract(Document::new("t.txt", text, text.as_bytes()));
        let mut v: Vec<_> = doc
            .facts
            .into_iter()
            .filter_map(|f| match f.statement {
                Statement::Pledge {
                    amount,
                    unit,
                    item,
                    period_years,
                    ..
                } => Some((
                    crate::text::numbers::format_decimal(amount),
                    unit,
                    item,
                    period_years,
                )),
                _ => None,
            })
            .collect();
        v.dedup();
        v
    }

    #[test]
    fn doses_and_dollars_but_not_what_was_already_given() {
        let p = pledges("中方迄今已向100多个国家和国际组织提供将近12亿剂疫苗和原液，将加紧实现全年向世界提供20亿剂疫苗，用好中方向“新冠疫苗实施计划”捐赠的1亿美元。");
        let amounts: Vec<&str> = p.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(amounts, ["2000000000", "100000000"], "{p:?}");
        assert_eq!(p[0].1, "doses");
        assert_eq!(p[1].1, "USD");
    }

    #[test]
    fn counted_items_with_a_period() {
        let p = pledges("未来3年，中方将向本组织国家提供1000个国际中文教师奖学金名额和3000个汉语桥夏令营名额，邀请100名青年科学家来华参加科研交流。");
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p.iter().all(|x| x.3 == Some(3)));
        assert_eq!(p[1].2, "汉语桥夏令营名额");
        assert_eq!(p[2].1, "people");
    }

    #[test]
    fn trillions_and_loans() {
        let p = pledges(
            "中方愿继续分享市场机遇，力争未来5年同本组织国家累计贸易额实现2.3万亿美元目标。",
        );
        assert_eq!(p[0].0, "2300000000000");
        assert_eq!(p[0].3, Some(5));
        let p = pledges("习近平主席宣布了中方支持上合组织合作的一系列重要举措，包括未来3年为各方培训2000名执法人员，在上合组织银联体框架内设立300亿元人民币等值专项贷款。");
        assert!(
            p.iter().any(|x| x.0 == "30000000000" && x.1 == "CNY"),
            "{p:?}"
        );
        assert!(p.iter().any(|x| x.0 == "2000" && x.1 == "people"), "{p:?}");
    }

    #[test]
    fn growth_rates_and_earlier_years_are_not_pledges() {
        let p = pledges("中方2018年在上海合作组织框架内设立的首期300亿元人民币等值专项贷款即将实施完毕，将启动实施二期专项贷款。");
        assert!(p.is_empty(), "{p:?}");
    }
}
