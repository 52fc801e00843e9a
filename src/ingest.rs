//! Ingestion: find input files, read and decode them, run the extraction
//! pipeline, write each file's graph, then refresh the inferred graph. A bad
//! file is reported and skipped; the run goes on.
//!
//! A file up to [`Chunking::size`] bytes is read whole and written in one
//! transaction. A larger file is first hashed and its encoding settled in
//! one streaming pass ([`scan_file`]), then read in chunks of about that
//! size, cut after a line break that ends a sentence (where normalisation
//! ends a paragraph whatever follows, so each side normalises as in the
//! whole text), so memory stays bounded whatever the file's size. Each chunk
//! is extracted as a document of its own, together with up to
//! [`Chunking::context`] bytes of the text before it so that its first
//! sentences still see the meeting and the people named just before, and
//! keeps the facts of its own sentences, their offsets and lines shifted to
//! the chunk's place in the file; the publication date is read once, from
//! the lead of the file. All chunks go to the file's one named graph, a
//! transaction each; the graph's description (`sco:sha256`, `sco:path` …)
//! is written last, so a graph without it is an interrupted write.
//!
//! Before its first write a build marks itself unfinished in the store, and
//! clears the mark once it has refreshed the inferred graph. A build that
//! finds the mark (left by one that was killed) removes the interrupted
//! writes before it starts and refreshes the inferred graph even if it reads
//! nothing; a build that does not find it skips both, which keeps a rebuild
//! of an unchanged archive from scanning every graph.

use crate::decode::{self, Decoded, Sniffer};
use crate::document::{hex, DateSource, Document};
use crate::error::{Error, Result};
use crate::extract::Pipeline;
use crate::graph::{self, vocab};
use crate::inference;
use crate::lexicon::Lexicon;
use crate::store::{digest_of_hex, KgStore, KnownFiles};
use chrono::NaiveDate;
use oxigraph::model::{Literal, NamedOrBlankNode, Quad, Term};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Publication date for every file (overrides file names and text).
    pub date: Option<NaiveDate>,
    /// Extra glob-like suffix patterns beyond `*.txt` (e.g. `*.md`).
    pub extensions: Vec<String>,
    /// Threads that read and extract files; 0 for one per core.
    pub jobs: usize,
    /// Quads written per batch; 0 for [`crate::store::LOADER_BATCH_QUADS`].
    pub batch_quads: usize,
    /// Quads whose batches are committed together; 0 for
    /// [`crate::store::LOADER_COMMIT_QUADS`].
    pub commit_quads: usize,
}

/// How large files are cut (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunking {
    /// Files up to this many bytes are read whole; larger ones in chunks of
    /// about this many bytes (a chunk ends at the last sentence-ending line
    /// break before it, or at the first line break after it).
    pub size: usize,
    /// Bytes of the text before a chunk (from a sentence break on) read
    /// again with it, for context; also how much of the file's start the
    /// publication date is read from.
    pub context: usize,
}

impl Chunking {
    /// The default chunk size: 1 MiB.
    pub const DEFAULT_SIZE: usize = 1 << 20;
    /// The default context: 64 KiB.
    pub const DEFAULT_CONTEXT: usize = 64 << 10;
}

impl Default for Chunking {
    fn default() -> Self {
        Chunking {
            size: Self::DEFAULT_SIZE,
            context: Self::DEFAULT_CONTEXT,
        }
    }
}

/// What a build did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSummary {
    /// Files read and written.
    pub read: usize,
    /// Files skipped because the store already holds them unchanged.
    pub skipped: usize,
    /// Files rejected, and directory entries that could not be read (with
    /// the reasons in `warnings`).
    pub rejected: usize,
    /// Statement nodes in the store.
    pub statements: usize,
    /// Quads in the store.
    pub quads: usize,
    /// One line per rejected file or unreadable directory entry, and notes
    /// such as the removal of graphs an interrupted build left.
    pub warnings: Vec<String>,
}

