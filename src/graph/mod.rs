//! The graph model: typed facts become RDF quads with deterministic IRIs,
//! one named graph per source file, entity descriptions in
//! `res:graph/entities`.

pub mod vocab;

use crate::document::{hex, Document};
use crate::lexicon::Lexicon;
use crate::model::{DateValue, Evidence, Fact, Meeting, PersonRef, Polity, Statement};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use vocab::{ext, res, t};

/// IRI of a country.
pub fn country_iri(iso3: &str) -> NamedNode {
    res("country", iso3)
}

/// IRI of an organisation.
pub fn organization_iri(slug: &str) -> NamedNode {
    res("organization", slug)
}

/// IRI of a person.
pub fn person_iri(person: &PersonRef) -> NamedNode {
    res("person", &person.slug)
}

/// IRI of a meeting.
pub fn meeting_iri(key: &str) -> NamedNode {
    res("meeting", key)
}

/// IRI of a place.
pub fn place_iri(slug: &str) -> NamedNode {
    res("place", slug)
}

/// IRI (and named graph) of a source document.
pub fn doc_iri(id: &str) -> NamedNode {
    res("doc", id)
}

fn polity_iri(p: &Polity) -> NamedNode {
    match p {
        Polity::Country(c) => country_iri(c),
        Polity::Organization(o) => organization_iri(o),
    }
}

/// The typed literal of a date: xsd:date, xsd:gYearMonth or xsd:gYear.
pub fn date_literal(d: &DateValue) -> Literal {
    let dt = match d {
        DateValue::Day(_) => "date",
        DateValue::Month(..) => "gYearMonth",
        DateValue::Year(_) => "gYear",
    };
    Literal::new_typed_literal(d.to_string(), vocab::term(vocab::XSD, dt))
}

fn integer(n: impl Into<i64>) -> Literal {
    Literal::new_typed_literal(n.into().to_string(), vocab::term(vocab::XSD, "integer"))
}

fn zh(s: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(s, "zh")
}

fn en(s: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(s, "en")
}

fn short_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    hex(&h.finalize())[..16].to_string()
}

fn opt_str<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The IRI of a statement node, from its defining fields only, so the same
/// fact read anywhere gets the same node.
pub fn statement_iri(s: &Statement) -> NamedNode {
    match s {
        Statement::Meeting(m) => meeting_iri(&m.key),
        Statement::Attendance {
            person, meeting, ..
        } => res("attendance", &short_hash(&[&person.slug, meeting])),
        Statement::Membership {
            country,
            organization,
            role,
            since,
            as_of,
            ..
        } => res(
            "membership",
            &short_hash(&[
                country,
                organization,
                role.local_name(),
                &opt_str(since),
                &opt_str(as_of),
            ]),
        ),
        // A step taken at a meeting is one step however many reports date it.
        Statement::AccessionStep {
            country,
            organization,
            step,
            date,
            meeting,
        } => res(
            "accession-step",
            &short_hash(&[
                country,
                organization,
                step,
                &meeting.clone().unwrap_or_else(|| opt_str(date)),
            ]),
        ),
        Statement::ReportedCount {
            organization,
            role,
            count,
            as_of,
        } => res(
            "reported-count",
            &short_hash(&[
                organization,
                role.local_name(),
                &count.to_string(),
                &opt_str(as_of),
            ]),
        ),
        Statement::Post {
            holder,
            title,
            post_in,
            ..
        } => res(
            "post",
            &short_hash(&[&holder.slug, title, polity_iri(post_in).as_str()]),
        ),
        // A sum of money at a meeting is one pledge however its sentence is
        // worded; counted things are told apart by what is counted.
        Statement::Pledge {
            by,
            amount,
            unit,
            item,
            meeting,
            ..
        } => {
            let currency = unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase());
            let what = if currency && meeting.is_some() {
                ""
            } else {
                item.as_str()
            };
            res(
                "pledge",
                &short_hash(&[
                    by,
                    &crate::text::numbers::format_decimal(*amount),
                    unit,
                    what,
                    &opt_str(meeting),
                ]),
            )
        }
        Statement::Document { kind, title, .. } => res("document", &short_hash(&[kind, title])),
    }
}

