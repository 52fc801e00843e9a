//! Exports: standard RDF serialisations of the store, and a GraphViz picture
//! of the entities and how they relate.

use crate::error::{Error, Result};
use crate::graph::vocab;
use crate::store::KgStore;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Term, Triple};
use oxigraph::sparql::QueryResults;
use petgraph::algo::dijkstra;
use petgraph::graph::{NodeIndex, UnGraph};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Turtle (the union of all graphs as triples).
    Ttl,
    /// N-Triples (the union of all graphs as triples).
    Nt,
    /// N-Quads (every graph).
    Nq,
    /// TriG (every graph).
    Trig,
    /// GraphViz DOT source.
    Dot,
    /// SVG drawn by GraphViz `dot`.
    Svg,
}

/// Options of the picture.
#[derive(Debug, Clone, Default)]
pub struct PictureOptions {
    /// Draw only the neighbourhood of entities matching this term.
    pub focus: Option<String>,
    /// How many edges away from the focus.
    pub depth: usize,
    /// Label language: zh, en or both.
    pub lang: Lang,
}

/// Label language of pictures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Chinese labels.
    Zh,
    /// English labels where known.
    En,
    /// Both.
    #[default]
    Both,
}

/// Write the store in an RDF format.
pub fn write_rdf(store: &KgStore, format: ExportFormat, out: &mut impl Write) -> Result<()> {
    let io = |e: std::io::Error| Error::io("<output>", e);
    let rdf = match format {
        ExportFormat::Ttl => RdfFormat::Turtle,
        ExportFormat::Nt => RdfFormat::NTriples,
        ExportFormat::Nq => RdfFormat::NQuads,
        ExportFormat::Trig => RdfFormat::TriG,
        _ => return Err(Error::Usage("not an RDF format".into())),
    };
    let mut serializer = RdfSerializer::from_format(rdf);
    if matches!(rdf, RdfFormat::Turtle | RdfFormat::TriG) {
        for (p, iri) in vocab::PREFIXES {
            serializer = serializer
                .with_prefix(*p, *iri)
                .map_err(|e| Error::Usage(e.to_string()))?;
        }
    }
    let mut w = serializer.for_writer(out);
    let quads = store.sorted_quads()?;
    if rdf.supports_datasets() {
        for q in &quads {
            w.serialize_quad(q).map_err(io)?;
        }
    } else {
        let triples: BTreeSet<String> = BTreeSet::new();
        let mut seen = triples;
        for q in &quads {
            let t = Triple::from(q.clone());
            if seen.insert(t.to_string()) {
                w.serialize_triple(&t).map_err(io)?;
            }
        }
    }
    w.finish().map_err(io)?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Pictures
// ---------------------------------------------------------------------------

/// The font of pictures: it has the Chinese glyphs (Debian package
/// `fonts-noto-cjk`); SVG viewers fall back to their own fonts.
const FONT: &str = "Noto Sans CJK SC";

/// Lines wider than this (in columns, a Chinese character counts two) are wrapped.
const WRAP_COLUMNS: usize = 28;

/// The class of an entity, as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Country,
    Organization,
    Person,
    Meeting,
    Pledge,
    Document,
}

impl Class {
    const ALL: [Class; 6] = [
        Class::Person,
        Class::Country,
        Class::Organization,
        Class::Pledge,
        Class::Document,
        Class::Meeting,
    ];

    /// From a local name of the `sco:` namespace; bodies are organisations.
    fn from_local(local: &str) -> Option<Class> {
        Some(match local {
            "Country" => Class::Country,
            "Organization" | "Body" => Class::Organization,
            "Person" => Class::Person,
            "Meeting" => Class::Meeting,
            "Pledge" => Class::Pledge,
            "Document" => Class::Document,
            _ => return None,
        })
    }

    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Class::Country, Lang::Zh) => "国家",
            (Class::Organization, Lang::Zh) => "组织、机构",
            (Class::Person, Lang::Zh) => "人物",
            (Class::Meeting, Lang::Zh) => "会议",
            (Class::Pledge, Lang::Zh) => "承诺",
            (Class::Document, Lang::Zh) => "文件",
            (Class::Country, Lang::En) => "country",
            (Class::Organization, Lang::En) => "organisation, body",
            (Class::Person, Lang::En) => "person",
            (Class::Meeting, Lang::En) => "meeting",
            (Class::Pledge, Lang::En) => "pledge",
            (Class::Document, Lang::En) => "document",
            (Class::Country, Lang::Both) => "国家 country",
            (Class::Organization, Lang::Both) => "组织 organisation",
            (Class::Person, Lang::Both) => "人物 person",
            (Class::Meeting, Lang::Both) => "会议 meeting",
            (Class::Pledge, Lang::Both) => "承诺 pledge",
            (Class::Document, Lang::Both) => "文件 document",
        }
    }

    fn style(self) -> &'static str {
        match self {
            Class::Country => {
                r##"shape=box, style="rounded,filled", fillcolor="#dbe9f6", color="#3b6ea5""##
            }
            Class::Organization => {
                r##"shape=hexagon, style=filled, fillcolor="#fde2c8", color="#c26a1b""##
            }
            Class::Person => {
                r##"shape=ellipse, style=filled, fillcolor="#e3f1da", color="#4c8c3a""##
            }
            Class::Meeting => {
                r##"shape=box, peripheries=2, style=filled, fillcolor="#f9f3c2", color="#a08a12""##
            }
            Class::Pledge => r##"shape=cds, style=filled, fillcolor="#f8d7da", color="#b03a48""##,
            Class::Document => {
                r##"shape=note, style=filled, fillcolor="#efe0f5", color="#7d4a9a""##
            }
        }
    }
}

/// A relation drawn as an edge; the order is the order of labels on a merged edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rel {
    Chaired,
    Attended,
    Post,
    Member,
    Observer,
    DialoguePartner,
    Accession,
    Hosted,
    Presidency,
    NextPresidency,
    Pledged,
    PledgedAt,
    Delivered,
    SpeechAt,
    Adopted,
}

