//! Throughput of each stage: normalisation, each extraction pass, the whole
//! extraction (text → facts, no store), store loading, and the analysts'
//! queries on a store built from an archive-like corpus.
//!
//! `cargo bench --bench pipeline`; one group: `cargo bench --bench pipeline -- passes`.
//! The query group builds (once, then reuses) a store from
//! `SCOKG_BENCH_MB` MB (default 1000) of archive-like text under
//! `target/bench/`; set `SCOKG_BENCH_STORE` to use a store built elsewhere.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use scokg::bench_corpus::{self, Shape, Sources};
use scokg::document::Document;
use scokg::extract::Pipeline;
use scokg::ingest::{self, BuildOptions};
use scokg::lexicon::Lexicon;
use scokg::store::KgStore;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The texts of a generated corpus of `mb` MB, read into memory.
fn corpus_texts(shape: Shape, mb: f64) -> Vec<(String, String)> {
    let dir = root()
        .join("target/bench")
        .join(format!("{shape:?}-{mb}mb"));
    if !dir.exists() {
        let sources = Sources::from_dir(&root().join("corpus")).expect("sample corpus");
        let tmp = dir.with_extension("partial");
        let _ = std::fs::remove_dir_all(&tmp);
        bench_corpus::write(&sources, shape, mb, 1, &tmp, |_| {}).expect("bench corpus");
        std::fs::rename(&tmp, &dir).expect("rename");
    }
    let mut texts: Vec<(String, String)> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("read");
            (e.path().display().to_string(), text)
        })
        .collect();
    texts.sort();
    texts
}

fn bytes(texts: &[(String, String)]) -> u64 {
    texts.iter().map(|(_, t)| t.len() as u64).sum()
}

fn documents(texts: &[(String, String)]) -> Vec<Document> {
    texts
        .iter()
        .map(|(p, t)| Document::new(p.as_str(), t.as_str(), t.as_bytes()))
        .collect()
}

fn normalisation(c: &mut Criterion) {
    let texts = corpus_texts(Shape::Dense, 2.0);
    let mut g = c.benchmark_group("normalisation");
    g.throughput(Throughput::Bytes(bytes(&texts)));
    g.bench_function("dense", |b| {
        b.iter(|| {
            for (_, t) in &texts {
                black_box(scokg::text::NormalizedText::new(t.as_str()).sentences());
            }
        })
    });
    g.finish();
}