/// Collects quads for one file: its own graph and the shared entity graph.
pub struct GraphBuilder<'a> {
    lexicon: &'a Lexicon,
    graph: GraphName,
    entities: GraphName,
    /// Quads of the file's graph.
    pub doc_quads: Vec<Quad>,
    /// Quads of `res:graph/entities`.
    pub entity_quads: Vec<Quad>,
    described: BTreeSet<String>,
}

impl<'a> GraphBuilder<'a> {
    fn new(lexicon: &'a Lexicon, doc_id: &str) -> Self {
        Self::for_graph(lexicon, doc_iri(doc_id))
    }

    fn for_graph(lexicon: &'a Lexicon, graph: NamedNode) -> Self {
        GraphBuilder {
            lexicon,
            graph: graph.into(),
            entities: vocab::entities_graph().into(),
            doc_quads: Vec::new(),
            entity_quads: Vec::new(),
            described: BTreeSet::new(),
        }
    }

    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNode, o: impl Into<Term>) {
        self.doc_quads.push(Quad::new(s, p, o, self.graph.clone()));
    }

    fn entity(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        self.entity_quads
            .push(Quad::new(s.clone(), p, o, self.entities.clone()));
    }

    /// Describe an entity once per file: type, labels, identifiers.
    fn first_time(&mut self, iri: &NamedNode) -> bool {
        self.described.insert(iri.as_str().to_string())
    }

    fn wikidata(&mut self, iri: &NamedNode, qid: &Option<String>) {
        if let Some(q) = qid {
            self.entity(iri, ext::same_as(), vocab::term(vocab::WD, q));
        }
    }

    fn country(&mut self, iso3: &str) -> NamedNode {
        let iri = country_iri(iso3);
        if self.first_time(&iri) {
            self.entity(&iri, ext::rdf_type(), t::country_class());
            self.entity(&iri, t::iso3(), Literal::new_simple_literal(iso3));
            if let Some(c) = self.lexicon.country_by_iso3(iso3) {
                let c = c.clone();
                self.entity(&iri, ext::label(), zh(&c.zh));
                self.entity(&iri, ext::label(), en(&c.en));
                for a in &c.aliases {
                    self.entity(&iri, t::alias(), zh(a));
                }
                self.wikidata(&iri, &c.wikidata);
            }
        }
        iri
    }

    fn organization(&mut self, slug: &str) -> NamedNode {
        let iri = organization_iri(slug);
        if self.first_time(&iri) {
            self.entity(&iri, ext::rdf_type(), t::organization_class());
            if let Some(o) = self.lexicon.organization(slug) {
                let o = o.clone();
                if o.parent.is_some() {
                    self.entity(&iri, ext::rdf_type(), t::body_class());
                }
                self.entity(&iri, ext::label(), zh(&o.zh));
                self.entity(&iri, ext::label(), en(&o.en));
                for a in &o.aliases {
                    self.entity(&iri, t::alias(), zh(a));
                }
                if let Some(parent) = &o.parent {
                    let p = self.organization(parent);
                    self.entity(&iri, ext::sub_organization_of(), p);
                }
                self.wikidata(&iri, &o.wikidata);
            }
        }
        iri
    }

    fn polity(&mut self, p: &Polity) -> NamedNode {
        match p {
            Polity::Country(c) => self.country(c),
            Polity::Organization(o) => self.organization(o),
        }
    }

    fn person(&mut self, person: &PersonRef) -> NamedNode {
        let iri = person_iri(person);
        if self.first_time(&iri) {
            self.entity(&iri, ext::rdf_type(), t::person_class());
            self.entity(&iri, ext::label(), zh(&person.name));
            if let Some(k) = self.lexicon.known_person(&person.name) {
                let k = k.clone();
                if !k.en.is_empty() {
                    self.entity(&iri, ext::label(), en(&k.en));
                }
                for a in &k.aliases {
                    self.entity(&iri, t::alias(), zh(a));
                }
                self.wikidata(&iri, &k.wikidata);
            }
        }
        iri
    }

    fn place(&mut self, slug: &str) -> NamedNode {
        let iri = place_iri(slug);
        if self.first_time(&iri) {
            self.entity(&iri, ext::rdf_type(), t::place_class());
            if let Some(p) = self.lexicon.places.iter().find(|p| p.slug == slug) {
                let p = p.clone();
                self.entity(&iri, ext::label(), zh(&p.zh));
                self.entity(&iri, ext::label(), en(&p.en));
                for a in &p.aliases {
                    self.entity(&iri, t::alias(), zh(a));
                }
                if let Some(c) = &p.iso3 {
                    let c = self.country(c);
                    self.entity(&iri, t::in_country(), c);
                }
                self.wikidata(&iri, &p.wikidata);
            } else {
                self.entity(&iri, ext::label(), zh(slug));
            }
        }
        iri
    }

    fn evidence(&mut self, doc_id: &str, node: &NamedNode, ev: &Evidence) {
        let iri = res(
            "evidence",
            &format!("{doc_id}-{}-{}-{}", ev.start, ev.end, ev.rule),
        );
        self.add(node.clone(), ext::was_derived_from(), iri.clone());
        if self.first_time(&iri) {
            self.add(iri.clone(), ext::rdf_type(), t::evidence_class());
            self.add(iri.clone(), t::source(), doc_iri(doc_id));
            self.add(iri.clone(), t::start(), integer(ev.start as i64));
            self.add(iri.clone(), t::end(), integer(ev.end as i64));
            self.add(iri.clone(), t::line(), integer(ev.line as i64));
            self.add(
                iri.clone(),
                t::quote(),
                Literal::new_simple_literal(&ev.quote),
            );
            self.add(iri.clone(), t::rule(), Literal::new_simple_literal(ev.rule));
        }
    }

    fn meeting(&mut self, node: &NamedNode, m: &Meeting) {
        self.add(node.clone(), ext::rdf_type(), t::meeting_class());
        if let Some(body) = &m.body {
            let b = self.organization(body);
            self.add(node.clone(), t::body(), b);
        }
        if let Some(s) = m.session {
            self.add(node.clone(), t::session(), integer(s));
        }
        if let Some(d) = &m.date {
            self.add(node.clone(), t::date(), date_literal(d));
        }
        if let Some(p) = &m.place {
            let p = self.place(p);
            self.add(node.clone(), t::place(), p);
        }
        if let Some(c) = &m.host_country {
            let c = self.country(c);
            self.add(node.clone(), t::host_country(), c);
        }
        if let Some(c) = &m.chair {
            let c = self.person(c);
            self.add(node.clone(), t::chair(), c);
        }
        if let Some(c) = &m.chair_country {
            let c = self.country(c);
            self.add(node.clone(), t::chair_country(), c);
        }
        if let Some(c) = &m.next_chair_country {
            let c = self.country(c);
            self.add(node.clone(), t::next_chair_country(), c);
        }
        // One canonical name per meeting; the forms printed in reports are aliases.
        if let Some(name) = self.meeting_name(m) {
            self.add(node.clone(), ext::label(), zh(&name));
        }
        if let Some(l) = &m.label {
            self.add(node.clone(), t::alias(), zh(l));
        }
    }

    /// 上海合作组织成员国元首理事会第二十一次会议, or 上海合作组织青岛峰会 for a summit known by its place.
    fn meeting_name(&self, m: &Meeting) -> Option<String> {
        let body = self.lexicon.organization(m.body.as_deref()?)?;
        if let Some(session) = m.session {
            return Some(format!(
                "{}第{}次会议",
                body.zh,
                crate::text::numbers::to_chinese_numeral(session)
            ));
        }
        let place = self
            .lexicon
            .places
            .iter()
            .find(|p| Some(&p.slug) == m.place.as_ref())?;
        let org = self.lexicon.organization(body.parent.as_deref()?)?;
        Some(format!("{}{}峰会", org.zh, place.zh))
    }

    fn statement(&mut self, node: &NamedNode, s: &Statement) {
        let n = node.clone();
        match s {
            Statement::Meeting(m) => self.meeting(node, m),
            Statement::Attendance {
                person,
                meeting,
                mode,
                capacity,
            } => {
                let p = self.person(person);
                let m = meeting_iri(meeting);
                self.add(n.clone(), ext::rdf_type(), t::attendance_class());
                self.add(n.clone(), t::person(), p.clone());
                self.add(n.clone(), t::meeting(), m.clone());
                if let Some(mode) = mode {
                    self.add(
                        n.clone(),
                        t::mode(),
                        Literal::new_simple_literal(mode.as_str()),
                    );
                }
                if let Some(c) = capacity {
                    self.add(n, t::capacity(), Literal::new_simple_literal(c));
                }
                self.add(p, t::attended(), m);
            }
            Statement::Membership {
                country,
                organization,
                role,
                since,
                as_of,
                founding,
            } => {
                let c = self.country(country);
                let o = self.organization(organization);
                self.add(n.clone(), ext::rdf_type(), ext::membership_class());
                self.add(n.clone(), ext::member(), c.clone());
                self.add(n.clone(), ext::organization(), o.clone());
                self.add(n.clone(), ext::role(), vocab::sco(role.local_name()));
                if let Some(d) = since {
                    self.add(n.clone(), t::since(), date_literal(d));
                    if *role == crate::model::Role::Member {
                        self.add(c, t::joined(), o);
                    }
                }
                if let Some(d) = as_of {
                    self.add(n.clone(), t::as_of(), date_literal(d));
                }
                if *founding {
                    self.add(n, t::founding(), Literal::from(true));
                }
            }
            Statement::AccessionStep {
                country,
                organization,
                step,
                date,
                meeting,
            } => {
                let c = self.country(country);
                let o = self.organization(organization);
                self.add(n.clone(), ext::rdf_type(), t::accession_step_class());
                self.add(n.clone(), t::country(), c);
                self.add(n.clone(), t::organization(), o);
                self.add(n.clone(), t::step(), Literal::new_simple_literal(*step));
                if let Some(d) = date {
                    self.add(n.clone(), t::date(), date_literal(d));
                }
                if let Some(m) = meeting {
                    self.add(n, t::meeting(), meeting_iri(m));
                }
            }
            Statement::ReportedCount {
                organization,
                role,
                count,
                as_of,
            } => {
                let o = self.organization(organization);
                self.add(n.clone(), ext::rdf_type(), t::reported_count_class());
                self.add(n.clone(), t::organization(), o);
                self.add(n.clone(), ext::role(), vocab::sco(role.local_name()));
                self.add(n.clone(), t::count(), integer(*count));
                if let Some(d) = as_of {
                    self.add(n, t::as_of(), date_literal(d));
                }
            }
            Statement::Post {
                holder,
                title,
                post_in,
                as_of,
            } => {
                let h = self.person(holder);
                let p = self.polity(post_in);
                self.add(n.clone(), ext::rdf_type(), t::post_class());
                self.add(n.clone(), t::holder(), h);
                self.add(n.clone(), t::title(), Literal::new_simple_literal(title));
                self.add(n.clone(), t::post_in(), p);
                if let Some(d) = as_of {
                    self.add(n, t::as_of(), date_literal(d));
                }
            }
            Statement::Pledge {
                by,
                amount,
                unit,
                item,
                period_years,
                meeting,
            } => {
                let c = self.country(by);
                self.add(n.clone(), ext::rdf_type(), t::pledge_class());
                self.add(n.clone(), t::pledged_by(), c);
                self.add(
                    n.clone(),
                    t::amount(),
                    Literal::new_typed_literal(
                        crate::text::numbers::format_decimal(*amount),
                        vocab::term(vocab::XSD, "decimal"),
                    ),
                );
                self.add(n.clone(), t::unit(), Literal::new_simple_literal(unit));
                self.add(n.clone(), t::item(), Literal::new_simple_literal(item));
                if let Some(y) = period_years {
                    self.add(n.clone(), t::period_years(), integer(*y));
                }
                if let Some(m) = meeting {
                    self.add(n, t::meeting(), meeting_iri(m));
                }
            }
            Statement::Document {
                kind,
                title,
                meeting,
                speaker,
                date,
            } => {
                self.add(n.clone(), ext::rdf_type(), t::document_class());
                self.add(n.clone(), t::kind(), Literal::new_simple_literal(*kind));
                self.add(n.clone(), ext::label(), zh(title));
                if let Some(m) = meeting {
                    self.add(n.clone(), t::meeting(), meeting_iri(m));
                }
                if let Some(s) = speaker {
                    let s = self.person(s);
                    self.add(n.clone(), t::speaker(), s);
                }
                if let Some(d) = date {
                    self.add(n, t::date(), date_literal(d));
                }
            }
        }
    }
}

