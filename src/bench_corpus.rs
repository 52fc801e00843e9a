//! Reproducible benchmark corpora made from sample articles.
//!
//! Two shapes, both written as many files under a folder (a thousand a
//! sub-folder), each file unique so that none is skipped as unchanged:
//!
//! - **dense**: the sample articles repeated under distinct names, each copy
//!   ending in an archive number, until the corpus reaches its size;
//! - **archive-like**: the same articles diluted 1:20 in other news, the
//!   density of a paper's archive, where most articles are about something
//!   else. The other news is made from paragraphs that say nothing about the
//!   organisation: those of the samples (the local news printed on the same
//!   pages) and the prose of `benches/data/prose.txt`, shuffled into
//!   articles of one to four kilobytes by a seeded generator.
//!
//! The same sources, kind, size and seed give the same files byte for byte.

use crate::error::{Error, Result};
use crate::extract;
use crate::lexicon::{EntityKind, Lexicon};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Non-SCO prose mixed into archive-like corpora, beside the samples' own
/// local news.
pub const PROSE: &str = include_str!("../benches/data/prose.txt");

/// Bytes of other news per byte of SCO news in an archive-like corpus.
pub const DILUTION: usize = 20;

/// Which corpus to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shape {
    /// The sample articles only, repeated.
    Dense,
    /// The sample articles diluted 1:20 in other news.
    Archive,
}

/// What a generated corpus holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written.
    pub files: usize,
    /// Of which copies of the sample articles.
    pub sample_copies: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Articles to copy and paragraphs to make other news from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The sample articles, as read.
    pub articles: Vec<(String, String)>,
    /// Paragraphs about something else.
    pub other_paragraphs: Vec<String>,
}

impl Sources {
    /// Read every `*.txt` file of `dir` (sorted by name) as a sample article,
    /// and collect the paragraphs of them, and of [`PROSE`], that name no
    /// SCO body and yield no fact.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|source| io(dir, source))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let mut articles = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|source| io(&path, source))?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            articles.push((name, text));
        }
        if articles.is_empty() {
            return Err(Error::Usage(format!(
                "no *.txt sample articles in {}",
                dir.display()
            )));
        }
        Ok(Self::from_articles(articles))
    }

    /// Sources from articles already read.
    pub fn from_articles(articles: Vec<(String, String)>) -> Self {
        let lexicon = Lexicon::get().ok();
        let other_paragraphs = articles
            .iter()
            .map(|(_, text)| text.as_str())
            .chain(std::iter::once(PROSE))
            .flat_map(paragraphs)
            .filter(|p| lexicon.is_none_or(|lx| is_about_something_else(p, lx)))
            .map(str::to_string)
            .collect();
        Sources {
            articles,
            other_paragraphs,
        }
    }
}

/// Paragraphs: runs of text between blank lines, at least a sentence long.
fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| p.chars().count() >= 20)
}

/// A paragraph that names no SCO organisation or body and in which the
/// extraction passes find nothing.
fn is_about_something_else(paragraph: &str, lexicon: &Lexicon) -> bool {
    let names_sco = lexicon.mentions(paragraph).iter().any(|m| match m.kind {
        EntityKind::Organization(i) => {
            let org = &lexicon.organizations[i];
            org.slug == "sco" || org.parent.as_deref() == Some("sco")
        }
        _ => false,
    });
    if names_sco {
        return false;
    }
    let doc = extract::extract(crate::document::Document::new(
        "paragraph.txt",
        paragraph,
        paragraph.as_bytes(),
    ));
    doc.facts.is_empty()
}

/// Write a corpus of about `megabytes` MB (10^6 bytes) into `out`, which
/// must not exist or be empty.
///
/// ```
/// use scokg::bench_corpus::{write, Shape, Sources};
/// let sources = Sources::from_articles(vec![(
///     "a".into(),
///     "上海合作组织成员国元首理事会第二十一次会议在杜尚别举行。\n\n本市今天召开交通安全工作会议，部署冬季道路管理。\n".into(),
/// )]);
/// let dir = tempfile::tempdir().unwrap();
/// let out = dir.path().join("c");
/// let w = write(&sources, Shape::Archive, 0.05, 7, &out, |_| {}).unwrap();
/// assert!(w.bytes >= 50_000 && w.sample_copies > 0 && w.files > w.sample_copies);
/// ```
pub fn write(
    sources: &Sources,
    shape: Shape,
    megabytes: f64,
    seed: u64,
    out: &Path,
    mut progress: impl FnMut(u64),
) -> Result<Written> {
    if !(megabytes > 0.0 && megabytes.is_finite()) {
        return Err(Error::Usage(format!(
            "the size must be a positive number of MB, not {megabytes}"
        )));
    }
    if out.exists()
        && std::fs::read_dir(out)
            .map_err(|source| io(out, source))?
            .next()
            .is_some()
    {
        return Err(Error::Usage(format!(
            "{} is not empty: give a new folder",
            out.display()
        )));
    }
    if shape == Shape::Archive && sources.other_paragraphs.is_empty() {
        return Err(Error::Usage(
            "no paragraph about anything else to dilute the articles in".into(),
        ));
    }
    let target = (megabytes * 1e6) as u64;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut written = Written::default();
    let mut other_bytes_owed = 0u64;
    let mut copy = 0usize;
    while written.bytes < target {
        let (name, text) = &sources.articles[copy % sources.articles.len()];
        let article = format!("{text}\n\n（档案号 {copy:08}）\n");
        save(out, &mut written, &format!("{name}-{copy:08}"), &article)?;
        written.sample_copies += 1;
        copy += 1;
        if shape == Shape::Archive {
            other_bytes_owed += (article.len() * DILUTION) as u64;
            while other_bytes_owed > 0 && written.bytes < target {
                let number = written.files;
                let other = other_article(sources, &mut rng, number);
                other_bytes_owed = other_bytes_owed.saturating_sub(other.len() as u64);
                save(out, &mut written, &format!("other-{number:08}"), &other)?;
            }
        }
        progress(written.bytes);
    }
    Ok(written)
}

