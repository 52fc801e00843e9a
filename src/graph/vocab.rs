//! Every IRI the graph uses, in one place: the vocabulary of
//! `ontology/scokg.ttl`. Readers and writers take their terms from here.

use oxigraph::model::NamedNode;

/// The ontology namespace (`sco:`).
pub const SCO: &str = "https://w3id.org/scokg/ontology#";
/// The namespace of minted identifiers (`res:`).
pub const RES: &str = "https://w3id.org/scokg/id/";
/// W3C Organization Ontology.
pub const ORG: &str = "http://www.w3.org/ns/org#";
/// W3C PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// Dublin Core terms.
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
/// Wikidata entities.
pub const WD: &str = "http://www.wikidata.org/entity/";
/// RDF Schema.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// OWL.
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
/// RDF.
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// XML Schema datatypes.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// The prefixes written into Turtle/TriG exports and offered to SPARQL queries.
pub const PREFIXES: &[(&str, &str)] = &[
    ("sco", SCO),
    ("res", RES),
    ("country", "https://w3id.org/scokg/id/country/"),
    ("organization", "https://w3id.org/scokg/id/organization/"),
    ("person", "https://w3id.org/scokg/id/person/"),
    ("meeting", "https://w3id.org/scokg/id/meeting/"),
    ("place", "https://w3id.org/scokg/id/place/"),
    ("doc", "https://w3id.org/scokg/id/doc/"),
    ("org", ORG),
    ("prov", PROV),
    ("dcterms", DCTERMS),
    ("wd", WD),
    ("rdfs", RDFS),
    ("owl", OWL),
    ("rdf", RDF),
    ("xsd", XSD),
];

/// The SPARQL `PREFIX` lines for [`PREFIXES`].
pub fn sparql_prefixes() -> String {
    PREFIXES
        .iter()
        .map(|(p, iri)| format!("PREFIX {p}: <{iri}>\n"))
        .collect()
}

/// A term of the `sco:` namespace.
pub fn sco(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SCO}{local}"))
}

