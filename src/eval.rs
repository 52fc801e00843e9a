//! Evaluation against a gold file: each gold entry becomes SPARQL ASK
//! queries over the union of all graphs (the format is documented in the
//! README, section "Scoring with a gold file").

use crate::error::{Error, Result};
use crate::graph::vocab;
use crate::query;
use crate::store::KgStore;
use oxigraph::sparql::QueryResults;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A gold file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gold {
    /// Meetings, by key.
    #[serde(default)]
    pub meeting: Vec<GoldMeeting>,
    /// Attendance.
    #[serde(default)]
    pub attendance: Vec<GoldAttendance>,
    /// Posts.
    #[serde(default)]
    pub post: Vec<GoldPost>,
    /// Memberships.
    #[serde(default)]
    pub membership: Vec<GoldMembership>,
    /// Accession steps.
    #[serde(default)]
    pub accession_step: Vec<GoldStep>,
    /// Reported counts.
    #[serde(default)]
    pub reported_count: Vec<GoldCount>,
    /// Pledges.
    #[serde(default)]
    pub pledge: Vec<GoldPledge>,
    /// Documents.
    #[serde(default)]
    pub document: Vec<GoldDocument>,
    /// Expected rows of `member_states_per_year`.
    #[serde(default)]
    pub member_states_per_year: BTreeMap<String, i64>,
    /// Mistakes that must not be in the graph.
    #[serde(default)]
    pub must_not: Vec<GoldMustNot>,
}

/// A meeting entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldMeeting {
    /// Key other entries use.
    pub key: String,
    /// The body as printed.
    pub body: Option<String>,
    /// Session number.
    pub session: Option<i64>,
    /// Exact date.
    pub date: Option<String>,
    /// Year the date starts with.
    pub year: Option<i64>,
    /// Whether `year` is a stretch field.
    #[serde(default)]
    pub year_stretch: bool,
    /// Text the place or meeting label contains (when no session).
    pub label_contains: Option<String>,
    /// Place label.
    pub place: Option<String>,
    /// Chair's name.
    pub chair_person: Option<String>,
    /// ISO3 of the chair country.
    pub chair_country: Option<String>,
    /// ISO3 of the next chair country.
    pub next_chair_country: Option<String>,
    /// ISO3 of the host country.
    pub host_country: Option<String>,
    /// Source documents that speak of it.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Fields counted as stretch.
    #[serde(default)]
    pub stretch_fields: Vec<String>,
    /// Whether the whole entry is stretch.
    #[serde(default)]
    pub stretch: bool,
}

/// Attendance entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldAttendance {
    /// Meeting key.
    pub meeting: String,
    /// Names.
    pub people: Vec<String>,
    /// "video", "in-person" or "any".
    pub mode: String,
    /// Stretch entry.
    #[serde(default)]
    pub stretch: bool,
}

/// Post entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldPost {
    /// Holder's name.
    pub person: String,
    /// Text the title contains.
    pub title: String,
    /// ISO3 or `org:SLUG`.
    pub of: String,
    /// Stretch entry.
    #[serde(default)]
    pub stretch: bool,
}

/// Membership entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldMembership {
    /// ISO3 codes.
    pub countries: Vec<String>,
    /// member, observer or dialogue-partner.
    pub role: String,
    /// Exact start.
    pub since: Option<String>,
    /// A date by which the status held.
    pub as_of: Option<String>,
    /// Founding member.
    pub founding: Option<bool>,
    /// The domain rule, for people.
    pub rule: Option<String>,
    /// Organisation slug (default sco).
    pub organization: Option<String>,
    /// Stretch entry.
    #[serde(default)]
    pub stretch: bool,
}

/// Accession-step entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldStep {
    /// ISO3.
    pub country: String,
    /// Step name.
    pub step: String,
    /// Date.
    pub date: String,
    /// Stretch entry.
    #[serde(default)]
    pub stretch: bool,
}

