//! Fact lookup: find entities by label, alias, English name or ISO3 code and
//! list what the graph says of them, each fact with its quote and
//! `file:line`. The user's text only ever enters SPARQL as a bound literal.

use crate::error::{Error, Result};
use crate::graph::vocab;
use crate::query::display_term;
use crate::store::KgStore;
use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::QueryResults;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// An entity that matched.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entity {
    /// Its IRI.
    pub iri: String,
    /// Its Chinese label.
    pub label: String,
    /// Its English label.
    pub english: Option<String>,
    /// Its class (Country, Person …).
    pub class: String,
}

/// One fact about an entity.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FactLine {
    /// Statement kind (Membership, Attendance …).
    pub kind: String,
    /// The statement node.
    pub statement: String,
    /// Its properties, rendered.
    pub summary: String,
    /// Its date (since, as of, or the date of its meeting), when known.
    pub date: Option<String>,
    /// The quote.
    pub quote: String,
    /// Source file.
    pub file: String,
    /// Line in the source file.
    pub line: u64,
    /// The extraction or inference rule.
    pub rule: String,
    /// How many reports (evidence nodes) the statement has in all; the
    /// lines of one statement show at most the number asked for.
    pub reports: usize,
}

/// The entities whose label, alias or code passes `filter` (on `?l`
/// against the bound `?term`). Each pattern is read DISTINCT before it is
/// filtered or joined (see `objects`); the entity's class is then read
/// pattern by pattern. Labels, aliases and codes are read from the graphs
/// of `facts_dataset`, which hold every entity description once, not from
/// the union, where a document's label comes once per reporting file.
fn find_query(filter: &str) -> String {
    format!(
        "SELECT DISTINCT ?e ?term {} WHERE {{\n  \
         {{ SELECT DISTINCT ?e ?l WHERE {{ {{ ?e rdfs:label ?l }} UNION {{ ?e sco:alias ?l }} UNION {{ ?e sco:iso3 ?l }} }} }}\n  \
         FILTER({filter})\n}}",
        facts_dataset()
    )
}

/// Exact matches first; containing the term when nothing matches exactly.
const FILTERS: [&str; 2] = [
    "LCASE(STR(?l)) = LCASE(STR(?term))",
    "CONTAINS(LCASE(STR(?l)), LCASE(STR(?term)))",
];

/// The classes lookup lists, as `sco:` local names.
const LISTED_CLASSES: &[&str] = &[
    "Country",
    "Organization",
    "Person",
    "Place",
    "Meeting",
    "Document",
];

const LABELS: &str = r#"
SELECT ?e ?zh ?en WHERE {
  OPTIONAL { ?e rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?e rdfs:label ?en FILTER(LANG(?en) = "en") }
} LIMIT 1"#;

/// The graphs holding each fact once (facts, entity descriptions,
/// inferred facts), as a SPARQL dataset clause: statement-level reads go
/// there instead of the union, where a fact comes once per reporting file.
fn facts_dataset() -> String {
    format!(
        "FROM {} FROM {} FROM {}",
        vocab::facts_graph(),
        vocab::entities_graph(),
        vocab::inferred_graph()
    )
}

/// The distinct objects of `subject predicate ?o` in the graphs of
/// [`facts_dataset`]. Facts are read pattern by pattern rather than with one
/// join, each pattern `DISTINCT` on the store's encoded terms.
fn objects(store: &KgStore, subject: &NamedNode, predicate: &NamedNode) -> Result<Vec<Term>> {
    // Both IRIs come from the store, written as `<…>`: no user text.
    let sparql = format!(
        "SELECT DISTINCT ?o {} WHERE {{ {subject} {predicate} ?o }}",
        facts_dataset()
    );
    Ok(rows(store, &sparql, &[])?
        .into_iter()
        .filter_map(|mut r| r.remove("o"))
        .collect())
}

/// The distinct `(predicate, object)` pairs of `subject` in the graphs of
/// [`facts_dataset`], other than evidence links, in the store's order: one
/// query for every property of a statement, where [`objects`] reads one.
/// The pairs of one predicate come in the order [`objects`] gives them.
fn properties(store: &KgStore, subject: &NamedNode) -> Result<Vec<(NamedNode, Term)>> {
    // The IRI comes from the store, written as `<…>`: no user text.
    let sparql = format!(
        "SELECT DISTINCT ?p ?o {} WHERE {{ {subject} ?p ?o FILTER(?p != prov:wasDerivedFrom) }}",
        facts_dataset()
    );
    Ok(rows(store, &sparql, &[])?
        .into_iter()
        .filter_map(|mut r| match (r.remove("p"), r.remove("o")) {
            (Some(Term::NamedNode(p)), Some(o)) => Some((p, o)),
            _ => None,
        })
        .collect())
}

