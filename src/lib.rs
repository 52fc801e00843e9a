#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod bench_corpus;
pub mod decode;
pub mod document;
pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod graph;
pub mod inference;
pub mod ingest;
pub mod lexicon;
pub mod lookup;
pub mod model;
pub mod query;
pub mod store;
pub mod text;

pub use error::{Error, Result};