/// The input files found under some paths, and what could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Files as given, and the wanted files of the directories, sorted per directory.
    pub files: Vec<PathBuf>,
    /// One line per path or directory entry that could not be read (a
    /// missing path, a symbolic-link loop, a folder without permission).
    pub warnings: Vec<String>,
}

/// Every input file under `paths`: files as given, directories walked for
/// `*.txt` (and the `extensions`), following symbolic links, skipping hidden
/// files and folders. What cannot be read is reported in
/// [`Inputs::warnings`], never fatal.
pub fn collect_inputs(paths: &[PathBuf], options: &BuildOptions) -> Inputs {
    let mut out = Inputs::default();
    for p in paths {
        let meta = match std::fs::metadata(p) {
            Ok(meta) => meta,
            Err(e) => {
                out.warnings.push(Error::io(p, e).to_string());
                continue;
            }
        };
        if !meta.is_dir() {
            out.files.push(p.clone());
            continue;
        }
        let mut files = Vec::new();
        let walk = walkdir::WalkDir::new(p)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            match entry {
                Ok(e) if e.file_type().is_file() && wanted(e.path(), options) => {
                    files.push(e.into_path())
                }
                Ok(_) => {}
                Err(e) => out.warnings.push(walk_warning(&e)),
            }
        }
        files.sort();
        out.files.extend(files);
    }
    out
}

/// One line for a directory entry the walk could not read.
fn walk_warning(e: &walkdir::Error) -> String {
    let path = e
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "<unknown>".into());
    if let Some(ancestor) = e.loop_ancestor() {
        return format!(
            "{path}: skipped: symbolic link loop (back to {})",
            ancestor.display()
        );
    }
    match e.io_error() {
        Some(io) => format!("{path}: skipped: {io}"),
        None => format!("{path}: skipped: {e}"),
    }
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

fn rejected(path: &Path, reason: impl ToString) -> Error {
    Error::Rejected {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// A document from a whole file's bytes: decoded in whatever supported
/// encoding they are in, evidence offsets mapped back to the bytes.
pub fn document_from_bytes(path: &Path, bytes: &[u8]) -> Result<Document> {
    document_from_hashed_bytes(path, bytes, sha256_hex(bytes))
}

/// [`document_from_bytes`] for bytes whose SHA-256 is already known.
fn document_from_hashed_bytes(path: &Path, bytes: &[u8], sha256: String) -> Result<Document> {
    let decoded = decode::decode(bytes).map_err(|r| rejected(path, r))?;
    let plain = decoded.encoding == "UTF-8" && decoded.bom_len == 0;
    let map = (!plain).then(|| decoded.offset_map(bytes));
    let doc = Document::from_hashed(path.to_string_lossy(), decoded.text, sha256);
    Ok(match map {
        Some(map) => doc.with_offset_map(map),
        None => doc,
    })
}

fn set_date(doc: &mut Document, options: &BuildOptions) {
    if let Some(d) = options.date {
        doc.date = Some(d);
        doc.date_source = Some(DateSource::Given);
    }
}

/// Read and extract one whole file (of any size: see [`read_chunks`] for
/// large files in bounded memory).
pub fn read_document(path: &Path, options: &BuildOptions) -> Result<Document> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let mut doc = document_from_bytes(path, &bytes)?;
    set_date(&mut doc, options);
    Ok(Pipeline::standard().run(doc))
}

/// A file's SHA-256 and encoding, read in one streaming pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// Length in bytes.
    pub len: usize,
    /// Its encoding, or why it is not text.
    pub sniffed: std::result::Result<decode::Sniffed, decode::Rejection>,
}

/// Read size of the streaming passes.
const BLOCK: usize = 1 << 20;

