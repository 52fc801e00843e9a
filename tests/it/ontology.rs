//! The ontology declares every term the graph uses.

use crate::harness::{root, Sandbox};
use oxigraph::io::{RdfFormat, RdfParser};
use std::collections::BTreeSet;

const SCO: &str = "https://w3id.org/scokg/ontology#";

fn declared() -> BTreeSet<String> {
    let ttl = std::fs::read(root().join("ontology/scokg.ttl")).expect("ontology file");
    let mut out = BTreeSet::new();
    for t in RdfParser::from_format(RdfFormat::Turtle).for_reader(ttl.as_slice()) {
        let t = t.expect("ontology parses as Turtle");
        if t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" {
            out.insert(t.subject.to_string().trim_matches(['<', '>']).to_string());
        }
    }
    out
}

#[test]
fn every_sco_term_in_the_graph_is_declared() {
    let declared = declared();
    let s = Sandbox::new();
    s.build_corpus();
    let used = s.select(
        "SELECT DISTINCT ?t WHERE {
           { ?s ?t ?o } UNION { ?s a ?t } UNION { ?s ?p ?t }
           FILTER(isIRI(?t) && STRSTARTS(STR(?t), \"https://w3id.org/scokg/ontology#\"))
         }",
    );
    assert!(used.len() > 20);
    for t in used {
        assert!(
            declared.contains(&t[0]),
            "{} is used but not declared in ontology/scokg.ttl",
            t[0]
        );
    }
}

#[test]
fn every_term_the_code_can_emit_is_declared() {
    let declared = declared();
    for local in scokg::graph::vocab::t::SCO_TERMS {
        assert!(
            declared.contains(&format!("{SCO}{local}")),
            "sco:{local} missing from the ontology"
        );
    }
}