/// The copy in the facts graph of a quad of a document graph, when the
/// quad states a fact (a property of a statement, a meeting, a document
/// cited) rather than provenance (an evidence node, a
/// `prov:wasDerivedFrom` link to one, the description of the file itself).
///
/// A fact reported by n files is n quads in their graphs but one in the
/// facts graph, so queries that read facts without their sources can read
/// each once (`FROM res:graph/facts`) instead of once per report.
///
/// ```
/// use oxigraph::model::{Literal, NamedNode, Quad};
/// use scokg::graph::{doc_iri, fact_copy, vocab};
/// let doc = doc_iri("0123456789abcdef");
/// let node = vocab::res("membership", "x");
/// let fact = Quad::new(node.clone(), vocab::t::since(), Literal::from(2017), doc.clone());
/// assert_eq!(fact_copy(&fact).map(|q| q.graph_name), Some(vocab::facts_graph().into()));
/// let link = Quad::new(node, vocab::ext::was_derived_from(), vocab::res("evidence", "e"), doc.clone());
/// assert!(fact_copy(&link).is_none());
/// ```
pub fn fact_copy(quad: &Quad) -> Option<Quad> {
    let GraphName::NamedNode(graph) = &quad.graph_name else {
        return None;
    };
    let is_doc = |iri: &str| {
        iri.strip_prefix(vocab::RES)
            .is_some_and(|rest| rest.starts_with("doc/"))
    };
    let provenance = match &quad.subject {
        NamedOrBlankNode::NamedNode(s) => {
            s == graph
                || s.as_str()
                    .strip_prefix(vocab::RES)
                    .is_some_and(|rest| rest.starts_with("evidence/"))
        }
        NamedOrBlankNode::BlankNode(_) => true,
    };
    if !is_doc(graph.as_str()) || provenance || quad.predicate == ext::was_derived_from() {
        return None;
    }
    Some(Quad::new(
        quad.subject.clone(),
        quad.predicate.clone(),
        quad.object.clone(),
        vocab::facts_graph(),
    ))
}