/// Hash a file and settle its encoding without holding it in memory.
pub fn scan_file(path: &Path) -> Result<Scan> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut sniffer = Sniffer::new();
    let mut buf = vec![0; BLOCK];
    let mut len = 0usize;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, e)),
        };
        let block = buf.get(..n).unwrap_or_default();
        hasher.update(block);
        sniffer.feed(block);
        len = len.saturating_add(n);
    }
    Ok(Scan {
        sha256: hex(&hasher.finalize()),
        len,
        sniffed: sniffer.finish(),
    })
}

/// A piece of a large file, cut at a line break, decoded.
#[derive(Debug, Clone)]
struct Chunk {
    /// File offset of its first byte.
    start: usize,
    /// Line breaks in the file before it.
    lines_before: usize,
    /// Its bytes.
    bytes: Vec<u8>,
    /// Its text.
    text: String,
}

/// Is `c` a character after which a line break ends a paragraph for
/// normalisation whatever follows (so text on either side of a cut there
/// normalises as it does in the whole file)?
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

/// Byte offsets in `text` just after a line break that follows a sentence
/// end (spaces and `\r` between allowed), from the end backwards.
fn sentence_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices('\n').rev().filter_map(|(i, _)| {
        let before = text
            .get(..i)?
            .trim_end_matches([' ', '\t', '\r', '\u{3000}']);
        before
            .chars()
            .next_back()
            .filter(|&c| ends_sentence(c))
            .map(|_| i + 1)
    })
}

/// Line-break ends in raw bytes of `encoding`: a cut there never splits a
/// character (0x0A is never part of a multi-byte sequence in UTF-8, GB18030
/// or Big5; in UTF-16 it is the whole code unit 0x000A).
fn line_break_ends(encoding: &str, bytes: &[u8]) -> Vec<usize> {
    match encoding {
        "UTF-16LE" | "UTF-16BE" => {
            let le = encoding == "UTF-16LE";
            bytes
                .chunks_exact(2)
                .enumerate()
                .filter(|(_, u)| if le { u == &[0x0A, 0] } else { u == &[0, 0x0A] })
                .map(|(i, _)| 2 * i + 2)
                .collect()
        }
        _ => bytes
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .map(|(i, _)| i + 1)
            .collect(),
    }
}

/// A cut at a character boundary near `target` in a text without line
/// breaks (a last resort), or `None`.
fn hard_cut(encoding: &str, bytes: &[u8], target: usize) -> Option<usize> {
    let target = target.min(bytes.len());
    match encoding {
        "UTF-8" => (1..=target)
            .rev()
            .find(|&i| bytes.get(i).is_none_or(|&b| (b as i8) >= -0x40)),
        "UTF-16LE" | "UTF-16BE" => {
            let le = encoding == "UTF-16LE";
            (1..=target / 2).rev().map(|u| 2 * u).find(|&i| {
                // Not in front of a low surrogate.
                bytes.get(i..i + 2).is_none_or(|u| {
                    let hi = if le { u[1] } else { u[0] };
                    !(0xDC..=0xDF).contains(&hi)
                })
            })
        }
        // After a byte below 0x30, which is never inside a GB18030 or Big5 sequence.
        _ => (1..=target)
            .rev()
            .find(|&i| bytes.get(i - 1).is_some_and(|&b| b < 0x30)),
    }
}

/// Reads a large file chunk by chunk.
struct ChunkReader<R> {
    reader: R,
    path: PathBuf,
    encoding: &'static str,
    size: usize,
    buf: Vec<u8>,
    start: usize,
    lines_before: usize,
    eof: bool,
}