/// Reported-count entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldCount {
    /// Role counted.
    pub role: String,
    /// The count.
    pub count: i64,
    /// Year the count held.
    pub as_of_year: Option<i64>,
    /// Stretch entry.
    #[serde(default)]
    pub stretch: bool,
}

/// Pledge entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldPledge {
    /// Meeting key.
    pub meeting: Option<String>,
    /// Normalised amount.
    pub amount: f64,
    /// Unit.
    pub unit: String,
    /// Text the item contains.
    pub item_contains: String,
    /// Period in years.
    pub period_years: Option<i64>,
    /// Pledger ISO3 (default CHN).
    pub by: Option<String>,
    /// Stretch entry.
    #[serde(default)]
    pub stretch: bool,
}

/// Document entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldDocument {
    /// Text the title contains.
    pub title_contains: String,
    /// Kind.
    pub kind: String,
    /// Meeting key.
    pub meeting: Option<String>,
    /// Speaker's name.
    pub speaker: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// Stretch entry.
    #[serde(default)]
    pub stretch: bool,
}

/// A must-not entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldMustNot {
    /// attendance, membership, membership-before, pledge-count.
    pub what: String,
    /// Meeting key.
    pub meeting: Option<String>,
    /// Names.
    #[serde(default)]
    pub people: Vec<String>,
    /// Mode, or any.
    pub mode: Option<String>,
    /// ISO3 codes.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Role.
    pub role: Option<String>,
    /// Date before which the membership must not hold.
    pub before: Option<String>,
    /// Item text (pledge-count).
    pub item_contains: Option<String>,
    /// Maximum pledges (pledge-count).
    pub max: Option<i64>,
}

/// How a check counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Core fact.
    Core,
    /// Stretch fact.
    Stretch,
    /// A mistake: holds means violated.
    MustNot,
}

/// One check.
#[derive(Debug, Clone)]
pub struct Check {
    /// What it checks, for people.
    pub description: String,
    /// Tier.
    pub tier: Tier,
    /// The ASK query (prefixes included).
    pub ask: String,
}

/// The outcome of an evaluation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Core checks held / total.
    pub core: (usize, usize),
    /// Stretch checks held / total.
    pub stretch: (usize, usize),
    /// Must-not violations.
    pub violations: usize,
    /// Statement nodes without evidence.
    pub evidence_less: usize,
    /// Lines for each miss and violation.
    pub messages: Vec<String>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "gold: core {}/{}, stretch {}/{}, must_not violations {}, evidence-less statements {}",
            self.core.0,
            self.core.1,
            self.stretch.0,
            self.stretch.1,
            self.violations,
            self.evidence_less
        )
    }
}

