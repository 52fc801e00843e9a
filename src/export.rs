//! Exports: standard RDF serialisations of the store, and a GraphViz picture
//! of the entities and how they relate.

use crate::error::{Error, Result};
use crate::graph::vocab;
use crate::query::display_term;
use crate::store::KgStore;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Term, Triple};
use oxigraph::sparql::QueryResults;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, HashMap};
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

/// An entity in the picture.
#[derive(Debug, Clone)]
struct Node {
    id: String,
    label: String,
    class: String,
}

/// A relation in the picture.
#[derive(Debug, Clone)]
struct Edge {
    label: String,
    dashed: bool,
}

const PICTURE_QUERY: &str = r#"
SELECT ?s ?rel ?o ?extra ?dashed WHERE {
  {
    ?a a sco:Attendance ; sco:person ?s ; sco:meeting ?o .
    BIND("attended" AS ?rel)
    OPTIONAL { ?a sco:mode ?mode }
    BIND(COALESCE(?mode = "video", false) AS ?dashed)
  } UNION {
    ?m a org:Membership ; org:member ?s ; org:organization ?o ; org:role ?role .
    OPTIONAL { ?m sco:since ?since } OPTIONAL { ?m sco:asOf ?asof }
    BIND(IF(?role = sco:MemberState, "member", IF(?role = sco:ObserverState, "observer", "dialogue partner")) AS ?rel)
    BIND(SUBSTR(STR(COALESCE(?since, ?asof)), 1, 4) AS ?extra)
  } UNION {
    ?s a sco:Meeting ; sco:chair ?o . BIND("chaired by" AS ?rel)
  } UNION {
    ?s a sco:Meeting ; sco:chairCountry ?o . BIND("presidency" AS ?rel)
  } UNION {
    ?s a sco:Meeting ; sco:nextChairCountry ?o . BIND("next presidency" AS ?rel)
  } UNION {
    ?s a sco:Meeting ; sco:hostCountry ?o . BIND("hosted by" AS ?rel)
  } UNION {
    ?s a sco:Meeting ; sco:place ?o . BIND("in" AS ?rel)
  } UNION {
    ?p a sco:Pledge ; sco:pledgedBy ?s ; sco:amount ?n ; sco:unit ?unit .
    OPTIONAL { ?p sco:meeting ?o }
    BIND("pledged" AS ?rel)
    BIND(CONCAT(STR(?n), " ", ?unit) AS ?extra)
  } UNION {
    ?d a sco:Document ; sco:meeting ?s . BIND(?d AS ?o) BIND("adopted" AS ?rel)
  } UNION {
    ?p a sco:Post ; sco:holder ?s ; sco:postIn ?o ; sco:title ?extra . BIND("post" AS ?rel)
  }
}"#;

const LABEL_QUERY: &str = r#"
SELECT ?e ?zh ?en ?class WHERE {
  ?e a ?class .
  FILTER(?class IN (sco:Country, sco:Organization, sco:Person, sco:Meeting, sco:Place, sco:Document))
  OPTIONAL { ?e rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?e rdfs:label ?en FILTER(LANG(?en) = "en") }
}"#;

fn escape_dot(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn style_of(class: &str) -> &'static str {
    match class {
        "Country" => "shape=box, style=filled, fillcolor=\"#dbe9f6\"",
        "Organization" => "shape=hexagon, style=filled, fillcolor=\"#fde2c8\"",
        "Person" => "shape=ellipse, style=filled, fillcolor=\"#e3f1da\"",
        "Meeting" => "shape=doubleoctagon, style=filled, fillcolor=\"#f9f3c2\"",
        "Place" => "shape=house, style=filled, fillcolor=\"#eeeeee\"",
        "Document" => "shape=note, style=filled, fillcolor=\"#efe0f5\"",
        _ => "shape=plaintext",
    }
}

