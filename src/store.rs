//! The Oxigraph store: one named graph per source file, written in one
//! transaction each, so a file is either wholly in the store or not at all.

use crate::document::Document;
use crate::error::{Error, Result};
use crate::graph::{self, vocab};
use crate::lexicon::Lexicon;
use oxigraph::model::{GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};

/// A knowledge-graph store.
pub struct KgStore {
    store: Store,
    path: Option<PathBuf>,
}

impl KgStore {
    /// Open (or create) the store at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        if path.exists() && !path.is_dir() {
            return Err(Error::Store {
                path: path.to_path_buf(),
                message: "is a file, not a store directory; pass --store DIR".into(),
            });
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let store = Store::open(path).map_err(|e| open_error(path, e))?;
        Ok(KgStore {
            store,
            path: Some(path.to_path_buf()),
        })
    }

    /// Open an existing store for reading only.
    pub fn open_existing(path: &Path) -> Result<Self> {
        if !path.is_dir() {
            return Err(Error::Store {
                path: path.to_path_buf(),
                message: "no store here; run `scokg build` first or pass --store DIR".into(),
            });
        }
        Self::open(path)
    }

    /// An in-memory store.
    pub fn in_memory() -> Result<Self> {
        Ok(KgStore {
            store: Store::new()?,
            path: None,
        })
    }

    /// The Oxigraph store.
    pub fn inner(&self) -> &Store {
        &self.store
    }

    /// Whether a file with this SHA-256 is already in the store.
    pub fn contains_sha256(&self, sha256: &str) -> Result<bool> {
        let lit = Literal::new_simple_literal(sha256);
        Ok(self
            .store
            .quads_for_pattern(
                None,
                Some(vocab::t::sha256().as_ref()),
                Some((&lit).into()),
                None,
            )
            .next()
            .transpose()?
            .is_some())
    }

    /// The graphs of earlier versions of the file at `path`.
    fn graphs_for_path(&self, path: &str) -> Result<Vec<NamedNode>> {
        let lit = Literal::new_simple_literal(path);
        let mut out = Vec::new();
        for q in self.store.quads_for_pattern(
            None,
            Some(vocab::t::path().as_ref()),
            Some((&lit).into()),
            None,
        ) {
            if let NamedOrBlankNode::NamedNode(n) = q?.subject {
                out.push(n);
            }
        }
        Ok(out)
    }

    /// Write one extracted document: its graph replaces any earlier version
    /// of the same path, in one transaction. Returns the quads written.
    pub fn ingest(&self, doc: &Document, lexicon: &Lexicon) -> Result<usize> {
        let (doc_quads, entity_quads) = graph::document_quads(doc, lexicon);
        let old = self.graphs_for_path(&doc.path)?;
        let mut tx = self.store.start_transaction()?;
        for g in &old {
            tx.remove_named_graph(g)?;
        }
        let graph = graph::doc_iri(&doc.id);
        tx.insert_named_graph(&graph);
        for q in doc_quads.iter().chain(&entity_quads) {
            tx.insert(q);
        }
        tx.commit()?;
        Ok(doc_quads.len())
    }

    /// Replace the inferred graph with `quads`.
    pub fn replace_inferred(&self, quads: &[Quad]) -> Result<()> {
        let inferred = vocab::inferred_graph();
        let mut tx = self.store.start_transaction()?;
        tx.clear_graph(&inferred)?;
        for q in quads {
            tx.insert(q);
        }
        tx.commit()?;
        Ok(())
    }

    /// Number of quads.
    pub fn len(&self) -> Result<usize> {
        Ok(self.store.len()?)
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.store.is_empty()?)
    }

    /// Number of statement nodes (anything with evidence).
    pub fn statement_count(&self) -> Result<usize> {
        let q = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?e }";
        match self.query(q, &[])? {
            QueryResults::Solutions(mut rows) => Ok(rows
                .next()
                .transpose()
                .map_err(|e| Error::QueryEvaluation(e.to_string()))?
                .and_then(|r| r.get("n").cloned())
                .and_then(|t| match t {
                    Term::Literal(l) => l.value().parse().ok(),
                    _ => None,
                })
                .unwrap_or(0)),
            _ => Ok(0),
        }
    }

    /// Run a SPARQL query over the union of all graphs, with variables bound
    /// to terms (user text enters only as bound terms, never as SPARQL text).
    pub fn query(&self, sparql: &str, bindings: &[(&str, Term)]) -> Result<QueryResults<'static>> {
        let mut prepared = SparqlEvaluator::new()
            .parse_query(sparql)
            .map_err(|e| Error::QuerySyntax(e.to_string()))?;
        prepared.dataset_mut().set_default_graph_as_union();
        let mut bound = prepared.on_store(&self.store);
        for (name, term) in bindings {
            let var = oxigraph::sparql::Variable::new(*name)
                .map_err(|e| Error::Usage(format!("bad variable name {name}: {e}")))?;
            bound = bound.substitute_variable(var, term.clone());
        }
        bound
            .execute()
            .map_err(|e| Error::QueryEvaluation(e.to_string()))
    }

    /// Every quad, sorted, for dumps that must compare equal.
    pub fn sorted_quads(&self) -> Result<Vec<Quad>> {
        let mut v = self.store.iter().collect::<Result<Vec<_>, _>>()?;
        v.sort_by_cached_key(|q| q.to_string());
        Ok(v)
    }

    /// The named graphs that hold source documents.
    pub fn document_graphs(&self) -> Result<usize> {
        let mut n = 0;
        for g in self.store.named_graphs() {
            if let NamedOrBlankNode::NamedNode(g) = g? {
                if g.as_str().starts_with(&format!("{}doc/", vocab::RES)) {
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    /// Flush to disk.
    pub fn flush(&self) -> Result<()> {
        if self.path.is_some() {
            self.store.flush()?;
        }
        Ok(())
    }

    /// Quads of the default graph are never written; this reports any, as a sanity check.
    pub fn default_graph_len(&self) -> Result<usize> {
        Ok(self
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            .count())
    }
}

fn open_error(path: &Path, e: oxigraph::store::StorageError) -> Error {
    let text = e.to_string();
    let message = if text.contains("lock") || text.contains("Resource temporarily unavailable") {
        "is in use by another process; wait for it to finish or pass another --store".to_string()
    } else if text.contains("Permission denied") || text.contains("Read-only") {
        "cannot be written (permission denied); pass --store DIR in a writable place".to_string()
    } else {
        format!("cannot be opened: {}", text.lines().next().unwrap_or(""))
    };
    Error::Store {
        path: path.to_path_buf(),
        message,
    }
}
