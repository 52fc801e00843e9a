//! The Oxigraph store: one named graph per source file, written in one
//! transaction each, so a file is either wholly in the store or not at all.

use crate::document::Document;
use crate::error::{Error, Result};
use crate::graph::{self, vocab};
use crate::lexicon::Lexicon;
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolutionIter, SparqlEvaluator,
};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Quads written or removed through transactions between two flushes of
/// RocksDB's memory tables. The tables otherwise grow to 64 MiB per index
/// before RocksDB writes them out, several hundred MiB in all; at this
/// count they stay near 60 MiB.
const FLUSH_EVERY_QUADS: usize = 50_000;

/// Quads removed per transaction when a large graph is removed.
const REMOVE_PER_TRANSACTION: usize = 10_000;

/// Report counts written or removed per transaction.
const COUNTS_PER_TRANSACTION: usize = 10_000;

/// Distinct facts remembered by [`FactCopies`] before it forgets them all:
/// past this, a fact already copied may be copied again (the store keeps it
/// once), so memory stays bounded however many facts an archive holds.
const FACTS_REMEMBERED: usize = 200_000;

/// Makes the facts-graph copies of the quads of document graphs (see
/// [`graph::fact_copy`]), skipping facts it has already copied: a fact
/// repeated by thousands of files is then written to the facts graph once,
/// not once per file.
#[derive(Default)]
pub struct FactCopies {
    seen: std::collections::HashSet<oxigraph::model::Triple>,
}

impl FactCopies {
    /// The copies of `quads` not made before.
    pub fn of<'a>(&mut self, quads: impl IntoIterator<Item = &'a Quad>) -> Vec<Quad> {
        let mut out = Vec::new();
        for q in quads {
            let Some(copy) = graph::fact_copy(q) else {
                continue;
            };
            let triple = oxigraph::model::Triple::from(copy);
            if self.seen.contains(&triple) {
                continue;
            }
            if self.seen.len() >= FACTS_REMEMBERED {
                self.seen.clear();
            }
            out.push(triple.clone().in_graph(vocab::facts_graph()));
            self.seen.insert(triple);
        }
        out
    }
}

/// The source files a store held when a build began (see
/// [`KgStore::known_files`]). A build never asks it about the files it
/// writes itself: it remembers those on its own.
#[derive(Default, Debug)]
pub struct KnownFiles {
    sha256: std::collections::HashSet<[u8; 32]>,
    /// 64-bit keys of the paths: a collision only costs a store lookup.
    paths: std::collections::HashSet<u64>,
}

impl KnownFiles {
    /// Whether a file with these bytes (a hex SHA-256) is in the store.
    pub fn contains_sha256(&self, sha256_hex: &str) -> bool {
        digest_of_hex(sha256_hex).is_some_and(|d| self.sha256.contains(&d))
    }

    /// Whether the store may hold an earlier version of the file at `path`;
    /// `false` is certain, `true` is to be confirmed by
    /// [`KgStore::earlier_graphs`].
    pub fn may_hold_path(&self, path: &str) -> bool {
        self.paths.contains(&path_key(path))
    }

    /// The number of distinct files (by content) known.
    pub fn len(&self) -> usize {
        self.sha256.len()
    }

    /// Whether no file is known.
    pub fn is_empty(&self) -> bool {
        self.sha256.is_empty()
    }
}

/// The 32 bytes of a hex SHA-256 (64 hex digits), or `None` for anything else.
pub fn digest_of_hex(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut digest = [0u8; 32];
    for (byte, pair) in digest.iter_mut().zip(bytes.chunks_exact(2)) {
        let high = (pair[0] as char).to_digit(16)?;
        let low = (pair[1] as char).to_digit(16)?;
        *byte = (high << 4 | low) as u8;
    }
    Some(digest)
}

fn path_key(path: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    // Keys live only as long as one build's snapshot, so any fixed hash
    // serves; std's needs no crate.
    let mut hasher = std::hash::DefaultHasher::new();
    path.hash(&mut hasher);
    hasher.finish()
}

/// A knowledge-graph store.
pub struct KgStore {
    store: Store,
    path: Option<PathBuf>,
    cancellation: Option<CancellationToken>,
    /// Quads changed through transactions since the last flush.
    unflushed: AtomicUsize,
    /// The store's lock file, held (exclusively by a writer, shared by
    /// readers) for as long as the store is open.
    _lock: Option<std::fs::File>,
    read_only: bool,
}

/// The lock file in a store folder. RocksDB's own `LOCK` keeps out a second
/// writer only; a reader opens RocksDB read-only, which takes no lock and
/// must not run beside a writer. Writers hold this file exclusively and
/// readers shared, so any number of queries run together and none runs
/// while a build writes.
const LOCK_FILE: &str = "scokg.lock";

/// Take the store's lock file, exclusively for a writer or shared for a
/// reader, without waiting. `None` when a reader finds no lock file and
/// cannot make one (a store on a read-only disk, which nobody writes).
fn lock_store(path: &Path, exclusive: bool) -> Result<Option<std::fs::File>> {
    let lock_path = path.join(LOCK_FILE);
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
    {
        Ok(file) => file,
        // A reader that may not make the file can still share an existing one.
        Err(e) if !exclusive && unwritable(&e) => match std::fs::File::open(&lock_path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_open_error(path, &e)),
        },
        Err(e) => return Err(io_open_error(path, &e)),
    };
    let locked = if exclusive {
        file.try_lock()
    } else {
        file.try_lock_shared()
    };
    match locked {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Store {
            path: path.to_path_buf(),
            message: IN_USE.into(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(io_open_error(path, &e)),
    }
}

const UNWRITABLE: &str =
    "cannot be written (permission denied); pass --store DIR in a writable place";

const IN_USE: &str = "is in use by another process; wait for it to finish or pass another --store";

fn unwritable(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
    )
}

fn no_store(path: &Path) -> Error {
    Error::Store {
        path: path.to_path_buf(),
        message: "no store here; run `scokg build` first or pass --store DIR".into(),
    }
}

