//! Meetings: which sitting of which body, when, where, who chaired and who
//! takes over; and which sentences speak of which meeting.
//!
//! A meeting is named by a body of an organisation (元首理事会, 政府首脑（总理）
//! 理事会, 外长理事会, “上海合作组织+”会议) with a session ordinal
//! (第二十一次会议), or as a summit at a place (青岛峰会). Later sentences
//! refer to it as 会议, 本次会议, 峰会 until the story ends (a new dateline,
//! 本报讯, （据新华社）…). Mentions of one meeting in a document merge into
//! one record; across documents the session number gives one IRI.

use crate::document::{Document, Layer};
use crate::lexicon::{EntityKind, Lexicon, Mention};
use crate::model::{DateValue, Meeting, Polity, Statement};
use crate::text::dates::{self, find_dates};
use crate::text::numbers::parse_ordinal;
use crate::text::sketch::{CharSketch, Cues};
use regex::Regex;
use std::sync::LazyLock;

use super::{regex as re, Gated, Pass};

/// The pass.
pub const PASS: Pass = Pass {
    name: "meetings",
    needs: &[Layer::Mentions, Layer::DocDate, Layer::People],
    adds: &[Layer::Meetings],
    run: find_meetings,
};

/// A session ordinal right after a body: 第二十一次会议, 第21次会议.
static SESSION: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:成员国)?第([零〇一二两三四五六七八九十百\d]+)次(?:会议|会晤|峰会)?"));
/// The meeting noun right after a body without a session: 元首理事会会议.
static MEETING_NOUN: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:例行)?(?:会议|峰会|会晤)"));
/// A summit named by its place: 青岛峰会, 杜尚别峰会.
static SUMMIT: LazyLock<Regex> = LazyLock::new(|| re(r"^峰会"));
/// A place where the meeting is held: 在杜尚别举行, 在北京人民大会堂举行.
static HELD_AT: LazyLock<Regex> = LazyLock::new(|| re(r"^[\p{Han}]{0,10}?(?:举行|召开|开幕|闭幕)"));
/// Hosting a meeting: 主办上海合作组织峰会, 举办本次会议 (not 举办…论坛).
static HOSTS_MEETING: Gated = Gated::new(&["主办", "举办"], || {
    re(r"(?:主办|举办)[^，。；]{0,14}?(?:峰会|会议|会晤)")
});
/// Verbs of a meeting taking place or of taking part in it.
static TAKES_PLACE: LazyLock<Regex> =
    LazyLock::new(|| re(r"举行|召开|开幕|闭幕|出席|参加|主持|与会|举办"));
/// Taking part at a venue: 在撒马尔罕国际会议中心出席….
static ATTENDS_AT: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[\p{Han}]{0,10}?(?:出席|参加)[^，。]{0,40}?(?:会议|峰会|会晤)"));
/// Markers that begin a new story on a page.
static STORY_BREAK: Gated = Gated::new(&["本报", "新华社", "记者", "通讯员"], || {
    re(r"本报讯|据新华社|新华社[^，。]{0,12}电|（记者|（通讯员|通讯员|^本报")
});
/// References to the current meeting.
static BACK_REFERENCE: Gated = Gated::new(&["会议", "峰会", "会晤"], || {
    re(r"(?:本次|此次|这次|今年)?(?:会议|峰会|会晤)")
});
/// Markers of meetings that are not of an international body (local party and government meetings).
const LOCAL_MEETING: Cues = Cues::new(&[
    "市委",
    "省委",
    "县委",
    "区委",
    "常委会",
    "联席会议",
    "电视电话会议",
    "座谈会",
    "推进会",
    "党代会",
    "政协",
    "工作会议",
    "专题会议",
    "全体会议",
]);
/// The presidency passes on: 由乌兹别克斯坦接任上海合作组织轮值主席国.
static NEXT_CHAIR_BY_COUNTRY: Gated = Gated::new(&["接任"], || {
    re(r"由(\S{2,12}?)接任[^，。；]{0,16}?(?:轮值)?主席国?")
});
/// Taking part by video.
const VIDEO: Cues = Cues::new(&["视频"]);
/// Chairing a meeting.
const CHAIRED: Cues = Cues::new(&["主持"]);
/// Taking over the presidency.
const TAKES_OVER: Cues = Cues::new(&["接任"]);
/// A salutation opening a speech: 尊敬的莫迪总理.
static SALUTATION: LazyLock<Regex> = LazyLock::new(|| re(r"^尊敬的"));

