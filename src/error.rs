//! Typed errors of the library. The binary maps them to exit codes:
//! [`Error::is_user_error`] decides between "fix your input" (1) and
//! "something broke inside" (2).

use std::path::PathBuf;

/// Everything that can go wrong in scokg's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An input file is not usable text.
    #[error("{path}: rejected: {reason}")]
    Rejected {
        /// The rejected file.
        path: PathBuf,
        /// Why it was rejected.
        reason: String,
    },
    /// The store could not be opened or written.
    #[error("store {path}: {message}")]
    Store {
        /// The store directory.
        path: PathBuf,
        /// What went wrong, in words a user can act on.
        message: String,
    },
    /// An error inside the RDF store.
    #[error("store error: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// A SPARQL query that does not parse.
    #[error("SPARQL syntax error: {0}")]
    QuerySyntax(String),
    /// A SPARQL query that failed while running.
    #[error("SPARQL evaluation failed: {0}")]
    QueryEvaluation(String),
    /// A request the user made that cannot be satisfied (unknown query name, bad option value…).
    #[error("{0}")]
    Usage(String),
    /// A gold file that does not follow the documented format.
    #[error("gold file {path}: {message}")]
    Gold {
        /// The gold file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// An embedded data file is malformed: a defect of the build, not of the input.
    #[error("embedded lexicon {file}, line {line}: {message}")]
    Lexicon {
        /// The data file.
        file: &'static str,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An external program (such as GraphViz `dot`) failed or is missing.
    #[error("{0}")]
    External(String),
}

impl Error {
    /// True when the user can fix the problem by changing the command or its input.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::Io { .. }
                | Error::Rejected { .. }
                | Error::Store { .. }
                | Error::QuerySyntax(_)
                | Error::Usage(_)
                | Error::Gold { .. }
                | Error::External(_)
        )
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