/// A store folder that cannot be made or whose lock file cannot be opened.
fn io_open_error(path: &Path, e: &std::io::Error) -> Error {
    let message = if unwritable(e) {
        UNWRITABLE.to_string()
    } else {
        format!("cannot be opened: {e}")
    };
    Error::Store {
        path: path.to_path_buf(),
        message,
    }
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
            std::fs::create_dir_all(parent).map_err(|e| folder_error(path, parent, e))?;
        }
        match std::fs::create_dir(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_open_error(path, &e)),
        }
        // Before RocksDB opens: a writer's open already writes (its options
        // file, the replayed log), which no reader may see half done.
        let lock = lock_store(path, true)?;
        let store = Store::open(path).map_err(|e| open_error(path, e))?;
        remove_unfinished_bulk_files(path);
        Ok(Self::on_disk(store, path, lock, false))
    }

    fn on_disk(store: Store, path: &Path, lock: Option<std::fs::File>, read_only: bool) -> Self {
        KgStore {
            store,
            path: Some(path.to_path_buf()),
            cancellation: None,
            unflushed: AtomicUsize::new(0),
            _lock: lock,
            read_only,
        }
    }

    /// Open an existing store to change it (an update), without making one.
    pub fn open_existing_for_writing(path: &Path) -> Result<Self> {
        if !path.is_dir() {
            return Err(no_store(path));
        }
        Self::open(path)
    }

    /// Open an existing store for reading only: queries, lookups and
    /// exports. Any number of readers may have the store open at once;
    /// none while a writer has it. Opening read-only writes nothing, so it
    /// is also quicker than [`KgStore::open`].
    pub fn open_existing(path: &Path) -> Result<Self> {
        // RocksDB's CURRENT names the live manifest: a folder without one
        // holds no store, and a reader leaves no lock file in it.
        if !path.join("CURRENT").is_file() {
            return Err(no_store(path));
        }
        let lock = lock_store(path, false)?;
        let store = Store::open_read_only(path).map_err(|e| open_error(path, e))?;
        Ok(Self::on_disk(store, path, lock, true))
    }

    /// An in-memory store.
    pub fn in_memory() -> Result<Self> {
        Ok(KgStore {
            store: Store::new()?,
            path: None,
            cancellation: None,
            unflushed: AtomicUsize::new(0),
            _lock: None,
            read_only: false,
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

    /// What the store holds of source files, read in one scan of each
    /// predicate, so that a build asks a hash table about every file
    /// instead of seeking in RocksDB while it bulk-loads (those seeks grow
    /// with the index files a long build ingests).
    ///
    /// Read through SPARQL, which decodes only the selected literal: a
    /// quad scan would also decode each description's subject and graph,
    /// a string-table lookup each (on 353 000 files, 8 s instead of 2.4 s).
    pub fn known_files(&self) -> Result<KnownFiles> {
        let mut known = KnownFiles::default();
        self.each_literal_of(&vocab::t::sha256(), |value| {
            if let Some(digest) = digest_of_hex(value) {
                known.sha256.insert(digest);
            }
        })?;
        self.each_literal_of(&vocab::t::path(), |value| {
            known.paths.insert(path_key(value));
        })?;
        Ok(known)
    }

    /// Call `f` with the value of every literal object of `predicate`, in
    /// any graph.
    fn each_literal_of(&self, predicate: &NamedNode, mut f: impl FnMut(&str)) -> Result<()> {
        let sparql = format!("SELECT ?o WHERE {{ GRAPH ?g {{ ?s {predicate} ?o }} }}");
        if let QueryResults::Solutions(rows) = self.query(&sparql, &[])? {
            for row in rows {
                let row = row.map_err(|e| Error::QueryEvaluation(e.to_string()))?;
                if let Some(Term::Literal(lit)) = row.get("o") {
                    f(lit.value());
                }
            }
        }
        Ok(())
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
        let old_facts = self.facts_of_graphs(&old)?;
        let mut tx = self.store.start_transaction()?;
        for g in &old {
            tx.remove_named_graph(g)?;
        }
        let graph = graph::doc_iri(&doc.id);
        // Leftovers of an interrupted chunked write of the same content.
        tx.clear_graph(&graph)?;
        tx.insert_named_graph(&graph);
        let facts = FactCopies::default().of(&doc_quads);
        for q in doc_quads.iter().chain(&entity_quads).chain(&facts) {
            tx.insert(q);
        }
        tx.commit()?;
        self.prune_facts(&old_facts)?;
        Ok(doc_quads.len())
    }

    /// A loader that writes many files' quads in large atomic batches
    /// through Oxigraph's bulk loader.
    pub fn loader(&self) -> Loader<'_> {
        Loader {
            store: self,
            pending: Vec::new(),
            threads: 2,
            batch_quads: LOADER_BATCH_QUADS,
            commit_quads: LOADER_COMMIT_QUADS,
            facts: FactCopies::default(),
            open: None,
        }
    }

    /// Remove these graphs and their description, in one transaction (the
    /// earlier versions of a changed file).
    pub fn remove_graphs(&self, graphs: &[NamedNode]) -> Result<()> {
        if graphs.is_empty() {
            return Ok(());
        }
        let facts = self.facts_of_graphs(graphs)?;
        let mut tx = self.store.start_transaction()?;
        for g in graphs {
            tx.remove_named_graph(g)?;
        }
        tx.commit()?;
        self.prune_facts(&facts)
    }

    /// The distinct facts (as their facts-graph copies) of some document
    /// graphs.
    fn facts_of_graphs(&self, graphs: &[NamedNode]) -> Result<Vec<Quad>> {
        let mut copies = FactCopies::default();
        let mut out = Vec::new();
        for g in graphs {
            for q in self
                .store
                .quads_for_pattern(None, None, None, Some(g.as_ref().into()))
            {
                out.extend(copies.of([&q?]));
            }
        }
        Ok(out)
    }

    /// Remove from the facts graph those of `facts` that no document graph
    /// states any more (after the graphs that stated them were removed).
    fn prune_facts(&self, facts: &[Quad]) -> Result<()> {
        let doc_prefix = format!("{}doc/", vocab::RES);
        let mut orphans = Vec::new();
        for f in facts {
            let mut stated = false;
            for q in self.store.quads_for_pattern(
                Some(f.subject.as_ref()),
                Some(f.predicate.as_ref()),
                Some(f.object.as_ref()),
                None,
            ) {
                if matches!(&q?.graph_name, GraphName::NamedNode(g) if g.as_str().starts_with(&doc_prefix))
                {
                    stated = true;
                    break;
                }
            }
            if !stated {
                orphans.push(f.clone());
            }
        }
        for batch in orphans.chunks(REMOVE_PER_TRANSACTION) {
            self.remove_quads(batch)?;
        }
        Ok(())
    }

    /// Remove quads in one transaction, counted towards the next flush.
    fn remove_quads(&self, quads: &[Quad]) -> Result<()> {
        let mut tx = self.store.start_transaction()?;
        for q in quads {
            tx.remove(q);
        }
        tx.commit()?;
        self.changed(quads.len())
    }

    /// Remove a document graph step by step, then the facts only it stated.
    fn remove_document_graph_in_steps(&self, graph: &NamedNode) -> Result<()> {
        let facts = self.facts_of_graphs(std::slice::from_ref(graph))?;
        self.remove_graph_in_steps(graph)?;
        self.prune_facts(&facts)
    }

    /// The graphs of earlier versions of the file at `path`, other than `keep`.
    pub fn earlier_graphs(&self, path: &str, keep: &NamedNode) -> Result<Vec<NamedNode>> {
        let mut graphs = self.graphs_for_path(path)?;
        graphs.retain(|g| g != keep);
        Ok(graphs)
    }

    /// Insert quads in one transaction (a chunk of a large file: its part of
    /// the file's graph and its entity descriptions).
    pub fn insert_quads<'a>(&self, quads: impl IntoIterator<Item = &'a Quad>) -> Result<()> {
        let mut tx = self.store.start_transaction()?;
        let mut n = 0;
        for q in quads {
            tx.insert(q);
            n += 1;
        }
        tx.commit()?;
        self.changed(n)
    }

    /// Count quads changed through a transaction, and flush the memory
    /// tables when enough have gathered, so that memory stays bounded
    /// however much a large file or the inferred graph writes.
    fn changed(&self, quads: usize) -> Result<()> {
        let total = self.unflushed.fetch_add(quads, Ordering::Relaxed) + quads;
        if total >= FLUSH_EVERY_QUADS {
            self.unflushed.store(0, Ordering::Relaxed);
            self.flush()?;
        }
        Ok(())
    }

    /// Remove a graph a bounded transaction at a time. Not atomic: callers
    /// remove a document graph's description first, so that a graph left
    /// part-removed reads as incomplete and the next build finishes the job.
    fn remove_graph_in_steps(&self, graph: &NamedNode) -> Result<()> {
        loop {
            let batch = self
                .store
                .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
                .take(REMOVE_PER_TRANSACTION)
                .collect::<std::result::Result<Vec<_>, _>>()?;
            if batch.is_empty() {
                break;
            }
            self.remove_quads(&batch)?;
        }
        let mut tx = self.store.start_transaction()?;
        tx.remove_named_graph(graph)?;
        tx.commit()?;
        Ok(())
    }

    /// Remove the graph of the document with this id (an interrupted or
    /// failed chunked write), if there is one.
    pub fn remove_document_graph(&self, id: &str) -> Result<()> {
        self.remove_document_graph_in_steps(&graph::doc_iri(id))
    }

    /// Complete a document written chunk by chunk: in one transaction, write
    /// its `description` (`sco:sha256`, `sco:path` …, which mark the graph as
    /// complete) and drop the descriptions of earlier versions of the same
    /// path; then remove the rest of those graphs step by step (a large
    /// file's graph is too big for one transaction's memory).
    pub fn finish_document(&self, id: &str, path: &str, description: &[Quad]) -> Result<()> {
        let graph = graph::doc_iri(id);
        let old: Vec<NamedNode> = self
            .graphs_for_path(path)?
            .into_iter()
            .filter(|g| *g != graph)
            .collect();
        let mut tx = self.store.start_transaction()?;
        for g in &old {
            let own: Vec<Quad> = self
                .store
                .quads_for_pattern(Some(g.as_ref().into()), None, None, Some(g.as_ref().into()))
                .collect::<std::result::Result<_, _>>()?;
            for q in &own {
                tx.remove(q);
            }
        }
        tx.insert_named_graph(&graph);
        for q in description {
            tx.insert(q);
        }
        tx.commit()?;
        for g in &old {
            self.remove_document_graph_in_steps(g)?;
        }
        Ok(())
    }

    /// Remove document graphs without their `sco:sha256` description: the
    /// part of a large file an interrupted build had written. Returns how
    /// many were removed.
    pub fn remove_incomplete_documents(&self) -> Result<usize> {
        let prefix = format!("{}doc/", vocab::RES);
        // One scan of the descriptions, not a lookup per graph: an archive
        // holds hundreds of thousands of graphs.
        let mut complete = std::collections::HashSet::new();
        for q in self
            .store
            .quads_for_pattern(None, Some(vocab::t::sha256().as_ref()), None, None)
        {
            let q = q?;
            if let (NamedOrBlankNode::NamedNode(s), GraphName::NamedNode(g)) =
                (&q.subject, &q.graph_name)
            {
                if s == g {
                    complete.insert(g.clone());
                }
            }
        }
        let mut incomplete = Vec::new();
        for g in self.store.named_graphs() {
            let NamedOrBlankNode::NamedNode(g) = g? else {
                continue;
            };
            if g.as_str().starts_with(&prefix) && !complete.contains(&g) {
                incomplete.push(g);
            }
        }
        for g in &incomplete {
            self.remove_document_graph_in_steps(g)?;
        }
        Ok(incomplete.len())
    }

    /// The quad that says a build has started writing documents and has not
    /// finished: the graph of a large file may be part-written and the
    /// inferred graph is out of date.
    fn unfinished_build_marker() -> Quad {
        let graph = vocab::res("graph", "build");
        Quad::new(
            graph.clone(),
            vocab::res("build", "unfinished"),
            Literal::from(true),
            graph,
        )
    }

    /// Note, before writing documents, that a build is under way;
    /// [`Self::clear_build_unfinished`] removes the note once the build has
    /// written its last file and refreshed the inferred graph.
    pub fn mark_build_unfinished(&self) -> Result<()> {
        self.store.insert(&Self::unfinished_build_marker())?;
        Ok(())
    }

    /// Whether a build wrote documents and stopped before it finished. Only
    /// then can the store hold incomplete document graphs or a stale
    /// inferred graph.
    pub fn build_unfinished(&self) -> Result<bool> {
        Ok(self.store.contains(&Self::unfinished_build_marker())?)
    }

    /// Remove the note of [`Self::mark_build_unfinished`].
    pub fn clear_build_unfinished(&self) -> Result<()> {
        self.store.remove(&Self::unfinished_build_marker())?;
        Ok(())
    }

    /// Empty the inferred graph (before [`crate::inference::refresh`]
    /// writes it anew).
    pub fn clear_inferred(&self) -> Result<()> {
        self.remove_graph_in_steps(&vocab::inferred_graph())
    }

    /// Make `res:graph/reports` hold, for each statement with evidence, its
    /// number of reports: `?s sco:reportCount n`, n the distinct objects of
    /// `?s prov:wasDerivedFrom ?e` over all graphs. Only the counts that
    /// changed are written, so a refresh after a small change writes little.
    /// Run after every change to the evidence (a build that wrote files and
    /// refreshed the inferred graph, an import, an update); returns the
    /// number of statements counted.
    pub fn refresh_report_counts(&self) -> Result<usize> {
        let graph = vocab::reports_graph();
        let predicate = vocab::t::report_count();
        // Counted in SPARQL, on the store's encoded terms: decoding the
        // evidence IRIs would cost a lookup in the string table each.
        let sparql = format!(
            "SELECT ?s (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?s {} ?e FILTER(isIRI(?s)) }} GROUP BY ?s",
            vocab::ext::was_derived_from()
        );
        let mut live = std::collections::HashMap::new();
        if let QueryResults::Solutions(rows) = self.query(&sparql, &[])? {
            for row in rows {
                let row = row.map_err(|e| Error::QueryEvaluation(e.to_string()))?;
                if let (Some(Term::NamedNode(s)), Some(n)) = (row.get("s"), row.get("n")) {
                    live.insert(s.clone(), n.clone());
                }
            }
        }
        let counted = live.len();
        let mut stale = Vec::new();
        for q in self.store.quads_for_pattern(
            None,
            Some(predicate.as_ref()),
            None,
            Some(graph.as_ref().into()),
        ) {
            let q = q?;
            let current = match &q.subject {
                NamedOrBlankNode::NamedNode(s) => live.get(s) == Some(&q.object),
                NamedOrBlankNode::BlankNode(_) => false,
            };
            match (&q.subject, current) {
                (NamedOrBlankNode::NamedNode(s), true) => {
                    live.remove(s);
                }
                _ => stale.push(q),
            }
        }
        for batch in stale.chunks(COUNTS_PER_TRANSACTION) {
            self.remove_quads(batch)?;
        }
        let fresh: Vec<Quad> = live
            .into_iter()
            .map(|(s, n)| Quad::new(s, predicate.clone(), n, graph.clone()))
            .collect();
        for batch in fresh.chunks(COUNTS_PER_TRANSACTION) {
            self.insert_quads(batch)?;
        }
        Ok(counted)
    }

    /// The stored number of reports of `statement` (see
    /// [`Self::refresh_report_counts`]), if the store holds one.
    pub fn report_count(&self, statement: &NamedNode) -> Result<Option<Term>> {
        Ok(self
            .store
            .quads_for_pattern(
                Some(statement.as_ref().into()),
                Some(vocab::t::report_count().as_ref()),
                None,
                Some(vocab::reports_graph().as_ref().into()),
            )
            .next()
            .transpose()?
            .map(|q| q.object))
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

    /// Let `token` stop every query and update of this store from now on
    /// (cancel it from a timer thread for a timeout): evaluation then fails
    /// with [`Error::QueryEvaluation`].
    pub fn set_cancellation_token(&mut self, token: CancellationToken) {
        self.cancellation = Some(token);
    }

    fn evaluator(&self) -> SparqlEvaluator {
        let evaluator = SparqlEvaluator::new();
        match &self.cancellation {
            Some(token) => evaluator.with_cancellation_token(token.clone()),
            None => evaluator,
        }
    }

    /// Run a SPARQL query over the union of all graphs, with variables bound
    /// to terms (user text enters only as bound terms, never as SPARQL text).
    ///
    /// A SPARQL UPDATE is refused with [`Error::Usage`] (see [`Self::update`]).
    pub fn query(&self, sparql: &str, bindings: &[(&str, Term)]) -> Result<QueryResults<'static>> {
        let mut prepared = self.evaluator().parse_query(sparql).map_err(|e| {
            if is_update(sparql) {
                Error::Usage(
                    "this is a SPARQL UPDATE, which changes the store; `scokg query` runs \
                     updates only with --allow-update"
                        .into(),
                )
            } else {
                Error::QuerySyntax(e.to_string())
            }
        })?;
        // The union of all graphs, unless the query names its own graphs
        // (FROM, as the library queries that read the facts graph do).
        if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        let mut bound = prepared.on_store(&self.store);
        for (name, term) in bindings {
            let var = oxigraph::sparql::Variable::new(*name)
                .map_err(|e| Error::Usage(format!("bad variable name {name}: {e}")))?;
            bound = bound.substitute_variable(var, term.clone());
        }
        let results = bound.execute().map_err(|e| match e {
            QueryEvaluationError::NotExistingSubstitutedVariable(v) => Error::Usage(format!(
                "cannot bind {v}: the query does not select it (bind only variables of its SELECT clause)"
            )),
            e => Error::QueryEvaluation(e.to_string()),
        })?;
        // The evaluator looks at the token only when it reads the store;
        // look at it for every solution too, so streamed results stop soon.
        Ok(match (results, &self.cancellation) {
            (QueryResults::Solutions(rows), Some(token)) => {
                let token = token.clone();
                let variables: std::sync::Arc<[oxigraph::sparql::Variable]> =
                    rows.variables().into();
                QueryResults::Solutions(QuerySolutionIter::new(
                    variables,
                    rows.map(move |row| {
                        if token.is_cancelled() {
                            Err(QueryEvaluationError::Cancelled)
                        } else {
                            row
                        }
                    }),
                ))
            }
            (results, _) => results,
        })
    }

    /// Run a SPARQL UPDATE on the store.
    pub fn update(&self, sparql: &str) -> Result<()> {
        self.evaluator()
            .parse_update(sparql)
            .map_err(|e| Error::QuerySyntax(e.to_string()))?
            .on_store(&self.store)
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
        if self.path.is_some() && !self.read_only {
            self.store.flush()?;
        }
        Ok(())
    }

    /// Load an RDF dataset file (N-Quads `.nq`, TriG `.trig`), such as an
    /// `export --format nq` of another store, through the bulk loader in one
    /// atomic batch: a syntax error or a triple outside a named graph rejects
    /// the whole file and leaves the store as it was. A file that loads is
    /// followed by a refresh of the report counts
    /// ([`Self::refresh_report_counts`]). Returns the number of quads read.
    pub fn import(&self, path: &Path) -> Result<usize> {
        use oxigraph::io::{RdfFormat, RdfParser};
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some("nq" | "nquads") => RdfFormat::NQuads,
            Some("trig") => RdfFormat::TriG,
            _ => {
                return Err(Error::Rejected {
                    path: path.to_path_buf(),
                    reason: "not a dataset file: import reads N-Quads (.nq) or TriG (.trig)".into(),
                })
            }
        };
        if format == RdfFormat::NQuads {
            if let Some(quads) = self.import_nquads_in_parallel(path)? {
                self.refresh_report_counts()?;
                return Ok(quads);
            }
            // A bad file: read again in one pass below, which stops at the
            // first error and reports it with its place in the whole file.
        }
        let file = std::fs::File::open(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let mut failure = None;
        let mut quads = 0;
        let mut loader = self
            .store
            .bulk_loader()
            .with_max_memory_size_in_megabytes(LOADER_MEMORY_MB);
        let parsed = RdfParser::from_format(format)
            .rename_blank_nodes()
            .for_reader(std::io::BufReader::new(file))
            .map_while(|q| match q {
                Ok(q) if q.graph_name.is_default_graph() => {
                    failure = Some(format!(
                        "quad {}: a triple outside a named graph (scokg keeps every fact in the graph of its source)",
                        quads + 1
                    ));
                    None
                }
                Ok(q) => {
                    quads += 1;
                    Some(q)
                }
                Err(e) => {
                    failure = Some(e.to_string());
                    None
                }
            });
        loader.load_quads(parsed)?;
        if let Some(reason) = failure {
            // Not committed: the bulk loader writes nothing before commit().
            return Err(Error::Rejected {
                path: path.to_path_buf(),
                reason,
            });
        }
        loader.commit()?;
        self.refresh_report_counts()?;
        Ok(quads)
    }

    /// [`Self::import`] of an N-Quads file parsed by [`IMPORT_PARSERS`]
    /// threads, each on its part of the file, while the bulk loader builds
    /// the index files of the parts already parsed. Returns `None`, having
    /// written nothing, when a part has a syntax error or a triple outside a
    /// named graph.
    fn import_nquads_in_parallel(&self, path: &Path) -> Result<Option<usize>> {
        use oxigraph::io::{RdfFormat, RdfParser};
        use oxigraph::model::BlankNode;
        use std::collections::HashMap;
        use std::sync::{mpsc, Mutex};
        // Lenient parsing skips the IRI and language-tag checks, which were
        // half of the parsing time; `TermChecker` makes them again, once for
        // each distinct IRI. A file that fails them is read again strictly
        // below, which names the error and its place.
        let parsers = RdfParser::from_format(RdfFormat::NQuads)
            .lenient()
            .split_file_for_parallel_parsing(path, IMPORT_PARSERS)
            .map_err(|e| Error::io(path, e))?;
        // Blank nodes are renamed here, with one map for all the parts (a
        // parser's own renaming would give a node different names in two
        // parts).
        let blank_nodes: Mutex<HashMap<BlankNode, BlankNode>> = Mutex::new(HashMap::new());
        let rename = |b: &BlankNode| -> BlankNode {
            let mut map = blank_nodes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            map.entry(b.clone()).or_default().clone()
        };
        let threads = parsers.len();
        let mut loader = self
            .store
            .bulk_loader()
            .with_num_threads(threads)
            .with_max_memory_size_in_megabytes(IMPORT_BATCH_QUADS * threads / 1000 + 1);
        std::thread::scope(|scope| -> Result<Option<usize>> {
            let (sender, receiver) = mpsc::sync_channel::<Option<Vec<Quad>>>(threads);
            for parser in parsers {
                let sender = sender.clone();
                let rename = &rename;
                scope.spawn(move || {
                    let mut batch = Vec::new();
                    let mut checker = TermChecker::default();
                    for q in parser {
                        let Ok(mut q) = q else {
                            let _ = sender.send(None);
                            return;
                        };
                        if q.graph_name.is_default_graph() || !checker.accepts(&q) {
                            let _ = sender.send(None);
                            return;
                        }
                        if let NamedOrBlankNode::BlankNode(b) = &q.subject {
                            q.subject = rename(b).into();
                        }
                        if let Term::BlankNode(b) = &q.object {
                            q.object = rename(b).into();
                        }
                        if let GraphName::BlankNode(b) = &q.graph_name {
                            q.graph_name = rename(b).into();
                        }
                        batch.push(q);
                        if batch.len() >= IMPORT_BATCH_QUADS
                            && sender.send(Some(std::mem::take(&mut batch))).is_err()
                        {
                            return;
                        }
                    }
                    if !batch.is_empty() {
                        let _ = sender.send(Some(batch));
                    }
                });
            }
            drop(sender);
            let mut quads = 0;
            for batch in receiver.iter() {
                let Some(batch) = batch else {
                    // Not committed: the bulk loader writes nothing before
                    // commit(). Dropping the receiver stops the parsers.
                    return Ok(None);
                };
                quads += batch.len();
                loader.load_quads(batch)?;
            }
            loader.commit()?;
            Ok(Some(quads))
        })
    }

    /// Quads of the default graph are never written; this reports any, as a sanity check.
    pub fn default_graph_len(&self) -> Result<usize> {
        Ok(self
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            .count())
    }
}

