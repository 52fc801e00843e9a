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
use std::collections::BTreeMap;

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
}

const FIND: &str = r#"
SELECT DISTINCT ?e ?class ?term WHERE {
  { ?e rdfs:label ?l } UNION { ?e sco:alias ?l } UNION { ?e sco:iso3 ?l }
  ?e a ?class .
  FILTER(?class IN (sco:Country, sco:Organization, sco:Person, sco:Place, sco:Meeting, sco:Document))
  FILTER(LCASE(STR(?l)) = LCASE(STR(?term)))
}"#;

const FIND_PARTIAL: &str = r#"
SELECT DISTINCT ?e ?class ?term WHERE {
  { ?e rdfs:label ?l } UNION { ?e sco:alias ?l } UNION { ?e sco:iso3 ?l }
  ?e a ?class .
  FILTER(?class IN (sco:Country, sco:Organization, sco:Person, sco:Place, sco:Meeting, sco:Document))
  FILTER(CONTAINS(LCASE(STR(?l)), LCASE(STR(?term))))
}"#;

const LABELS: &str = r#"
SELECT ?e ?zh ?en WHERE {
  OPTIONAL { ?e rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?e rdfs:label ?en FILTER(LANG(?en) = "en") }
} LIMIT 1"#;

const FACTS: &str = r#"
SELECT ?e ?s ?class ?quote ?path ?line ?rule ?date WHERE {
  { ?s ?p ?e . FILTER(?p != prov:wasDerivedFrom) } UNION { ?e a ?own . BIND(?e AS ?s) }
  ?s prov:wasDerivedFrom ?ev .
  ?s a ?class .
  ?ev sco:quote ?quote ; sco:source ?doc ; sco:line ?line ; sco:rule ?rule .
  ?doc sco:path ?path .
  OPTIONAL {
    { ?s sco:since ?d0 } UNION { ?s sco:asOf ?d0 } UNION { ?s sco:date ?d0 }
    UNION { ?s sco:meeting ?m . ?m sco:date ?d0 }
  }
  BIND(STR(?d0) AS ?date)
}"#;

const PROPERTIES: &str = r#"
SELECT ?s ?p ?o ?ol WHERE {
  ?s ?p ?o .
  FILTER(?p NOT IN (prov:wasDerivedFrom, rdf:type))
  OPTIONAL { ?o rdfs:label ?ol FILTER(LANG(?ol) = "zh") }
}"#;

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
    for query in [FIND, FIND_PARTIAL] {
        let r = rows(store, query, &[("term", lit.clone())])?;
        let mut by_iri: BTreeMap<String, String> = BTreeMap::new();
        for row in r {
            let (Some(Term::NamedNode(e)), Some(class)) = (row.get("e"), row.get("class")) else {
                continue;
            };
            let class = display_term(class).trim_start_matches("sco:").to_string();
            let slot = by_iri
                .entry(e.as_str().to_string())
                .or_insert(class.clone());
            if slot == "Organization" {
                *slot = class;
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

/// The facts about an entity, oldest first, optionally only those holding by `as_of` (YYYY-MM-DD).
pub fn facts(store: &KgStore, entity: &Entity, as_of: Option<&str>) -> Result<Vec<FactLine>> {
    let e: Term = NamedNode::new_unchecked(&entity.iri).into();
    let mut out: Vec<FactLine> = Vec::new();
    for row in rows(store, FACTS, &[("e", e)])? {
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
        };
        if !out
            .iter()
            .any(|f| f.statement == line.statement && f.quote == line.quote && f.file == line.file)
        {
            out.push(line);
        }
    }
    // When a statement has several dates (a meeting's and its own), keep the earliest.
    out.sort_by(|a, b| (&a.kind, &a.date, &a.statement).cmp(&(&b.kind, &b.date, &b.statement)));
    out.dedup_by(|a, b| a.statement == b.statement && a.quote == b.quote && a.file == b.file);
    for f in &mut out {
        f.summary = summary(store, &f.statement)?;
    }
    out.sort_by(|a, b| (&a.kind, &a.date, &a.summary).cmp(&(&b.kind, &b.date, &b.summary)));
    Ok(out)
}

fn summary(store: &KgStore, statement: &str) -> Result<String> {
    let mut parts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows(
        store,
        PROPERTIES,
        &[("s", NamedNode::new_unchecked(statement).into())],
    )? {
        let (Some(p), Some(o)) = (row.get("p"), row.get("o")) else {
            continue;
        };
        let key = display_term(p);
        let key = key.rsplit(':').next().unwrap_or_default().to_string();
        if matches!(key.as_str(), "rule") {
            continue;
        }
        let value = row
            .get("ol")
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