/// The objects of `predicate` among `properties`, in their order.
fn objects_of<'a>(
    properties: &'a [(NamedNode, Term)],
    predicate: &'a NamedNode,
) -> impl Iterator<Item = &'a Term> + 'a {
    properties
        .iter()
        .filter(move |(p, _)| p == predicate)
        .map(|(_, o)| o)
}

/// The fields of an evidence node lookup prints (quote, source document,
/// line, rule), each the first in the store's order, read in one scan of
/// the node's quads instead of one lookup per field.
fn evidence_fields(
    store: &KgStore,
    ev: &NamedNode,
) -> Result<Option<(Term, NamedNode, Term, Term)>> {
    let (quote_p, source_p, line_p, rule_p) = (
        vocab::t::quote(),
        vocab::t::source(),
        vocab::t::line(),
        vocab::t::rule(),
    );
    let (mut quote, mut source, mut line, mut rule) = (None, None, None, None);
    for q in store
        .inner()
        .quads_for_pattern(Some(ev.as_ref().into()), None, None, None)
    {
        let q = q?;
        let slot = if q.predicate == quote_p {
            &mut quote
        } else if q.predicate == source_p {
            &mut source
        } else if q.predicate == line_p {
            &mut line
        } else if q.predicate == rule_p {
            &mut rule
        } else {
            continue;
        };
        if slot.is_none() {
            *slot = Some(q.object);
        }
    }
    Ok(match (quote, source, line, rule) {
        (Some(quote), Some(Term::NamedNode(doc)), Some(line), Some(rule)) => {
            Some((quote, doc, line, rule))
        }
        _ => None,
    })
}

/// The evidence nodes of a statement (in the file graphs and the inferred
/// graph), the first `limit` in the store's order (stable for a given
/// store) or all.
fn evidence(store: &KgStore, statement: &NamedNode, limit: Option<usize>) -> Result<Vec<Term>> {
    // In SPARQL, whose DISTINCT works on the store's encoded terms. The IRI
    // comes from the store, written as `<…>`: no user text.
    let limit = limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
    let sparql =
        format!("SELECT DISTINCT ?e WHERE {{ {statement} prov:wasDerivedFrom ?e }}{limit}");
    Ok(rows(store, &sparql, &[])?
        .into_iter()
        .filter_map(|mut r| r.remove("e"))
        .collect())
}

fn first_object(
    store: &KgStore,
    subject: &NamedNode,
    predicate: &NamedNode,
) -> Result<Option<Term>> {
    Ok(store
        .inner()
        .quads_for_pattern(
            Some(subject.as_ref().into()),
            Some(predicate.as_ref()),
            None,
            None,
        )
        .next()
        .transpose()?
        .map(|q| q.object))
}

/// The [`properties`] of statements, by IRI.
type Properties = HashMap<String, Vec<(NamedNode, Term)>>;

