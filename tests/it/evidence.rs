//! Provenance: every statement has evidence, and every quote is what the
//! original bytes at its offsets say once normalised.

use crate::harness::{root, Sandbox};

#[test]
fn every_quote_matches_its_original_bytes() {
    let s = Sandbox::new();
    s.build_corpus();
    let rows = s.select(
        "SELECT ?path ?start ?end ?quote WHERE {
           ?e a sco:Evidence ; sco:source ?d ; sco:start ?start ; sco:end ?end ; sco:quote ?quote .
           ?d sco:path ?path }",
    );
    assert!(rows.len() > 100, "{}", rows.len());
    for r in rows {
        let bytes = std::fs::read(root().join(&r[0])).expect("source file");
        let (start, end): (usize, usize) = (r[1].parse().unwrap(), r[2].parse().unwrap());
        assert!(start < end && end <= bytes.len());
        let original = std::str::from_utf8(&bytes[start..end]).expect("offsets on char boundaries");
        assert_eq!(
            scokg::text::normalize(original),
            r[3],
            "{}:{start}-{end}",
            r[0]
        );
    }
}

#[test]
fn every_statement_has_complete_evidence() {
    let s = Sandbox::new();
    s.build_corpus();
    let missing = s.select(
        "SELECT ?s WHERE {
           ?s a ?c .
           FILTER(?c IN (sco:Meeting, sco:Attendance, org:Membership, sco:AccessionStep, sco:ReportedCount, sco:Post, sco:Pledge, sco:Document))
           FILTER NOT EXISTS {
             ?s prov:wasDerivedFrom ?e .
             ?e sco:source ?src ; sco:start ?a ; sco:end ?b ; sco:quote ?q ; sco:rule ?r .
           }
         }",
    );
    assert!(missing.is_empty(), "{missing:?}");
}