/// The quads of one extracted document: `(file graph, entity graph)`.
pub fn document_quads(doc: &Document, lexicon: &Lexicon) -> (Vec<Quad>, Vec<Quad>) {
    let mut g = GraphBuilder::new(lexicon, &doc.id);
    let d = doc_iri(&doc.id);
    g.add(d.clone(), ext::rdf_type(), t::source_document_class());
    g.add(
        d.clone(),
        t::sha256(),
        Literal::new_simple_literal(&doc.sha256),
    );
    g.add(d.clone(), t::path(), Literal::new_simple_literal(&doc.path));
    g.add(
        d.clone(),
        t::length(),
        integer(doc.text.original().len() as i64),
    );
    if let Some(title) = doc.sentences.first().map(|s| &doc.norm()[s.clone()]) {
        let title: String = title.chars().take(80).collect();
        g.add(
            d.clone(),
            ext::dc_title(),
            Literal::new_simple_literal(title),
        );
    }
    if let Some(date) = doc.date {
        g.add(d, ext::dc_date(), date_literal(&DateValue::Day(date)));
    }
    // Short forms printed in the text (习主席, 莫迪总理) are aliases of the person.
    for p in &doc.people {
        let printed = &doc.norm()[p.span.clone()];
        if p.title.as_deref().is_some_and(|t| printed.ends_with(t)) && printed != p.person.name {
            let iri = g.person(&p.person);
            g.entity(&iri, t::alias(), zh(printed));
        }
    }
    for Fact {
        statement,
        evidence,
    } in &doc.facts
    {
        let node = statement_iri(statement);
        g.statement(&node, statement);
        g.evidence(&doc.id, &node, evidence);
    }
    let mut doc_quads = g.doc_quads;
    doc_quads.sort_by_cached_key(|q| q.to_string());
    doc_quads.dedup();
    let mut entity_quads = g.entity_quads;
    entity_quads.sort_by_cached_key(|q| q.to_string());
    entity_quads.dedup();
    (doc_quads, entity_quads)
}

/// The quads of an inferred statement in `res:graph/inferred`: the
/// statement, the rule that produced it, and the evidence of its premises.
pub fn inferred_quads(
    statement: &Statement,
    rule: &str,
    premises: &[NamedNode],
    lexicon: &Lexicon,
) -> Vec<Quad> {
    let mut g = GraphBuilder::for_graph(lexicon, vocab::inferred_graph());
    let node = statement_iri(statement);
    g.statement(&node, statement);
    g.add(node.clone(), t::rule(), Literal::new_simple_literal(rule));
    for e in premises {
        g.add(node.clone(), ext::was_derived_from(), e.clone());
    }
    let mut quads = g.doc_quads;
    quads.extend(g.entity_quads);
    quads
}
