//! Documents named in the news: declarations, statements, treaties,
//! speeches.
//!
//! - Titles in 《…》 are classified by their last word (宣言, 声明, 条约, 公约,
//!   纲要, 宪章, 协定, 备忘录 …).
//! - A speech: 发表题为《…》的重要讲话 (speaker: the person before it), or a
//!   heading line followed by 在…会议上的讲话 and a byline (中华人民共和国主席
//!   习近平). The speaker of a speech at a meeting attended it.
//! - A declaration named by its place without brackets: 青岛宣言.
//! - The meeting: the one the sentence speaks of, unless the sentence dates
//!   the document to another day (《上海合作组织成立宣言》 of 2001).

use crate::document::{Document, Layer};
use crate::lexicon::{EntityKind, Lexicon};
use crate::model::{DateValue, PersonRef, Statement};
use crate::text::sketch::Cues;
use regex::Regex;
use std::sync::LazyLock;

use super::{regex as re, Gated, Pass};

/// The pass.
pub const PASS: Pass = Pass {
    name: "documents",
    needs: &[Layer::Mentions, Layer::People, Layer::Meetings],
    adds: &[Layer::Documents],
    run: find_documents,
};

static TITLE: LazyLock<Regex> = LazyLock::new(|| re(r"《([^《》]{2,80})》"));
static SPEECH_TITLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"题为《([^《》]{2,80})》的(?:重要)?(?:讲话|演讲|致辞|发言)"));
static SPEECH_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:——|—)?在([^，。]{4,60}?)(?:会议|峰会|会晤)上的(?:讲话|致辞|发言|演讲)$")
});
/// The word every declaration without brackets is named by.
const DECLARATION: Cues = Cues::new(&["宣言"]);
static PLACE_DECLARATION: Gated = Gated::new(&["宣言"], || re(r"([\p{Han}]{2,6})宣言"));
/// A verb right before a title that ties the document to the meeting where
/// it was adopted: 签署《…》, 签署并发表《…》, 通过了《…》.
static ADOPTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:签署|通过|发表|批准|见证|共同签署|签订|缔结)(?:了|并发表|并批准|并通过|并签署)?(?:关于)?$",
    )
});
/// What follows a title when the document is a part of it: 《…条约》未来5年实施纲要.
static TITLE_TAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[\p{Han}\d]{0,12}?(?:纲要|计划|规划|议定书|决议|声明)"));

/// Kinds by the title's last word, longest first.
const KINDS: &[(&str, &str)] = &[
    ("宣言", "declaration"),
    ("声明", "statement"),
    ("条约", "treaty"),
    ("公约", "convention"),
    ("纲要", "programme"),
    ("宪章", "charter"),
    ("协定", "agreement"),
    ("备忘录", "memorandum"),
    ("议定书", "protocol"),
    ("决议", "resolution"),
    ("决定", "decision"),
    ("计划", "plan"),
    ("战略", "strategy"),
    ("构想", "concept"),
    ("准则", "code"),
    ("寄语", "message"),
    ("公报", "communique"),
];

/// A title with the organisation's short name spelt out (《上合组织宪章》 is
/// 《上海合作组织宪章》), so one document has one node.
fn canonical_title(title: &str, lex: &Lexicon) -> String {
    let mut out = String::with_capacity(title.len());
    let mut at = 0;
    for m in lex.mentions(title) {
        if let EntityKind::Organization(i) = m.kind {
            let o = &lex.organizations[i];
            if o.parent.is_none() {
                out.push_str(&title[at..m.start]);
                out.push_str(&o.zh);
                at = m.end;
            }
        }
    }
    out.push_str(&title[at..]);
    out
}

fn kind_of(title: &str) -> Option<&'static str> {
    KINDS
        .iter()
        .find(|(w, _)| title.ends_with(w))
        .map(|(_, k)| *k)
}

/// Whether a sentence is a speech heading (在…会议上的讲话): the pattern
/// runs only where its fixed start stands.
fn speech_heading(s: &str) -> bool {
    s.trim_start_matches('—').starts_with('在') && SPEECH_HEADING.is_match(s)
}

/// A full date the sentence itself states, outside titles (《…至2025年发展战略》 names a year, not a date).
fn sentence_full_date(doc: &Document, text: &str) -> Option<DateValue> {
    doc.full_date_in(&TITLE.replace_all(text, "《》"))
}