/// Whether a sentence begins a new story on the page (本报讯, a dateline …);
/// `sketch` is the sentence's.
pub fn starts_story(sentence: &str, sketch: &CharSketch) -> bool {
    STORY_BREAK.is_match(sentence, sketch)
}

fn body_of(kind: EntityKind, lex: &Lexicon) -> Option<String> {
    match kind {
        EntityKind::Organization(i) => {
            let o = &lex.organizations[i];
            (o.parent.is_some() && o.meets).then(|| o.slug.clone())
        }
        _ => None,
    }
}

/// The summit body of an organisation: the body whose meetings are its summits.
fn summit_body(org: &str, lex: &Lexicon) -> Option<String> {
    lex.organizations
        .iter()
        .find(|o| o.parent.as_deref() == Some(org) && o.summit)
        .map(|o| o.slug.clone())
}

fn place_slug(kind: EntityKind, lex: &Lexicon) -> Option<String> {
    match kind {
        EntityKind::Place(i) => Some(lex.places[i].slug.clone()),
        _ => None,
    }
}

fn country_iso(kind: EntityKind, lex: &Lexicon) -> Option<String> {
    match kind {
        EntityKind::Country(i) => Some(lex.countries[i].iso3.clone()),
        _ => None,
    }
}

/// A country named by its full name or a one-character abbreviation + 方 (哈方).
fn country_in(text: &str, lex: &Lexicon) -> Option<String> {
    if let Some(m) = lex
        .mentions(text)
        .into_iter()
        .find_map(|m| country_iso(m.kind, lex))
    {
        return Some(m);
    }
    let mut chars = text.chars();
    let first = chars.next()?;
    (chars.next() == Some('方'))
        .then(|| lex.country_by_abbr(&first.to_string()))
        .flatten()
        .map(|i| lex.countries[i].iso3.clone())
}

/// The place a sentence says a meeting is held at: 在杜尚别举行, 在俄罗斯乌法举行,
/// or 在撒马尔罕…出席…会议 when nobody takes part by video.
fn held_at(s: &str, sketch: &CharSketch, mentions: &[Mention], lex: &Lexicon) -> Option<String> {
    mentions.iter().enumerate().find_map(|(k, p)| {
        let slug = place_slug(p.kind, lex)?;
        let mut before = &s[..p.start];
        // 在俄罗斯乌法: a country may stand between 在 and the city.
        if let Some(prev) = k.checked_sub(1).map(|j| mentions[j]) {
            if prev.end == p.start && matches!(prev.kind, EntityKind::Country(_)) {
                before = &s[..prev.start];
            }
        }
        if !before.ends_with('在') {
            return None;
        }
        let after = &s[p.end..];
        let attends_here = ATTENDS_AT.is_match(after) && !sketch.contains_any(s, &VIDEO);
        (HELD_AT.is_match(after) || attends_here).then_some(slug)
    })
}

/// The meeting's date from a date in its sentence, or a dated line right after it.
fn date_near(doc: &Document, si: usize) -> Option<DateValue> {
    let resolve = |text: &str| -> Option<DateValue> {
        let m = find_dates(text).into_iter().next()?;
        if m.relative_year.is_some() && m.date.month.is_none() {
            return None;
        }
        match (m.date.year, doc.date) {
            (Some(_), _) | (None, Some(_)) => {
                let anchor = doc
                    .date
                    .or_else(|| chrono::NaiveDate::from_ymd_opt(m.date.year?, 1, 1))?;
                dates::resolve(&m, anchor).map(DateValue::from)
            }
            _ => None,
        }
    };
    // A date in the sentence dates the meeting only when the sentence tells
    // the meeting taking place or someone taking part; otherwise it may date
    // another event (王毅6月10日接受采访，介绍青岛峰会成果).
    if TAKES_PLACE.is_match(doc.sentence(si)) {
        if let Some(d) = resolve(doc.sentence(si)) {
            return Some(d);
        }
    }
    let next = doc.sentences.get(si + 1).map(|_| doc.sentence(si + 1))?;
    let inner = next.trim_start_matches('（').trim_end_matches('）');
    (next.starts_with('（') && inner.chars().count() <= 14)
        .then(|| resolve(inner))
        .flatten()
}