impl<R: Read> ChunkReader<R> {
    fn fill(&mut self, want: usize) -> Result<()> {
        let mut block = vec![0; BLOCK];
        while !self.eof && self.buf.len() < want {
            match self.reader.read(&mut block) {
                Ok(0) => self.eof = true,
                Ok(n) => self
                    .buf
                    .extend_from_slice(block.get(..n).unwrap_or_default()),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(&self.path, e)),
            }
        }
        Ok(())
    }

    fn decode(&self, bytes: &[u8], at: usize) -> Result<Decoded> {
        decode::decode_as(self.encoding, bytes).ok_or_else(|| {
            rejected(
                &self.path,
                format!("not {} text near byte {}", self.encoding, at),
            )
        })
    }

    /// Where the next chunk ends in `buf`, and its text when already decoded.
    ///
    /// Preference: the last line break after a sentence end within `size`;
    /// else the first one after `size` (reading on, up to four times
    /// `size`); else the last line break within `size`, or the first after;
    /// else a character boundary.
    fn find_cut(&mut self) -> Result<(usize, Option<String>)> {
        let size = self.size.max(1);
        let max = size.saturating_mul(4);
        if self.eof && self.buf.len() <= size {
            return Ok((self.buf.len(), None));
        }
        let ends = line_break_ends(self.encoding, &self.buf);
        let within = ends.iter().rev().find(|&&e| e <= size).copied();
        if let Some(c) = within {
            let head = self.buf.get(..c).unwrap_or_default();
            let decoded = self.decode(head, self.start)?;
            let last_break = sentence_breaks(&decoded.text).next();
            if let Some(q) = last_break {
                let at = if self.encoding == "UTF-8" {
                    q
                } else {
                    decoded.offset_map(head).to_original(q)
                };
                let mut text = decoded.text;
                text.truncate(q);
                return Ok((at, Some(text)));
            }
        }
        // Read on, line by line, for a sentence end.
        let mut line_start = within.unwrap_or(0);
        loop {
            let later: Vec<usize> = line_break_ends(self.encoding, &self.buf)
                .into_iter()
                .filter(|&e| e > line_start)
                .collect();
            for e in later {
                let line = self.buf.get(line_start..e).unwrap_or_default();
                let line = self.decode(line, self.start + line_start)?;
                if sentence_breaks(&line.text).next().is_some() {
                    return Ok((e, None));
                }
                line_start = e;
            }
            if self.eof || self.buf.len() >= max {
                break;
            }
            self.fill(self.buf.len().saturating_add(BLOCK))?;
        }
        let ends = line_break_ends(self.encoding, &self.buf);
        let fallback = within.or_else(|| ends.first().copied());
        if let Some(c) = fallback {
            return Ok((c, None));
        }
        if self.eof && self.buf.len() <= max {
            return Ok((self.buf.len(), None));
        }
        hard_cut(self.encoding, &self.buf, size)
            .map(|c| (c, None))
            .ok_or_else(|| {
                rejected(
                    &self.path,
                    format!("no line break or character boundary in {max} bytes"),
                )
            })
    }

    fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        self.fill(self.size.max(1).saturating_add(1))?;
        if self.buf.is_empty() {
            return Ok(None);
        }
        let (cut, text) = self.find_cut()?;
        let text = match text {
            Some(text) => text,
            None => {
                self.decode(self.buf.get(..cut).unwrap_or_default(), self.start)?
                    .text
            }
        };
        let bytes: Vec<u8> = self.buf.drain(..cut).collect();
        let chunk = Chunk {
            start: self.start,
            lines_before: self.lines_before,
            bytes,
            text,
        };
        self.start += cut;
        self.lines_before += chunk.text.matches('\n').count();
        Ok(Some(chunk))
    }
}

impl Chunk {
    /// The file offset of byte `q` of the text.
    fn file_offset(&self, encoding: &'static str, q: usize) -> usize {
        if encoding == "UTF-8" || q == 0 {
            return self.start + q;
        }
        let decoded = Decoded {
            text: self.text.clone(),
            encoding,
            had_bom: false,
            bom_len: 0,
        };
        self.start + decoded.offset_map(&self.bytes).to_original(q)
    }

    /// Append the chunk that follows this one.
    fn extend(&mut self, next: &Chunk) {
        self.bytes.extend_from_slice(&next.bytes);
        self.text.push_str(&next.text);
    }