/// Find the documents a text names.
pub fn find_documents(doc: &mut Document) {
    let text = doc.text.shared();
    let Ok(lex) = Lexicon::get() else { return };
    let mut facts: Vec<(Statement, usize, &'static str)> = Vec::new();
    for si in 0..doc.sentences.len() {
        let s = &text[doc.sentences[si].clone()];
        let sketch = doc.sketch(si);
        // Every rule below needs a bracketed title, a 宣言 or a speech heading.
        if !s.contains('《') && !sketch.contains_any(s, &DECLARATION) && !speech_heading(s) {
            continue;
        }
        let base = doc.sentences[si].start;
        let meeting = doc.meeting_of(si).cloned();
        let own_date = sentence_full_date(doc, s);
        // A sentence that dates its document to another day speaks of another event.
        let meeting = meeting.filter(|m| match (own_date, m.date) {
            (Some(a), Some(b)) => a == b,
            (Some(_), None) => false,
            _ => true,
        });
        let meeting_key = meeting.as_ref().map(|m| m.key.clone());
        let date = own_date.or(meeting.as_ref().and_then(|m| m.date));
        // Speeches with their speaker.
        let mut speech_titles = Vec::new();
        for c in SPEECH_TITLE.captures_iter(s) {
            let (Some(whole), Some(title)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let speaker = doc
                .people_in(si)
                .iter()
                .filter(|p| p.span.end - base <= whole.start())
                .map(|p| p.person.clone())
                .next();
            speech_titles.push(title.as_str().to_string());
            push_speech(
                &mut facts,
                title.as_str(),
                meeting_key.clone(),
                speaker,
                date,
                si,
                "documents.speech-titled",
            );
        }
        // A speech heading: title line, 在…会议上的讲话, (date), byline.
        if speech_heading(s) && si > 0 {
            let title = doc.sentence(si - 1).trim_start_matches("——").to_string();
            let plain = !title.contains(['，', '。', '：', '《'])
                && (4..=40).contains(&title.chars().count());
            if plain {
                let speaker = doc
                    .people
                    .iter()
                    .filter(|p| p.sentence > si && p.sentence <= si + 3)
                    .map(|p| p.person.clone())
                    .next();
                let date = meeting.as_ref().and_then(|m| m.date).or_else(|| {
                    doc.sentences
                        .get(si + 1)
                        .and_then(|_| sentence_full_date(doc, doc.sentence(si + 1)))
                });
                push_speech(
                    &mut facts,
                    &title,
                    meeting_key.clone(),
                    speaker,
                    date,
                    si,
                    "documents.speech-heading",
                );
            }
        }
        // Bracketed titles.
        for c in TITLE.captures_iter(s) {
            let (Some(whole), Some(t)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let mut title = t.as_str().to_string();
            if speech_titles.contains(&title) || title.chars().count() <= 2 {
                continue;
            }
            if let Some(tail) = TITLE_TAIL.find(&s[whole.end()..]) {
                title.push_str(tail.as_str());
            }
            let title = canonical_title(&title, lex);
            let Some(kind) = kind_of(&title) else {
                continue;
            };
            let adopted_here = ADOPTED.is_match(&s[..whole.start()]);
            facts.push((
                Statement::Document {
                    kind,
                    title,
                    meeting: meeting_key.clone().filter(|_| adopted_here),
                    speaker: None,
                    date: if adopted_here { date } else { own_date },
                },
                si,
                "documents.bracketed-title",
            ));
        }
        // A declaration named by its place: 青岛宣言.
        for c in PLACE_DECLARATION.captures_iter(s, sketch) {
            let Some(whole) = c.get(0) else { continue };
            // Inside a bracketed title (《上海合作组织二十周年杜尚别宣言》) it is that title.
            let inside_title = TITLE
                .find_iter(s)
                .any(|t| t.start() <= whole.start() && whole.end() <= t.end());
            if inside_title {
                continue;
            }
            let ms = lex.mentions(whole.as_str());
            let Some(place) = ms.iter().find_map(|m| match m.kind {
                EntityKind::Place(i) if m.end + "宣言".len() == whole.as_str().len() => {
                    Some(&lex.places[i])
                }
                _ => None,
            }) else {
                continue;
            };
            let title = format!("{}宣言", place.zh);
            let at_meeting = meeting
                .as_ref()
                .filter(|m| m.place.as_deref() == Some(place.slug.as_str()));
            facts.push((
                Statement::Document {
                    kind: "declaration",
                    title,
                    meeting: at_meeting.map(|m| m.key.clone()),
                    speaker: None,
                    date: at_meeting.and_then(|m| m.date),
                },
                si,
                "documents.place-declaration",
            ));
        }
    }
    for (statement, si, rule) in facts {
        doc.add_fact(statement, si, rule);
    }
}

fn push_speech(
    facts: &mut Vec<(Statement, usize, &'static str)>,
    title: &str,
    meeting: Option<String>,
    speaker: Option<PersonRef>,
    date: Option<DateValue>,
    si: usize,
    rule: &'static str,
) {
    if let (Some(m), Some(p)) = (&meeting, &speaker) {
        facts.push((
            Statement::Attendance {
                person: p.clone(),
                meeting: m.clone(),
                mode: None,
                capacity: None,
            },
            si,
            "attendance.speaker",
        ));
    }
    facts.push((
        Statement::Document {
            kind: "speech",
            title: title.to_string(),
            meeting,
            speaker,
            date,
        },
        si,
        rule,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract;

    fn documents(text: &str) -> Vec<(String, &'static str, Option<String>, Option<String>)> {
        let doc = extract(Document::new("t.txt", text, text.as_bytes()));
        doc.facts
            .into_iter()
            .filter_map(|f| match f.statement {
                Statement::Document {
                    kind,
                    title,
                    meeting,
                    speaker,
                    ..
                } => Some((title, kind, meeting, speaker.map(|p| p.name))),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn titled_speech_with_speaker_and_meeting() {
        let d = documents("国家主席习近平16日在撒马尔罕出席上海合作组织成员国元首理事会第二十二次会议并发表题为《把握时代潮流 加强团结合作 共创美好未来》的重要讲话。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, "speech");
        assert_eq!(d[0].2.as_deref(), Some("sco-hos-22"));
        assert_eq!(d[0].3.as_deref(), Some("习近平"));
    }

    #[test]
    fn signed_declaration_and_older_founding_text() {
        let d = documents("上海合作组织成员国元首理事会第二十一次会议在杜尚别举行。成员国领导人签署《上海合作组织二十周年杜尚别宣言》。2001年6月15日，六国元首在上海通过《上海合作组织成立宣言》。");
        let dushanbe = d.iter().find(|x| x.0.contains("杜尚别宣言")).unwrap();
        assert_eq!(dushanbe.2.as_deref(), Some("sco-hos-21"));
        let founding = d.iter().find(|x| x.0.contains("成立宣言")).unwrap();
        assert_eq!(founding.2, None);
    }

    #[test]
    fn speech_heading_and_byline() {
        let d = documents("牢记初心使命 坚持团结协作 实现更大发展\n\n在上海合作组织成员国元首理事会第二十三次会议上的讲话\n\n(2023年7月4日)\n\n中华人民共和国主席 习近平\n\n尊敬的各位同事：");
        let speech = d.iter().find(|x| x.1 == "speech").unwrap();
        assert_eq!(speech.0, "牢记初心使命 坚持团结协作 实现更大发展");
        assert_eq!(speech.2.as_deref(), Some("sco-hos-23"));
        assert_eq!(speech.3.as_deref(), Some("习近平"));
    }

    #[test]
    fn declaration_named_by_place() {
        let d = documents("王毅介绍上海合作组织青岛峰会成果。青岛宣言也重申了“上海精神”。");
        assert!(
            d.iter()
                .any(|x| x.0 == "青岛宣言" && x.1 == "declaration" && x.2.is_some()),
            "{d:?}"
        );
    }

    #[test]
    fn a_programme_of_a_treaty_and_titles_only_cited() {
        let d = documents("王毅介绍上海合作组织青岛峰会成果。青岛峰会通过了《上海合作组织成员国长期睦邻友好合作条约》未来5年实施纲要。成员国坚定遵循《联合国宪章》宗旨和原则，主张通过对话解决分歧。");
        let programme = d.iter().find(|x| x.0.ends_with("实施纲要")).unwrap();
        assert_eq!(programme.1, "programme");
        assert!(programme.2.is_some());
        let charter = d.iter().find(|x| x.0 == "联合国宪章").unwrap();
        assert_eq!(charter.2, None, "cited, not adopted here");
    }

    #[test]
    fn one_document_under_its_printed_names() {
        let d = documents("上海合作组织成员国元首理事会第二十一次会议在杜尚别举行。成员国领导人签署《上海合作组织二十周年杜尚别宣言》。成员国坚定遵循《上合组织宪章》宗旨和原则。");
        let titles: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            titles,
            ["上海合作组织二十周年杜尚别宣言", "上海合作组织宪章"]
        );
    }
}