/// Parse a gold file.
pub fn parse(path: &Path, text: &str) -> Result<Gold> {
    toml::from_str(text).map_err(|e| Error::Gold {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// A SPARQL string literal.
fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Pattern binding `?{var}` to an entity labelled (or aliased) `name`.
fn labelled(var: &str, name: &str) -> String {
    format!(
        "{{ ?{var} rdfs:label ?{var}_l }} UNION {{ ?{var} sco:alias ?{var}_l }} FILTER(STR(?{var}_l) = {})",
        lit(name)
    )
}

fn country(var: &str, iso3: &str) -> String {
    format!(
        "?{var} sco:iso3 ?{var}_iso . FILTER(STR(?{var}_iso) = {})",
        lit(iso3)
    )
}

fn polity(var: &str, of: &str) -> String {
    match of.strip_prefix("org:") {
        Some(slug) => format!("FILTER(?{var} = organization:{})", slug.to_lowercase()),
        None => country(var, of),
    }
}

fn role_iri(role: &str) -> &'static str {
    match role {
        "observer" => "sco:ObserverState",
        "dialogue-partner" => "sco:DialoguePartner",
        _ => "sco:MemberState",
    }
}

/// The pattern identifying a gold meeting as `?{var}`.
fn meeting_pattern(var: &str, m: &GoldMeeting, with_year: bool) -> String {
    let mut p = format!("?{var} a sco:Meeting . ");
    if let Some(s) = m.session {
        p.push_str(&format!(
            "?{var} sco:session ?{var}_s . FILTER(STR(?{var}_s) = \"{s}\") "
        ));
    } else if let Some(label) = &m.label_contains {
        p.push_str(&format!(
            "{{ ?{var} sco:place ?{var}_p . {{ ?{var}_p rdfs:label ?{var}_pl }} UNION {{ ?{var}_p sco:alias ?{var}_pl }} }} \
             UNION {{ {{ ?{var} rdfs:label ?{var}_pl }} UNION {{ ?{var} sco:alias ?{var}_pl }} }} \
             FILTER(CONTAINS(STR(?{var}_pl), {})) ",
            lit(label)
        ));
        let year = m
            .year
            .map(|y| y.to_string())
            .or_else(|| m.date.as_ref().map(|d| d.chars().take(4).collect()));
        if let (true, Some(y)) = (with_year, year) {
            p.push_str(&format!(
                "?{var} sco:date ?{var}_d . FILTER(STRSTARTS(STR(?{var}_d), {})) ",
                lit(&y)
            ));
        }
    }
    if let Some(body) = &m.body {
        let needle = if body.contains("元首") {
            Some("元首")
        } else if body.contains("总理") {
            Some("总理")
        } else if body.contains("政府首脑") {
            Some("政府首脑")
        } else if body.contains('+') {
            Some("+")
        } else {
            None
        };
        if let Some(n) = needle {
            p.push_str(&format!(
                "{{ ?{var} sco:body ?{var}_b . {{ ?{var}_b rdfs:label ?{var}_bl }} UNION {{ ?{var}_b sco:alias ?{var}_bl }} }} \
                 UNION {{ ?{var} rdfs:label ?{var}_bl }} FILTER(CONTAINS(STR(?{var}_bl), {})) ",
                lit(n)
            ));
        }
    }
    p
}

/// The checks of a gold file.
pub fn checks(gold: &Gold) -> Result<Vec<Check>> {
    let prefixes = vocab::sparql_prefixes();
    let meetings: BTreeMap<&str, &GoldMeeting> =
        gold.meeting.iter().map(|m| (m.key.as_str(), m)).collect();
    let meeting = |key: &str, var: &str| -> Result<String> {
        meetings
            .get(key)
            .map(|m| meeting_pattern(var, m, !m.year_stretch))
            .ok_or_else(|| {
                Error::Usage(format!("gold entry refers to unknown meeting key `{key}`"))
            })
    };
    let tier = |stretch: bool| if stretch { Tier::Stretch } else { Tier::Core };
    let mut out = Vec::new();
    let mut push = |description: String, tier: Tier, body: String| {
        out.push(Check {
            description,
            tier,
            ask: format!("{prefixes}ASK {{ {body} }}"),
        });
    };
    for m in &gold.meeting {
        let base = meeting_pattern("m", m, !m.year_stretch);
        let field_tier = |f: &str| tier(m.stretch || m.stretch_fields.iter().any(|x| x == f));
        push(
            format!("meeting {} exists", m.key),
            tier(m.stretch),
            base.clone(),
        );
        if m.year_stretch {
            if let Some(y) = m.year {
                push(
                    format!("meeting {} year {y}", m.key),
                    Tier::Stretch,
                    format!(
                        "{} ?m sco:date ?d . FILTER(STRSTARTS(STR(?d), \"{y}\"))",
                        meeting_pattern("m", m, false)
                    ),
                );
            }
        }
        if let Some(d) = &m.date {
            push(
                format!("meeting {} date {d}", m.key),
                field_tier("date"),
                format!("{base} ?m sco:date ?d . FILTER(STR(?d) = {})", lit(d)),
            );
        }
        if let Some(p) = &m.place {
            push(
                format!("meeting {} place {p}", m.key),
                field_tier("place"),
                format!(
                    "{base} ?m sco:place ?pl . ?pl rdfs:label ?pll . FILTER(STR(?pll) = {})",
                    lit(p)
                ),
            );
        }
        if let Some(c) = &m.chair_person {
            push(
                format!("meeting {} chair {c}", m.key),
                field_tier("chair_person"),
                format!("{base} ?m sco:chair ?c . {}", labelled("c", c)),
            );
        }
        for (field, prop, value) in [
            ("chair_country", "sco:chairCountry", &m.chair_country),
            (
                "next_chair_country",
                "sco:nextChairCountry",
                &m.next_chair_country,
            ),
            ("host_country", "sco:hostCountry", &m.host_country),
        ] {
            if let Some(v) = value {
                push(
                    format!("meeting {} {field} {v}", m.key),
                    field_tier(field),
                    format!("{base} ?m {prop} ?x . {}", country("x", v)),
                );
            }
        }
        if m.sources.len() >= 2 {
            push(
                format!("meeting {} evidence from two documents", m.key),
                field_tier("sources"),
                format!("{base} ?m prov:wasDerivedFrom ?e1 , ?e2 . ?e1 sco:source ?s1 . ?e2 sco:source ?s2 . FILTER(?s1 != ?s2)"),
            );
        }
    }
    for a in &gold.attendance {
        let mp = meeting(&a.meeting, "m")?;
        for person in &a.people {
            let mode = if a.mode == "any" {
                String::new()
            } else {
                format!("?a sco:mode {} .", lit(&a.mode))
            };
            push(
                format!("attendance {person} at {} ({})", a.meeting, a.mode),
                tier(a.stretch),
                format!("{mp} ?a a sco:Attendance ; sco:meeting ?m ; sco:person ?p . {mode} {} ?p sco:attended ?m .", labelled("p", person)),
            );
        }
    }
    for p in &gold.post {
        push(
            format!("post {} {} of {}", p.person, p.title, p.of),
            tier(p.stretch),
            format!(
                "?x a sco:Post ; sco:holder ?p ; sco:title ?t ; sco:postIn ?o . {} FILTER(CONTAINS(STR(?t), {})) {}",
                labelled("p", &p.person),
                lit(&p.title),
                polity("o", &p.of)
            ),
        );
    }
    for m in &gold.membership {
        let org = m.organization.as_deref().unwrap_or("sco");
        for c in &m.countries {
            let mut body = format!(
                "?x a org:Membership ; org:member ?c ; org:organization organization:{org} ; org:role {} . {}",
                role_iri(&m.role),
                country("c", c)
            );
            if let Some(s) = &m.since {
                body.push_str(&format!(" ?x sco:since ?s . FILTER(STR(?s) = {})", lit(s)));
                if m.role == "member" {
                    body.push_str(&format!(" ?c sco:joined organization:{org} ."));
                }
            }
            if let Some(a) = &m.as_of {
                body.push_str(&format!(
                    " {{ ?x sco:asOf ?d }} UNION {{ ?x sco:since ?d }} FILTER(STR(?d) <= {})",
                    lit(a)
                ));
            }
            if m.founding == Some(true) {
                body.push_str(" ?x sco:founding true .");
            }
            push(format!("membership {c} {}", m.role), tier(m.stretch), body);
        }
    }
    for s in &gold.accession_step {
        push(
            format!("accession step {} {} {}", s.country, s.step, s.date),
            tier(s.stretch),
            format!(
                "?x a sco:AccessionStep ; sco:country ?c ; sco:step ?st ; sco:date ?d . {} FILTER(STR(?st) = {} && STR(?d) = {})",
                country("c", &s.country),
                lit(&s.step),
                lit(&s.date)
            ),
        );
    }
    for r in &gold.reported_count {
        let base = format!(
            "?x a sco:ReportedCount ; org:role {} ; sco:count ?n . FILTER(?n = {})",
            role_iri(&r.role),
            r.count
        );
        push(
            format!("reported count {} {}", r.role, r.count),
            tier(r.stretch),
            base.clone(),
        );
        if let Some(y) = r.as_of_year {
            push(
                format!("reported count {} {} as of {y}", r.role, r.count),
                Tier::Stretch,
                format!("{base} ?x sco:asOf ?d . FILTER(STRSTARTS(STR(?d), \"{y}\"))"),
            );
        }
    }
    for p in &gold.pledge {
        let by = p.by.as_deref().unwrap_or("CHN");
        let mut body = format!(
            "?x a sco:Pledge ; sco:amount ?a ; sco:unit ?u ; sco:item ?i ; sco:pledgedBy ?c . {} FILTER(?a = {} && STR(?u) = {} && CONTAINS(STR(?i), {}))",
            country("c", by),
            crate::text::numbers::format_decimal(p.amount),
            lit(&p.unit),
            lit(&p.item_contains)
        );
        if let Some(m) = &p.meeting {
            body.push_str(&format!(" ?x sco:meeting ?m . {}", meeting(m, "m")?));
        }
        if let Some(y) = p.period_years {
            body.push_str(&format!(" ?x sco:periodYears ?py . FILTER(?py = {y})"));
        }
        push(
            format!("pledge {} {} {}", p.amount, p.unit, p.item_contains),
            tier(p.stretch),
            body,
        );
    }
    for d in &gold.document {
        let mut body = format!(
            "?x a sco:Document ; rdfs:label ?l ; sco:kind ?k . FILTER(CONTAINS(STR(?l), {}) && STR(?k) = {})",
            lit(&d.title_contains),
            lit(&d.kind)
        );
        if let Some(m) = &d.meeting {
            body.push_str(&format!(" ?x sco:meeting ?m . {}", meeting(m, "m")?));
        }
        if let Some(s) = &d.speaker {
            body.push_str(&format!(" ?x sco:speaker ?sp . {}", labelled("sp", s)));
        }
        if let Some(date) = &d.date {
            body.push_str(&format!(
                " ?x sco:date ?dd . FILTER(STR(?dd) = {})",
                lit(date)
            ));
        }
        push(
            format!("document {} ({})", d.title_contains, d.kind),
            tier(d.stretch),
            body,
        );
    }
    for n in &gold.must_not {
        match n.what.as_str() {
            "attendance" => {
                let key = n.meeting.as_deref().unwrap_or_default();
                let mp = meeting(key, "m")?;
                let mode = n.mode.as_deref().unwrap_or("any");
                for person in &n.people {
                    let mode_pattern = if mode == "any" {
                        String::new()
                    } else {
                        format!("?a sco:mode {} .", lit(mode))
                    };
                    push(
                        format!("must not: {person} attended {key} ({mode})"),
                        Tier::MustNot,
                        format!("{mp} ?a a sco:Attendance ; sco:meeting ?m ; sco:person ?p . {mode_pattern} {}", labelled("p", person)),
                    );
                }
            }
            "membership" | "membership-before" => {
                let role = n.role.as_deref().unwrap_or("member");
                for c in &n.countries {
                    let mut body = format!(
                        "?x a org:Membership ; org:member ?c ; org:organization organization:sco ; org:role {} . {}",
                        role_iri(role),
                        country("c", c)
                    );
                    let mut description = format!("must not: {c} {role}");
                    if let Some(before) = &n.before {
                        body.push_str(&format!(" {{ ?x sco:asOf ?d }} UNION {{ ?x sco:since ?d }} FILTER(STR(?d) < {})", lit(before)));
                        description.push_str(&format!(" before {before}"));
                    }
                    push(description, Tier::MustNot, body);
                }
            }
            "pledge-count" => {
                let key = n.meeting.as_deref().unwrap_or_default();
                let item = n.item_contains.as_deref().unwrap_or_default();
                let max = n.max.unwrap_or(1);
                push(
                    format!("must not: more than {max} pledge(s) of {item} at {key}"),
                    Tier::MustNot,
                    format!(
                        "{{ SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a sco:Pledge ; sco:meeting ?m ; sco:item ?i . FILTER(CONTAINS(STR(?i), {})) {} }} }} FILTER(?n > {max})",
                        lit(item),
                        meeting(key, "m")?
                    ),
                );
            }
            other => {
                return Err(Error::Usage(format!("unknown must_not kind `{other}`")));
            }
        }
    }
    Ok(out)
}

fn ask(store: &KgStore, sparql: &str) -> Result<bool> {
    match store.query(sparql, &[])? {
        QueryResults::Boolean(b) => Ok(b),
        _ => Err(Error::QueryEvaluation(
            "a check did not answer yes or no".into(),
        )),
    }
}

const EVIDENCE_LESS: &str = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?class .
  FILTER(?class IN (sco:Meeting, sco:Attendance, org:Membership, sco:AccessionStep, sco:ReportedCount, sco:Post, sco:Pledge, sco:Document))
  FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?e . ?e sco:source ?src ; sco:quote ?q . }
}";