    /// Keep at most `keep` bytes of text, from a sentence break on (or
    /// nothing, when there is no sentence break there).
    fn keep_tail(&mut self, encoding: &'static str, keep: usize) {
        let from = self.text.len().saturating_sub(keep);
        if from == 0 {
            return;
        }
        let q = sentence_breaks(&self.text)
            .take_while(|&q| q >= from)
            .last()
            .unwrap_or(self.text.len());
        let at = self.file_offset(encoding, q);
        self.lines_before += self.text.get(..q).unwrap_or_default().matches('\n').count();
        self.bytes.drain(..(at - self.start).min(self.bytes.len()));
        self.text.drain(..q);
        self.start = at;
    }

    /// A document of this text: the file's identity, its place in the file.
    fn document(&self, path: &Path, sha256: &str, encoding: &'static str) -> Document {
        let doc = Document::from_hashed(
            path.to_string_lossy(),
            self.text.clone(),
            sha256.to_string(),
        )
        .at_file_position(self.start, self.lines_before);
        if encoding == "UTF-8" {
            return doc;
        }
        let decoded = Decoded {
            text: self.text.clone(),
            encoding,
            had_bom: false,
            bom_len: 0,
        };
        doc.with_offset_map(decoded.offset_map(&self.bytes))
    }
}

/// The documents of a large file, chunk by chunk (see the module
/// documentation), handed to `sink` as they are extracted. Each carries the
/// whole file's SHA-256 and keeps only the facts of its own chunk; the
/// publication date is read once, from the first [`Chunking::context`] bytes
/// (at least the first chunk), and given to every chunk. Returns the decoded
/// length of the whole text.
pub fn read_chunks(
    path: &Path,
    scan: &Scan,
    options: &BuildOptions,
    chunking: Chunking,
    mut sink: impl FnMut(Document) -> Result<()>,
) -> Result<usize> {
    let sniffed = scan.sniffed.clone().map_err(|r| rejected(path, r))?;
    let encoding = sniffed.encoding;
    let reader = |size: usize| -> Result<ChunkReader<std::io::BufReader<std::fs::File>>> {
        let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut bom = vec![0; sniffed.bom_len];
        file.read_exact(&mut bom).map_err(|e| Error::io(path, e))?;
        Ok(ChunkReader {
            reader: std::io::BufReader::new(file),
            path: path.to_path_buf(),
            encoding,
            size,
            buf: Vec::new(),
            start: sniffed.bom_len,
            lines_before: 0,
            eof: false,
        })
    };
    let pipeline = Pipeline::standard();
    // The publication date, from the lead of the file.
    let mut date = options.date.map(|d| (d, Some(DateSource::Given)));
    if date.is_none() {
        if let Some(lead) = reader(chunking.context.max(chunking.size))?.next_chunk()? {
            let doc = lead.document(path, &scan.sha256, encoding);
            let doc = Pipeline::new(vec![
                crate::extract::mentions::PASS,
                crate::extract::doc_date::PASS,
            ])?
            .run(doc);
            date = doc.date.map(|d| (d, doc.date_source));
        }
    }
    let mut chunks = reader(chunking.size)?;
    let mut window: Option<Chunk> = None;
    let mut text_len = 0usize;
    while let Some(chunk) = chunks.next_chunk()? {
        text_len += chunk.text.len();
        let own = chunk.start;
        let window = match window.as_mut() {
            Some(w) if !w.text.is_empty() => {
                w.extend(&chunk);
                w
            }
            _ => window.insert(chunk),
        };
        let mut doc = window.document(path, &scan.sha256, encoding);
        if let Some((d, source)) = date {
            doc.date = Some(d);
            doc.date_source = source;
        }
        let mut doc = pipeline.run(doc);
        doc.facts.retain(|f| f.evidence.start >= own);
        sink(doc)?;
        window.keep_tail(encoding, chunking.context);
    }
    Ok(text_len)
}