fn key_of(m: &Meeting) -> String {
    let body = m.body.as_deref().unwrap_or("meeting");
    match (m.session, &m.place, &m.date) {
        (Some(s), _, _) => format!("{body}-{s}"),
        (None, Some(p), Some(d)) => format!("{body}-{p}-{}", d.year()),
        (None, None, Some(d)) => format!("{body}-{d}"),
        (None, Some(p), None) => format!("{body}-{p}"),
        (None, None, None) => body.to_string(),
    }
}

/// Merge a new mention into the document's meetings; returns its index.
fn merge(meetings: &mut Vec<Meeting>, new: Meeting) -> usize {
    let fits = |m: &Meeting| {
        m.body == new.body
            && match (m.session, new.session) {
                (Some(a), Some(b)) => a == b,
                _ => {
                    compatible(&m.date, &new.date, |a, b| {
                        a.year() == b.year()
                            && (a == b
                                || matches!(a, DateValue::Year(_))
                                || matches!(b, DateValue::Year(_)))
                    }) && compatible(&m.place, &new.place, |a, b| a == b)
                }
            }
    };
    if let Some(i) = meetings.iter().position(fits) {
        let m = &mut meetings[i];
        m.session = m.session.or(new.session);
        if matches!(m.date, None | Some(DateValue::Year(_))) && new.date.is_some() {
            m.date = new.date;
        }
        m.place = m.place.take().or(new.place);
        m.label = m.label.take().or(new.label);
        i
    } else {
        meetings.push(new);
        meetings.len() - 1
    }
}

fn compatible<T>(a: &Option<T>, b: &Option<T>, eq: impl Fn(&T, &T) -> bool) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => eq(a, b),
        _ => true,
    }
}

