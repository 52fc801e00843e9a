//! Integration tests: the real binary on the sample corpus, facts checked
//! through SPARQL. One test binary; each test works in its own temp dir.

mod cli;
mod evidence;
mod gold;
mod harness;
mod ontology;
mod pictures;
mod queries;
