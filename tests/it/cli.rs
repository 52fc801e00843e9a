//! The commands end to end: build, query, export, lookup, errors.

use crate::harness::{corpus_files, read, root, Sandbox};
use assert_cmd::Command;
use std::path::Path;

fn quads(stderr: &str) -> u64 {
    let summary = stderr.lines().last().unwrap_or_default();
    summary
        .split(", ")
        .find_map(|p| p.strip_prefix("quads "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no quad count in {summary:?}"))
}

#[test]
fn build_twice_skips_unchanged_files() {
    let s = Sandbox::new();
    let first = s.build_corpus();
    assert!(s.store().is_dir());
    assert!(
        first.contains("files read 5 / skipped 0 / rejected 0"),
        "{first}"
    );
    let second = s.build_corpus();
    assert!(
        second.contains("files read 0 / skipped 5 / rejected 0"),
        "{second}"
    );
    assert_eq!(quads(&first), quads(&second));
    assert!(quads(&first) > 500);
}

#[test]
fn a_changed_file_replaces_its_graph() {
    let s = Sandbox::new();
    let input = s.path("in");
    std::fs::create_dir_all(&input).unwrap();
    let file = input.join("a.txt");
    std::fs::write(
        &file,
        "上海合作组织成员国元首理事会第二十二次会议2022年9月16日在撒马尔罕举行。",
    )
    .unwrap();
    s.cmd(&["build", input.to_str().unwrap()])
        .assert()
        .success();
    std::fs::write(
        &file,
        "上海合作组织成员国元首理事会第二十四次会议2024年7月4日在阿斯塔纳举行。",
    )
    .unwrap();
    s.cmd(&["build", input.to_str().unwrap()])
        .assert()
        .success();
    let rows = s.select("SELECT DISTINCT ?n WHERE { ?m a sco:Meeting ; sco:session ?n }");
    assert_eq!(rows, vec![vec!["24".to_string()]]);
    // The facts graph forgot the meeting only the old version stated.
    let facts = s.select(&format!(
        "SELECT ?n FROM <{FACTS}> WHERE {{ ?m a sco:Meeting ; sco:session ?n }}"
    ));
    assert_eq!(facts, vec![vec!["24".to_string()]]);
    let docs = s.select("SELECT ?d WHERE { ?d a sco:SourceDocument }");
    assert_eq!(docs.len(), 1);
}

const FACTS: &str = "https://w3id.org/scokg/id/graph/facts";

/// The facts graph holds exactly the distinct facts of the document graphs
/// (no provenance), once each, also after files change and are rebuilt.
#[test]
fn the_facts_graph_holds_each_fact_of_the_documents_once() {
    let s = Sandbox::new();
    let input = s.path("in");
    std::fs::create_dir_all(&input).unwrap();
    let articles: Vec<String> = corpus_files()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let write = |name: &str, text: &str| std::fs::write(input.join(name), text).unwrap();
    for copy in 0..3 {
        for (i, text) in articles.iter().enumerate() {
            write(&format!("{copy}-{i}.txt"), &format!("{text}\n（{copy}）\n"));
        }
    }
    let input_arg = input.to_string_lossy().to_string();
    let check = |at_least: usize| {
        let out = s.cmd(&["build", &input_arg]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut facts = s.select(&format!(
            "SELECT ?s ?p ?o WHERE {{ GRAPH <{FACTS}> {{ ?s ?p ?o }} }}"
        ));
        let mut stated = s.select(
            "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } \
             FILTER(STRSTARTS(STR(?g), \"https://w3id.org/scokg/id/doc/\") && isIRI(?s) && ?s != ?g \
             && ?p != prov:wasDerivedFrom \
             && !STRSTARTS(STR(?s), \"https://w3id.org/scokg/id/evidence/\")) }",
        );
        facts.sort();
        stated.sort();
        assert!(facts.len() >= at_least, "{}", facts.len());
        let extra: Vec<_> = facts
            .iter()
            .filter(|f| !stated.contains(f))
            .take(3)
            .collect();
        let missing: Vec<_> = stated
            .iter()
            .filter(|f| !facts.contains(f))
            .take(3)
            .collect();
        assert!(
            extra.is_empty() && missing.is_empty() && facts.len() == stated.len(),
            "facts graph {} triples, document graphs {}; not stated: {extra:?}; missing: {missing:?}",
            facts.len(),
            stated.len()
        );
    };
    check(100);
    // Change every file to one short report: the facts only the old texts
    // stated leave the facts graph, the new one's come in.
    for copy in 0..3 {
        for i in 0..articles.len() {
            write(
                &format!("{copy}-{i}.txt"),
                &format!("上海合作组织成员国元首理事会第二十四次会议2024年7月4日在阿斯塔纳举行。（{copy}-{i}）"),
            );
        }
    }
    check(1);
}

#[test]
fn query_formats_and_errors() {
    let s = Sandbox::new();
    s.build_corpus();
    let json = s.query(&[
        "-e",
        "SELECT ?s WHERE { ?s a <https://w3id.org/scokg/ontology#Meeting> }",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v["head"]["vars"][0], "s");
    assert!(!v["results"]["bindings"].as_array().unwrap().is_empty());
    let bad = s
        .cmd(&["query", "-e", "SELECT ?s WHERE { ?s ?p "])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("SPARQL syntax error"), "{err}");
    let missing = s.cmd(&["query", "no_such_query"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn a_bad_command_line_is_a_user_error_and_help_succeeds() {
    let s = Sandbox::new();
    for args in [&["build", "--no-such-flag"][..], &["no-such-command"], &[]] {
        let out = s.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    for args in [&["--help"][..], &["build", "--help"], &["query", "--help"]] {
        let out = s.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
    }
}

#[test]
fn meetings_merge_across_documents() {
    let s = Sandbox::new();
    s.build_corpus();
    let rows = s.select(
        "SELECT ?m (SAMPLE(?d) AS ?date) (SAMPLE(?pl) AS ?place) (COUNT(DISTINCT ?src) AS ?sources) WHERE {
           ?m a sco:Meeting ; sco:session 21 ; sco:date ?d ; prov:wasDerivedFrom ?e .
           ?e sco:source ?src .
           OPTIONAL { ?m sco:place ?p . ?p rdfs:label ?pl FILTER(LANG(?pl) = \"zh\") }
           FILTER(DATATYPE(?d) = xsd:date)
         } GROUP BY ?m",
    );
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][1], "2021-09-17");
    assert_eq!(rows[0][2], "杜尚别");
    assert_eq!(rows[0][3], "3");
    let sessions = s.select("SELECT DISTINCT ?m WHERE { ?m a sco:Meeting ; sco:session 21 }");
    assert_eq!(sessions.len(), 1);
    let hos23 =
        s.select("SELECT DISTINCT ?d WHERE { ?m a sco:Meeting ; sco:session 23 ; sco:date ?d }");
    assert_eq!(hos23, vec![vec!["2023-07-04".to_string()]]);
}

#[test]
fn lookup_by_name_and_code() {
    let s = Sandbox::new();
    s.build_corpus();
    for term in ["伊朗", "IRN"] {
        let out = s.cmd(&["lookup", term]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with("伊朗"), "{text}");
        assert!(text.contains("会议启动接收伊朗为成员国的程序"), "{text}");
        assert!(text.contains("corpus/"), "{text}");
    }
    let none = s.cmd(&["lookup", "不存在的东西"]).output().unwrap();
    assert_eq!(none.status.code(), Some(1));
}

#[test]
fn export_nquads_and_dot() {
    let s = Sandbox::new();
    s.build_corpus();
    let nq = s.path("all.nq");
    s.cmd(&["export", "--format", "nq", "-o", nq.to_str().unwrap()])
        .assert()
        .success();
    let text = read(&nq);
    let parsed = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
        .for_reader(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .expect("N-Quads parse");
    assert!(parsed.len() > 500);
    let dot = s.cmd(&["export", "--format", "dot"]).output().unwrap();
    assert!(dot.status.success());
    assert!(String::from_utf8_lossy(&dot.stdout).starts_with("digraph"));
}

#[test]
fn every_command_has_help() {
    for cmd in [
        "build",
        "query",
        "export",
        "import",
        "lookup",
        "eval",
        "bench-corpus",
    ] {
        let out = Sandbox::new().cmd(&[cmd, "--help"]).output().unwrap();
        assert!(out.status.success(), "{cmd} --help");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{cmd}"
        );
    }
}

#[test]
fn bad_inputs_are_reported_and_the_run_goes_on() {
    let s = Sandbox::new();
    let input = s.path("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(
        input.join("good.txt"),
        "上海合作组织成员国元首理事会第二十二次会议在撒马尔罕举行。",
    )
    .unwrap();
    std::fs::write(input.join("binary.txt"), [0u8, 1, 2, 3]).unwrap();
    std::fs::write(input.join("empty.txt"), "").unwrap();
    let out = s.cmd(&["build", input.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("binary.txt") && err.contains("empty.txt"),
        "{err}"
    );
    assert!(
        err.contains("files read 1 / skipped 0 / rejected 2"),
        "{err}"
    );
}

#[test]
fn a_store_path_that_is_a_file_is_a_user_error() {
    let s = Sandbox::new();
    let file = s.path("file");
    std::fs::write(&file, "x").unwrap();
    let mut c = assert_cmd::Command::cargo_bin("scokg").unwrap();
    let out = c
        .current_dir(crate::harness::root())
        .args(["--store", file.to_str().unwrap(), "build"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a store directory"));
}

#[test]
fn lookup_as_of_a_date_and_by_short_forms() {
    let s = Sandbox::new();
    s.build_corpus();
    let out = s
        .cmd(&["lookup", "伊朗", "--as-of", "2022-01-01"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("role=sco:ObserverState"), "{text}");
    assert!(text.contains("step=procedure-started"), "{text}");
    assert!(!text.contains("role=sco:MemberState"), "{text}");
    assert!(!text.contains("step=admitted"), "{text}");
    let later = s
        .cmd(&["lookup", "伊朗", "--as-of", "2024-01-01"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&later.stdout).contains("role=sco:MemberState"));
    for term in ["习主席", "Iran", "上合组织"] {
        let out = s.cmd(&["lookup", term, "--json"]).output().unwrap();
        assert!(out.status.success(), "{term}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert!(!v.as_array().unwrap().is_empty(), "{term}");
    }
}

/// The N-Quads dump of the store at `store`, lines sorted.
fn sorted_dump(store: &Path) -> Vec<String> {
    let out = Command::cargo_bin("scokg")
        .unwrap()
        .args([
            "--store",
            &store.to_string_lossy(),
            "export",
            "--format",
            "nq",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn parallel_and_sequential_builds_give_the_same_graph() {
    let s = Sandbox::new();
    let input = s.path("in");
    std::fs::create_dir_all(&input).unwrap();
    let files = corpus_files();
    for copy in 0..6 {
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let name = format!("{copy}-{}", path.file_name().unwrap().to_string_lossy());
            std::fs::write(input.join(name), format!("{text}\n（{copy}）\n")).unwrap();
        }
    }
    // The same bytes under two names: whichever order the threads finish
    // in, the first name is the one recorded.
    std::fs::copy(&files[0], input.join("9-duplicate.txt")).unwrap();
    std::fs::copy(&files[0], input.join("0-duplicate.txt")).unwrap();
    let input = input.to_string_lossy().to_string();
    let mut dumps = Vec::new();
    for (jobs, batch, commit) in [
        ("1", "0", "0"),
        ("2", "0", "0"),
        ("2", "3000", "0"),
        ("2", "3000", "6000"),
    ] {
        let store = s.path(&format!("store-{jobs}-{batch}-{commit}"));
        let out = Command::cargo_bin("scokg")
            .unwrap()
            .args(["--store", &store.to_string_lossy(), "build", "-j", jobs])
            .args(["--batch-quads", batch, "--commit-quads", commit, &input])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(
            err.contains("files read 31 / skipped 1 / rejected 0"),
            "{err}"
        );
        dumps.push(sorted_dump(&store));
    }
    assert!(dumps[0].len() > 2000);
    assert!(dumps[0] == dumps[1], "-j 1 and -j 2 differ");
    assert!(dumps[0] == dumps[2], "batch sizes differ");
    assert!(dumps[0] == dumps[3], "commit sizes differ");
    assert!(dumps[0].iter().any(|l| l.contains("0-duplicate.txt")));
    assert!(!dumps[0].iter().any(|l| l.contains("9-duplicate.txt")));
}

/// A fact reported by many files is printed once, with its first three
/// reports and the number of the others; `--all` quotes every report.
#[test]
fn lookup_quotes_a_few_reports_per_fact_unless_all() {
    let s = Sandbox::new();
    let input = s.path("in");
    std::fs::create_dir_all(&input).unwrap();
    let article = std::fs::read_to_string(root().join("corpus/002_683d7bd5b09629e4.txt")).unwrap();
    for copy in 0..5 {
        // A line of its own keeps each copy from being skipped as a duplicate.
        std::fs::write(
            input.join(format!("copy-{copy}.txt")),
            format!("{article}\n（{copy}）\n"),
        )
        .unwrap();
    }
    let input = input.to_string_lossy().to_string();
    let out = s.cmd(&["build", &input]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let admitted = "step=admitted";
    let lines = |args: &[&str]| {
        let out = s.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // The heading of the admitted step and the indented lines under it.
    let fact_of = |text: &str| -> Vec<String> {
        text.lines()
            .skip_while(|l| !l.contains(admitted))
            .take_while(|l| l.starts_with("    ") || l.contains(admitted))
            .map(str::to_string)
            .collect()
    };
    let short = lines(&["lookup", "伊朗"]);
    let fact = fact_of(&short);
    assert_eq!(
        fact.iter().filter(|l| l.contains(admitted)).count(),
        1,
        "{short}"
    );
    assert_eq!(
        fact.iter().filter(|l| l.contains("copy-")).count(),
        3,
        "{short}"
    );
    assert!(
        fact.last().is_some_and(|l| l.contains("2 more report(s)")),
        "{short}"
    );
    let all = lines(&["lookup", "伊朗", "--all"]);
    let fact = fact_of(&all);
    assert_eq!(
        fact.iter().filter(|l| l.contains("copy-")).count(),
        5,
        "{all}"
    );
    assert!(!all.contains("more report(s)"), "{all}");
    let json: serde_json::Value =
        serde_json::from_str(&lines(&["lookup", "伊朗", "--json"])).unwrap();
    let reports = json[0]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["summary"].as_str().is_some_and(|s| s.contains(admitted)))
        .map(|f| f["reports"].as_u64().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(reports, vec![5, 5, 5], "{json}");
}

const REPORTS: &str = "https://w3id.org/scokg/id/graph/reports";

/// The report counts the store keeps (`res:graph/reports`) and the counts
/// of evidence links in the store now, each as sorted `(statement, n)`.
fn stored_and_live_report_counts(s: &Sandbox) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let mut stored = s.select(&format!(
        "SELECT ?s ?n WHERE {{ GRAPH <{REPORTS}> {{ ?s sco:reportCount ?n }} }}"
    ));
    let mut live = s.select(
        "SELECT ?s (COUNT(DISTINCT ?e) AS ?n) WHERE { ?s prov:wasDerivedFrom ?e FILTER(isIRI(?s)) } GROUP BY ?s",
    );
    stored.sort();
    live.sort();
    (stored, live)
}

/// The stored report counts equal the live counts after a build, and still
/// after a changed file is rebuilt (its old reports gone, its new ones in).
#[test]
fn report_counts_follow_changed_files() {
    let s = Sandbox::new();
    let input = s.path("in");
    std::fs::create_dir_all(&input).unwrap();
    let article = std::fs::read_to_string(root().join("corpus/002_683d7bd5b09629e4.txt")).unwrap();
    for copy in 0..4 {
        std::fs::write(
            input.join(format!("copy-{copy}.txt")),
            format!("{article}\n（{copy}）\n"),
        )
        .unwrap();
    }
    let input_arg = input.to_string_lossy().to_string();
    let admitted_reports = || -> Vec<u64> {
        let out = s.run_ok(&["lookup", "伊朗", "--json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json[0]["facts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["summary"]
                    .as_str()
                    .is_some_and(|s| s.contains("step=admitted"))
            })
            .map(|f| f["reports"].as_u64().unwrap())
            .collect()
    };
    s.run_ok(&["build", &input_arg]);
    let (stored, live) = stored_and_live_report_counts(&s);
    assert!(live.len() > 10, "{live:?}");
    assert_eq!(stored, live);
    assert_eq!(admitted_reports(), vec![4, 4, 4]);
    // One copy no longer reports the admission; another reports it twice
    // over (the article repeated): both graphs are replaced.
    std::fs::write(
        input.join("copy-0.txt"),
        "上海合作组织成员国元首理事会第二十四次会议2024年7月4日在阿斯塔纳举行。",
    )
    .unwrap();
    std::fs::write(
        input.join("copy-1.txt"),
        format!("{article}\n{article}\n（1）\n"),
    )
    .unwrap();
    s.run_ok(&["build", &input_arg]);
    let (stored, live) = stored_and_live_report_counts(&s);
    assert_eq!(stored, live);
    let after = admitted_reports();
    assert!(
        !after.is_empty() && after.iter().all(|n| *n == after[0]),
        "{after:?}"
    );
    assert!(after[0] >= 3, "{after:?}");
}

/// `import` loads an export into another store unchanged; a bad file is
/// rejected whole (one warning line, exit 1) and the others still load.
#[test]
fn import_restores_an_export_and_rejects_bad_files_whole() {
    let s = Sandbox::new();
    s.build_corpus();
    let nq = s.path("graph.nq");
    s.run_ok(&[
        "export",
        "--format",
        "nq",
        "--output",
        &nq.to_string_lossy(),
    ]);
    let exported = sorted_dump(&s.store());

    let other = s.path("other");
    let import = |files: &[&Path]| {
        let mut c = Command::cargo_bin("scokg").unwrap();
        c.arg("--store").arg(&other).arg("import").args(files);
        c.output().unwrap()
    };
    let bad_syntax = s.path("bad.nq");
    std::fs::write(
        &bad_syntax,
        "<http://example.org/a> <http://example.org/b> \"c\" <http://example.org/g> .\n<http://example.org/a> <http://exa",
    )
    .unwrap();
    let default_graph = s.path("default.nq");
    std::fs::write(
        &default_graph,
        "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n",
    )
    .unwrap();
    // Well-formed lines whose IRI is relative: read leniently, then checked.
    let relative_iri = s.path("relative.nq");
    std::fs::write(
        &relative_iri,
        "<http://example.org/a> <http://example.org/b> \"c\" <http://example.org/g> .\n<a> <http://example.org/b> \"c\" <http://example.org/g> .\n",
    )
    .unwrap();
    let text = root().join("corpus/000_c753ae8197271e34.txt");
    let out = import(&[&bad_syntax, &nq, &default_graph, &text, &relative_iri]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("warning: ").count(), 4, "{err}");
    assert!(err.contains("files loaded 1 / rejected 4"), "{err}");
    let relative_warning = err
        .lines()
        .find(|l| l.contains("relative.nq"))
        .unwrap_or_default();
    assert!(relative_warning.contains("line 2"), "{err}");

    // Nothing of the bad files, all of the export.
    assert_eq!(sorted_dump(&other), exported);
}

#[test]
fn bench_corpus_away_from_the_samples_says_where_they_are() {
    let s = Sandbox::new();
    let mut c = assert_cmd::Command::cargo_bin("scokg").unwrap();
    let out = c
        .current_dir(s.dir.path())
        .args(["bench-corpus", "--mb", "1", "--out", "bench"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--from DIR"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!s.path("bench").exists());
}

#[test]
fn an_io_error_names_its_cause_once() {
    let s = Sandbox::new();
    s.build_corpus();
    let target = s.path("missing/folder/graph.nt");
    let out = s
        .cmd(&["export", "--format", "nt", "-o", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("graph.nt"), "{err}");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
}