/// Whether `sparql` is a SPARQL UPDATE (and not a query).
pub fn is_update(sparql: &str) -> bool {
    SparqlEvaluator::new().parse_query(sparql).is_err()
        && SparqlEvaluator::new().parse_update(sparql).is_ok()
}

/// A store path whose parent folder cannot be created.
fn folder_error(path: &Path, parent: &Path, e: std::io::Error) -> Error {
    use std::io::ErrorKind;
    let why = match e.kind() {
        _ if unwritable(&e) => "permission denied".to_string(),
        ErrorKind::NotADirectory | ErrorKind::AlreadyExists => {
            "a part of it is a file, not a folder".to_string()
        }
        _ => e.to_string(),
    };
    Error::Store {
        path: path.to_path_buf(),
        message: format!(
            "cannot be created: folder {} cannot be made ({why}); pass --store DIR in a writable place",
            parent.display()
        ),
    }
}

/// Words a user can act on for RocksDB's open errors, which are only text.
///
/// A store held by another process fails with `IO error: While lock file:
/// …/LOCK: Resource temporarily unavailable` (and a second open in the same
/// process with `lock hold by current process`).
/// Index files the bulk loader was writing when its process was killed
/// (`bulk-….sst` in the store folder): never part of the store, only disk
/// space. Safe to remove once the store is open, as no one else has it.
fn remove_unfinished_bulk_files(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.filter_map(std::result::Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bulk-") && name.ends_with(".sst") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn open_error(path: &Path, e: oxigraph::store::StorageError) -> Error {
    let text = e.to_string();
    let message = if text.contains("While lock file")
        || text.contains("Resource temporarily unavailable")
        || text.contains("lock hold by current process")
    {
        IN_USE.to_string()
    } else if text.contains("Permission denied")
        || text.contains("Operation not permitted")
        || text.contains("Read-only file system")
    {
        UNWRITABLE.to_string()
    } else {
        format!("cannot be opened: {}", text.lines().next().unwrap_or(""))
    };
    Error::Store {
        path: path.to_path_buf(),
        message,
    }
}

/// Quads held before a batch is written: about 15 MB of quads and their terms,
/// one bulk-loader batch per thread.
pub const LOADER_BATCH_QUADS: usize = 64_000;

/// The checks a lenient N-Quads parser leaves out: IRIs (each distinct one
/// is parsed once; the same predicates, types and graphs recur on every
/// line) and language tags.
#[derive(Default)]
struct TermChecker {
    valid_iris: std::collections::HashSet<String>,
}

impl TermChecker {
    fn iri(&mut self, iri: &str) -> bool {
        if self.valid_iris.contains(iri) {
            return true;
        }
        let valid = oxiri::Iri::parse(iri).is_ok();
        if valid {
            self.valid_iris.insert(iri.to_owned());
        }
        valid
    }

    /// Whether the quad is one a strict parser would have read.
    fn accepts(&mut self, quad: &Quad) -> bool {
        let subject = match &quad.subject {
            NamedOrBlankNode::NamedNode(n) => self.iri(n.as_str()),
            NamedOrBlankNode::BlankNode(_) => true,
        };
        let object = match &quad.object {
            Term::NamedNode(n) => self.iri(n.as_str()),
            Term::Literal(l) => match l.language() {
                Some(tag) => oxilangtag::LanguageTag::parse(tag).is_ok(),
                None => {
                    l.datatype() != oxigraph::model::vocab::rdf::LANG_STRING
                        && self.iri(l.datatype().as_str())
                }
            },
            _ => true,
        };
        let graph = match &quad.graph_name {
            GraphName::NamedNode(n) => self.iri(n.as_str()),
            _ => true,
        };
        subject && object && graph && self.iri(quad.predicate.as_str())
    }
}

/// Memory the bulk loader may use for one batch, in MB.
const LOADER_MEMORY_MB: usize = 64;

/// Quads whose index files are ingested together: each ingestion adds
/// index files that overlap all the others (graph keys are hashes), and
/// RocksDB then compacts them, so a few large ingestions cost far less than
/// many small ones. The index files wait on disk, not in memory; a build
/// interrupted loses at most this many quads of work.
pub const LOADER_COMMIT_QUADS: usize = 1_000_000;

/// Threads that parse an N-Quads file for `import`, each a part of it.
const IMPORT_PARSERS: usize = 2;

/// Quads a parsing thread of `import` hands to the bulk loader at a time,
/// each hand-off one batch of index files: fewer batches cost less (the
/// loader sorts and writes each), smaller ones bound the memory.
const IMPORT_BATCH_QUADS: usize = 100_000;

/// Writes whole files' quads in batches through Oxigraph's bulk loader,
/// which builds the index files directly instead of going through
/// transactions (several times faster for many small files).
///
/// Batches hold whole files and are handed to the bulk loader, which sorts
/// and writes their index files while the next batch is gathered; every
/// [`LOADER_COMMIT_QUADS`] quads the index files are ingested at once (one
/// atomic ingestion), so a file is either wholly in the store or not at
/// all, as with a transaction per file. Quads not yet committed are lost
/// if the loader is dropped: call [`Loader::commit`].
///
/// ```
/// # use oxigraph::model::*;
/// let store = scokg::store::KgStore::in_memory()?;
/// let ex = NamedNode::new("http://example.com/a")?;
/// let mut loader = store.loader();
/// loader.add_file(vec![Quad::new(ex.clone(), ex.clone(), ex.clone(), ex.clone())])?;
/// loader.commit()?;
/// assert_eq!(store.len()?, 1);
/// # Ok::<_, Box<dyn std::error::Error>>(())
/// ```
pub struct Loader<'a> {
    store: &'a KgStore,
    pending: Vec<Quad>,
    threads: usize,
    batch_quads: usize,
    commit_quads: usize,
    facts: FactCopies,
    /// The bulk loader building index files of batches not yet committed,
    /// and the number of quads handed to it.
    open: Option<(oxigraph::store::BulkLoader<'a>, usize)>,
}

impl Loader<'_> {
    /// Use this many threads to build index files (default 2).
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Write a batch once this many quads are queued (default
    /// [`LOADER_BATCH_QUADS`]): fewer use less memory, more load faster.
    pub fn with_batch_quads(mut self, quads: usize) -> Self {
        self.batch_quads = quads.max(1);
        self
    }

    /// Queue one file's quads; they reach the store together with the rest
    /// of their batch.
    pub fn add_file(&mut self, quads: Vec<Quad>) -> Result<()> {
        let facts = self.facts.of(&quads);
        if self.pending.capacity() == 0 {
            // The whole batch at once: growing by doubling would hold the
            // old and the new buffer together, half again the batch.
            self.pending
                .reserve((self.batch_quads + quads.len()).max(self.batch_quads / 8 * 9));
        }
        self.pending.extend(quads);
        self.pending.extend(facts);
        if self.pending.len() >= self.batch_quads {
            self.hand_over()?;
        }
        Ok(())
    }

    /// Quads queued and not yet written.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Commit the index files once this many quads are waiting (default
    /// [`LOADER_COMMIT_QUADS`]); batches are written as they fill either way.
    pub fn with_commit_quads(mut self, quads: usize) -> Self {
        self.commit_quads = quads.max(1);
        self
    }

    /// Hand what is queued to the bulk loader, which builds its index files
    /// in the background; commit them once enough have gathered.
    fn hand_over(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let (bulk, handed) = self.open.get_or_insert_with(|| {
            (
                self.store
                    .store
                    .bulk_loader()
                    .with_num_threads(self.threads)
                    .with_max_memory_size_in_megabytes(LOADER_MEMORY_MB),
                0,
            )
        });
        *handed += self.pending.len();
        bulk.load_quads(std::mem::take(&mut self.pending))?;
        if *handed >= self.commit_quads {
            self.commit_handed()?;
        }
        Ok(())
    }

    fn commit_handed(&mut self) -> Result<()> {
        if let Some((bulk, _)) = self.open.take() {
            bulk.commit()?;
        }
        Ok(())
    }

    /// Write what is queued and commit everything written, so the store
    /// holds it (before the store is written another way, as a large file is).
    pub fn write_batch(&mut self) -> Result<()> {
        self.hand_over()?;
        self.commit_handed()
    }

    /// Write what is queued and end.
    pub fn commit(mut self) -> Result<()> {
        self.write_batch()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line as a lenient and as a strict parser read it.
    fn lenient_and_strict(line: &str) -> (Vec<Quad>, bool) {
        use oxigraph::io::{RdfFormat, RdfParser};
        let lenient = RdfParser::from_format(RdfFormat::NQuads)
            .lenient()
            .for_slice(line.as_bytes())
            .collect::<std::result::Result<Vec<_>, _>>()
            .unwrap_or_default();
        let strict = RdfParser::from_format(RdfFormat::NQuads)
            .for_slice(line.as_bytes())
            .all(|q| q.is_ok());
        (lenient, strict)
    }

    #[test]
    fn what_only_the_lenient_parse_reads_is_read_as_it_spells() {
        let g = "<https://w3id.org/scokg/id/doc/1>";
        for (line, value) in [
            (
                format!("<http://ex.org/a> <http://ex.org/b> \"a\nb\" {g} .\n"),
                "a\nb",
            ),
            (
                format!("<http://ex.org/a> <http://ex.org/b> \"\\uD83D\\uDE00\" {g} .\n"),
                "😀",
            ),
        ] {
            let (quads, strict) = lenient_and_strict(&line);
            assert!(!strict, "{line}");
            assert!(TermChecker::default().accepts(&quads[0]), "{line}");
            match &quads[0].object {
                Term::Literal(l) => assert_eq!(l.value(), value),
                other => panic!("{other}"),
            }
        }
    }

    #[test]
    fn the_term_checker_rejects_what_only_a_lenient_parser_reads() {
        let g = "<https://w3id.org/scokg/id/doc/1>";
        for (line, valid) in [
            (format!("<http://ex.org/a> <http://ex.org/b> \"c\"@zh {g} .\n"), true),
            (format!("<http://ex.org/a> <http://ex.org/b> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> {g} .\n"), true),
            (format!("_:b <http://ex.org/b> <http://ex.org/c> {g} .\n"), true),
            (format!("<relative> <http://ex.org/b> \"c\" {g} .\n"), false),
            (format!("<http://ex.org/a> <b> \"c\" {g} .\n"), false),
            (format!("<http://ex.org/a> <http://ex.org/b> <http://ex.org/c d> {g} .\n"), false),
            (format!("<http://ex.org/a> <http://ex.org/b> \"c\"@abcdefghijk {g} .\n"), false),
            (format!("<http://ex.org/a> <http://ex.org/b> \"c\"^^<xsd:int%> {g} .\n"), false),
            ("<http://ex.org/a> <http://ex.org/b> \"c\" <graph> .\n".to_string(), false),
        ] {
            let (quads, strict) = lenient_and_strict(&line);
            assert_eq!(strict, valid, "the strict parser on {line}");
            assert_eq!(quads.len(), 1, "the lenient parser on {line}");
            let mut checker = TermChecker::default();
            assert_eq!(checker.accepts(&quads[0]), valid, "{line}");
            // Asked again, the cache of valid IRIs gives the same answer.
            assert_eq!(checker.accepts(&quads[0]), valid, "{line}");
        }
    }

    #[test]
    fn a_store_opened_twice_is_in_use() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        let first = KgStore::open(&path).expect("first open");
        match KgStore::open(&path) {
            Err(Error::Store { message, .. }) => assert!(message.contains("in use"), "{message}"),
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("opened twice"),
        }
        drop(first);
        assert!(KgStore::open(&path).is_ok());
    }

    fn in_use(opened: Result<KgStore>) -> bool {
        match opened {
            Err(Error::Store { message, .. }) => message.contains("in use"),
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => false,
        }
    }

    #[test]
    fn readers_share_a_store_and_keep_writers_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        let writer = KgStore::open(&path).expect("writer");
        let ex = NamedNode::new("http://example.com/a").expect("iri");
        writer
            .insert_quads(&[Quad::new(ex.clone(), ex.clone(), ex.clone(), ex)])
            .expect("insert");
        assert!(in_use(KgStore::open_existing(&path)), "read while written");
        drop(writer);
        let first = KgStore::open_existing(&path).expect("first reader");
        let second = KgStore::open_existing(&path).expect("second reader");
        assert_eq!(first.len().expect("len"), 1);
        assert_eq!(second.len().expect("len"), 1);
        assert!(in_use(KgStore::open(&path)), "written while read");
        drop((first, second));
        assert!(KgStore::open(&path).is_ok());
    }

    #[test]
    fn a_folder_without_a_store_is_not_opened_for_reading() {
        let dir = tempfile::tempdir().expect("temp dir");
        match KgStore::open_existing(dir.path()) {
            Err(Error::Store { message, .. }) => {
                assert!(message.contains("no store here"), "{message}")
            }
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("an empty folder opened as a store"),
        }
        match KgStore::open_existing_for_writing(&dir.path().join("none")) {
            Err(Error::Store { message, .. }) => {
                assert!(message.contains("no store here"), "{message}")
            }
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("a missing store opened for writing"),
        }
    }

    #[test]
    fn updates_are_told_from_queries() {
        assert!(is_update("DROP ALL"));
        assert!(is_update("INSERT DATA { <a:b> <a:b> <a:b> }"));
        assert!(!is_update("SELECT * WHERE { ?s ?p ?o }"));
        assert!(!is_update("DROP ALLL"));
        let store = KgStore::in_memory().expect("store");
        match store.query("CLEAR ALL", &[]) {
            Err(Error::Usage(m)) => assert!(m.contains("--allow-update"), "{m}"),
            other => panic!("{:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn a_cancelled_query_stops() {
        let mut store = KgStore::in_memory().expect("store");
        let token = CancellationToken::new();
        store.set_cancellation_token(token.clone());
        store
            .update("INSERT DATA { GRAPH <a:g> { <a:s> <a:p> <a:o> } }")
            .expect("insert");
        token.cancel();
        let results = store.query("SELECT * WHERE { ?s ?p ?o }", &[]);
        let stopped = match results {
            Err(_) => true,
            Ok(QueryResults::Solutions(mut rows)) => rows.next().is_some_and(|r| r.is_err()),
            Ok(_) => false,
        };
        assert!(stopped);
    }

    #[test]
    fn the_unfinished_build_mark_comes_and_goes() {
        let store = KgStore::in_memory().expect("store");
        assert!(!store.build_unfinished().expect("read"));
        store.mark_build_unfinished().expect("mark");
        assert!(store.build_unfinished().expect("read"));
        store.clear_build_unfinished().expect("clear");
        assert!(!store.build_unfinished().expect("read"));
        assert_eq!(store.len().expect("len"), 0);
    }

    #[test]
    fn a_hex_digest_parses_to_its_bytes_and_nothing_else_does() {
        let hex = "00ff10a0".repeat(8);
        let digest = digest_of_hex(&hex).expect("64 hex digits");
        assert_eq!(&digest[..4], &[0x00, 0xff, 0x10, 0xa0]);
        assert_eq!(digest_of_hex(&hex.to_uppercase()), Some(digest));
        assert_eq!(digest_of_hex(&hex[..62]), None);
        assert_eq!(digest_of_hex(&format!("{}zz", &hex[..62])), None);
    }

    #[test]
    fn known_files_are_the_ingested_documents() {
        let store = KgStore::in_memory().expect("store");
        let lexicon = Lexicon::get().expect("lexicon");
        assert!(store.known_files().expect("scan").is_empty());
        let doc = Document::new(
            "a/一.txt",
            "上海合作组织成员国元首理事会会议在阿斯塔纳举行。",
            b"one",
        );
        store.ingest(&doc, lexicon).expect("ingest");
        let known = store.known_files().expect("scan");
        assert_eq!(known.len(), 1);
        assert!(known.contains_sha256(&doc.sha256));
        assert!(!known.contains_sha256(&Document::new("b", "", b"two").sha256));
        assert!(known.may_hold_path("a/一.txt"));
        assert!(!known.may_hold_path("a/二.txt"));
    }

    fn one_quad_file(i: usize) -> Vec<Quad> {
        let node = |s: &str| NamedNode::new(format!("http://example.com/{s}{i}")).expect("iri");
        vec![Quad::new(node("s"), node("p"), node("o"), node("g"))]
    }

    #[test]
    fn batches_handed_over_reach_the_store_only_when_committed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = KgStore::open(&dir.path().join("store")).expect("store");
        let mut loader = store
            .loader()
            .with_batch_quads(1)
            .with_commit_quads(usize::MAX);
        for i in 0..3 {
            loader.add_file(one_quad_file(i)).expect("add");
        }
        assert_eq!(loader.pending(), 0, "each one-quad batch is handed over");
        drop(loader);
        assert_eq!(store.len().expect("len"), 0);

        let mut loader = store.loader().with_batch_quads(1).with_commit_quads(2);
        for i in 0..3 {
            loader.add_file(one_quad_file(i)).expect("add");
        }
        assert_eq!(store.len().expect("len"), 2, "the first two are committed");
        loader.commit().expect("commit");
        assert_eq!(store.len().expect("len"), 3);
    }
}