/// Write a DOT picture of the entity graph.
pub fn write_dot(store: &KgStore, options: &PictureOptions, out: &mut impl Write) -> Result<()> {
    let prefixes = vocab::sparql_prefixes();
    let mut labels: HashMap<String, (String, String, String)> = HashMap::new();
    if let QueryResults::Solutions(rows) = store.query(&format!("{prefixes}{LABEL_QUERY}"), &[])? {
        for row in rows {
            let row = row.map_err(|e| Error::QueryEvaluation(e.to_string()))?;
            let Some(Term::NamedNode(e)) = row.get("e") else {
                continue;
            };
            let zh = row.get("zh").map(display_term).unwrap_or_default();
            let en = row.get("en").map(display_term).unwrap_or_default();
            let class = row.get("class").map(display_term).unwrap_or_default();
            let class = class.trim_start_matches("sco:").to_string();
            let entry = labels.entry(e.as_str().to_string()).or_insert((
                zh.clone(),
                en.clone(),
                class.clone(),
            ));
            if entry.0.is_empty() {
                entry.0 = zh;
            }
            if entry.1.is_empty() {
                entry.1 = en;
            }
            if class == "Meeting"
                || class == "Document"
                || entry.2 == "Organization" && class != "Organization"
            {
                entry.2 = class;
            }
        }
    }
    let mut graph: DiGraph<Node, Edge> = DiGraph::new();
    let mut index: BTreeMap<String, NodeIndex> = BTreeMap::new();
    let mut node_for = |graph: &mut DiGraph<Node, Edge>, iri: &str| -> NodeIndex {
        if let Some(&i) = index.get(iri) {
            return i;
        }
        let (zh, en, class) = labels.get(iri).cloned().unwrap_or_default();
        let fallback = display_term(&Term::NamedNode(oxigraph::model::NamedNode::new_unchecked(
            iri,
        )));
        let label = match options.lang {
            Lang::Zh => {
                if zh.is_empty() {
                    fallback
                } else {
                    zh
                }
            }
            Lang::En => {
                if en.is_empty() {
                    if zh.is_empty() {
                        fallback
                    } else {
                        zh
                    }
                } else {
                    en
                }
            }
            Lang::Both => match (zh.is_empty(), en.is_empty()) {
                (false, false) => format!("{zh}\n{en}"),
                (false, true) => zh,
                (true, false) => en,
                (true, true) => fallback,
            },
        };
        let i = graph.add_node(Node {
            id: format!("n{}", index.len()),
            label,
            class,
        });
        index.insert(iri.to_string(), i);
        i
    };
    if let QueryResults::Solutions(rows) =
        store.query(&format!("{prefixes}{PICTURE_QUERY}"), &[])?
    {
        let mut seen = BTreeSet::new();
        for row in rows {
            let row = row.map_err(|e| Error::QueryEvaluation(e.to_string()))?;
            let (Some(Term::NamedNode(s)), Some(Term::NamedNode(o))) = (row.get("s"), row.get("o"))
            else {
                continue;
            };
            let rel = row.get("rel").map(display_term).unwrap_or_default();
            let extra = row.get("extra").map(display_term).unwrap_or_default();
            let dashed = row.get("dashed").map(display_term).as_deref() == Some("true");
            let label = if extra.is_empty() {
                rel
            } else {
                format!("{rel} {extra}")
            };
            if !seen.insert((
                s.as_str().to_string(),
                o.as_str().to_string(),
                label.clone(),
            )) {
                continue;
            }
            let a = node_for(&mut graph, s.as_str());
            let b = node_for(&mut graph, o.as_str());
            graph.add_edge(a, b, Edge { label, dashed });
        }
    }
    let keep: Option<BTreeSet<NodeIndex>> = match &options.focus {
        None => None,
        Some(term) => {
            let starts: Vec<NodeIndex> = graph
                .node_indices()
                .filter(|&i| {
                    graph[i].label.contains(term.as_str())
                        || index
                            .iter()
                            .any(|(iri, &j)| j == i && iri.ends_with(&format!("/{term}")))
                })
                .collect();
            if starts.is_empty() {
                return Err(Error::Usage(format!("no entity matches --focus {term}")));
            }
            let undirected = petgraph::visit::EdgeFiltered::from_fn(&graph, |_| true);
            let _ = undirected;
            let mut keep = BTreeSet::new();
            let mut frontier = starts.clone();
            keep.extend(starts);
            for _ in 0..options.depth {
                let mut next = Vec::new();
                for &n in &frontier {
                    for m in graph.neighbors_undirected(n) {
                        if keep.insert(m) {
                            next.push(m);
                        }
                    }
                }
                frontier = next;
            }
            Some(keep)
        }
    };
    let io = |e: std::io::Error| Error::io("<output>", e);
    writeln!(out, "digraph scokg {{").map_err(io)?;
    writeln!(
        out,
        "  graph [rankdir=LR, overlap=false, splines=true, fontname=\"Noto Sans CJK SC\"];"
    )
    .map_err(io)?;
    writeln!(out, "  node [fontname=\"Noto Sans CJK SC\", fontsize=10];").map_err(io)?;
    writeln!(out, "  edge [fontname=\"Noto Sans CJK SC\", fontsize=8];").map_err(io)?;
    for i in graph.node_indices() {
        if keep.as_ref().is_some_and(|k| !k.contains(&i)) {
            continue;
        }
        let n = &graph[i];
        writeln!(
            out,
            "  {} [label=\"{}\", {}];",
            n.id,
            escape_dot(&n.label),
            style_of(&n.class)
        )
        .map_err(io)?;
    }
    for e in graph.edge_indices() {
        let Some((a, b)) = graph.edge_endpoints(e) else {
            continue;
        };
        if keep
            .as_ref()
            .is_some_and(|k| !k.contains(&a) || !k.contains(&b))
        {
            continue;
        }
        let edge = &graph[e];
        writeln!(
            out,
            "  {} -> {} [label=\"{}\"{}];",
            graph[a].id,
            graph[b].id,
            escape_dot(&edge.label),
            if edge.dashed { ", style=dashed" } else { "" }
        )
        .map_err(io)?;
    }
    writeln!(
        out,
        "  subgraph cluster_legend {{ label=\"legend\"; fontsize=9;"
    )
    .map_err(io)?;
    for class in [
        "Country",
        "Organization",
        "Person",
        "Meeting",
        "Place",
        "Document",
    ] {
        writeln!(
            out,
            "    legend_{class} [label=\"{class}\", {}];",
            style_of(class)
        )
        .map_err(io)?;
    }
    writeln!(
        out,
        "    legend_a -> legend_b [label=\"attended by video\", style=dashed];"
    )
    .map_err(io)?;
    writeln!(
        out,
        "    legend_a [label=\"\", shape=point]; legend_b [label=\"\", shape=point];"
    )
    .map_err(io)?;
    writeln!(out, "  }}").map_err(io)?;
    writeln!(out, "}}").map_err(io)?;
    Ok(())
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
