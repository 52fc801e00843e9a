//! Ingestion: find input files, read and decode them, run the extraction
//! pipeline, write each file's graph in its own transaction, then refresh
//! the inferred graph. A bad file is reported and skipped; the run goes on.

use crate::document::{DateSource, Document};
use crate::error::{Error, Result};
use crate::extract::Pipeline;
use crate::inference;
use crate::lexicon::Lexicon;
use crate::store::KgStore;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Publication date for every file (overrides file names and text).
    pub date: Option<NaiveDate>,
    /// Extra glob-like suffix patterns beyond `*.txt` (e.g. `*.md`).
    pub extensions: Vec<String>,
}

/// What a build did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSummary {
    /// Files read and written.
    pub read: usize,
    /// Files skipped because the store already holds them unchanged.
    pub skipped: usize,
    /// Files rejected (with the reasons in `warnings`).
    pub rejected: usize,
    /// Statement nodes in the store.
    pub statements: usize,
    /// Quads in the store.
    pub quads: usize,
    /// One line per rejected file.
    pub warnings: Vec<String>,
}

/// Every input file under `paths`: files as given, directories walked for `*.txt`.
pub fn collect_inputs(paths: &[PathBuf], options: &BuildOptions) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if meta.is_file() {
            out.push(p.clone());
            continue;
        }
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(p)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .filter(|f| wanted(f, options))
            .collect();
        files.sort();
        out.extend(files);
    }
    Ok(out)
}

fn wanted(path: &Path, options: &BuildOptions) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with(".txt")
        || options
            .extensions
            .iter()
            .any(|e| name.ends_with(e.trim_start_matches('*')))
}

/// Decode a file's bytes as text, or say why it is not text.
pub fn decode(bytes: &[u8]) -> std::result::Result<String, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes)".into());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Read and extract one file.
pub fn read_document(path: &Path, options: &BuildOptions) -> Result<Document> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = decode(&bytes).map_err(|reason| Error::Rejected {
        path: path.to_path_buf(),
        reason,
    })?;
    let mut doc = Document::new(path.to_string_lossy(), text, &bytes);
    if let Some(d) = options.date {
        doc.date = Some(d);
        doc.date_source = Some(DateSource::Given);
    }
    Ok(Pipeline::standard().run(doc))
}

/// SHA-256 of a file, for the unchanged check.
fn sha256_of(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(crate::document::hex(&Sha256::digest(&bytes)))
}

/// Build (or update) the store from `paths`. `progress` is told each file as it is done.
pub fn build(
    store: &KgStore,
    paths: &[PathBuf],
    options: &BuildOptions,
    mut progress: impl FnMut(&Path, usize, usize),
) -> Result<BuildSummary> {
    let lexicon = Lexicon::get()?;
    let files = collect_inputs(paths, options)?;
    let mut summary = BuildSummary::default();
    let total = files.len();
    for (i, path) in files.iter().enumerate() {
        let outcome = (|| -> Result<bool> {
            if store.contains_sha256(&sha256_of(path)?)? {
                return Ok(false);
            }
            let doc = read_document(path, options)?;
            store.ingest(&doc, lexicon)?;
            Ok(true)
        })();
        match outcome {
            Ok(true) => summary.read += 1,
            Ok(false) => summary.skipped += 1,
            Err(e @ (Error::Rejected { .. } | Error::Io { .. })) => {
                summary.rejected += 1;
                summary.warnings.push(e.to_string());
            }
            Err(e) => return Err(e),
        }
        progress(path, i + 1, total);
    }
    if summary.read > 0 {
        inference::refresh(store, lexicon)?;
    }
    store.flush()?;
    summary.statements = store.statement_count()?;
    summary.quads = store.len()?;
    Ok(summary)
}

/// Time a closure, for the summary line.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let v = f();
    (v, start.elapsed().as_secs_f64())
}