impl Rel {
    /// Relations written head to tail with `dir=back`: the arrow still points
    /// from the person to the meeting, but people are ranked after meetings,
    /// so that attendees sit beside their meeting instead of across the picture.
    /// Relations whose label is tied to its edge by a line: many of them
    /// leave the column of countries side by side.
    fn decorated(self) -> bool {
        matches!(
            self,
            Rel::Post
                | Rel::Member
                | Rel::Observer
                | Rel::DialoguePartner
                | Rel::Accession
                | Rel::Hosted
                | Rel::Presidency
                | Rel::NextPresidency
        )
    }

    fn reversed(self) -> bool {
        matches!(
            self,
            Rel::Attended | Rel::Chaired | Rel::Post | Rel::Delivered
        )
    }

    /// The name on an edge (and in the legend).
    fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Rel::Chaired => ("主持", "chaired"),
            Rel::Attended => ("出席", "attended"),
            Rel::Post => ("职务", "post"),
            Rel::Member => ("成员国", "member"),
            Rel::Observer => ("观察员国", "observer"),
            Rel::DialoguePartner => ("对话伙伴", "dialogue partner"),
            Rel::Accession => ("加入步骤", "accession step"),
            Rel::Hosted => ("主办", "hosted"),
            Rel::Presidency => ("轮值主席国", "presidency"),
            Rel::NextPresidency => ("下任主席国", "next presidency"),
            Rel::Pledged => ("承诺", "pledged"),
            Rel::PledgedAt => ("于", "at"),
            Rel::Delivered => ("发表", "delivered"),
            Rel::SpeechAt => ("讲话于", "speech at"),
            Rel::Adopted => ("通过于", "adopted at"),
        };
        if lang == Lang::Zh {
            zh
        } else {
            en
        }
    }

    fn style(self) -> &'static str {
        match self {
            Rel::Chaired => r##"color="#2e6b1f", fontcolor="#2e6b1f", penwidth=2"##,
            Rel::Attended => r##"color="#6aa84f", arrowsize=0.6"##,
            Rel::Post => r##"color="#999999", fontcolor="#666666", arrowsize=0.6"##,
            Rel::Member => r##"color="#1f5fa8", fontcolor="#1f5fa8", penwidth=1.5"##,
            Rel::Observer => r##"color="#6f8fcf", fontcolor="#3f5f9f""##,
            Rel::DialoguePartner => r##"color="#9fb3d9", fontcolor="#3f5f9f""##,
            Rel::Accession => r##"color="#1f5fa8", fontcolor="#1f5fa8", style=dotted"##,
            Rel::Hosted | Rel::Presidency => r##"color="#b8860b", fontcolor="#8a6408""##,
            Rel::NextPresidency => r##"color="#b8860b", fontcolor="#8a6408", style=dotted"##,
            Rel::Pledged | Rel::PledgedAt => r##"color="#b03a48", fontcolor="#b03a48""##,
            Rel::Delivered | Rel::SpeechAt | Rel::Adopted => {
                r##"color="#7d4a9a", fontcolor="#7d4a9a""##
            }
        }
    }
}

/// What the store says of one entity.
#[derive(Debug, Default)]
struct Entity {
    classes: BTreeSet<Class>,
    is_place: bool,
    zh: BTreeSet<String>,
    en: BTreeSet<String>,
    /// Aliases, ISO3 codes: matched by `--focus`, not drawn.
    names: BTreeSet<String>,
    date: Option<String>,
    session: Option<String>,
    place: Option<String>,
    body: Option<String>,
    amount: Option<String>,
    unit: Option<String>,
    item: Option<String>,
    years: Option<String>,
}

impl Entity {
    fn class(&self) -> Option<Class> {
        // A meeting or document typed also as something else is drawn as such.
        [
            Class::Meeting,
            Class::Document,
            Class::Pledge,
            Class::Person,
            Class::Country,
            Class::Organization,
        ]
        .into_iter()
        .find(|c| self.classes.contains(c))
    }
}

/// One relation between two entities, before parallel ones are merged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Relation {
    from: String,
    to: String,
    rel: Rel,
    /// Label lines beyond the relation's name (year, title…), already in the picture language.
    label: String,
    video: bool,
    tooltip: String,
}

/// A node as written.
#[derive(Debug, Clone)]
struct PicNode {
    id: String,
    label: String,
    class: Class,
    tooltip: String,
    focus: bool,
    /// Meetings are drawn in the order of their dates.
    date: Option<String>,
}

/// An edge as written.
#[derive(Debug, Clone)]
struct PicEdge {
    from: String,
    to: String,
    rel: Rel,
    label: String,
    dashed: bool,
    tooltip: String,
}

/// Everything a DOT picture holds; [`render`] writes it.
#[derive(Debug, Clone)]
struct Picture {
    title: String,
    lang: Lang,
    nodes: Vec<PicNode>,
    edges: Vec<PicEdge>,
}

