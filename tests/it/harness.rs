//! A small temp-dir harness around the `scokg` binary.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The repository root (where `corpus/` lives).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample articles (`corpus/*.txt`), sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("corpus"))
        .expect("corpus folder")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// A scratch directory with a store path.
pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    /// `scokg --store <sandbox store> args…`, run from the repository root.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("scokg").expect("binary");
        c.current_dir(root())
            .arg("--store")
            .arg(self.store())
            .args(args);
        c
    }

    /// Run `scokg --store <sandbox store> args…` and check it succeeded.
    pub fn run_ok(&self, args: &[&str]) -> std::process::Output {
        let out = self.cmd(args).output().expect("run scokg");
        assert!(
            out.status.success(),
            "scokg {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Build the store from the sample corpus and return stderr.
    pub fn build_corpus(&self) -> String {
        let out = self.cmd(&["build"]).output().expect("run build");
        assert!(
            out.status.success(),
            "build failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Run a query and return stdout as text.
    pub fn query(&self, args: &[&str]) -> String {
        let out = self
            .cmd(&[&["query"], args].concat())
            .output()
            .expect("run query");
        assert!(
            out.status.success(),
            "query failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Rows of a SELECT as CSV records (header dropped).
    pub fn select(&self, sparql: &str) -> Vec<Vec<String>> {
        let csv = self.query(&["-e", &format!("{PREFIXES}{sparql}"), "--format", "csv"]);
        csv.lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| split_csv(l.trim_end_matches('\r')))
            .collect()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

pub const PREFIXES: &str = "PREFIX sco: <https://w3id.org/scokg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX country: <https://w3id.org/scokg/id/country/>
PREFIX organization: <https://w3id.org/scokg/id/organization/>
PREFIX meeting: <https://w3id.org/scokg/id/meeting/>
";

/// Split one CSV line (quotes as written by SPARQL CSV).
pub fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read file")
}