/// Evaluate a gold file against a store.
pub fn evaluate(store: &KgStore, gold: &Gold) -> Result<Report> {
    let mut report = Report::default();
    for check in checks(gold)? {
        let holds = ask(store, &check.ask)?;
        match check.tier {
            Tier::Core => {
                report.core.1 += 1;
                if holds {
                    report.core.0 += 1;
                } else {
                    report
                        .messages
                        .push(format!("miss (core): {}", check.description));
                }
            }
            Tier::Stretch => {
                report.stretch.1 += 1;
                if holds {
                    report.stretch.0 += 1;
                } else {
                    report
                        .messages
                        .push(format!("miss (stretch): {}", check.description));
                }
            }
            Tier::MustNot => {
                if holds {
                    report.violations += 1;
                    report
                        .messages
                        .push(format!("violation: {}", check.description));
                }
            }
        }
    }
    if !gold.member_states_per_year.is_empty() {
        let q = query::named("member_states_per_year").ok_or_else(|| {
            Error::Usage("the query library has no member_states_per_year".into())
        })?;
        let mut got: BTreeMap<String, String> = BTreeMap::new();
        if let QueryResults::Solutions(rows) = store.query(q.sparql, &[])? {
            for row in rows {
                let row = row.map_err(|e| Error::QueryEvaluation(e.to_string()))?;
                if let (Some(y), Some(n)) = (row.get("year"), row.get("member_states")) {
                    got.insert(query::display_term(y), query::display_term(n));
                }
            }
        }
        for (year, n) in &gold.member_states_per_year {
            report.core.1 += 1;
            if got.get(year).map(String::as_str) == Some(n.to_string().as_str()) {
                report.core.0 += 1;
            } else {
                report.messages.push(format!(
                    "miss (core): member_states_per_year {year} = {n} (got {})",
                    got.get(year).map(String::as_str).unwrap_or("no row")
                ));
            }
        }
    }
    let prefixes = vocab::sparql_prefixes();
    if let QueryResults::Solutions(mut rows) =
        store.query(&format!("{prefixes}{EVIDENCE_LESS}"), &[])?
    {
        if let Some(Ok(row)) = rows.next() {
            report.evidence_less = row
                .get("n")
                .map(query::display_term)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_entries_become_asks_that_parse() {
        let gold = parse(
            Path::new("t.toml"),
            r#"
[[meeting]]
key = "M"
body = "上海合作组织成员国元首理事会"
session = 21
date = "2021-09-17"
sources = ["a", "b"]
[[attendance]]
meeting = "M"
people = ["习近平"]
mode = "video"
[[must_not]]
what = "pledge-count"
meeting = "M"
item_contains = "x\"y"
max = 1
"#,
        )
        .unwrap();
        let checks = checks(&gold).unwrap();
        // meeting: exists, date, two sources; one attendance; one must-not.
        assert_eq!(checks.len(), 5);
        for c in &checks {
            assert!(
                oxigraph::sparql::SparqlEvaluator::new()
                    .parse_query(&c.ask)
                    .is_ok(),
                "{}",
                c.ask
            );
        }
    }

    #[test]
    fn unknown_meeting_keys_are_reported() {
        let gold = parse(
            Path::new("t.toml"),
            "[[attendance]]\nmeeting = \"X\"\npeople = [\"a\"]\nmode = \"any\"\n",
        )
        .unwrap();
        assert!(checks(&gold).is_err());
    }
}
