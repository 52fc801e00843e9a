//! The query library (`queries/*.rq`) on the sample corpus: each query run by
//! name through `scokg query NAME --format csv`, its rows checked by column.

use crate::harness::{root, split_csv, Sandbox};
use std::collections::HashSet;

/// A CSV result: the header and the records.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    /// The value of column `name` in `row`.
    fn get<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        &row[self.col(name)]
    }

    /// The rows whose columns equal the given values.
    fn find(&self, wanted: &[(&str, &str)]) -> Vec<&Vec<String>> {
        self.rows
            .iter()
            .filter(|r| wanted.iter().all(|(c, v)| self.get(r, c) == *v))
            .collect()
    }
}

/// Run `scokg query args… --format csv` and parse the result.
fn run(s: &Sandbox, args: &[&str]) -> Table {
    let csv = s.query(&[args, &["--format", "csv"]].concat());
    let mut lines = csv
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty());
    let header = split_csv(lines.next().expect("a header line"));
    let rows: Vec<Vec<String>> = lines.map(split_csv).collect();
    for r in &rows {
        assert_eq!(r.len(), header.len(), "{r:?} against {header:?}");
    }
    Table { header, rows }
}

fn built() -> Sandbox {
    let s = Sandbox::new();
    s.build_corpus();
    s
}

const MEETING_21: &str = "https://w3id.org/scokg/id/meeting/sco-hos-21";

/// The file stems of `queries/*.rq`.
fn query_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("queries"))
        .expect("queries/")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn query_list_prints_every_query_file() {
    let out = Sandbox::new().cmd(&["query", "--list"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let files = query_files();
    assert!(files.len() >= 8, "{files:?}");
    for name in &files {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name.as_str()))
            .unwrap_or_else(|| panic!("{name} missing from --list:\n{text}"));
        assert!(
            line.trim_end().len() > name.len(),
            "{name} has no question: {line:?}"
        );
    }
}

#[test]
fn every_library_query_has_a_question_and_a_file() {
    let files: HashSet<String> = query_files().into_iter().collect();
    let names: HashSet<String> = scokg::query::LIBRARY
        .iter()
        .map(|q| q.name.to_string())
        .collect();
    assert_eq!(names, files, "library!(…) and queries/ differ");
    for q in scokg::query::LIBRARY {
        let question = q.question();
        assert!(!question.is_empty(), "{} has no question", q.name);
        assert!(question.contains('?'), "{}: {question}", q.name);
        assert!(q.sparql.contains("SELECT"), "{}", q.name);
    }
    let evidence = scokg::query::named("evidence").expect("evidence query");
    assert!(
        evidence.sparql.contains("--bind"),
        "evidence.rq documents --bind"
    );
}

#[test]
fn member_states_per_year_counts_and_sorted_codes() {
    let s = built();
    let t = run(&s, &["member_states_per_year"]);
    for (year, count) in [("2001", "6"), ("2018", "8"), ("2021", "8"), ("2023", "9")] {
        let rows = t.find(&[("year", year)]);
        assert_eq!(rows.len(), 1, "{year}: {rows:?}");
        assert_eq!(t.get(rows[0], "member_states"), count, "{year}");
    }
    let first = t.find(&[("year", "2001")]);
    assert_eq!(t.get(first[0], "members"), "CHN,KAZ,KGZ,RUS,TJK,UZB");
    for r in &t.rows {
        let members: Vec<&str> = t.get(r, "members").split(',').collect();
        let mut sorted = members.clone();
        sorted.sort();
        assert_eq!(members, sorted, "members not sorted in {r:?}");
    }
    let in_2023 = t.get(t.find(&[("year", "2023")])[0], "members");
    assert!(in_2023.contains("IRN"), "{in_2023}");
}

