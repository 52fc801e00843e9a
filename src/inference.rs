//! Inference over the whole graph, after every file is in: facts that
//! follow from facts, written to `res:graph/inferred`, each with the rule
//! (`sco:rule`) and the evidence of its premises.
//!
//! - `inference.admitted-member`: a country admitted as a member state is a
//!   member from the date of admission.
//! - `inference.presidency-held-by-member`: the rotating presidency is held
//!   by a member state, so the chair country of a dated meeting is a member
//!   as of that date.

use crate::error::{Error, Result};
use crate::graph::{self, vocab};
use crate::lexicon::Lexicon;
use crate::model::{DateValue, Role, Statement};
use crate::store::KgStore;
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::QueryResults;

/// Rows of a SELECT as strings (IRIs, literal values), with evidence IRIs.
fn select(store: &KgStore, sparql: &str, vars: &[&str]) -> Result<Vec<Vec<Option<Term>>>> {
    let QueryResults::Solutions(rows) = store.query(sparql, &[])? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for row in rows {
        let row = row.map_err(|e| Error::QueryEvaluation(e.to_string()))?;
        out.push(vars.iter().map(|v| row.get(*v).cloned()).collect());
    }
    Ok(out)
}

fn local(term: &Option<Term>, prefix: &str) -> Option<String> {
    match term {
        Some(Term::NamedNode(n)) => n
            .as_str()
            .strip_prefix(&format!("{}{prefix}/", vocab::RES))
            .map(str::to_string),
        _ => None,
    }
}

fn date_of(term: &Option<Term>) -> Option<DateValue> {
    let Some(Term::Literal(l)) = term else {
        return None;
    };
    let v = l.value();
    if let Some(d) = crate::text::dates::parse_iso_date(v) {
        return Some(DateValue::Day(d));
    }
    let mut parts = v.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    match parts.next() {
        Some(m) => Some(DateValue::Month(y, m.parse().ok()?)),
        None => Some(DateValue::Year(y)),
    }
}

fn node(term: &Option<Term>) -> Option<NamedNode> {
    match term {
        Some(Term::NamedNode(n)) => Some(n.clone()),
        _ => None,
    }
}

/// Recompute `res:graph/inferred` from the rest of the store.
pub fn refresh(store: &KgStore, lexicon: &Lexicon) -> Result<usize> {
    let prefixes = vocab::sparql_prefixes();
    let mut quads = Vec::new();
    // A fact stored in several graphs comes back once per graph from the
    // union, so a join of two patterns over it yields the product of their
    // copies (quadratic in the number of reports). Each triple pattern is
    // therefore read DISTINCT on its own, before any join.
    let admitted = format!(
        "{prefixes}SELECT DISTINCT ?country ?org ?date ?ev WHERE {{
            {{ SELECT DISTINCT ?s WHERE {{ ?s sco:step \"admitted\" }} }}
            {{ SELECT DISTINCT ?s WHERE {{ ?s a sco:AccessionStep }} }}
            {{ SELECT DISTINCT ?s ?country WHERE {{ ?s sco:country ?country }} }}
            {{ SELECT DISTINCT ?s ?org WHERE {{ ?s sco:organization ?org }} }}
            {{ SELECT DISTINCT ?s ?date WHERE {{ ?s sco:date ?date }} }}
            {{ SELECT DISTINCT ?s ?ev WHERE {{ ?s prov:wasDerivedFrom ?ev }} }}
        }}"
    );
    let chairs = format!(
        "{prefixes}SELECT DISTINCT ?country ?org ?date ?ev WHERE {{
            {{ SELECT DISTINCT ?m WHERE {{ ?m a sco:Meeting }} }}
            {{ SELECT DISTINCT ?m ?country WHERE {{ ?m sco:chairCountry ?country }} }}
            {{ SELECT DISTINCT ?m ?date WHERE {{ ?m sco:date ?date FILTER(DATATYPE(?date) = xsd:date) }} }}
            {{ SELECT DISTINCT ?m ?body WHERE {{ ?m sco:body ?body }} }}
            {{ SELECT DISTINCT ?body ?org WHERE {{ ?body org:subOrganizationOf ?org }} }}
            {{ SELECT DISTINCT ?m ?ev WHERE {{ ?m prov:wasDerivedFrom ?ev }} }}
        }}"
    );
    // Each rule: a query giving country, organisation, date and the premise's
    // evidence, and whether the date starts the status or shows it held.
    let rules = [
        (admitted, "inference.admitted-member", true),
        (chairs, "inference.presidency-held-by-member", false),
    ];
    for (sparql, rule, starts) in rules {
        for row in select(store, &sparql, &["country", "org", "date", "ev"])? {
            let (Some(country), Some(org), Some(date), Some(ev)) = (
                local(&row[0], "country"),
                local(&row[1], "organization"),
                date_of(&row[2]),
                node(&row[3]),
            ) else {
                continue;
            };
            let st = Statement::Membership {
                country,
                organization: org,
                role: Role::Member,
                since: starts.then_some(date),
                as_of: (!starts).then_some(date),
                founding: false,
            };
            quads.extend(graph::inferred_quads(&st, rule, &[ev], lexicon));
        }
    }
    quads.sort_by_cached_key(|q| q.to_string());
    quads.dedup();
    store.replace_inferred(&quads)?;
    Ok(quads.len())
}