fn passes(c: &mut Criterion) {
    let texts = corpus_texts(Shape::Dense, 2.0);
    let pipeline = Pipeline::standard();
    let mut g = c.benchmark_group("passes");
    g.throughput(Throughput::Bytes(bytes(&texts)));
    g.sample_size(10);
    for (i, pass) in pipeline.passes().iter().enumerate() {
        g.bench_function(pass.name, |b| {
            b.iter_batched(
                || {
                    documents(&texts)
                        .into_iter()
                        .map(|mut doc| {
                            for earlier in &pipeline.passes()[..i] {
                                earlier.apply(&mut doc);
                            }
                            doc
                        })
                        .collect::<Vec<_>>()
                },
                |mut docs| {
                    for doc in &mut docs {
                        pass.apply(doc);
                    }
                    docs
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

fn extraction(c: &mut Criterion) {
    let lexicon = Lexicon::get().expect("lexicon");
    let mut g = c.benchmark_group("extraction");
    g.sample_size(10);
    for (shape, name) in [(Shape::Dense, "dense"), (Shape::Archive, "archive")] {
        let texts = corpus_texts(shape, 4.0);
        g.throughput(Throughput::Bytes(bytes(&texts)));
        g.bench_function(name, |b| {
            b.iter(|| {
                for (path, text) in &texts {
                    let doc = ingest::document_from_bytes(Path::new(path), text.as_bytes())
                        .expect("decodes");
                    black_box(Pipeline::standard().run(doc).facts.len());
                }
            })
        });
        g.bench_function(format!("{name}+quads"), |b| {
            b.iter(|| {
                for (path, text) in &texts {
                    let doc = ingest::document_from_bytes(Path::new(path), text.as_bytes())
                        .expect("decodes");
                    let doc = Pipeline::standard().run(doc);
                    black_box(scokg::graph::document_quads(&doc, lexicon));
                }
            })
        });
    }
    g.finish();
}

fn loading(c: &mut Criterion) {
    let lexicon = Lexicon::get().expect("lexicon");
    let texts = corpus_texts(Shape::Dense, 4.0);
    let files: Vec<Vec<oxigraph::model::Quad>> = texts
        .iter()
        .map(|(path, text)| {
            let doc =
                ingest::document_from_bytes(Path::new(path), text.as_bytes()).expect("decodes");
            let doc = Pipeline::standard().run(doc);
            let (mut doc_quads, entity_quads) = scokg::graph::document_quads(&doc, lexicon);
            doc_quads.extend(entity_quads);
            doc_quads
        })
        .collect();
    let quads: u64 = files.iter().map(|f| f.len() as u64).sum();
    let mut g = c.benchmark_group("loading");
    g.sample_size(10);
    g.throughput(Throughput::Elements(quads));
    g.bench_function("bulk", |b| {
        // Opening and closing the store and copying the input are not
        // loading: they happen outside the timed routine (criterion drops
        // what the routine returns after timing it; the store before its
        // folder).
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("temp dir");
                let store = KgStore::open(&dir.path().join("store")).expect("store");
                (store, dir, files.clone())
            },
            |(store, dir, files)| {
                let mut loader = store.loader();
                for file in files {
                    loader.add_file(file).expect("load");
                }
                loader.commit().expect("commit");
                (store, dir)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

/// A store built from archive-like text, built once and kept.
fn archive_store() -> PathBuf {
    if let Ok(path) = std::env::var("SCOKG_BENCH_STORE") {
        return PathBuf::from(path);
    }
    let mb: f64 = std::env::var("SCOKG_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000.0);
    let base = root().join("target/bench");
    let store = base.join(format!("store-archive-{mb}mb"));
    if !store.join("BUILT").exists() {
        let corpus = base.join(format!("Archive-{mb}mb"));
        if !corpus.exists() {
            let sources = Sources::from_dir(&root().join("corpus")).expect("sample corpus");
            bench_corpus::write(&sources, Shape::Archive, mb, 1, &corpus, |_| {})
                .expect("bench corpus");
        }
        let _ = std::fs::remove_dir_all(&store);
        let kg = KgStore::open(&store).expect("store");
        ingest::build(&kg, &[corpus], &BuildOptions::default(), |_, _, _| {}).expect("build");
        drop(kg);
        std::fs::write(store.join("BUILT"), b"").expect("mark");
    }
    store
}

fn queries(c: &mut Criterion) {
    let store = KgStore::open_existing(&archive_store()).expect("store");
    let mut g = c.benchmark_group("queries");
    g.measurement_time(Duration::from_secs(10));
    let sparql = scokg::query::named("member_states_per_year")
        .expect("library query")
        .sparql;
    g.bench_function("member_states_per_year", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            scokg::query::run(
                &store,
                sparql,
                &[],
                scokg::query::OutputFormat::Csv,
                &mut out,
            )
            .expect("query");
            black_box(out)
        })
    });
    g.bench_function("lookup 伊朗", |b| {
        b.iter(|| {
            let found = scokg::lookup::find(&store, "伊朗").expect("lookup");
            let entity = found.first().expect("伊朗 is in the store");
            black_box(scokg::lookup::facts(&store, entity, None, Some(3)).expect("facts"))
        })
    });
    g.finish();
}

criterion_group!(benches, normalisation, passes, extraction, loading, queries);
criterion_main!(benches);