/// Is this quad part of a source document's description (`sco:sha256`,
/// `sco:path` …), which is written last?
fn is_description(q: &Quad, doc: &oxigraph::model::NamedNode) -> bool {
    matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s == doc)
}

/// Write a large file chunk by chunk (see the module documentation).
fn ingest_chunked(
    store: &KgStore,
    path: &Path,
    scan: &Scan,
    options: &BuildOptions,
    chunking: Chunking,
    lexicon: &Lexicon,
) -> Result<()> {
    let id: String = scan.sha256.chars().take(16).collect();
    let doc_iri = graph::doc_iri(&id);
    store.remove_document_graph(&id)?;
    let mut description: Option<Vec<Quad>> = None;
    let mut facts = crate::store::FactCopies::default();
    let written = read_chunks(path, scan, options, chunking, |doc| {
        let (doc_quads, entity_quads) = graph::document_quads(&doc, lexicon);
        let (own, rest): (Vec<Quad>, Vec<Quad>) = doc_quads
            .into_iter()
            .partition(|q| is_description(q, &doc_iri));
        description.get_or_insert(own);
        let copies = facts.of(&rest);
        store.insert_quads(rest.iter().chain(&entity_quads).chain(&copies))
    });
    let text_len = match written {
        Ok(n) => n,
        Err(e) => {
            store.remove_document_graph(&id)?;
            return Err(e);
        }
    };
    // The description of the first chunk, with the length of the whole text.
    let length = vocab::t::length();
    let description: Vec<Quad> = description
        .unwrap_or_default()
        .into_iter()
        .map(|mut q| {
            if q.predicate == length {
                q.object = Term::Literal(Literal::new_typed_literal(
                    text_len.to_string(),
                    vocab::term(vocab::XSD, "integer"),
                ));
            }
            q
        })
        .collect();
    store.finish_document(&id, &path.to_string_lossy(), &description)
}

/// Hash a whole file's bytes.
fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The 32 bytes of a hex SHA-256, to remember which files a build wrote:
/// an archive has hundreds of thousands, and a hex string costs three
/// times the memory.
fn digest_key(sha256_hex: &str) -> [u8; 32] {
    // Every hash here comes from `sha256_hex`, so it always parses.
    digest_of_hex(sha256_hex).unwrap_or_default()
}

/// Build (or update) the store from `paths`. `progress` is told each file as it is done.
pub fn build(
    store: &KgStore,
    paths: &[PathBuf],
    options: &BuildOptions,
    progress: impl FnMut(&Path, usize, usize),
) -> Result<BuildSummary> {
    build_with(store, paths, options, Chunking::default(), progress)
}

/// What the parallel stage of a build made of one file.
enum Prepared {
    /// The store already holds a file with these bytes.
    Unchanged,
    /// Read and extracted: the quads of its graph and of the entities it
    /// describes, and the graphs of earlier versions of the same path.
    Extracted {
        sha256: String,
        quads: Vec<Quad>,
        earlier: Vec<oxigraph::model::NamedNode>,
    },
    /// Larger than a chunk: read in chunks by the writing stage.
    Large,
}