#[test]
fn attendance_has_mode_and_one_row_per_person_and_meeting() {
    let s = built();
    let t = run(&s, &["attendance"]);
    let xi = t.find(&[("person", "习近平"), ("meeting_iri", MEETING_21)]);
    assert_eq!(xi.len(), 1, "{xi:?}");
    assert_eq!(t.get(xi[0], "mode"), "video");
    assert_eq!(t.get(xi[0], "date"), "2021-09-17");
    assert!(t.get(xi[0], "meeting").contains("第二十一次会议"), "{xi:?}");
    assert!(t.get(xi[0], "country_or_org").contains("中国"), "{xi:?}");
    let wang = t.find(&[("person", "王毅"), ("meeting_iri", MEETING_21)]);
    assert_eq!(wang.len(), 1, "{wang:?}");
    assert_eq!(t.get(wang[0], "mode"), "in-person");
    assert!(t.get(wang[0], "capacity").contains("特别代表"), "{wang:?}");
    let putin = t.find(&[("person", "普京"), ("meeting_iri", MEETING_21)]);
    assert_eq!(putin.len(), 1);
    assert_eq!(t.get(putin[0], "country_or_org"), "俄罗斯");
    assert_eq!(t.get(putin[0], "title"), "总统");
    let mut seen = HashSet::new();
    for r in &t.rows {
        assert!(
            seen.insert((t.get(r, "meeting_iri"), t.get(r, "person"))),
            "two rows for {r:?}"
        );
        assert!(
            ["", "video", "in-person"].contains(&t.get(r, "mode")),
            "{r:?}"
        );
    }
}

#[test]
fn chairs_hand_the_presidency_over() {
    let s = built();
    let t = run(&s, &["chairs"]);
    let y2021 = t.find(&[("year", "2021"), ("chair_iso3", "TJK")]);
    assert_eq!(y2021.len(), 1, "{:?}", t.rows);
    assert_eq!(t.get(y2021[0], "next_iso3"), "UZB");
    assert_eq!(t.get(y2021[0], "chair_country"), "塔吉克斯坦");
    assert_eq!(t.get(y2021[0], "next_chair_country"), "乌兹别克斯坦");
    assert_eq!(t.get(y2021[0], "meeting_iri"), MEETING_21);
    let y2023 = t.find(&[("year", "2023"), ("chair_iso3", "IND")]);
    assert_eq!(y2023.len(), 1, "{:?}", t.rows);
    assert_eq!(t.get(y2023[0], "next_iso3"), "KAZ");
    assert_eq!(t.get(y2023[0], "date"), "2023-07-04");
    let dates: Vec<&str> = t.rows.iter().map(|r| t.get(r, "date")).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "ordered by date");
}

#[test]
fn membership_timeline_is_in_date_order() {
    let s = built();
    let t = run(&s, &["membership_timeline"]);
    let at = |step: &str, date: &str| {
        t.rows
            .iter()
            .position(|r| {
                t.get(r, "iso3") == "IRN" && t.get(r, "step") == step && t.get(r, "date") == date
            })
            .unwrap_or_else(|| panic!("no IRN {step} {date} in {:?}", t.rows))
    };
    let started = at("procedure-started", "2021-09-17");
    let admitted = at("admitted", "2023-07-04");
    assert!(started < admitted);
    assert_eq!(t.get(&t.rows[started], "role"), "成员国");
    assert!(t
        .get(&t.rows[started], "meeting")
        .contains("第二十一次会议"));
    let founders: Vec<&str> = t
        .find(&[("step", "founding")])
        .iter()
        .map(|r| t.get(r, "iso3"))
        .collect();
    for iso in ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"] {
        assert!(founders.contains(&iso), "{iso} not founding: {founders:?}");
    }
    let dated: Vec<&str> = t
        .rows
        .iter()
        .map(|r| t.get(r, "date"))
        .take_while(|d| !d.is_empty())
        .collect();
    let mut sorted = dated.clone();
    sorted.sort();
    assert_eq!(dated, sorted, "ordered by date");
    assert!(
        t.rows[dated.len()..]
            .iter()
            .all(|r| t.get(r, "date").is_empty()),
        "undated rows last"
    );
}

#[test]
fn pledges_largest_first_within_a_unit() {
    let s = built();
    let t = run(&s, &["pledges"]);
    let usd = t.find(&[("unit", "USD")]);
    assert!(!usd.is_empty());
    assert_eq!(t.get(usd[0], "amount"), "2300000000000");
    assert_eq!(t.get(usd[0], "pledger"), "中国");
    assert_eq!(t.get(usd[0], "pledger_iso3"), "CHN");
    assert_eq!(t.get(usd[0], "period_years"), "5");
    assert_eq!(t.get(usd[0], "meeting_iri"), MEETING_21);
    let doses = t.find(&[("unit", "doses"), ("amount", "2000000000")]);
    assert_eq!(doses.len(), 1, "{:?}", t.rows);
    let units: Vec<&str> = t.rows.iter().map(|r| t.get(r, "unit")).collect();
    let mut sorted = units.clone();
    sorted.sort();
    assert_eq!(units, sorted, "grouped by unit");
    for pair in t.rows.windows(2) {
        if t.get(&pair[0], "unit") == t.get(&pair[1], "unit") {
            let a: f64 = t.get(&pair[0], "amount").parse().unwrap();
            let b: f64 = t.get(&pair[1], "amount").parse().unwrap();
            assert!(a >= b, "{pair:?}");
        }
    }
}

