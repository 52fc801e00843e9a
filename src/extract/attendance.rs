//! Attendance: who took part in a meeting, how and in what capacity.
//!
//! News lists attendees as groups joined by 、 and closed by 等 + a capacity
//! (等成员国领导人, 等常设机构负责人, 等观察员国领导人) and a verb: 与会, 出席,
//! 参加, 主持. Each person takes the first verb after their group; the verb
//! phrase gives the mode (以视频方式出席 → video, 现场与会 → in person; none
//! where the text is silent). Somebody represented by another (作为习近平主席
//! 特别代表) did not attend. Bare lists of names (丁薛祥、杨洁篪、何立峰等
//! 参加会议) are read from their structure.

use crate::document::{Document, Layer};
use crate::extract::people::person_ref;
use crate::lexicon::Lexicon;
use crate::model::{Mode, PersonRef, Statement};
use crate::text::is_cjk;
use crate::text::sketch::CharSketch;
use regex::Regex;
use std::sync::LazyLock;

use super::{regex as re, Gated, Pass};

/// The pass.
pub const PASS: Pass = Pass {
    name: "attendance",
    needs: &[Layer::People, Layer::Meetings],
    adds: &[Layer::Attendance],
    run: find_attendance,
};

/// Attendance verbs with their mode. Longer phrases first.
static VERB: Gated = Gated::new(&["视频", "与会", "出席", "参加", "主持"], || {
    re(
        r"(?:以|通过)视频(?:方式|形式|连线)?(?:出席|参加|与会)|视频(?:出席|参加)|现场(?:与会|出席|参加)|线下(?:与会|出席)|与会|出席|参加|主持",
    )
});
/// A capacity printed after 等: 成员国领导人, 常设机构负责人, 观察员国领导人.
static CAPACITY_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^等?([\p{Han}]{0,8}?(?:领导人|负责人|客人|代表|嘉宾|元首|首脑))"));
/// A capacity printed before the person: 和主席国客人土库曼斯坦总统….
static CAPACITY_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[和、，及])([\p{Han}]{1,6}?(?:客人|嘉宾|代表))$"));
/// Represented, not present: 作为习近平主席特别代表.
static REPRESENTING: Gated = Gated::new(&["作为"], || {
    re(r"作为([^，。]{1,16}?)(特别代表|特使|代表)")
});
/// A list of bare names closed by 等 and an attendance verb: 丁薛祥、杨洁篪、何立峰等参加会议.
/// Gated on 等 with what must follow it: 等 alone stands in most sentences.
static NAME_LIST: Gated = Gated::new(
    &["等人", "等领导同志", "等参加", "等出席", "等陪同", "等与会"],
    || re(r"((?:[\p{Han}·]{2,4}、)+[\p{Han}·]{2,4})等(?:人|领导同志)?(?:参加|出席|陪同|与会)"),
);
/// A speaker at the meeting: 习近平主席在峰会上强调, 在…会议上发表讲话.
static SPOKE_AT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:主席|总统|总理)?在(?:本次|此次|这次)?(?:[\p{Han}]{0,8})?(?:会议|峰会|会晤)(?:上|期间)")
});

fn mode_of(verb: &str) -> Option<Mode> {
    if verb.contains("视频") {
        Some(Mode::Video)
    } else if verb.starts_with("现场") || verb.starts_with("线下") {
        Some(Mode::InPerson)
    } else {
        None
    }
}

/// Find who attended the meetings the document speaks of.
pub fn find_attendance(doc: &mut Document) {
    let Ok(lex) = Lexicon::get() else { return };
    let mut facts = Vec::new();
    for si in 0..doc.sentences.len() {
        let Some(meeting) = doc.meeting_of(si).map(|m| m.key.clone()) else {
            continue;
        };
        let s = doc.sentence(si);
        let sketch = doc.sketch(si);
        let base = doc.sentences[si].start;
        let verbs: Vec<(usize, &str)> = VERB
            .find_iter(s, sketch)
            .map(|m| (m.start(), m.as_str()))
            .collect();
        let represented: Vec<(usize, usize)> = REPRESENTING
            .captures_iter(s, sketch)
            .filter_map(|c| c.get(1).map(|g| (g.start(), g.end())))
            .collect();
        let people = doc.people_in(si);
        for p in people {
            let (ps, pe) = (p.span.start - base, p.span.end - base);
            if represented.iter().any(|&(a, b)| ps >= a && pe <= b) {
                continue;
            }
            let after = &s[pe..];
            // Speaker at the meeting.
            if SPOKE_AT.is_match(after) {
                facts.push((
                    att(&p.person, &meeting, None, None),
                    si,
                    "attendance.spoke-at",
                ));
                continue;
            }
            let Some(&(vpos, verb)) = verbs.iter().find(|(v, _)| *v >= pe) else {
                continue;
            };
            // The verb must close this person's clause: nothing but the group
            // (other names, 、, 等 + capacity, 以及/和) lies between.
            let between = &s[pe..vpos];
            if between.contains('。') || between.contains('；') {
                continue;
            }
            let mut capacity = CAPACITY_AFTER
                .captures(between.trim_start_matches('、'))
                .and_then(|c| c.get(1))
                .map(|g| g.as_str().to_string());
            if capacity.is_none() {
                capacity = group_capacity(s, pe, vpos);
            }
            if capacity.is_none() {
                capacity = CAPACITY_BEFORE
                    .captures(s[..ps].trim_end_matches(['和', '、']))
                    .and_then(|c| c.get(1))
                    .map(|g| g.as_str().to_string());
            }
            if verb == "主持" && !between.is_empty() && between.chars().count() > 2 {
                continue;
            }
            let capacity = capacity.or_else(|| represented_capacity(s, sketch, pe));
            facts.push((
                att(&p.person, &meeting, mode_of(verb), capacity),
                si,
                "attendance.list-verb",
            ));
        }
        // Bare name lists.
        for c in NAME_LIST.captures_iter(s, sketch) {
            let Some(list) = c.get(1) else { continue };
            for name in list.as_str().split('、') {
                if name.chars().all(is_cjk) && lex.lookup_form(name).is_none() {
                    let person = person_ref(name, lex);
                    if !people.iter().any(|p| p.person == person) {
                        facts.push((
                            att(&person, &meeting, None, None),
                            si,
                            "attendance.name-list",
                        ));
                    }
                }
            }
        }
    }
    for (statement, si, rule) in facts {
        doc.add_fact(statement, si, rule);
    }
}

