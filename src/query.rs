//! SPARQL queries: the query library in `queries/`, evaluation over the
//! union of all graphs, and result formats for people (aligned table) and
//! tools (CSV, TSV, SPARQL 1.1 Query Results JSON).

use crate::error::{Error, Result};
use crate::graph::vocab;
use crate::store::KgStore;
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::QueryResults;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// A query of the library.
#[derive(Debug, Clone, Copy)]
pub struct NamedQuery {
    /// File stem (`member_states_per_year`).
    pub name: &'static str,
    /// The SPARQL text.
    pub sparql: &'static str,
}

macro_rules! library {
    ($($name:literal),* $(,)?) => {
        /// The queries of `queries/`, embedded in the binary.
        pub const LIBRARY: &[NamedQuery] = &[
            $(NamedQuery { name: $name, sparql: include_str!(concat!("../queries/", $name, ".rq")) }),*
        ];
    };
}

library!(
    "member_states_per_year",
    "attendance",
    "chairs",
    "membership_timeline",
    "pledges",
    "meetings",
    "people",
    "evidence",
);

impl NamedQuery {
    /// The question it answers: its leading `#` comment lines.
    pub fn question(&self) -> String {
        self.sparql
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .take_while(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A query from the library by name.
pub fn named(name: &str) -> Option<&'static NamedQuery> {
    let name = name.trim_end_matches(".rq");
    LIBRARY.iter().find(|q| q.name == name)
}

/// Output format of query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// SPARQL 1.1 CSV.
    Csv,
    /// SPARQL 1.1 TSV.
    Tsv,
    /// SPARQL 1.1 Query Results JSON.
    Json,
}

/// A compact rendering of a term: prefixed IRIs, plain literal values.
pub fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => {
            let iri = n.as_str();
            vocab::PREFIXES
                .iter()
                .filter(|(_, ns)| iri.starts_with(ns))
                .max_by_key(|(_, ns)| ns.len())
                .map(|(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
                .unwrap_or_else(|| format!("<{iri}>"))
        }
        Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}

/// Evaluate `sparql` and write its results to `out`.
pub fn run(
    store: &KgStore,
    sparql: &str,
    bindings: &[(&str, Term)],
    format: OutputFormat,
    out: &mut impl Write,
) -> Result<usize> {
    let io = |e: std::io::Error| Error::io("<stdout>", e);
    let results = store.query(sparql, bindings)?;
    let eval = |e: oxigraph::sparql::QueryEvaluationError| Error::QueryEvaluation(e.to_string());
    match results {
        QueryResults::Boolean(b) => {
            match format {
                OutputFormat::Table => writeln!(out, "{b}").map_err(io)?,
                f => {
                    let s = QueryResultsSerializer::from_format(results_format(f));
                    s.serialize_boolean_to_writer(&mut *out, b).map_err(io)?;
                    writeln!(out).map_err(io)?;
                }
            }
            Ok(1)
        }
        QueryResults::Solutions(rows) => {
            let vars = rows.variables().to_vec();
            if format == OutputFormat::Table {
                let mut table: Vec<Vec<String>> = Vec::new();
                for row in rows {
                    let row = row.map_err(eval)?;
                    table.push(
                        vars.iter()
                            .map(|v| row.get(v).map(display_term).unwrap_or_default())
                            .collect(),
                    );
                }
                let header: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
                write_table(out, &header, &table).map_err(io)?;
                return Ok(table.len());
            }
            let mut w = QueryResultsSerializer::from_format(results_format(format))
                .serialize_solutions_to_writer(&mut *out, vars)
                .map_err(io)?;
            let mut n = 0;
            for row in rows {
                w.serialize(&row.map_err(eval)?).map_err(io)?;
                n += 1;
            }
            w.finish().map_err(io)?;
            if format == OutputFormat::Json {
                writeln!(out).map_err(io)?;
            }
            Ok(n)
        }
        QueryResults::Graph(triples) => {
            let mut n = 0;
            for t in triples {
                writeln!(out, "{} .", t.map_err(eval)?).map_err(io)?;
                n += 1;
            }
            Ok(n)
        }
    }
}

fn results_format(f: OutputFormat) -> QueryResultsFormat {
    match f {
        OutputFormat::Csv => QueryResultsFormat::Csv,
        OutputFormat::Tsv => QueryResultsFormat::Tsv,
        OutputFormat::Json | OutputFormat::Table => QueryResultsFormat::Json,
    }
}

/// Write rows as aligned columns (CJK characters count double).
pub fn write_table(
    out: &mut impl Write,
    header: &[String],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.width());
        }
    }
    let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(widths[i].saturating_sub(c.width())));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(out, header)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule)?;
    for r in rows {
        line(out, r)?;
    }
    Ok(())
}