#[test]
fn meetings_one_row_each_with_sources() {
    let s = built();
    let t = run(&s, &["meetings"]);
    let m21 = t.find(&[("session", "21")]);
    assert_eq!(m21.len(), 1, "{:?}", t.rows);
    let m21 = m21[0];
    assert_eq!(t.get(m21, "sources"), "3");
    assert_eq!(t.get(m21, "date"), "2021-09-17");
    assert_eq!(t.get(m21, "place"), "杜尚别");
    assert_eq!(t.get(m21, "chair"), "拉赫蒙");
    assert_eq!(t.get(m21, "chair_country"), "塔吉克斯坦");
    assert_eq!(t.get(m21, "next_chair_country"), "乌兹别克斯坦");
    assert_eq!(t.get(m21, "meeting_iri"), MEETING_21);
    assert!(t.get(m21, "body").contains("元首理事会"), "{m21:?}");
    let m23 = t.find(&[("session", "23")]);
    assert_eq!(m23.len(), 1);
    assert_eq!(t.get(m23[0], "next_chair_country"), "哈萨克斯坦");
    let iris: HashSet<&str> = t.rows.iter().map(|r| t.get(r, "meeting_iri")).collect();
    assert_eq!(iris.len(), t.rows.len(), "one row per meeting");
}

#[test]
fn people_list_posts_and_meetings() {
    let s = built();
    let t = run(&s, &["people"]);
    let wang = t.find(&[("person", "王毅")]);
    assert_eq!(wang.len(), 1, "{:?}", t.rows);
    let posts = t.get(wang[0], "posts");
    assert!(
        posts.split("; ").any(|p| p.starts_with("外交部长@")),
        "{posts}"
    );
    assert!(posts.contains("外交部长@中国"), "{posts}");
    assert_eq!(t.get(wang[0], "name_en"), "Wang Yi");
    let xi = t.find(&[("person", "习近平")]);
    assert_eq!(xi.len(), 1);
    let n: u32 = t.get(xi[0], "meetings").parse().unwrap();
    assert!(n >= 2, "{xi:?}");
    assert!(
        t.get(xi[0], "attended").contains("第二十一次会议"),
        "{xi:?}"
    );
    let people: HashSet<&str> = t.rows.iter().map(|r| t.get(r, "person_iri")).collect();
    assert_eq!(people.len(), t.rows.len(), "one row per person");
}

#[test]
fn evidence_for_a_bound_entity() {
    let s = built();
    let iri = "https://w3id.org/scokg/id/country/IRN";
    let t = run(&s, &["evidence", "--bind", &format!("entity=<{iri}>")]);
    assert!(!t.rows.is_empty());
    for r in &t.rows {
        assert_eq!(t.get(r, "entity"), iri);
        assert!(t.get(r, "file").starts_with("corpus/"), "{r:?}");
        assert!(!t.get(r, "rules").is_empty(), "{r:?}");
    }
    assert!(
        t.rows.iter().any(|r| t.get(r, "quote").contains("伊朗")),
        "{:?}",
        t.rows
    );
    assert!(t.rows.iter().any(|r| {
        t.get(r, "kind") == "AccessionStep"
            && t.get(r, "quote").contains("会议启动接收伊朗为成员国的程序")
    }));
    // A meeting is itself a statement: its own evidence comes as "self".
    let m = run(
        &s,
        &["evidence", "--bind", &format!("entity=<{MEETING_21}>")],
    );
    assert!(m
        .rows
        .iter()
        .any(|r| m.get(r, "via") == "self" && m.get(r, "kind") == "Meeting"));
    let files: HashSet<&str> = m.rows.iter().map(|r| m.get(r, "file")).collect();
    assert!(files.len() >= 3, "{files:?}");
}
