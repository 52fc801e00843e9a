//! Inference over the whole graph, after every file is in: facts that
//! follow from facts, written to `res:graph/inferred`, each with the rule
//! (`sco:rule`) and the evidence of its premises.
//!
//! - `inference.admitted-member`: a country admitted as a member state is a
//!   member from the date of admission.
//! - `inference.presidency-held-by-member`: the rotating presidency is held
//!   by a member state, so the chair country of a dated meeting is a member
//!   as of that date.
//!
//! The premises are read pattern by pattern, not through SPARQL joins: a
//! fact reported by n files comes back n times from the union of their
//! graphs, and one large file can report the same fact thousands of times.
//! Only the distinct premise statements are held in memory; their evidence
//! is streamed from the store into the inferred graph in small
//! transactions, so memory does not grow with the number of reports. The
//! mark of an unfinished build (see [`KgStore::mark_build_unfinished`]) covers a
//! refresh that is interrupted between transactions.

use crate::error::Result;
use crate::graph::{self, vocab};
use crate::lexicon::Lexicon;
use crate::model::{DateValue, Role, Statement};
use crate::store::KgStore;
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeSet, HashSet};

/// Quads written to the inferred graph per transaction.
const QUADS_PER_TRANSACTION: usize = 10_000;

/// The local name of `term` when it is an IRI minted under `res:{prefix}/`.
fn local(term: &Term, prefix: &str) -> Option<String> {
    match term {
        Term::NamedNode(n) => n
            .as_str()
            .strip_prefix(&format!("{}{prefix}/", vocab::RES))
            .map(str::to_string),
        _ => None,
    }
}

fn date_of(term: &Term) -> Option<DateValue> {
    let Term::Literal(l) = term else {
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

/// Distinct objects of `subject predicate ?o` over every graph.
fn objects(store: &KgStore, subject: &NamedNode, predicate: &NamedNode) -> Result<HashSet<Term>> {
    let mut out = HashSet::new();
    for q in store.inner().quads_for_pattern(
        Some(subject.as_ref().into()),
        Some(predicate.as_ref()),
        None,
        None,
    ) {
        out.insert(q?.object);
    }
    Ok(out)
}

/// Distinct IRI subjects of `?s predicate object` over every graph.
fn subjects(
    store: &KgStore,
    predicate: &NamedNode,
    object: Option<&Term>,
) -> Result<HashSet<NamedNode>> {
    let mut out = HashSet::new();
    for q in store.inner().quads_for_pattern(
        None,
        Some(predicate.as_ref()),
        object.map(Term::as_ref),
        None,
    ) {
        if let NamedOrBlankNode::NamedNode(s) = q?.subject {
            out.insert(s);
        }
    }
    Ok(out)
}

/// Writes quads to the store a transaction at a time.
struct Writer<'a> {
    store: &'a KgStore,
    pending: Vec<Quad>,
    written: usize,
}

impl Writer<'_> {
    fn push(&mut self, quad: Quad) -> Result<()> {
        self.pending.push(quad);
        if self.pending.len() >= QUADS_PER_TRANSACTION {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.store.insert_quads(&self.pending)?;
        self.written += self.pending.len();
        self.pending.clear();
        Ok(())
    }
}

/// A premise: a statement node whose evidence supports the inferred facts.
struct Premise {
    node: NamedNode,
    country: String,
    organization: String,
    date: DateValue,
}

/// Admitted accession steps: country, organisation and date of admission.
fn admitted(store: &KgStore) -> Result<Vec<Premise>> {
    let admitted = Term::from(Literal::new_simple_literal("admitted"));
    let step_class = Term::from(vocab::t::accession_step_class());
    let mut premises = Vec::new();
    for s in subjects(store, &vocab::t::step(), Some(&admitted))? {
        if !objects(store, &s, &vocab::ext::rdf_type())?.contains(&step_class) {
            continue;
        }
        let countries = objects(store, &s, &vocab::t::country())?;
        let organizations = objects(store, &s, &vocab::t::organization())?;
        let dates = objects(store, &s, &vocab::t::date())?;
        for country in countries.iter().filter_map(|c| local(c, "country")) {
            for org in organizations
                .iter()
                .filter_map(|o| local(o, "organization"))
            {
                for date in dates.iter().filter_map(date_of) {
                    premises.push(Premise {
                        node: s.clone(),
                        country: country.clone(),
                        organization: org.clone(),
                        date,
                    });
                }
            }
        }
    }
    Ok(premises)
}

/// Dated meetings with a chair country: the chair country, the
/// organisation the meeting's body belongs to, and the day of the meeting.
fn chaired(store: &KgStore) -> Result<Vec<Premise>> {
    let meeting_class = Term::from(vocab::t::meeting_class());
    let day = vocab::term(vocab::XSD, "date");
    let mut premises = Vec::new();
    for m in subjects(store, &vocab::t::chair_country(), None)? {
        if !objects(store, &m, &vocab::ext::rdf_type())?.contains(&meeting_class) {
            continue;
        }
        let countries = objects(store, &m, &vocab::t::chair_country())?;
        let days: Vec<DateValue> = objects(store, &m, &vocab::t::date())?
            .iter()
            .filter(|d| matches!(d, Term::Literal(l) if l.datatype() == day.as_ref()))
            .filter_map(date_of)
            .collect();
        let mut organizations = BTreeSet::new();
        for body in objects(store, &m, &vocab::t::body())? {
            if let Term::NamedNode(body) = body {
                organizations.extend(
                    objects(store, &body, &vocab::ext::sub_organization_of())?
                        .iter()
                        .filter_map(|o| local(o, "organization")),
                );
            }
        }
        for country in countries.iter().filter_map(|c| local(c, "country")) {
            for org in &organizations {
                for date in &days {
                    premises.push(Premise {
                        node: m.clone(),
                        country: country.clone(),
                        organization: org.clone(),
                        date: *date,
                    });
                }
            }
        }
    }
    Ok(premises)
}

/// Recompute `res:graph/inferred` from the rest of the store. Returns the
/// number of quads written.
pub fn refresh(store: &KgStore, lexicon: &Lexicon) -> Result<usize> {
    store.clear_inferred()?;
    let mut writer = Writer {
        store,
        pending: Vec::new(),
        written: 0,
    };
    let mut described = HashSet::new();
    let derived = vocab::ext::was_derived_from();
    // Each rule: its premises, and whether the date starts the status or
    // shows it held.
    let rules = [
        (admitted(store)?, "inference.admitted-member", true),
        (
            chaired(store)?,
            "inference.presidency-held-by-member",
            false,
        ),
    ];
    for (premises, rule, starts) in rules {
        for premise in premises {
            let st = Statement::Membership {
                country: premise.country,
                organization: premise.organization,
                role: Role::Member,
                since: starts.then_some(premise.date),
                as_of: (!starts).then_some(premise.date),
                founding: false,
            };
            let node = graph::statement_iri(&st);
            if described.insert((node.clone(), rule)) {
                for q in graph::inferred_quads(&st, rule, &[], lexicon) {
                    writer.push(q)?;
                }
            }
            for q in store.inner().quads_for_pattern(
                Some(premise.node.as_ref().into()),
                Some(derived.as_ref()),
                None,
                None,
            ) {
                writer.push(Quad::new(
                    node.clone(),
                    derived.clone(),
                    q?.object,
                    vocab::inferred_graph(),
                ))?;
            }
        }
    }
    writer.flush()?;
    Ok(writer.written)
}
