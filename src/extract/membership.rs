//! Membership, accession steps and reported counts.
//!
//! - Founding: a dated sentence in which a list of states adopts an
//!   organisation's founding declaration (《上海合作组织成立宣言》) → founding
//!   members since that date.
//! - Steps: 启动接收X为成员国的程序 (procedure-started), 签署X加入本组织义务的
//!   备忘录 (memorandum-signed), 接收X为成员国 / X成为成员国 / 给予X成员国地位
//!   (admitted), 吸收X为对话伙伴 (dialogue-partner-granted), 给予X观察员国地位
//!   (observer-granted). The date is the meeting's. A procedure or a
//!   memorandum never makes a member; admission does (in the inference pass).
//! - Status shown by capacity: X总统…等成员国领导人 → member as of the
//!   meeting's date; 观察员国领导人 → observer; a chair's guest is neither.
//! - Counts as printed: 8个成员国、4个观察员国、6个对话伙伴国.

use crate::document::{Document, Layer};
use crate::lexicon::{EntityKind, Lexicon};
use crate::model::{DateValue, Polity, Role, Statement};
use crate::text::numbers::parse_cn_number;
use crate::text::sketch::Cues;

use super::meetings::starts_story;
use super::{regex as re, Gated, Pass};

/// The pass.
pub const PASS: Pass = Pass {
    name: "membership",
    needs: &[
        Layer::Mentions,
        Layer::People,
        Layer::Meetings,
        Layer::Attendance,
    ],
    adds: &[Layer::Membership],
    run: find_membership,
};

const COUNTRY_LIST: &str = r"([^，。；]{2,80}?)";

static PROCEDURE: Gated = Gated::new(&["程序"], || {
    re(&format!(
        r"启动(?:接收|吸收|给予){COUNTRY_LIST}(?:为|成为)?(?:正式)?(成员国|观察员国?|对话伙伴国?)(?:地位)?的(?:法律)?程序|启动(?:接收)?{COUNTRY_LIST}加入(?:上海合作组织|上合组织|本组织)的?(?:法律)?程序"
    ))
});
static MEMORANDUM: Gated = Gated::new(&["备忘录"], || {
    re(&format!(
        r"签署(?:了)?(?:关于)?{COUNTRY_LIST}加入(?:本组织|上海合作组织|上合组织)?义务的备忘录"
    ))
});
static ADMIT: Gated = Gated::new(&["接收", "吸收", "接纳", "批准"], || {
    re(&format!(
        r"(?:接收|吸收|接纳|批准){COUNTRY_LIST}(?:为|成为)(?:新的|正式)?(成员国|观察员国?|对话伙伴国?)"
    ))
});
static BECOME: Gated = Gated::new(&["成为"], || {
    re(&format!(
        r"{COUNTRY_LIST}(?:正式)?成为(?:上海合作组织|上合组织|本组织)?(?:新的|正式)?(成员国|观察员国|对话伙伴国?)"
    ))
});
static GRANT: Gated = Gated::new(&["给予"], || {
    re(&format!(
        r"给予{COUNTRY_LIST}(?:上海合作组织|上合组织|本组织)?(成员国|观察员国?|对话伙伴国?)(?:地位)"
    ))
});
static FOUNDING_DECLARATION: Gated =
    Gated::new(&["成立宣言》"], || re(r"《([^》]{2,30})成立宣言》"));
static COUNT: Gated = Gated::new(&["个"], || {
    re(
        r"(\d+|[一二两三四五六七八九十]+)个(成员国|观察员国|对话伙伴国?)|(?:正式)?成员(?:国)?有(\d+|[一二两三四五六七八九十]+)个国家",
    )
});

/// Words one of which every pattern of this pass contains.
const TRIGGERS: Cues = Cues::new(&["成员", "观察员", "对话伙伴", "程序", "备忘录", "成立宣言"]);