/// An article of other news, one to four kilobytes of shuffled paragraphs.
fn other_article(sources: &Sources, rng: &mut ChaCha8Rng, number: usize) -> String {
    let size = rng.random_range(1_000..4_000);
    let mut article = String::with_capacity(size + 512);
    while article.len() < size {
        if let Some(p) = sources.other_paragraphs.choose(rng) {
            article.push_str(p);
            article.push_str("\n\n");
        }
    }
    article.push_str(&format!("（档案号 {number:08}）\n"));
    article
}

/// Write one file, a thousand to a folder.
fn save(out: &Path, written: &mut Written, stem: &str, text: &str) -> Result<()> {
    let dir = out.join(format!("{:05}", written.files / 1000));
    if written.files.is_multiple_of(1000) {
        std::fs::create_dir_all(&dir).map_err(|source| io(&dir, source))?;
    }
    let path = dir.join(format!("{stem}.txt"));
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|source| io(&path, source))?;
    written.files += 1;
    written.bytes += text.len() as u64;
    Ok(())
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> Sources {
        Sources::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")).expect("corpus")
    }

    #[test]
    fn other_news_says_nothing_about_the_organisation() {
        let sources = corpus();
        assert!(sources.other_paragraphs.len() >= 40);
        assert!(sources
            .other_paragraphs
            .iter()
            .all(|p| !p.contains("上海合作组织") && !p.contains("上合")));
        // The samples' own local news is among it.
        assert!(sources
            .other_paragraphs
            .iter()
            .any(|p| p.contains("脱贫攻坚")));
    }

    #[test]
    fn the_same_seed_writes_the_same_corpus_and_dilutes_one_to_twenty() {
        let sources = corpus();
        let dir = tempfile::tempdir().expect("temp dir");
        let read = |p: &Path| {
            let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(p)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    let bytes = std::fs::read(e.path()).expect("read");
                    (
                        e.path().strip_prefix(p).expect("prefix").to_path_buf(),
                        bytes,
                    )
                })
                .collect();
            files.sort();
            files
        };
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        let wa = write(&sources, Shape::Archive, 2.0, 1, &a, |_| {}).expect("write a");
        let wb = write(&sources, Shape::Archive, 2.0, 1, &b, |_| {}).expect("write b");
        assert_eq!(wa, wb);
        assert_eq!(read(&a), read(&b));
        assert!(wa.bytes >= 2_000_000);
        let files = read(&a);
        assert_eq!(files.len(), wa.files);
        let sco: usize = files
            .iter()
            .filter(|(p, _)| !p.to_string_lossy().contains("other-"))
            .map(|(_, b)| b.len())
            .sum();
        let ratio = (wa.bytes as f64 - sco as f64) / sco as f64;
        assert!((18.0..=22.0).contains(&ratio), "dilution {ratio}");
        // Every file is unique, so none is skipped as unchanged.
        let mut contents: Vec<&Vec<u8>> = files.iter().map(|(_, b)| b).collect();
        contents.sort();
        contents.dedup();
        assert_eq!(contents.len(), files.len());
        assert!(write(&sources, Shape::Dense, 1.0, 1, &a, |_| {}).is_err());
    }

    #[test]
    fn a_dense_corpus_is_only_sample_copies() {
        let sources = corpus();
        let dir = tempfile::tempdir().expect("temp dir");
        let w = write(&sources, Shape::Dense, 0.5, 1, dir.path(), |_| {}).expect("write");
        assert_eq!(w.files, w.sample_copies);
        assert!(w.bytes >= 500_000 && w.bytes < 530_000);
    }
}