/// Escape text for a double-quoted DOT string used as a label: quotes and
/// backslashes escaped, line breaks as `\n`, other control characters
/// dropped, `&` written as an entity so GraphViz does not read `&lt;` and
/// its kind as markup. Braces, `<>` and the like need nothing inside quotes.
fn escape_dot(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '&' => out.push_str("&amp;"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A quoted DOT ID. IDs are not labels: escape sequences such as `\n` mean
/// nothing in them, only `"` needs a backslash (and a backslash before it).
fn quote_id(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push('_'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The stable node id of an IRI: its prefixed name (`country:IRN`,
/// `meeting:sco-hos-21`, `res:pledge/83016a86a3d661d4`), or the IRI itself.
fn node_id(iri: &str) -> String {
    vocab::PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
        .unwrap_or_else(|| iri.to_string())
}

/// A readable name when an entity has no label: the last segment of its
/// IRI, percent-decoded (`meeting:sco-hos-21` → `sco-hos-21`).
fn local_name(iri: &str) -> String {
    let local = iri
        .rsplit(['/', '#', ':'])
        .find(|s| !s.is_empty())
        .unwrap_or(iri);
    percent_decode(local)
}

fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Display width in columns: wide (CJK) characters count two.
fn columns(s: &str) -> usize {
    s.chars()
        .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
        .sum()
}

/// Wrap a long line into lines of about equal width: at spaces in Latin
/// text, between any two characters in Chinese text.
fn wrap(s: &str) -> String {
    let total = columns(s);
    if total <= WRAP_COLUMNS {
        return s.to_string();
    }
    let lines = total.div_ceil(WRAP_COLUMNS);
    let target = total.div_ceil(lines);
    // Tokens: a run of non-space narrow characters, or one wide character.
    let mut tokens: Vec<String> = Vec::new();
    for c in s.chars() {
        let wide = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > 1;
        match tokens.last_mut() {
            Some(t)
                if !wide && c != ' ' && !t.ends_with(' ') && columns(t) == t.chars().count() =>
            {
                t.push(c)
            }
            _ => tokens.push(c.to_string()),
        }
    }
    let mut out = String::new();
    let mut width = 0;
    for t in tokens {
        if t == " " {
            if width >= target {
                out.push('\n');
                width = 0;
            } else if width > 0 {
                out.push(' ');
                width += 1;
            }
            continue;
        }
        let w = columns(&t);
        let wide = w > t.chars().count();
        // Break once the line is full, or before a word that would overflow by more than half.
        if width > 0 && width + w / 2 > target && (wide || out.ends_with(' ')) {
            while out.ends_with(' ') {
                out.pop();
            }
            out.push('\n');
            width = 0;
        }
        out.push_str(&t);
        width += w;
    }
    out
}

/// `2300000000000` → `2,300,000,000,000`; other text unchanged.
fn group_digits(n: &str) -> String {
    let (int, frac) = n.split_once('.').unwrap_or((n, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return n.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let frac = frac.trim_end_matches('0');
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

fn ordinal(n: &str) -> String {
    let Ok(v) = n.parse::<u32>() else {
        return n.to_string();
    };
    let suffix = match (v % 10, v % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{v}{suffix}")
}

/// The longest label (the full name rather than an abbreviation), ties by text.
fn preferred(labels: &BTreeSet<String>) -> Option<&str> {
    let mut best: Option<&str> = None;
    for l in labels {
        if best.is_none_or(|b| l.chars().count() > b.chars().count()) {
            best = Some(l);
        }
    }
    best
}

/// Rows of a SELECT as strings (IRIs in full, literals by value, "" when
/// unbound), sorted, so that pictures do not depend on store order.
fn rows(store: &KgStore, body: &str, vars: &[&str]) -> Result<Vec<Vec<String>>> {
    let sparql = format!("{}{body}", vocab::sparql_prefixes());
    let mut out = Vec::new();
    if let QueryResults::Solutions(solutions) = store.query(&sparql, &[])? {
        for row in solutions {
            let row = row.map_err(|e| Error::QueryEvaluation(e.to_string()))?;
            out.push(
                vars.iter()
                    .map(|v| match row.get(*v) {
                        Some(Term::NamedNode(n)) => n.as_str().to_string(),
                        Some(Term::Literal(l)) => l.value().to_string(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    })
                    .collect(),
            );
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

const ENTITIES: &str = r#"
SELECT DISTINCT ?e ?class ?l ?lang WHERE {
  ?e a ?class .
  FILTER(?class IN (sco:Country, sco:Organization, sco:Body, sco:Person, sco:Meeting, sco:Place, sco:Document, sco:Pledge))
  OPTIONAL { ?e rdfs:label ?l BIND(LANG(?l) AS ?lang) }
}"#;

const NAMES: &str = r#"
SELECT DISTINCT ?e ?name WHERE { { ?e sco:alias ?name } UNION { ?e sco:iso3 ?name } }"#;

const MEETINGS: &str = r#"
SELECT DISTINCT ?m ?date ?session ?place ?body WHERE {
  ?m a sco:Meeting .
  OPTIONAL { ?m sco:date ?date } OPTIONAL { ?m sco:session ?session }
  OPTIONAL { ?m sco:place ?place } OPTIONAL { ?m sco:body ?body }
}"#;

const PLEDGES: &str = r#"
SELECT DISTINCT ?p ?by ?amount ?unit ?item ?years ?m WHERE {
  ?p a sco:Pledge .
  OPTIONAL { ?p sco:pledgedBy ?by } OPTIONAL { ?p sco:amount ?amount } OPTIONAL { ?p sco:unit ?unit }
  OPTIONAL { ?p sco:item ?item } OPTIONAL { ?p sco:periodYears ?years } OPTIONAL { ?p sco:meeting ?m }
}"#;

const DOCUMENTS: &str = r#"
SELECT DISTINCT ?d ?kind ?m ?speaker WHERE {
  ?d a sco:Document .
  OPTIONAL { ?d sco:kind ?kind } OPTIONAL { ?d sco:meeting ?m } OPTIONAL { ?d sco:speaker ?speaker }
}"#;

const ATTENDANCES: &str = r#"
SELECT DISTINCT ?person ?m ?mode ?capacity WHERE {
  ?a a sco:Attendance ; sco:person ?person ; sco:meeting ?m .
  OPTIONAL { ?a sco:mode ?mode } OPTIONAL { ?a sco:capacity ?capacity }
}"#;

const MEETING_ROLES: &str = r#"
SELECT DISTINCT ?m ?rel ?o WHERE {
  ?m a sco:Meeting .
  { ?m sco:chair ?o BIND("chair" AS ?rel) }
  UNION { ?m sco:hostCountry ?o BIND("host" AS ?rel) }
  UNION { ?m sco:chairCountry ?o BIND("presidency" AS ?rel) }
  UNION { ?m sco:nextChairCountry ?o BIND("next" AS ?rel) }
}"#;

const MEMBERSHIPS: &str = r#"
SELECT DISTINCT ?c ?o ?role ?since ?asof ?founding WHERE {
  ?ms a org:Membership ; org:member ?c ; org:organization ?o ; org:role ?role .
  OPTIONAL { ?ms sco:since ?since } OPTIONAL { ?ms sco:asOf ?asof } OPTIONAL { ?ms sco:founding ?founding }
}"#;

const ACCESSION_STEPS: &str = r#"
SELECT DISTINCT ?c ?target ?step ?date WHERE {
  ?a a sco:AccessionStep ; sco:country ?c .
  OPTIONAL { ?a sco:meeting ?m } OPTIONAL { ?a sco:organization ?org }
  BIND(COALESCE(?m, ?org) AS ?target)
  OPTIONAL { ?a sco:step ?step } OPTIONAL { ?a sco:date ?date }
}"#;

const POSTS: &str = r#"
SELECT DISTINCT ?holder ?in ?title WHERE {
  ?p a sco:Post ; sco:holder ?holder ; sco:postIn ?in .
  OPTIONAL { ?p sco:title ?title }
}"#;

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn year(date: &str) -> &str {
    date.get(..4).unwrap_or(date)
}

/// Read entities and relations from the store.
fn collect(store: &KgStore, lang: Lang) -> Result<(BTreeMap<String, Entity>, Vec<Relation>)> {
    let mut entities: BTreeMap<String, Entity> = BTreeMap::new();
    for r in rows(store, ENTITIES, &["e", "class", "l", "lang"])? {
        let e = entities.entry(r[0].clone()).or_default();
        let local = r[1].strip_prefix(vocab::SCO).unwrap_or_default();
        if let Some(c) = Class::from_local(local) {
            e.classes.insert(c);
        }
        e.is_place |= local == "Place";
        if r[2].is_empty() {
            continue;
        }
        let english = r[3].starts_with("en")
            || r[3].is_empty() && !r[2].chars().any(|c| columns(&c.to_string()) > 1);
        if english {
            e.en.insert(r[2].clone());
        } else {
            e.zh.insert(r[2].clone());
        }
    }
    for r in rows(store, NAMES, &["e", "name"])? {
        if let Some(e) = entities.get_mut(&r[0]) {
            e.names.insert(r[1].clone());
        }
    }
    // Several values: the first in sorted order, so the choice is stable.
    let first = |slot: &mut Option<String>, v: &str| {
        if slot.is_none() {
            *slot = some(v);
        }
    };
    for r in rows(store, MEETINGS, &["m", "date", "session", "place", "body"])? {
        let e = entities.entry(r[0].clone()).or_default();
        first(&mut e.date, &r[1]);
        first(&mut e.session, &r[2]);
        first(&mut e.place, &r[3]);
        first(&mut e.body, &r[4]);
    }
    let mut relations = Vec::new();
    let mut relate = |from: &str, to: &str, rel: Rel, label: String, tooltip: String| {
        if !from.is_empty() && !to.is_empty() {
            relations.push(Relation {
                from: from.to_string(),
                to: to.to_string(),
                rel,
                label,
                video: false,
                tooltip,
            });
        }
    };
    for r in rows(
        store,
        PLEDGES,
        &["p", "by", "amount", "unit", "item", "years", "m"],
    )? {
        let e = entities.entry(r[0].clone()).or_default();
        e.classes.insert(Class::Pledge);
        first(&mut e.amount, &r[2]);
        first(&mut e.unit, &r[3]);
        first(&mut e.item, &r[4]);
        first(&mut e.years, &r[5]);
        relate(&r[1], &r[0], Rel::Pledged, String::new(), String::new());
        relate(&r[0], &r[6], Rel::PledgedAt, String::new(), String::new());
    }
    for r in rows(store, DOCUMENTS, &["d", "kind", "m", "speaker"])? {
        let speech = r[1] == "speech";
        let at = if speech { Rel::SpeechAt } else { Rel::Adopted };
        relate(&r[0], &r[2], at, String::new(), r[1].clone());
        relate(&r[3], &r[0], Rel::Delivered, String::new(), r[1].clone());
    }
    // Attendance: one edge per person and meeting, dashed when by video.
    let mut attended: BTreeMap<(String, String), (bool, BTreeSet<String>)> = BTreeMap::new();
    for r in rows(store, ATTENDANCES, &["person", "m", "mode", "capacity"])? {
        let a = attended.entry((r[0].clone(), r[1].clone())).or_default();
        a.0 |= r[2] == "video";
        a.1.extend(
            [r[2].clone(), r[3].clone()]
                .into_iter()
                .filter(|s| !s.is_empty()),
        );
    }
    for ((person, meeting), (video, notes)) in attended {
        let tooltip = notes.into_iter().collect::<Vec<_>>().join(", ");
        relations.push(Relation {
            from: person,
            to: meeting,
            rel: Rel::Attended,
            label: String::new(),
            video,
            tooltip,
        });
    }
    let mut relate = |from: &str, to: &str, rel: Rel, label: String| {
        if !from.is_empty() && !to.is_empty() {
            relations.push(Relation {
                from: from.to_string(),
                to: to.to_string(),
                rel,
                label,
                video: false,
                tooltip: String::new(),
            });
        }
    };
    for r in rows(store, MEETING_ROLES, &["m", "rel", "o"])? {
        let rel = match r[1].as_str() {
            "chair" => Rel::Chaired,
            "host" => Rel::Hosted,
            "presidency" => Rel::Presidency,
            _ => Rel::NextPresidency,
        };
        relate(&r[2], &r[0], rel, String::new());
    }
    // Memberships: one label per country, organisation and role, with the
    // earliest `since` year, else the latest `as of` year.
    #[derive(Default)]
    struct Status {
        since: Option<String>,
        as_of: Option<String>,
        founding: bool,
    }
    let mut statuses: BTreeMap<(String, String, Rel), Status> = BTreeMap::new();
    for r in rows(
        store,
        MEMBERSHIPS,
        &["c", "o", "role", "since", "asof", "founding"],
    )? {
        let rel = match r[2].strip_prefix(vocab::SCO).unwrap_or_default() {
            "MemberState" => Rel::Member,
            "ObserverState" => Rel::Observer,
            _ => Rel::DialoguePartner,
        };
        let s = statuses
            .entry((r[0].clone(), r[1].clone(), rel))
            .or_default();
        if !r[3].is_empty() && s.since.as_deref().is_none_or(|d| r[3].as_str() < d) {
            s.since = Some(r[3].clone());
        }
        if !r[4].is_empty() && s.as_of.as_deref().is_none_or(|d| r[4].as_str() > d) {
            s.as_of = Some(r[4].clone());
        }
        s.founding |= r[5] == "true";
    }
    for ((c, o, rel), s) in statuses {
        let name = rel.name(lang);
        let label = match (&s.since, &s.as_of, lang) {
            (Some(d), _, Lang::Zh) if s.founding => format!("创始{name} {}", year(d)),
            (Some(d), _, _) if s.founding => format!("founding {name} {}", year(d)),
            (Some(d), _, Lang::Zh) => format!("{name} {}起", year(d)),
            (Some(d), _, _) => format!("{name} since {}", year(d)),
            (None, Some(d), Lang::Zh) => format!("{name}（截至{}）", year(d)),
            (None, Some(d), _) => format!("{name} (as of {})", year(d)),
            (None, None, _) => name.to_string(),
        };
        relate(&c, &o, rel, label);
    }
    for r in rows(store, ACCESSION_STEPS, &["c", "target", "step", "date"])? {
        let step = match (r[2].as_str(), lang) {
            ("procedure-started", Lang::Zh) => "启动接收程序",
            ("procedure-started", _) => "accession procedure started",
            ("memorandum-signed", Lang::Zh) => "签署义务备忘录",
            ("memorandum-signed", _) => "memorandum of obligations signed",
            ("admitted", Lang::Zh) => "接收为成员国",
            ("admitted", _) => "admitted",
            ("dialogue-partner-granted", Lang::Zh) => "给予对话伙伴地位",
            ("dialogue-partner-granted", _) => "made dialogue partner",
            (other, _) => other,
        };
        relate(&r[0], &r[1], Rel::Accession, step.to_string());
    }
    // Posts: the titles a person holds in one country or organisation, in one label.
    let mut posts: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for r in rows(store, POSTS, &["holder", "in", "title"])? {
        let titles = posts.entry((r[0].clone(), r[1].clone())).or_default();
        if !r[2].is_empty() {
            titles.insert(r[2].clone());
        }
    }
    for ((holder, within), titles) in posts {
        let label = wrap(&titles.into_iter().collect::<Vec<_>>().join("、"));
        relate(&holder, &within, Rel::Post, label);
    }
    // Relations to entities that are not drawn (places, untyped nodes) are dropped.
    relations.retain(|r| {
        [&r.from, &r.to]
            .iter()
            .all(|iri| entities.get(*iri).and_then(Entity::class).is_some())
    });
    Ok((entities, relations))
}

/// The label of an entity in the picture language.
fn entity_label(iri: &str, e: &Entity, all: &BTreeMap<String, Entity>, lang: Lang) -> String {
    let zh = preferred(&e.zh).map(wrap);
    let mut en = preferred(&e.en).map(wrap);
    let class = e.class();
    let name_of = |other: &Option<String>, want_en: bool| -> Option<String> {
        let o = all.get(other.as_deref()?)?;
        let l = if want_en {
            preferred(&o.en).or(preferred(&o.zh))
        } else {
            preferred(&o.zh).or(preferred(&o.en))
        };
        l.map(str::to_string)
    };
    if class == Some(Class::Meeting) && en.is_none() {
        // An English name from the body's, the session and the place.
        let body = name_of(&e.body, true).filter(|b| b.is_ascii());
        let place = name_of(&e.place, true).filter(|p| p.is_ascii());
        en = match (body, &e.session, place) {
            (Some(b), Some(s), _) => Some(format!("{b},\n{} meeting", ordinal(s))),
            (Some(b), None, Some(p)) => Some(format!("{b},\n{p} summit")),
            _ => None,
        };
    }
    let mut lines: Vec<String> = Vec::new();
    if class == Some(Class::Pledge) {
        let amount = [e.amount.as_deref().map(group_digits), e.unit.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !amount.is_empty() {
            lines.push(amount);
        }
        if let Some(item) = &e.item {
            lines.push(wrap(item));
        }
        if let Some(y) = &e.years {
            lines.push(match lang {
                Lang::Zh => format!("（{y}年）"),
                _ => format!("({y} years)"),
            });
        }
    } else {
        match (lang, zh, en) {
            (Lang::Zh, Some(z), _) | (Lang::En, None, Some(z)) => lines.push(z),
            (Lang::En, _, Some(n)) | (Lang::Zh, None, Some(n)) => lines.push(n),
            (Lang::En, Some(z), None) => lines.push(z),
            (Lang::Both, Some(z), Some(n)) => lines.extend([z, n]),
            (Lang::Both, Some(z), None) => lines.push(z),
            (Lang::Both, None, Some(n)) => lines.push(n),
            (_, None, None) => {}
        }
    }
    if lines.is_empty() {
        lines.push(local_name(iri));
    }
    if class == Some(Class::Meeting) {
        let place = name_of(&e.place, lang == Lang::En);
        let when_where = [e.date.clone(), place]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        if !when_where.is_empty() {
            lines.push(when_where);
        }
    }
    lines.join("\n")
}

/// Does an entity match the focus term? `exact`: equal (ignoring case) to
/// its id, local name, a label, alias or code; else containing it.
fn matches_focus(iri: &str, e: &Entity, drawn_label: &str, term: &str, exact: bool) -> bool {
    let term = term.trim().to_lowercase();
    let mut names: Vec<String> = vec![node_id(iri), local_name(iri)];
    names.extend(e.zh.iter().cloned());
    names.extend(e.en.iter().cloned());
    names.extend(e.names.iter().cloned());
    names.extend(e.item.iter().cloned());
    if !exact {
        names.push(drawn_label.replace('\n', ""));
    }
    names.iter().any(|n| {
        let n = n.to_lowercase();
        if exact {
            n == term
        } else {
            n.contains(&term)
        }
    })
}

/// Build the picture: entities, merged relations, the focus neighbourhood.
fn picture(store: &KgStore, options: &PictureOptions) -> Result<Picture> {
    let lang = options.lang;
    let (entities, relations) = collect(store, lang)?;
    let mut drawn: BTreeMap<&str, (Class, String)> = entities
        .iter()
        .filter_map(|(iri, e)| {
            let class = e.class()?;
            Some((iri.as_str(), (class, entity_label(iri, e, &entities, lang))))
        })
        .collect();
    // Posts would tie every person back to a country across the picture: a
    // person's label names the country (else the organisation) instead, and
    // post edges are drawn only where they touch the focus.
    {
        let mut affiliation: BTreeMap<&str, (Class, &str)> = BTreeMap::new();
        for r in relations.iter().filter(|r| r.rel == Rel::Post) {
            let class = drawn[r.to.as_str()].0;
            let best = affiliation.entry(r.from.as_str()).or_insert((class, &r.to));
            if class < best.0 {
                *best = (class, &r.to);
            }
        }
        for (person, (_, within)) in affiliation {
            let name = wrap(&drawn[within].1.replace('\n', " "));
            let line = match lang {
                Lang::Zh => format!("（{name}）"),
                _ => format!("({name})"),
            };
            if let Some((_, label)) = drawn.get_mut(person) {
                label.push('\n');
                label.push_str(&line);
            }
        }
    }
    // The relation graph, for the focus traversal.
    // A pledge stands in the middle of the relation "country pledged at
    // meeting": each half weighs 1, every other relation 2, so a pledge is
    // drawn together with the country that made it and the meeting it was
    // made at, and counts as no extra step between them.
    let mut graph: UnGraph<&str, usize> = UnGraph::new_undirected();
    let index: BTreeMap<&str, NodeIndex> = drawn
        .keys()
        .map(|iri| (*iri, graph.add_node(*iri)))
        .collect();
    for r in &relations {
        let weight = if matches!(r.rel, Rel::Pledged | Rel::PledgedAt) {
            1
        } else {
            2
        };
        graph.add_edge(index[r.from.as_str()], index[r.to.as_str()], weight);
    }
    let (keep, focus, title): (BTreeSet<&str>, BTreeSet<&str>, String) = match &options.focus {
        Some(term) => {
            let find = |exact: bool| -> BTreeSet<&str> {
                drawn
                    .iter()
                    .filter(|(iri, (_, label))| {
                        matches_focus(iri, &entities[**iri], label, term, exact)
                    })
                    .map(|(iri, _)| *iri)
                    .collect()
            };
            let mut starts = find(true);
            if starts.is_empty() {
                starts = find(false);
            }
            if starts.is_empty() {
                return Err(Error::Usage(format!(
                    "no entity matches --focus `{term}`: try a Chinese or English name, an ISO3 code or an id such as sco-hos-21 (see `scokg lookup`)"
                )));
            }
            let mut keep = BTreeSet::new();
            for &start in &starts {
                let distances = dijkstra(&graph, index[start], None, |e| *e.weight());
                keep.extend(
                    distances
                        .into_iter()
                        .filter(|(_, d)| *d <= options.depth.saturating_mul(2))
                        .map(|(n, _)| graph[n]),
                );
            }
            let names = starts
                .iter()
                .map(|iri| {
                    let e = &entities[*iri];
                    let (zh, en) = (preferred(&e.zh), preferred(&e.en));
                    let name = match (lang, zh, en) {
                        (Lang::Both, Some(z), Some(n)) => Some(format!("{z} {n}")),
                        (Lang::Zh, Some(z), _) | (_, None, Some(z)) => Some(z.to_string()),
                        (_, Some(z), None) | (_, _, Some(z)) => Some(z.to_string()),
                        (_, None, None) => None,
                    };
                    name.unwrap_or_else(|| local_name(iri))
                })
                .collect::<Vec<_>>()
                .join(", ");
            let title = match lang {
                Lang::Zh => format!("{names} 的关系（{} 步以内）", options.depth),
                _ => format!(
                    "Neighbourhood of {names}, {} relation{} deep",
                    options.depth,
                    if options.depth == 1 { "" } else { "s" }
                ),
            };
            (keep, starts, title)
        }
        None => {
            // The whole graph: entities that take part in a relation.
            let keep: BTreeSet<&str> = relations
                .iter()
                .filter(|r| r.rel != Rel::Post)
                .flat_map(|r| [r.from.as_str(), r.to.as_str()])
                .collect();
            let left_out = drawn.len() - keep.len();
            let title = match lang {
                Lang::Zh => format!("上海合作组织知识图谱（另有 {left_out} 个无关系的实体未画出）"),
                _ => {
                    format!("SCO knowledge graph ({left_out} entities without relations not drawn)")
                }
            };
            (keep, BTreeSet::new(), title)
        }
    };
    let shown = relations.iter().filter(|r| {
        r.rel != Rel::Post || focus.contains(r.from.as_str()) || focus.contains(r.to.as_str())
    });
    let nodes = drawn
        .iter()
        .filter(|(iri, _)| keep.contains(*iri))
        .map(|(iri, (class, label))| PicNode {
            id: node_id(iri),
            label: label.clone(),
            class: *class,
            tooltip: iri.to_string(),
            focus: focus.contains(*iri),
            date: entities[*iri].date.clone(),
        })
        .collect();
    // Parallel relations become one edge with one label line each.
    let mut merged: BTreeMap<(&str, &str), Vec<&Relation>> = BTreeMap::new();
    for r in shown {
        if keep.contains(r.from.as_str()) && keep.contains(r.to.as_str()) {
            merged
                .entry((r.from.as_str(), r.to.as_str()))
                .or_default()
                .push(r);
        }
    }
    let edges = merged
        .into_iter()
        .map(|((from, to), mut rs)| {
            rs.sort_by(|a, b| (a.rel, &a.label).cmp(&(b.rel, &b.label)));
            let rel = rs[0].rel;
            let label = rs
                .iter()
                .filter(|r| r.rel != Rel::Attended)
                .map(|r| match (r.rel, r.label.is_empty()) {
                    (
                        Rel::Post
                        | Rel::Accession
                        | Rel::Member
                        | Rel::Observer
                        | Rel::DialoguePartner,
                        false,
                    ) => r.label.clone(),
                    (Rel::Pledged | Rel::PledgedAt | Rel::Delivered | Rel::SpeechAt, _) => {
                        String::new()
                    }
                    (_, true) => r.rel.name(lang).to_string(),
                    (_, false) => format!("{} {}", r.rel.name(lang), r.label),
                })
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            let tooltip = rs
                .iter()
                .map(|r| {
                    let name = Rel::name(r.rel, Lang::En);
                    if r.tooltip.is_empty() {
                        name.to_string()
                    } else {
                        format!("{name} ({})", r.tooltip)
                    }
                })
                .collect::<Vec<_>>()
                .join("; ");
            PicEdge {
                from: node_id(from),
                to: node_id(to),
                rel,
                label,
                dashed: rs.iter().any(|r| r.video),
                tooltip,
            }
        })
        .collect();
    Ok(Picture {
        title,
        lang,
        nodes,
        edges,
    })
}

/// Write a picture as DOT source.
fn render(p: &Picture) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let font = FONT;
    let _ = writeln!(out, "digraph scokg {{");
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, ranksep=0.9, nodesep=0.18, newrank=true, fontname=\"{font}\", fontsize=16, labelloc=t, label=\"{}\"];",
        escape_dot(&p.title)
    );
    let _ = writeln!(
        out,
        "  node [fontname=\"{font}\", fontsize=11, margin=\"0.12,0.05\"];"
    );
    let _ = writeln!(out, "  edge [fontname=\"{font}\", fontsize=9];");
    render_legend(&mut out, p.lang);
    for n in &p.nodes {
        let _ = writeln!(
            out,
            "  {} [label=\"{}\", {}, tooltip=\"{}\"{}];",
            quote_id(&n.id),
            escape_dot(&n.label),
            n.class.style(),
            escape_dot(&n.tooltip),
            if n.focus { ", penwidth=3" } else { "" }
        );
    }
    for e in &p.edges {
        let mut attrs = vec![e.rel.style().to_string()];
        if !e.label.is_empty() {
            attrs.push(format!("label=\"{}\"", escape_dot(&e.label)));
            if e.rel.decorated() {
                attrs.push("decorate=true".into());
            }
        }
        if e.dashed {
            attrs.push("style=dashed".into());
        }
        attrs.push(format!("tooltip=\"{}\"", escape_dot(&e.tooltip)));
        let (a, b) = if e.rel.reversed() {
            attrs.push("dir=back".into());
            (&e.to, &e.from)
        } else {
            (&e.from, &e.to)
        };
        let _ = writeln!(
            out,
            "  {} -> {} [{}];",
            quote_id(a),
            quote_id(b),
            attrs.join(", ")
        );
    }
    // Countries in one column: memberships, pledges and hosting all start there.
    let countries: Vec<String> = p
        .nodes
        .iter()
        .filter(|n| n.class == Class::Country)
        .map(|n| quote_id(&n.id))
        .collect();
    if countries.len() > 1 {
        let _ = writeln!(out, "  {{ rank=same; {}; }}", countries.join("; "));
    }
    // Meetings in one column, oldest first.
    let mut meetings: Vec<(&Option<String>, &str)> = p
        .nodes
        .iter()
        .filter(|n| n.class == Class::Meeting)
        .map(|n| (&n.date, n.id.as_str()))
        .collect();
    meetings.sort();
    if meetings.len() > 1 {
        let chain: Vec<String> = meetings.iter().map(|(_, id)| quote_id(id)).collect();
        let _ = writeln!(
            out,
            "  {{ rank=same; {} [style=invis]; }}",
            chain.join(" -> ")
        );
    }
    let _ = writeln!(out, "}}");
    out
}

/// The legend: one node per class and the relations between them, a small
/// schema of the picture.
fn render_legend(out: &mut String, lang: Lang) {
    use std::fmt::Write as _;
    let title = match lang {
        Lang::Zh => "图例",
        Lang::En => "legend",
        Lang::Both => "图例 legend",
    };
    let _ = writeln!(
        out,
        "  subgraph cluster_legend {{\n    label=\"{title}\"; fontsize=12; style=\"rounded\"; color=\"#bbbbbb\";"
    );
    for class in Class::ALL {
        let _ = writeln!(
            out,
            "    \"legend:{class:?}\" [label=\"{}\", {}, fontsize=10];",
            escape_dot(class.name(lang)),
            class.style()
        );
    }
    let video = match lang {
        Lang::Zh => "视频出席",
        _ => "attended by video",
    };
    let membership = match lang {
        Lang::Zh => "成员国 / 观察员国 /\n对话伙伴 + 年份",
        _ => "member / observer /\ndialogue partner + year",
    };
    let hosted = match lang {
        Lang::Zh => "主办、轮值主席国、\n加入步骤",
        _ => "hosted, presidency,\naccession step",
    };
    let post = match lang {
        Lang::Zh => "职务",
        _ => "post (title)",
    };
    let samples: [(Class, Class, Rel, String, bool); 8] = [
        (
            Class::Person,
            Class::Meeting,
            Rel::Attended,
            Rel::Attended.name(lang).into(),
            false,
        ),
        (
            Class::Person,
            Class::Meeting,
            Rel::Attended,
            video.into(),
            true,
        ),
        (Class::Person, Class::Country, Rel::Post, post.into(), false),
        (
            Class::Country,
            Class::Organization,
            Rel::Member,
            membership.into(),
            false,
        ),
        (
            Class::Country,
            Class::Pledge,
            Rel::Pledged,
            Rel::Pledged.name(lang).into(),
            false,
        ),
        (
            Class::Pledge,
            Class::Meeting,
            Rel::PledgedAt,
            Rel::PledgedAt.name(lang).into(),
            false,
        ),
        (
            Class::Document,
            Class::Meeting,
            Rel::Adopted,
            Rel::Adopted.name(lang).into(),
            false,
        ),
        (
            Class::Country,
            Class::Meeting,
            Rel::Hosted,
            hosted.into(),
            false,
        ),
    ];
    for (from, to, rel, label, dashed) in samples {
        let (a, b, dir) = if rel.reversed() {
            (to, from, ", dir=back")
        } else {
            (from, to, "")
        };
        let _ = writeln!(
            out,
            "    \"legend:{a:?}\" -> \"legend:{b:?}\" [{}, label=\"{}\"{}{dir}];",
            rel.style(),
            escape_dot(&label),
            if dashed { ", style=dashed" } else { "" }
        );
    }
    let _ = writeln!(out, "  }}");
}

/// Write a DOT picture of the entity graph: the whole of it, or with
/// `--focus` the entities at most `depth` relations from the matching ones.
pub fn write_dot(store: &KgStore, options: &PictureOptions, out: &mut impl Write) -> Result<()> {
    let picture = picture(store, options)?;
    out.write_all(render(&picture).as_bytes())
        .map_err(|e| Error::io("<output>", e))
}

/// Render DOT source to SVG with GraphViz `dot`.
pub fn dot_to_svg(dot: &[u8]) -> Result<Vec<u8>> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|_| Error::External("GraphViz `dot` was not found: install it (Debian package `graphviz`) or export --format dot".into()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot)
            .map_err(|e| Error::External(format!("dot: {e}")))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| Error::External(format!("dot: {e}")))?;
    if !output.status.success() {
        return Err(Error::External(format!(
            "dot failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels a news text or a careless lexicon could carry.
    const HOSTILE: &[&str] = &[
        "plain",
        "say \"hi\"",
        "back\\slash",
        "trailing backslash\\",
        "\\\"escaped quote",
        "\\n \\l \\N \\G \\E \\T \\H \\L not escapes",
        "two\nlines\r\nand CRLF",
        "tab\there",
        "nul\u{0}bell\u{7}",
        "{braces} [brackets] ;semicolon, comma = equals",
        "<angle> <<html>> <b>bold</b> <TABLE>",
        "&amp; &lt;entity&gt; & lone ampersand &#x41;",
        "-> -- edge ops",
        "// comment /* block */ # hash",
        "上海合作组织“引号”「」《宣言》",
        "emoji 🌏 and RTL עברית العربية",
        "",
        "\"",
        "\\",
    ];

    fn hostile_picture() -> Picture {
        let nodes = HOSTILE
            .iter()
            .enumerate()
            .map(|(i, label)| PicNode {
                id: format!("res:x/{i}\"{label}"),
                label: label.to_string(),
                class: Class::ALL[i % Class::ALL.len()],
                tooltip: label.to_string(),
                focus: i == 0,
                date: Some(label.to_string()),
            })
            .collect::<Vec<_>>();
        let edges = nodes
            .windows(2)
            .enumerate()
            .map(|(i, w)| PicEdge {
                from: w[0].id.clone(),
                to: w[1].id.clone(),
                rel: Rel::Member,
                label: HOSTILE[i].to_string(),
                dashed: i % 2 == 0,
                tooltip: HOSTILE[i].to_string(),
            })
            .collect();
        Picture {
            title: HOSTILE.join(" "),
            lang: Lang::Both,
            nodes,
            edges,
        }
    }

    fn dot_installed() -> bool {
        std::process::Command::new("dot")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    #[test]
    fn escaping_keeps_everything_inside_the_quotes() {
        for label in HOSTILE {
            let escaped = escape_dot(label);
            assert!(!escaped.contains('\n') && !escaped.contains('\r'));
            // Every quote is escaped: an odd run of backslashes precedes it.
            let chars: Vec<char> = escaped.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if *c == '"' {
                    let run = chars[..i].iter().rev().take_while(|c| **c == '\\').count();
                    assert_eq!(run % 2, 1, "unescaped quote in {escaped:?}");
                }
            }
            // No backslash is left to end the string or start an escape.
            let run = chars.iter().rev().take_while(|c| **c == '\\').count();
            assert_eq!(run % 2, 0, "dangling backslash in {escaped:?}");
        }
        assert_eq!(escape_dot("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(escape_dot("&lt;"), "&amp;lt;");
        assert_eq!(quote_id("a\"b\\"), "\"a\\\"b\\\\\"");
    }

    #[test]
    fn dot_accepts_hostile_labels() {
        let dot = render(&hostile_picture());
        if !dot_installed() {
            eprintln!("note: GraphViz `dot` is not installed; only the escaping was checked");
            return;
        }
        let svg = dot_to_svg(dot.as_bytes()).expect("dot accepts the picture");
        let svg = String::from_utf8(svg).expect("utf-8 svg");
        // The text arrives as written (XML-escaped by GraphViz).
        assert!(svg.contains("back\\slash"), "{svg}");
        assert!(svg.contains("&lt;angle&gt;"), "{svg}");
        assert!(svg.contains("{braces}"), "{svg}");
        assert!(svg.contains("&amp;lt;entity&amp;gt;"), "{svg}");
        assert!(svg.contains("\\n \\l \\N"), "{svg}");
        assert!(svg.contains("《宣言》"), "{svg}");
    }

    #[test]
    fn rendering_is_deterministic() {
        assert_eq!(render(&hostile_picture()), render(&hostile_picture()));
    }

    #[test]
    fn long_labels_wrap_evenly() {
        let w = wrap("上海合作组织成员国元首理事会第二十一次会议");
        let lines: Vec<&str> = w.lines().collect();
        assert_eq!(lines.len(), 2, "{w}");
        assert_eq!(lines.concat(), "上海合作组织成员国元首理事会第二十一次会议");
        assert_eq!(wrap("伊朗"), "伊朗");
        let en = wrap("Regional Anti-Terrorist Structure of the Shanghai Cooperation Organisation");
        assert!(en.lines().all(|l| columns(l) <= WRAP_COLUMNS + 8), "{en}");
        assert_eq!(
            en.replace('\n', " "),
            "Regional Anti-Terrorist Structure of the Shanghai Cooperation Organisation"
        );
    }

    #[test]
    fn numbers_names_and_ids() {
        assert_eq!(group_digits("2300000000000"), "2,300,000,000,000");
        assert_eq!(group_digits("100"), "100");
        assert_eq!(group_digits("1.50"), "1.5");
        assert_eq!(group_digits("abc"), "abc");
        assert_eq!(ordinal("21"), "21st");
        assert_eq!(ordinal("12"), "12th");
        assert_eq!(ordinal("23"), "23rd");
        assert_eq!(
            local_name("https://w3id.org/scokg/id/meeting/sco-hos-21"),
            "sco-hos-21"
        );
        assert_eq!(
            local_name("https://w3id.org/scokg/id/place/%E9%9D%92%E5%B2%9B"),
            "青岛"
        );
        assert_eq!(
            node_id("https://w3id.org/scokg/id/country/IRN"),
            "country:IRN"
        );
    }
}