fn role_of(word: &str) -> Option<Role> {
    if word.starts_with("成员") {
        Some(Role::Member)
    } else if word.starts_with("观察员") {
        Some(Role::Observer)
    } else if word.starts_with("对话伙伴") {
        Some(Role::DialoguePartner)
    } else {
        None
    }
}

/// Countries named in a piece of a sentence.
fn countries_in(text: &str, lex: &Lexicon) -> Vec<String> {
    let mut out: Vec<String> = lex
        .mentions(text)
        .into_iter()
        .filter_map(|m| match m.kind {
            EntityKind::Country(i) => Some(lex.countries[i].iso3.clone()),
            _ => None,
        })
        .collect();
    out.dedup();
    out
}

/// The organisation a mention names, or the one the named body belongs
/// to, if states can join it (not a country's own party or state body).
fn top_organization(kind: EntityKind, lex: &Lexicon) -> Option<String> {
    match kind {
        EntityKind::Organization(i) => {
            let o = &lex.organizations[i];
            let top = o.parent.as_deref().unwrap_or(&o.slug);
            lex.organization(top)
                .filter(|t| t.admits_states)
                .map(|t| t.slug.clone())
        }
        _ => None,
    }
}

/// The organisation a sentence speaks of: one named in it, else the one the
/// meeting belongs to, else the one its story names most (`story_org`).
fn organization_for(
    doc: &Document,
    si: usize,
    lex: &Lexicon,
    story_org: impl FnOnce() -> Option<String>,
) -> Option<String> {
    let top = |kind: EntityKind| top_organization(kind, lex);
    if let Some(o) = doc.sentence_mentions(si).find_map(|m| top(m.kind)) {
        return Some(o);
    }
    if let Some(o) = doc
        .meeting_of(si)
        .and_then(|m| m.body.as_ref())
        .and_then(|b| lex.organization(b))
        .and_then(|b| b.parent.clone())
    {
        return Some(o);
    }
    story_org()
}

/// The story of each sentence: a page holds several, each begun by a
/// marker such as 本报讯 or a dateline.
fn stories(doc: &Document) -> Vec<usize> {
    let mut story = 0;
    (0..doc.sentences.len())
        .map(|si| {
            if si > 0 && starts_story(doc.sentence(si), doc.sketch(si)) {
                story += 1;
            }
            story
        })
        .collect()
}

/// The organisation named most often in the sentences of the story of
/// sentence `si` up to it (the first named wins a tie): the antecedent of
/// an unnamed 本组织 or 会议. `None` when the story names none before it, so
/// that a sentence such as 会议启动接收伊朗为成员国的程序 printed beside other
/// news is not read as being about an organisation of another story or of a
/// later paragraph.
fn most_named_organization(
    doc: &Document,
    story_of: &[usize],
    si: usize,
    lex: &Lexicon,
) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let first = story_of.partition_point(|&story| story < story_of[si]);
    for si in first..si {
        for m in doc.sentence_mentions(si) {
            if let Some(o) = top_organization(m.kind, lex) {
                match counts.iter_mut().find(|c| c.0 == o) {
                    Some(c) => c.1 += 1,
                    None => counts.push((o, 1)),
                }
            }
        }
    }
    let best = counts.iter().map(|c| c.1).max()?;
    counts.into_iter().find(|c| c.1 == best).map(|c| c.0)
}

/// The date a sentence's event happened: the meeting's, else a full date in the sentence.
fn event_date(doc: &Document, si: usize) -> Option<DateValue> {
    if let Some(d) = doc.meeting_of(si).and_then(|m| m.date) {
        return Some(d);
    }
    sentence_date(doc, si)
}

fn sentence_date(doc: &Document, si: usize) -> Option<DateValue> {
    doc.full_date_in(doc.sentence(si))
}