/// One row per statement about `e` (or `e` itself when it is a statement),
/// class, evidence and date: `s`, `class`, `quote`, `path`, `line`, `rule`,
/// `date`, `reports` (the statement's number of evidence nodes). Only the
/// first `reports_per_statement` evidence nodes of a statement are read:
/// an archive can report one fact thousands of times. Also returns each
/// statement's [`properties`], for its summary.
fn fact_rows(
    store: &KgStore,
    e: &NamedNode,
    reports_per_statement: Option<usize>,
) -> Result<(Vec<BTreeMap<String, Term>>, Properties)> {
    let rdf_type = vocab::ext::rdf_type();
    let mut statements: Vec<NamedNode> = Vec::new();
    let mut seen = HashSet::new();
    let sparql = format!(
        "SELECT DISTINCT ?s {} WHERE {{ ?s ?p {e} FILTER(?p != prov:wasDerivedFrom && isIRI(?s)) }}",
        facts_dataset()
    );
    for row in rows(store, &sparql, &[])? {
        if let Some(Term::NamedNode(s)) = row.get("s") {
            if seen.insert(s.clone()) {
                statements.push(s.clone());
            }
        }
    }
    if first_object(store, e, &rdf_type)?.is_some() && seen.insert(e.clone()) {
        statements.push(e.clone());
    }
    let mut out_rows = Vec::new();
    let mut properties_of = Properties::new();
    // Source documents report many facts: each path is read once.
    let mut paths: HashMap<NamedNode, Option<Term>> = HashMap::new();
    for s in statements {
        let reports = report_count(store, &s)?;
        if reports == Literal::from(0).into() {
            continue;
        }
        let evidence = evidence(store, &s, reports_per_statement)?;
        let props = properties(store, &s)?;
        let classes: Vec<Term> = objects_of(&props, &rdf_type).cloned().collect();
        let mut dates = Vec::new();
        for p in [vocab::t::since(), vocab::t::as_of(), vocab::t::date()] {
            dates.extend(objects_of(&props, &p).cloned());
        }
        for m in objects_of(&props, &vocab::t::meeting()) {
            if let Term::NamedNode(m) = m {
                dates.extend(objects(store, m, &vocab::t::date())?);
            }
        }
        properties_of.insert(s.as_str().to_string(), props);
        let dates: Vec<Option<Term>> = if dates.is_empty() {
            vec![None]
        } else {
            dates
                .into_iter()
                .map(|d| match d {
                    Term::Literal(l) => Some(Literal::new_simple_literal(l.value()).into()),
                    other => Some(other),
                })
                .collect()
        };
        for ev in evidence {
            let Term::NamedNode(ev) = ev else { continue };
            let Some((quote, doc, line, rule)) = evidence_fields(store, &ev)? else {
                continue;
            };
            let path = match paths.get(&doc) {
                Some(path) => path.clone(),
                None => {
                    let path = first_object(store, &doc, &vocab::t::path())?;
                    paths.insert(doc.clone(), path.clone());
                    path
                }
            };
            let Some(path) = path else {
                continue;
            };
            for class in &classes {
                for date in &dates {
                    let mut row = BTreeMap::new();
                    row.insert("s".to_string(), Term::from(s.clone()));
                    row.insert("class".to_string(), class.clone());
                    row.insert("quote".to_string(), quote.clone());
                    row.insert("path".to_string(), path.clone());
                    row.insert("line".to_string(), line.clone());
                    row.insert("rule".to_string(), rule.clone());
                    row.insert("reports".to_string(), reports.clone());
                    if let Some(d) = date {
                        row.insert("date".to_string(), d.clone());
                    }
                    out_rows.push(row);
                }
            }
        }
    }
    Ok((out_rows, properties_of))
}

/// The number of reports of a statement: the count the build stored (see
/// [`KgStore::refresh_report_counts`]), or, in a store without one, the
/// distinct objects of its `prov:wasDerivedFrom` counted now.
fn report_count(store: &KgStore, s: &NamedNode) -> Result<Term> {
    if let Some(n) = store.report_count(s)? {
        return Ok(n);
    }
    // Counted in SPARQL, which works on the store's encoded terms: reading
    // the evidence IRIs would look each one up in the string table.
    // `s` is an IRI read from the store, written as `<…>`: no user text.
    let count = format!("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {s} prov:wasDerivedFrom ?e }}");
    Ok(rows(store, &count, &[])?
        .into_iter()
        .next()
        .and_then(|mut r| r.remove("n"))
        .unwrap_or_else(|| Literal::from(0).into()))
}

fn rows(
    store: &KgStore,
    sparql: &str,
    bindings: &[(&str, Term)],
) -> Result<Vec<BTreeMap<String, Term>>> {
    let prefixes = vocab::sparql_prefixes();
    let QueryResults::Solutions(solutions) =
        store.query(&format!("{prefixes}{sparql}"), bindings)?
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for s in solutions {
        let s = s.map_err(|e| Error::QueryEvaluation(e.to_string()))?;
        out.push(
            s.iter()
                .map(|(v, t)| (v.as_str().to_string(), t.clone()))
                .collect(),
        );
    }
    Ok(out)
}

/// Entities matching `term` exactly (label, alias, ISO3, English name), or
/// containing it when nothing matches exactly.
pub fn find(store: &KgStore, term: &str) -> Result<Vec<Entity>> {
    let lit: Term = Literal::new_simple_literal(term).into();
    let mut found = Vec::new();
    for filter in FILTERS {
        let r = rows(store, &find_query(filter), &[("term", lit.clone())])?;
        let mut by_iri: BTreeMap<String, String> = BTreeMap::new();
        for row in r {
            let Some(Term::NamedNode(e)) = row.get("e") else {
                continue;
            };
            for class in objects(store, e, &vocab::ext::rdf_type())? {
                let Term::NamedNode(class) = class else {
                    continue;
                };
                let Some(class) = class
                    .as_str()
                    .strip_prefix(vocab::SCO)
                    .filter(|c| LISTED_CLASSES.contains(c))
                else {
                    continue;
                };
                let slot = by_iri
                    .entry(e.as_str().to_string())
                    .or_insert(class.to_string());
                if slot == "Organization" {
                    *slot = class.to_string();
                }
            }
        }
        for (iri, class) in by_iri {
            let labels = rows(
                store,
                LABELS,
                &[("e", NamedNode::new_unchecked(&iri).into())],
            )?;
            let first = labels.first();
            found.push(Entity {
                label: first
                    .and_then(|r| r.get("zh"))
                    .map(display_term)
                    .unwrap_or_else(|| display_term(&NamedNode::new_unchecked(&iri).into())),
                english: first.and_then(|r| r.get("en")).map(display_term),
                iri,
                class,
            });
        }
        if !found.is_empty() {
            break;
        }
    }
    Ok(found)
}