/// A term of another namespace.
pub fn term(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

/// A minted identifier `res:{kind}/{id}`. The id is percent-encoded where
/// IRIs do not allow a character; Chinese text stays readable.
pub fn res(kind: &str, id: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{RES}{kind}/{}", encode_iri_segment(id)))
}

fn encode_iri_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        let allowed = c.is_alphanumeric() && !c.is_ascii() // ucschar
            || c.is_ascii_alphanumeric()
            || matches!(c, '-' | '.' | '_' | '~' | '·');
        if allowed {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Named graph of facts that hold across documents (labels, identities).
pub fn entities_graph() -> NamedNode {
    res("graph", "entities")
}

/// Named graph of inferred facts.
pub fn inferred_graph() -> NamedNode {
    res("graph", "inferred")
}

/// Named graph holding each fact of the document graphs once (see
/// [`crate::graph::fact_copy`]).
pub fn facts_graph() -> NamedNode {
    res("graph", "facts")
}

/// Named graph holding the number of reports of each statement
/// (`sco:reportCount`), refreshed whenever the evidence changes (see
/// [`crate::store::KgStore::refresh_report_counts`]).
pub fn reports_graph() -> NamedNode {
    res("graph", "reports")
}

macro_rules! terms {
    ($($(#[$m:meta])* $name:ident = $ns:ident : $local:literal;)*) => {
        $( $(#[$m])* #[doc = concat!("The term `", $local, "`.")] pub fn $name() -> NamedNode { term($ns, $local) } )*
        /// Every `sco:` term the code can emit, for the ontology coverage test.
        pub const SCO_TERMS: &[&str] = &[$( $local ),*];
    };
}

/// Terms by name. Each function returns the IRI of one term.
pub mod t {
    use super::*;
    terms! {
        country_class = SCO:"Country";
        organization_class = SCO:"Organization";
        body_class = SCO:"Body";
        person_class = SCO:"Person";
        place_class = SCO:"Place";
        meeting_class = SCO:"Meeting";
        attendance_class = SCO:"Attendance";
        accession_step_class = SCO:"AccessionStep";
        reported_count_class = SCO:"ReportedCount";
        post_class = SCO:"Post";
        pledge_class = SCO:"Pledge";
        document_class = SCO:"Document";
        source_document_class = SCO:"SourceDocument";
        evidence_class = SCO:"Evidence";
        member_state = SCO:"MemberState";
        observer_state = SCO:"ObserverState";
        dialogue_partner = SCO:"DialoguePartner";
        iso3 = SCO:"iso3";
        in_country = SCO:"inCountry";
        body = SCO:"body";
        session = SCO:"session";
        date = SCO:"date";
        place = SCO:"place";
        host_country = SCO:"hostCountry";
        chair = SCO:"chair";
        chair_country = SCO:"chairCountry";
        next_chair_country = SCO:"nextChairCountry";
        person = SCO:"person";
        meeting = SCO:"meeting";
        mode = SCO:"mode";
        capacity = SCO:"capacity";
        since = SCO:"since";
        as_of = SCO:"asOf";
        founding = SCO:"founding";
        country = SCO:"country";
        organization = SCO:"organization";
        step = SCO:"step";
        count = SCO:"count";
        holder = SCO:"holder";
        title = SCO:"title";
        post_in = SCO:"postIn";
        pledged_by = SCO:"pledgedBy";
        amount = SCO:"amount";
        unit = SCO:"unit";
        item = SCO:"item";
        period_years = SCO:"periodYears";
        kind = SCO:"kind";
        speaker = SCO:"speaker";
        sha256 = SCO:"sha256";
        path = SCO:"path";
        length = SCO:"length";
        source = SCO:"source";
        start = SCO:"start";
        end = SCO:"end";
        line = SCO:"line";
        quote = SCO:"quote";
        rule = SCO:"rule";
        report_count = SCO:"reportCount";
        alias = SCO:"alias";
        surname = SCO:"surname";
        attended = SCO:"attended";
        joined = SCO:"joined";
    }
}

/// Terms of other vocabularies.
pub mod ext {
    use super::*;
    /// `rdf:type`
    pub fn rdf_type() -> NamedNode {
        term(RDF, "type")
    }
    /// `rdfs:label`
    pub fn label() -> NamedNode {
        term(RDFS, "label")
    }
    /// `owl:sameAs`
    pub fn same_as() -> NamedNode {
        term(OWL, "sameAs")
    }
    /// `org:Membership`
    pub fn membership_class() -> NamedNode {
        term(ORG, "Membership")
    }
    /// `org:member`
    pub fn member() -> NamedNode {
        term(ORG, "member")
    }
    /// `org:organization`
    pub fn organization() -> NamedNode {
        term(ORG, "organization")
    }
    /// `org:role`
    pub fn role() -> NamedNode {
        term(ORG, "role")
    }
    /// `org:subOrganizationOf`
    pub fn sub_organization_of() -> NamedNode {
        term(ORG, "subOrganizationOf")
    }
    /// `prov:wasDerivedFrom`
    pub fn was_derived_from() -> NamedNode {
        term(PROV, "wasDerivedFrom")
    }
    /// `dcterms:title`
    pub fn dc_title() -> NamedNode {
        term(DCTERMS, "title")
    }
    /// `dcterms:date`
    pub fn dc_date() -> NamedNode {
        term(DCTERMS, "date")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_iris_are_valid_and_readable() {
        let iri = res("person", "伊姆兰·汗");
        assert_eq!(iri.as_str(), "https://w3id.org/scokg/id/person/伊姆兰·汗");
        assert!(NamedNode::new(iri.as_str()).is_ok());
        let odd = res("place", "a b/c{}");
        assert!(NamedNode::new(odd.as_str()).is_ok(), "{odd}");
    }
}