/// Find membership facts.
pub fn find_membership(doc: &mut Document) {
    let text = doc.text.shared();
    let Ok(lex) = Lexicon::get() else { return };
    let mut facts: Vec<(Statement, usize, &'static str)> = Vec::new();
    // Read only when a sentence needs it (most documents state no step).
    let story_of = std::cell::OnceCell::new();
    for si in 0..doc.sentences.len() {
        let s = &text[doc.sentences[si].clone()];
        // Every pattern below names a status, a procedure, a memorandum or
        // a founding declaration; most sentences name none.
        let sketch = doc.sketch(si);
        if !sketch.contains_any(s, &TRIGGERS) {
            continue;
        }
        let meeting = doc.meeting_of(si).map(|m| m.key.clone());
        let story_org = || {
            let story_of = story_of.get_or_init(|| stories(doc));
            most_named_organization(doc, story_of, si, lex)
        };
        let Some(org) = organization_for(doc, si, lex, story_org) else {
            continue;
        };
        // Read only for sentences that state a step (most state none).
        let event_date_cell = std::cell::OnceCell::new();
        let date = || *event_date_cell.get_or_init(|| event_date(doc, si));
        let step = |country: String, step: &'static str| Statement::AccessionStep {
            country,
            organization: org.clone(),
            step,
            date: date(),
            meeting: meeting.clone(),
        };
        let mut procedure_spans = Vec::new();
        for c in PROCEDURE.captures_iter(s, sketch) {
            // Either 启动接收X为成员国的程序 (groups 1, 2) or 启动X加入本组织程序 (group 3).
            let (list, role) = match (c.get(1), c.get(2), c.get(3)) {
                (Some(l), Some(r), _) => (l.as_str(), role_of(r.as_str())),
                (_, _, Some(l)) => (l.as_str(), Some(Role::Member)),
                _ => continue,
            };
            if role != Some(Role::Member) {
                continue;
            }
            let name = "procedure-started";
            for iso in countries_in(list, lex) {
                facts.push((step(iso, name), si, "membership.procedure-started"));
            }
            if let Some(g) = c.get(0) {
                procedure_spans.push(g.range());
            }
        }
        for c in MEMORANDUM.captures_iter(s, sketch) {
            for iso in countries_in(&c[1], lex) {
                facts.push((
                    step(iso, "memorandum-signed"),
                    si,
                    "membership.memorandum-signed",
                ));
            }
        }
        for regex in [&ADMIT, &BECOME, &GRANT] {
            for c in regex.captures_iter(s, sketch) {
                let Some(whole) = c.get(0) else { continue };
                if procedure_spans
                    .iter()
                    .any(|r| r.start <= whole.start() && whole.end() <= r.end)
                    || s[whole.end()..].starts_with("的程序")
                    || s[whole.end()..].starts_with("的申请")
                {
                    continue;
                }
                // Only events: a status the sentence merely describes (作为成员国) has no verb here.
                let Some(role) = role_of(&c[2]) else { continue };
                let step_name = match role {
                    Role::Member => "admitted",
                    Role::Observer => "observer-granted",
                    Role::DialoguePartner => "dialogue-partner-granted",
                };
                for iso in countries_in(&c[1], lex) {
                    facts.push((
                        step(iso.clone(), step_name),
                        si,
                        "membership.status-granted",
                    ));
                    if role != Role::Member && date().is_some() {
                        // Observer and partner status hold from the grant; membership
                        // from admission is inferred across the graph.
                        facts.push((
                            Statement::Membership {
                                country: iso,
                                organization: org.clone(),
                                role,
                                since: date(),
                                as_of: None,
                                founding: false,
                            },
                            si,
                            "membership.status-granted",
                        ));
                    }
                }
            }
        }
        // Founding members: a dated founding declaration adopted by a list of states.
        if let Some(c) = FOUNDING_DECLARATION.captures(s, sketch) {
            let founded_org = lex.mentions(&c[1]).into_iter().find_map(|m| match m.kind {
                EntityKind::Organization(i) => Some(lex.organizations[i].slug.clone()),
                _ => None,
            });
            let before = &s[..c.get(0).map_or(0, |g| g.start())];
            if let (Some(founded_org), Some(date)) = (founded_org, sentence_date(doc, si)) {
                for iso in countries_in(before, lex) {
                    facts.push((
                        Statement::Membership {
                            country: iso,
                            organization: founded_org.clone(),
                            role: Role::Member,
                            since: Some(date),
                            as_of: None,
                            founding: true,
                        },
                        si,
                        "membership.founding-declaration",
                    ));
                }
            }
        }
        // Counts as printed.
        for c in COUNT.captures_iter(s, sketch) {
            let (n, role) = match (c.get(1), c.get(2), c.get(3)) {
                (Some(n), Some(r), _) => (n.as_str(), role_of(r.as_str())),
                (_, _, Some(n)) => (n.as_str(), Some(Role::Member)),
                _ => continue,
            };
            let (Some(count), Some(role)) = (parse_cn_number(n), role) else {
                continue;
            };
            if count < 1.0 || count.fract() != 0.0 {
                continue;
            }
            facts.push((
                Statement::ReportedCount {
                    organization: org.clone(),
                    role,
                    count: count as u32,
                    as_of: doc.anchor_date(),
                },
                si,
                "membership.reported-count",
            ));
        }
    }
    // Status shown by the capacity in which a leader attended.
    let mut shown = Vec::new();
    for f in &doc.facts {
        let Statement::Attendance {
            person,
            meeting,
            capacity: Some(capacity),
            ..
        } = &f.statement
        else {
            continue;
        };
        let role = if capacity.starts_with("成员国") {
            Role::Member
        } else if capacity.starts_with("观察员国") {
            Role::Observer
        } else if capacity.starts_with("对话伙伴") {
            Role::DialoguePartner
        } else {
            continue;
        };
        let Some(m) = doc.meetings.iter().find(|m| &m.key == meeting) else {
            continue;
        };
        let country = doc.people.iter().find_map(|p| match &p.post_in {
            Some(Polity::Country(c)) if p.person == *person => Some(c.clone()),
            _ => None,
        });
        let org = m
            .body
            .as_ref()
            .and_then(|b| lex.organization(b))
            .and_then(|b| b.parent.clone());
        // Without the meeting's date the status has no "when": another report
        // of the same meeting dates it.
        if m.date.is_none() {
            continue;
        }
        if let (Some(country), Some(org), Some(si)) =
            (country, org, doc.sentence_at_original(f.evidence.start))
        {
            shown.push((
                Statement::Membership {
                    country,
                    organization: org,
                    role,
                    since: None,
                    as_of: m.date,
                    founding: false,
                },
                si,
                "membership.attendance-capacity",
            ));
        }
    }
    for (statement, si, rule) in facts.into_iter().chain(shown) {
        doc.add_fact(statement, si, rule);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract;

    fn facts(text: &str) -> Vec<Statement> {
        let doc = extract(Document::new("t.txt", text, text.as_bytes()));
        doc.facts.into_iter().map(|f| f.statement).collect()
    }

    fn steps(f: &[Statement]) -> Vec<(String, &'static str)> {
        f.iter()
            .filter_map(|s| match s {
                Statement::AccessionStep { country, step, .. } => Some((country.clone(), *step)),
                _ => None,
            })
            .collect()
    }

    fn step_organizations(f: &[Statement]) -> Vec<(String, String)> {
        f.iter()
            .filter_map(|s| match s {
                Statement::AccessionStep {
                    country,
                    organization,
                    ..
                } => Some((country.clone(), organization.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_unnamed_organisation_is_the_one_its_story_named_before() {
        // A commentary: no meeting, the organisation named two sentences before.
        let f = facts("上海合作组织成立二十年来，成员国合作不断深化。各方在安全、经济领域成果丰硕。去年，本次峰会启动接收伊朗为成员国的程序。");
        assert_eq!(step_organizations(&f), vec![("IRN".into(), "sco".into())]);
        // Another story on the same page (本报讯) names none before it.
        let f = facts("上海合作组织成立二十年来，成员国合作不断深化。\n\n本报讯（记者 王明）近日，市委常委会召开会议。\n\n会议启动接收伊朗为成员国的程序。");
        assert_eq!(step_organizations(&f), vec![]);
        // Named only after it: not an antecedent.
        let f = facts("本报讯 会议启动接收伊朗为成员国的程序。欧亚经济联盟等区域合作倡议对接。");
        assert_eq!(step_organizations(&f), vec![]);
    }

    #[test]
    fn states_do_not_join_a_countrys_own_bodies() {
        let f = facts("国务院常务会议听取汇报。会议启动接收伊朗为成员国的程序。");
        assert_eq!(step_organizations(&f), vec![]);
    }

    #[test]
    fn procedure_memorandum_and_admission() {
        let f = facts("上海合作组织成员国元首理事会第二十二次会议2022年9月16日在撒马尔罕举行。会议启动接收白俄罗斯为成员国的程序，签署伊朗加入本组织义务的备忘录。");
        let s = steps(&f);
        assert!(s.contains(&("BLR".into(), "procedure-started")), "{s:?}");
        assert!(s.contains(&("IRN".into(), "memorandum-signed")), "{s:?}");
        assert!(!f.iter().any(|x| matches!(
            x,
            Statement::Membership {
                role: Role::Member,
                ..
            }
        )));
    }

    #[test]
    fn admission_and_partners_with_the_meeting_date() {
        let f = facts("上海合作组织成员国元首理事会第十七次会议2017年6月9日在阿斯塔纳举行。会议给予印度、巴基斯坦成员国地位。会议吸收埃及、卡塔尔为新的对话伙伴。");
        let s = steps(&f);
        assert!(
            s.contains(&("IND".into(), "admitted")) && s.contains(&("PAK".into(), "admitted")),
            "{s:?}"
        );
        assert!(f.iter().any(|x| matches!(x, Statement::Membership { country, role: Role::DialoguePartner, since: Some(d), .. } if country == "QAT" && d.to_string() == "2017-06-09")));
    }

    #[test]
    fn founding_members_from_the_declaration() {
        let f = facts("2001年6月15日，哈萨克斯坦共和国、中华人民共和国、吉尔吉斯共和国、俄罗斯联邦、塔吉克斯坦共和国和乌兹别克斯坦共和国元首在上海通过《上海合作组织成立宣言》。");
        let founders: Vec<&str> = f
            .iter()
            .filter_map(|x| match x {
                Statement::Membership {
                    country,
                    founding: true,
                    ..
                } => Some(country.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(founders, ["KAZ", "CHN", "KGZ", "RUS", "TJK", "UZB"]);
    }

    #[test]
    fn counts_as_printed() {
        let f = facts("上合组织现在已拥有 8个成员国、4\n个观察员国、6个对话伙伴国。");
        let counts: Vec<(Role, u32)> = f
            .iter()
            .filter_map(|x| match x {
                Statement::ReportedCount { role, count, .. } => Some((*role, *count)),
                _ => None,
            })
            .collect();
        assert_eq!(
            counts,
            [
                (Role::Member, 8),
                (Role::Observer, 4),
                (Role::DialoguePartner, 6)
            ]
        );
    }

    #[test]
    fn procedure_for_joining_the_organisation() {
        let f = facts("上海合作组织成员国元首理事会第十五次会议2015年7月10日在乌法举行。会议通过了关于启动接收印度、巴基斯坦加入上合组织程序的政治文件，给予白俄罗斯观察员国地位。");
        let s = steps(&f);
        assert!(
            s.contains(&("IND".into(), "procedure-started"))
                && s.contains(&("PAK".into(), "procedure-started")),
            "{s:?}"
        );
        assert!(s.contains(&("BLR".into(), "observer-granted")), "{s:?}");
        assert!(!f.iter().any(|x| matches!(
            x,
            Statement::Membership {
                role: Role::Member,
                ..
            }
        )));
    }
}