/// Read, hash and extract one file (run in parallel: reads the store, never
/// writes it). `known` is what the store held when the build began: the
/// files this build writes are remembered by the writer.
fn prepare(
    store: &KgStore,
    known: &KnownFiles,
    path: &Path,
    options: &BuildOptions,
    chunking: Chunking,
    lexicon: &Lexicon,
) -> Result<Prepared> {
    let len = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if usize::try_from(len).is_ok_and(|len| len > chunking.size) {
        return Ok(Prepared::Large);
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let sha256 = sha256_hex(&bytes);
    if known.contains_sha256(&sha256) {
        return Ok(Prepared::Unchanged);
    }
    let mut doc = document_from_hashed_bytes(path, &bytes, sha256)?;
    drop(bytes);
    set_date(&mut doc, options);
    let doc = Pipeline::standard().run(doc);
    let (mut quads, entity_quads) = graph::document_quads(&doc, lexicon);
    quads.extend(entity_quads);
    let earlier = if known.may_hold_path(&doc.path) {
        store.earlier_graphs(&doc.path, &graph::doc_iri(&doc.id))?
    } else {
        Vec::new()
    };
    Ok(Prepared::Extracted {
        sha256: doc.sha256,
        quads,
        earlier,
    })
}

/// Files handed from the reading stage to the writing stage at a time.
const FILES_PER_HANDOFF: usize = 256;

/// [`build`] with a chosen [`Chunking`] of large files.
///
/// Files are read, hashed and extracted in parallel ([`BuildOptions::jobs`]
/// threads) and written in input order by one writer through the store's
/// bulk [`Loader`](crate::store::Loader), so parallel and sequential builds
/// give the same graph. Large files are written chunk by chunk, between
/// batches.
pub fn build_with(
    store: &KgStore,
    paths: &[PathBuf],
    options: &BuildOptions,
    chunking: Chunking,
    mut progress: impl FnMut(&Path, usize, usize),
) -> Result<BuildSummary> {
    let lexicon = Lexicon::get()?;
    let mut summary = BuildSummary::default();
    // Graphs can be incomplete only after a build that stopped part-way;
    // looking for them costs a scan of every document's description.
    let unfinished = store.build_unfinished()?;
    let removed = if unfinished {
        store.remove_incomplete_documents()?
    } else {
        0
    };
    if removed > 0 {
        summary.warnings.push(format!(
            "removed {removed} incomplete document graph(s) left by an interrupted build"
        ));
    }
    // Read after the incomplete graphs are gone, before anything is written:
    // every file is then judged against the same store, whatever order
    // the threads reach it in.
    let known = store.known_files()?;
    let inputs = collect_inputs(paths, options);
    summary.rejected += inputs.warnings.len();
    summary.warnings.extend(inputs.warnings);
    let files = inputs.files;
    let total = files.len();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {} threads: {e}", options.jobs)))?;
    let threads = pool.current_num_threads();
    let mut marked = false;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Result<Prepared>>>(2);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(|| {
            pool.install(|| {
                use rayon::prelude::*;
                for batch in files.chunks(FILES_PER_HANDOFF) {
                    let prepared = batch
                        .par_iter()
                        .map(|path| prepare(store, &known, path, options, chunking, lexicon))
                        .collect();
                    // The writer stopped on an error: stop reading.
                    if sender.send(prepared).is_err() {
                        break;
                    }
                }
            });
            drop(sender);
        });
        let mut loader = store.loader().with_threads(threads);
        if options.batch_quads > 0 {
            loader = loader.with_batch_quads(options.batch_quads);
        }
        if options.commit_quads > 0 {
            loader = loader.with_commit_quads(options.commit_quads);
        }
        // Two files with the same bytes in one build: the second is skipped,
        // as it would be in the next build.
        let mut written_this_build = std::collections::HashSet::new();
        let mut done = 0;
        for batch in receiver.iter() {
            for prepared in batch {
                let path = &files[done];
                done += 1;
                let outcome = match prepared {
                    Ok(Prepared::Unchanged) => Ok(false),
                    Ok(Prepared::Extracted {
                        sha256,
                        quads,
                        earlier,
                    }) => {
                        if written_this_build.insert(digest_key(&sha256)) {
                            if !marked {
                                store.mark_build_unfinished()?;
                                marked = true;
                            }
                            store.remove_graphs(&earlier)?;
                            loader.add_file(quads)?;
                            Ok(true)
                        } else {
                            Ok(false)
                        }
                    }
                    Ok(Prepared::Large) => (|| {
                        let scan = scan_file(path)?;
                        if known.contains_sha256(&scan.sha256)
                            || !written_this_build.insert(digest_key(&scan.sha256))
                        {
                            return Ok(false);
                        }
                        if !marked {
                            store.mark_build_unfinished()?;
                            marked = true;
                        }
                        loader.write_batch()?;
                        ingest_chunked(store, path, &scan, options, chunking, lexicon)?;
                        Ok(true)
                    })(),
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(true) => summary.read += 1,
                    Ok(false) => summary.skipped += 1,
                    Err(e @ (Error::Rejected { .. } | Error::Io { .. })) => {
                        summary.rejected += 1;
                        summary.warnings.push(e.to_string());
                    }
                    Err(e) => return Err(e),
                }
                progress(path, done, total);
            }
        }
        loader.commit()
    })?;
    // Also when every file was skipped but a build that wrote documents was
    // interrupted before it refreshed (its mark is still there).
    if marked || unfinished {
        inference::refresh(store, lexicon)?;
        store.refresh_report_counts()?;
        store.clear_build_unfinished()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_key_holds_the_bytes_of_its_hex() {
        let digest = Sha256::digest(b"scokg");
        let key = digest_key(&sha256_hex(b"scokg"));
        assert_eq!(key.as_slice(), digest.as_slice());
        assert_ne!(key, digest_key(&sha256_hex(b"scokg ")));
    }

    #[test]
    fn sentence_breaks_follow_sentence_ends_only() {
        let text = "一。\n二，\n三！ \r\n四”\n五";
        let breaks: Vec<usize> = sentence_breaks(text).collect();
        assert_eq!(
            breaks,
            vec![text.find('四').unwrap(), text.find('二').unwrap()]
        );
    }

    #[test]
    fn line_breaks_in_utf16_are_whole_units() {
        // U+0A0A would be 0x0A 0x0A; only the unit 0x000A counts.
        let le = [0x0A, 0x0A, 0x0A, 0x00, 0x41, 0x00];
        assert_eq!(line_break_ends("UTF-16LE", &le), vec![4]);
        let be = [0x00, 0x0A, 0x0A, 0x0A];
        assert_eq!(line_break_ends("UTF-16BE", &be), vec![2]);
        assert_eq!(line_break_ends("GB18030", b"a\nb\n"), vec![2, 4]);
    }

    #[test]
    fn hard_cuts_land_on_character_boundaries() {
        let text = "上海合作组织";
        let cut = hard_cut("UTF-8", text.as_bytes(), 7).unwrap();
        assert!(text.is_char_boundary(cut) && cut <= 7);
        let (gbk, _, _) = encoding_rs::GBK.encode("上海 合作");
        assert_eq!(hard_cut("GB18030", &gbk, 6), Some(5));
        assert_eq!(hard_cut("GB18030", &gbk[..4], 4), None);
    }

    #[test]
    fn chunk_reader_cuts_after_sentence_ends() {
        let text = "第一句。\n第二句，\n接着说。\n\n第三段。\n最后";
        let mut reader = ChunkReader {
            reader: text.as_bytes(),
            path: PathBuf::from("t.txt"),
            encoding: "UTF-8",
            size: 20,
            buf: Vec::new(),
            start: 0,
            lines_before: 0,
            eof: false,
        };
        let mut chunks = Vec::new();
        while let Some(c) = reader.next_chunk().unwrap() {
            assert_eq!(
                &text.as_bytes()[c.start..c.start + c.bytes.len()],
                &c.bytes[..]
            );
            assert_eq!(c.lines_before, text[..c.start].matches('\n').count());
            chunks.push(c.text);
        }
        assert_eq!(chunks.concat(), text);
        assert!(chunks.len() > 1);
        for c in &chunks[..chunks.len() - 1] {
            assert!(c.trim_end().ends_with('。'), "{chunks:?}");
        }
    }
}