/// Find meetings and attach each sentence to the meeting it speaks of.
pub fn find_meetings(doc: &mut Document) {
    let text = doc.text.shared();
    let Ok(lex) = Lexicon::get() else { return };
    let mut meetings: Vec<Meeting> = Vec::new();
    let mut evidence: Vec<(usize, usize, &'static str)> = Vec::new(); // (meeting, sentence, rule)
    let mut current: Option<usize> = None;
    // Who chaired which meeting, read where: the chair attended.
    let mut chaired: Vec<(usize, crate::model::PersonRef, usize, &'static str)> = Vec::new();
    let mut sentence_meeting = vec![None; doc.sentences.len()];
    // One buffer for every sentence's mentions: a vector per sentence and
    // pass was a good part of the allocations of extraction.
    let mut mentions: Vec<Mention> = Vec::new();
    #[allow(clippy::needless_range_loop)]
    // si indexes sentences, their mentions and the context alike
    for si in 0..doc.sentences.len() {
        let s = &text[doc.sentences[si].clone()];
        let sketch = doc.sketch(si);
        if starts_story(s, sketch) {
            current = None;
        }
        mentions.clear();
        mentions.extend(doc.sentence_mentions(si));
        let mut named_here = None;
        for (k, m) in mentions.iter().enumerate() {
            let after = &s[m.end..];
            let mut found: Option<(Meeting, &'static str)> = None;
            if let Some(body) = body_of(m.kind, lex) {
                if let Some(c) = SESSION.captures(after) {
                    let whole = c.get(0).map_or(0, |g| g.end());
                    found = Some((
                        Meeting {
                            body: Some(body),
                            session: parse_ordinal(&c[1]),
                            label: Some(s[m.start..m.end + whole].to_string()),
                            ..Meeting::default()
                        },
                        "meetings.body-session",
                    ));
                } else if s[m.start..m.end].ends_with("会议") || s[m.start..m.end].ends_with("峰会")
                {
                    found = Some((
                        Meeting {
                            body: Some(body),
                            label: Some(s[m.start..m.end].to_string()),
                            ..Meeting::default()
                        },
                        "meetings.body",
                    ));
                } else if let Some(n) = MEETING_NOUN.find(after) {
                    found = Some((
                        Meeting {
                            body: Some(body),
                            label: Some(s[m.start..m.end + n.end()].to_string()),
                            ..Meeting::default()
                        },
                        "meetings.body",
                    ));
                }
            } else if let Some(place) = place_slug(m.kind, lex) {
                // 上海合作组织青岛峰会 / 青岛峰会 (in an SCO story).
                if let Some(n) = SUMMIT.find(after) {
                    let org = mentions[..k]
                        .iter()
                        .rev()
                        .find_map(|p| match p.kind {
                            EntityKind::Organization(i)
                                if lex.organizations[i].parent.is_none() =>
                            {
                                Some(lex.organizations[i].slug.clone())
                            }
                            _ => None,
                        })
                        .or_else(|| {
                            current
                                .and_then(|c| meetings[c].body.as_ref())
                                .and_then(|b| lex.organization(b))
                                .and_then(|o| o.parent.clone())
                        });
                    if let Some(body) = org.and_then(|o| summit_body(&o, lex)) {
                        let start = mentions[..k]
                            .last()
                            .filter(|p| {
                                p.end == m.start && matches!(p.kind, EntityKind::Organization(_))
                            })
                            .map_or(m.start, |p| p.start);
                        found = Some((
                            Meeting {
                                body: Some(body),
                                place: Some(place),
                                label: Some(s[start..m.end + n.end()].to_string()),
                                ..Meeting::default()
                            },
                            "meetings.place-summit",
                        ));
                    }
                }
            }
            let Some((mut meeting, rule)) = found else {
                continue;
            };
            if meeting.date.is_none() {
                meeting.date = date_near(doc, si);
            }
            // 在杜尚别举行的…会议: the place before 举行 in the same sentence.
            if meeting.place.is_none() {
                meeting.place = held_at(s, sketch, &mentions, lex);
            }
            if meeting.session.is_none() && meeting.date.is_none() {
                if let Some(y) = doc.year {
                    // A summit named in a dated report without its own date: the report's year.
                    if meeting.place.is_some() {
                        meeting.date = Some(DateValue::Year(y));
                    }
                }
            }
            if meeting.session.is_none() && meeting.place.is_none() && meeting.date.is_none() {
                // A body's meeting with nothing to tell it from others: only the current one.
                if let Some(c) = current.filter(|&c| meetings[c].body == meeting.body) {
                    named_here = Some(c);
                }
                continue;
            }
            let idx = merge(&mut meetings, meeting);
            evidence.push((idx, si, rule));
            named_here = Some(idx);
        }
        if let Some(i) = named_here {
            current = Some(i);
        } else if current.is_some() && sketch.contains_any(s, &LOCAL_MEETING) {
            current = None;
        }
        sentence_meeting[si] = current;
        let Some(c) = current else { continue };
        // Details stated of the current meeting.
        if (named_here.is_some() || BACK_REFERENCE.is_match(s, sketch))
            && meetings[c].place.is_none()
        {
            if let Some(p) = held_at(s, sketch, &mentions, lex) {
                meetings[c].place = Some(p);
                evidence.push((c, si, "meetings.held-at"));
            }
        }
        // Host: 中方…主办, 印度作为轮值主席国举办.
        // The thing hosted must be the meeting itself, not a forum announced in it.
        if let Some(pos) = HOSTS_MEETING.find(s, sketch).map(|m| m.start()) {
            let head = &s[..pos];
            let who = head
                .rfind(['，', '：'])
                .map_or(head, |i| &head[i + '，'.len_utf8()..]);
            if let Some(iso) = country_in(who, lex) {
                if who.contains("轮值主席国") {
                    meetings[c].chair_country.get_or_insert(iso.clone());
                    evidence.push((c, si, "meetings.chair-as-presidency"));
                }
                if meetings[c].host_country.is_none() {
                    meetings[c].host_country = Some(iso);
                    evidence.push((c, si, "meetings.host"));
                }
            }
        }
        // Chair: 轮值主席国塔吉克斯坦总统拉赫蒙主持会议.
        if sketch.contains_any(s, &CHAIRED) {
            let chair_pos = s.find("主持").unwrap_or(0);
            let base = doc.sentences[si].start;
            if let Some(p) = doc
                .people_in(si)
                .iter()
                .rfind(|p| p.span.end - base <= chair_pos)
                .filter(|p| chair_pos - (p.span.end - base) <= 3)
            {
                meetings[c].chair = Some(p.person.clone());
                chaired.push((c, p.person.clone(), si, "attendance.chaired"));
                // The head of the presiding state chairs: 轮值主席国塔吉克斯坦总统拉赫蒙主持会议,
                // 会议由吉尔吉斯斯坦总统阿坦巴耶夫主持.
                if let Some(Polity::Country(iso)) = &p.post_in {
                    meetings[c].chair_country.get_or_insert_with(|| iso.clone());
                }
                evidence.push((c, si, "meetings.chaired-by"));
            }
        }
        // Salutation opening a speech addresses the presiding host: 尊敬的莫迪总理.
        if SALUTATION.is_match(s) && meetings[c].chair.is_none() {
            let base = doc.sentences[si].start;
            if let Some(p) = doc
                .people_in(si)
                .iter()
                .find(|p| p.span.start - base == "尊敬的".len())
            {
                meetings[c].chair = Some(p.person.clone());
                chaired.push((c, p.person.clone(), si, "attendance.chair-addressed"));
                evidence.push((c, si, "meetings.salutation-host"));
            }
        }
        // Next presidency.
        if let Some(cap) = NEXT_CHAIR_BY_COUNTRY.captures(s, sketch) {
            if let Some(iso) = country_in(&cap[1], lex) {
                meetings[c].next_chair_country = Some(iso);
                evidence.push((c, si, "meetings.next-chair"));
            }
        } else if let Some(pos) = sketch
            .contains_any(s, &TAKES_OVER)
            .then(|| s.find("接任"))
            .flatten()
        {
            let base = doc.sentences[si].start;
            let tail = &s[pos..];
            if tail.contains("主席") {
                let successor = doc.people_in(si).iter().rfind(|p| p.span.end - base <= pos);
                let iso = successor.and_then(|p| match &p.post_in {
                    Some(Polity::Country(c)) => Some(c.clone()),
                    _ => lex
                        .known_person(&p.person.name)
                        .and_then(|k| k.affiliation.clone())
                        .filter(|a| lex.country_by_iso3(a).is_some()),
                });
                if let Some(iso) = iso {
                    meetings[c].next_chair_country = Some(iso);
                    evidence.push((c, si, "meetings.successor"));
                }
            }
        }
    }
    // Host country from the place, when the text names no host.
    for m in meetings.iter_mut() {
        if m.host_country.is_none() {
            if let Some(p) = m
                .place
                .as_ref()
                .and_then(|slug| lex.places.iter().find(|p| &p.slug == slug))
            {
                m.host_country = p.iso3.clone();
            }
        }
        m.key = key_of(m);
    }
    // Keys settle after merging; a meeting with a session is written once per sentence.
    evidence.sort_unstable();
    evidence.dedup_by_key(|e| (e.0, e.1));
    doc.meetings = meetings;
    doc.sentence_meeting = sentence_meeting;
    for (mi, si, rule) in evidence {
        let m = doc.meetings[mi].clone();
        doc.add_fact(Statement::Meeting(m), si, rule);
    }
    for (mi, person, si, rule) in chaired {
        let meeting = doc.meetings[mi].key.clone();
        doc.add_fact(
            Statement::Attendance {
                person,
                meeting,
                mode: None,
                capacity: None,
            },
            si,
            rule,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{doc_date::date_document, mentions::find_mentions, people::find_people};

    fn meetings(text: &str) -> Document {
        let mut doc = Document::new("t.txt", text, text.as_bytes());
        find_mentions(&mut doc);
        date_document(&mut doc);
        find_people(&mut doc);
        find_meetings(&mut doc);
        doc
    }

    #[test]
    fn body_session_date_place_and_chairs() {
        let doc = meetings(
            "新华社杜尚别9月17日电 上海合作组织成员国元首理事会第二十一次会议17日在杜尚别举行。上海合作组织成立20年来成就巨大。上海合作组织轮值主席国塔吉克斯坦总统拉赫蒙主持会议。会议决定，由乌兹别克斯坦接任上海合作组织轮值主席国。",
        );
        assert_eq!(doc.meetings.len(), 1, "{:?}", doc.meetings);
        let m = &doc.meetings[0];
        assert_eq!(m.key, "sco-hos-21");
        assert_eq!(m.date.map(|d| d.to_string()).as_deref(), Some("2021-09-17"));
        assert_eq!(m.place.as_deref(), Some("dushanbe"));
        assert_eq!(m.chair.as_ref().map(|p| p.name.as_str()), Some("拉赫蒙"));
        assert_eq!(m.chair_country.as_deref(), Some("TJK"));
        assert_eq!(m.next_chair_country.as_deref(), Some("UZB"));
    }

    #[test]
    fn other_bodies_and_ordinals() {
        let doc = meetings("上海合作组织成员国政府首脑（总理）理事会第十九次会议在比什凯克举行。");
        assert_eq!(doc.meetings[0].key, "sco-hog-19");
        let doc = meetings("上合组织成员国外长理事会会议2022年7月29日在塔什干举行。");
        assert_eq!(doc.meetings[0].body.as_deref(), Some("sco-cfm"));
        assert_eq!(doc.meetings[0].place.as_deref(), Some("tashkent"));
    }

    #[test]
    fn summit_by_place_with_host() {
        let doc = meetings(
            "王毅介绍上海合作组织青岛峰会成果。问：中方时隔六年再次主办上海合作组织峰会。",
        );
        let m = &doc.meetings[0];
        assert_eq!(m.place.as_deref(), Some("qingdao"));
        assert_eq!(m.host_country.as_deref(), Some("CHN"));
    }

    #[test]
    fn local_news_ends_the_meeting_context() {
        let doc = meetings("上海合作组织成员国元首理事会第二十一次会议举行。丁薛祥等参加会议。\n本报讯（记者 徐顺凯）西宁市群团工作联席会议召开。市委副书记谢宝恩出席会议并讲话。");
        assert!(doc.sentence_meeting[1].is_some());
        assert!(doc.sentence_meeting[2..].iter().all(Option::is_none));
    }

    #[test]
    fn successor_named_by_person() {
        let doc = meetings("在上海合作组织成员国元首理事会第二十三次会议上的讲话。尊敬的莫迪总理：感谢印度作为轮值主席国举办上海合作组织峰会。中方祝贺托卡耶夫总统接任元首理事会主席。");
        let m = &doc.meetings[0];
        assert_eq!(m.chair_country.as_deref(), Some("IND"));
        assert_eq!(m.next_chair_country.as_deref(), Some("KAZ"));
        assert_eq!(m.chair.as_ref().map(|p| p.name.as_str()), Some("莫迪"));
    }

    fn dated(path: &str, text: &str) -> Document {
        let mut doc = Document::new(path, text, text.as_bytes());
        find_mentions(&mut doc);
        date_document(&mut doc);
        find_people(&mut doc);
        find_meetings(&mut doc);
        doc
    }

    #[test]
    fn venue_and_country_before_the_city() {
        let doc = dated("20150710_xinhua.txt", "新华社乌法7月10日电 上海合作组织成员国元首理事会第十五次会议10日在俄罗斯乌法举行。会议由俄罗斯总统普京主持。");
        let m = &doc.meetings[0];
        assert_eq!(m.key, "sco-hos-15");
        assert_eq!(m.place.as_deref(), Some("ufa"));
        assert_eq!(m.date.map(|d| d.to_string()).as_deref(), Some("2015-07-10"));
        assert_eq!(m.chair_country.as_deref(), Some("RUS"));
        let doc = dated(
            "20120607.txt",
            "上海合作组织成员国元首理事会第十二次会议6月7日在北京人民大会堂举行。",
        );
        assert_eq!(doc.meetings[0].place.as_deref(), Some("beijing"));
    }

    #[test]
    fn attending_at_a_venue_names_the_place_unless_by_video() {
        let doc = dated("20220916.txt", "国家主席习近平16日在撒马尔罕国际会议中心出席上海合作组织成员国元首理事会第二十二次会议并发表重要讲话。");
        assert_eq!(doc.meetings[0].place.as_deref(), Some("samarkand"));
        let doc = dated(
            "20200910.txt",
            "国家主席习近平10日晚在北京以视频方式出席上海合作组织成员国元首理事会第二十次会议。",
        );
        assert_eq!(doc.meetings[0].place, None);
    }

    #[test]
    fn ascii_punctuation_and_ideographic_indents() {
        let doc = dated(
            "20240704.txt",
            "\u{3000}\u{3000}上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行.\n\u{3000}\u{3000}会议决定,由中国接任上海合作组织轮值主席国。",
        );
        let m = &doc.meetings[0];
        assert_eq!(m.key, "sco-hos-24");
        assert_eq!(m.next_chair_country.as_deref(), Some("CHN"));
    }

    #[test]
    fn sco_plus_meeting() {
        let doc = dated("20240704.txt", "“上海合作组织+”会议4日在阿斯塔纳举行。");
        assert_eq!(doc.meetings[0].body.as_deref(), Some("sco-plus"));
    }
}