/// The facts about an entity, oldest first, optionally only those holding
/// by `as_of` (YYYY-MM-DD): a line per report of each fact, at most
/// `reports_per_statement` of them per fact (all when `None`).
pub fn facts(
    store: &KgStore,
    entity: &Entity,
    as_of: Option<&str>,
    reports_per_statement: Option<usize>,
) -> Result<Vec<FactLine>> {
    let e = NamedNode::new_unchecked(&entity.iri);
    let mut out: Vec<FactLine> = Vec::new();
    let mut listed = HashSet::new();
    let (rows, properties_of) = fact_rows(store, &e, reports_per_statement)?;
    for row in rows {
        let Some(Term::NamedNode(s)) = row.get("s") else {
            continue;
        };
        let date = row.get("date").map(display_term).filter(|d| !d.is_empty());
        if let (Some(limit), Some(d)) = (as_of, &date) {
            if d.as_str() > limit {
                continue;
            }
        }
        let kind = row.get("class").map(display_term).unwrap_or_default();
        let kind = kind.rsplit(':').next().unwrap_or_default().to_string();
        let line = FactLine {
            kind,
            statement: s.as_str().to_string(),
            summary: String::new(),
            date,
            quote: row.get("quote").map(display_term).unwrap_or_default(),
            file: row.get("path").map(display_term).unwrap_or_default(),
            line: row
                .get("line")
                .map(display_term)
                .and_then(|l| l.parse().ok())
                .unwrap_or(0),
            rule: row.get("rule").map(display_term).unwrap_or_default(),
            reports: row
                .get("reports")
                .map(display_term)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
        };
        if listed.insert((
            line.statement.clone(),
            line.quote.clone(),
            line.file.clone(),
            line.date.clone(),
        )) {
            out.push(line);
        }
    }
    // When a statement has several dates (a meeting's and its own), keep the earliest.
    out.sort_by(|a, b| (&a.kind, &a.date, &a.statement).cmp(&(&b.kind, &b.date, &b.statement)));
    let mut first_dated = HashSet::new();
    out.retain(|f| first_dated.insert((f.statement.clone(), f.quote.clone(), f.file.clone())));
    // Once per statement: a statement reported by many files has many lines.
    let mut summaries: BTreeMap<String, String> = BTreeMap::new();
    let mut labels = HashMap::new();
    for f in &mut out {
        if !summaries.contains_key(&f.statement) {
            let props = properties_of
                .get(&f.statement)
                .map(Vec::as_slice)
                .unwrap_or_default();
            summaries.insert(f.statement.clone(), summary(store, props, &mut labels)?);
        }
        f.summary = summaries.get(&f.statement).cloned().unwrap_or_default();
    }
    // The lines of one statement stay together, for printing under one heading.
    out.sort_by(|a, b| {
        (&a.kind, &a.date, &a.summary, &a.statement).cmp(&(
            &b.kind,
            &b.date,
            &b.summary,
            &b.statement,
        ))
    });
    Ok(out)
}

/// A statement's properties as `key=value` pairs (evidence links, types and
/// rules left out), objects by their Chinese labels; `labels` keeps the
/// labels read, as the same entities come in many statements.
fn summary(
    store: &KgStore,
    properties: &[(NamedNode, Term)],
    labels: &mut HashMap<NamedNode, Option<Term>>,
) -> Result<String> {
    let mut parts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let rdf_type = vocab::ext::rdf_type();
    for (p, o) in properties {
        if *p == rdf_type {
            continue;
        }
        let label = match o {
            Term::NamedNode(n) => match labels.get(n) {
                Some(label) => label.clone(),
                None => {
                    let label = objects(store, n, &vocab::ext::label())?
                        .into_iter()
                        .find(|l| matches!(l, Term::Literal(l) if l.language() == Some("zh")));
                    labels.insert(n.clone(), label.clone());
                    label
                }
            },
            _ => None,
        };
        let key = display_term(&p.clone().into());
        let key = key.rsplit(':').next().unwrap_or_default().to_string();
        if matches!(key.as_str(), "rule") {
            continue;
        }
        let value = label
            .as_ref()
            .map(display_term)
            .unwrap_or_else(|| display_term(o));
        let v = parts.entry(key).or_default();
        if !v.contains(&value) {
            v.push(value);
        }
    }
    Ok(parts
        .into_iter()
        .map(|(k, v)| format!("{k}={}", v.join("|")))
        .collect::<Vec<_>>()
        .join(" "))
}