/// A capacity closing a group that this person is inside: the first 等 + capacity before the verb.
fn group_capacity(s: &str, from: usize, verb: usize) -> Option<String> {
    let between = &s[from..verb];
    let i = between.find('等')?;
    let tail = &between[i..];
    // A group break (，) before the 等 means the 等 closes another group.
    if between[..i].contains('，') {
        return None;
    }
    CAPACITY_AFTER
        .captures(tail)
        .and_then(|c| c.get(1))
        .map(|g| g.as_str().to_string())
}

/// 王毅作为习近平主席特别代表…与会: capacity 特别代表.
fn represented_capacity(s: &str, sketch: &CharSketch, from: usize) -> Option<String> {
    REPRESENTING
        .captures(&s[from..], sketch)
        .filter(|c| c.get(0).is_some_and(|g| g.start() <= 3))
        .and_then(|c| c.get(2))
        .map(|g| g.as_str().to_string())
}

fn att(
    person: &PersonRef,
    meeting: &str,
    mode: Option<Mode>,
    capacity: Option<String>,
) -> Statement {
    Statement::Attendance {
        person: person.clone(),
        meeting: meeting.to_string(),
        mode,
        capacity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{
        doc_date::date_document, meetings::find_meetings, mentions::find_mentions,
        people::find_people,
    };

    fn attendance(text: &str) -> Vec<(String, Option<&'static str>, Option<String>)> {
        let mut doc = Document::new("t.txt", text, text.as_bytes());
        find_mentions(&mut doc);
        date_document(&mut doc);
        find_people(&mut doc);
        find_meetings(&mut doc);
        find_attendance(&mut doc);
        let mut out: Vec<_> = doc
            .facts
            .iter()
            .filter_map(|f| match &f.statement {
                Statement::Attendance {
                    person,
                    mode,
                    capacity,
                    ..
                } => Some((
                    person.name.clone(),
                    mode.map(|m| m.as_str()),
                    capacity.clone(),
                )),
                _ => None,
            })
            .collect();
        out.dedup();
        out
    }

    const OPENING: &str = "上海合作组织成员国元首理事会第二十二次会议在撒马尔罕举行。";

    #[test]
    fn groups_with_capacity_and_mode() {
        let a = attendance(&format!(
            "{OPENING}哈萨克斯坦总统托卡耶夫、吉尔吉斯斯坦总统扎帕罗夫等成员国领导人，白俄罗斯总统卢卡申科等观察员国领导人与会。印度总理莫迪以视频方式出席会议。"
        ));
        assert!(
            a.contains(&("托卡耶夫".into(), None, Some("成员国领导人".into()))),
            "{a:?}"
        );
        assert!(
            a.contains(&("卢卡申科".into(), None, Some("观察员国领导人".into()))),
            "{a:?}"
        );
        assert!(a.contains(&("莫迪".into(), Some("video"), None)), "{a:?}");
    }

    #[test]
    fn special_representative_is_in_person_and_the_principal_is_not() {
        let a = attendance(&format!("{OPENING}国家主席习近平以视频方式出席。王毅作为习近平主席特别代表在塔吉克斯坦现场与会。"));
        assert!(
            a.contains(&("王毅".into(), Some("in-person"), Some("特别代表".into()))),
            "{a:?}"
        );
        assert!(
            !a.iter()
                .any(|x| x.0 == "习近平" && x.1 == Some("in-person")),
            "{a:?}"
        );
    }

    #[test]
    fn bare_name_lists() {
        let a = attendance(&format!("{OPENING}蔡奇、王毅、王小洪等参加会议。"));
        let names: Vec<&str> = a.iter().map(|x| x.0.as_str()).collect();
        assert!(
            names.contains(&"蔡奇") && names.contains(&"王小洪"),
            "{a:?}"
        );
    }

    #[test]
    fn no_meeting_no_attendance() {
        let a = attendance("市委副书记谢宝恩出席会议并讲话。");
        assert!(a.is_empty());
    }

    #[test]
    fn a_chairs_guest_is_named_before_the_person() {
        let a = attendance(&format!(
            "{OPENING}伊朗总统莱希等观察员国领导人和主席国客人土库曼斯坦总统别尔德穆哈梅多夫与会。"
        ));
        assert!(
            a.iter().any(|x| x.2.as_deref() == Some("主席国客人")),
            "{a:?}"
        );
        assert!(
            a.iter()
                .any(|x| x.0 == "莱希" && x.2.as_deref() == Some("观察员国领导人")),
            "{a:?}"
        );
    }
}
