//! Pictures: every `export --format dot|svg` variant is valid GraphViz, node
//! ids are stable, `--focus` draws a neighbourhood and rejects unknown terms.

use crate::harness::Sandbox;
use std::io::Write;
use std::process::{Command, Stdio};

/// Every variant the README promises, as `export` arguments after `--format dot`.
const VARIANTS: &[&[&str]] = &[
    &[],
    &["--lang", "zh"],
    &["--lang", "en"],
    &["--lang", "both"],
    &["--focus", "伊朗", "--depth", "0"],
    &["--focus", "伊朗", "--depth", "1"],
    &["--focus", "伊朗", "--depth", "2"],
    &["--focus", "伊朗", "--depth", "1", "--lang", "en"],
    &["--focus", "第二十一次会议", "--depth", "1"],
    &["--focus", "sco-hos-21", "--depth", "1", "--lang", "zh"],
    &["--focus", "IRN"],
];

fn dot_installed() -> bool {
    Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `scokg export --format dot ARGS…` on a built store, as text.
fn export_dot(s: &Sandbox, args: &[&str]) -> String {
    let out = s
        .cmd(&[&["export", "--format", "dot"], args].concat())
        .output()
        .expect("run export");
    assert!(
        out.status.success(),
        "export {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 dot")
}

/// Run `dot -Tsvg` on the source; panics with dot's message when it refuses.
fn dot_to_svg(source: &str) -> String {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dot");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(source.as_bytes())
        .expect("write to dot");
    let out = child.wait_with_output().expect("dot output");
    assert!(
        out.status.success(),
        "dot rejected the picture: {}\n{source}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 svg")
}

/// The quoted node ids declared in a DOT source (lines `"id" [label=…`).
fn node_ids(dot: &str) -> Vec<String> {
    dot.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l.strip_prefix('"')?;
            let (id, attrs) = rest.split_once("\" [")?;
            (!id.starts_with("legend:") && attrs.starts_with("label=")).then(|| id.to_string())
        })
        .collect()
}

#[test]
fn dot_accepts_every_picture_variant() {
    let s = Sandbox::new();
    s.build_corpus();
    let dot = dot_installed();
    if !dot {
        eprintln!("note: GraphViz `dot` is not installed; the DOT sources are checked without it");
    }
    for args in VARIANTS {
        let source = export_dot(&s, args);
        assert!(source.starts_with("digraph scokg {"), "{args:?}");
        assert!(source.trim_end().ends_with('}'), "{args:?}");
        assert!(!node_ids(&source).is_empty(), "{args:?} draws nothing");
        if dot {
            let svg = dot_to_svg(&source);
            assert!(svg.contains("<svg"), "{args:?}");
        }
    }
    // --format svg writes what dot made.
    if dot {
        let path = s.path("iran.svg");
        s.cmd(&[
            "export",
            "--format",
            "svg",
            "--focus",
            "伊朗",
            "-o",
            path.to_str().unwrap(),
        ])
        .assert()
        .success();
        let svg = std::fs::read_to_string(&path).expect("svg written");
        assert!(svg.contains("<svg") && svg.contains("伊朗"), "{svg}");
    }
}

#[test]
fn pictures_are_byte_identical_across_exports_and_stores() {
    let a = Sandbox::new();
    a.build_corpus();
    let b = Sandbox::new();
    b.build_corpus();
    for args in [&[][..], &["--focus", "伊朗", "--depth", "2"][..]] {
        let first = export_dot(&a, args);
        assert_eq!(
            first,
            export_dot(&a, args),
            "{args:?} differs between two exports"
        );
        assert_eq!(
            first,
            export_dot(&b, args),
            "{args:?} differs between two stores"
        );
    }
    // Ids come from IRIs, not from the order of insertion.
    let whole = export_dot(&a, &[]);
    let ids = node_ids(&whole);
    for id in ["country:IRN", "organization:sco", "meeting:sco-hos-21"] {
        assert!(ids.iter().any(|i| i == id), "no node {id} in {ids:?}");
    }
    assert!(ids.iter().all(|i| i.contains(':')), "{ids:?}");
}

#[test]
fn focus_on_iran_draws_its_neighbourhood_only() {
    let s = Sandbox::new();
    s.build_corpus();
    let dot = export_dot(&s, &["--focus", "伊朗", "--depth", "1"]);
    let ids = node_ids(&dot);
    assert!(dot.contains("伊朗"), "{dot}");
    assert!(dot.contains("上海合作组织"), "{dot}");
    assert!(ids.contains(&"country:IRN".to_string()), "{ids:?}");
    assert!(ids.contains(&"organization:sco".to_string()), "{ids:?}");
    // China's pledges are two steps away (China → pledge → meeting), other countries too.
    assert!(!dot.contains("鲁班工坊"), "{dot}");
    assert!(!ids.iter().any(|i| i.starts_with("res:pledge/")), "{ids:?}");
    assert!(!ids.contains(&"country:RUS".to_string()), "{ids:?}");
    // The focus is drawn bold and the title names it.
    assert!(dot.contains("Neighbourhood of 伊朗"), "{dot}");
    // Depth 0 is the entity alone; depth 2 reaches the members through the SCO.
    let alone = node_ids(&export_dot(&s, &["--focus", "伊朗", "--depth", "0"]));
    assert_eq!(alone, vec!["country:IRN".to_string()]);
    let wider = node_ids(&export_dot(&s, &["--focus", "伊朗", "--depth", "2"]));
    assert!(wider.len() > ids.len());
    assert!(wider.contains(&"country:RUS".to_string()), "{wider:?}");
}

#[test]
fn the_whole_graph_shows_relations_with_their_details() {
    let s = Sandbox::new();
    s.build_corpus();
    let dot = export_dot(&s, &["--lang", "en"]);
    // Membership edges carry a year, attendance by video is dashed,
    // pledges are nodes with the normalised amount, meetings have a name.
    assert!(
        dot.lines().any(|l| l.contains("-> \"organization:sco\"")
            && (l.contains("founding member 2001") || l.contains("member since 20"))),
        "{dot}"
    );
    assert!(
        dot.lines().any(
            |l| l.contains("\"meeting:sco-hos-21\" -> \"person:") && l.contains("style=dashed")
        ),
        "{dot}"
    );
    assert!(dot.contains("shape=cds"), "{dot}");
    assert!(dot.contains("2,000,000,000 doses"), "{dot}");
    assert!(dot.contains("21st meeting"), "{dot}");
    assert!(dot.contains("cluster_legend"), "{dot}");
}

#[test]
fn an_unknown_focus_exits_1() {
    let s = Sandbox::new();
    s.build_corpus();
    for format in ["dot", "svg"] {
        let out = s
            .cmd(&[
                "export",
                "--format",
                format,
                "--focus",
                "不存在的实体 Atlantis",
            ])
            .output()
            .expect("run export");
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--focus"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}
