//! The gold set of the sample corpus, scored by `scokg eval`.

use crate::harness::Sandbox;

#[test]
fn the_corpus_meets_the_gold_bar() {
    let out = Sandbox::new()
        .cmd(&["eval", "--gold", "tests/gold/seeds.toml", "corpus"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or_default();
    let nums: Vec<u64> = last
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|n| n.parse().unwrap())
        .collect();
    // gold: core R/N, stretch R/N, must_not violations V, evidence-less statements E
    assert_eq!(nums.len(), 6, "{last}");
    let (core, core_total, violations, evidence_less) = (nums[0], nums[1], nums[4], nums[5]);
    assert!(core_total >= 80, "{last}");
    assert_eq!(core, core_total, "core misses:\n{text}");
    assert_eq!(violations, 0, "violations:\n{text}");
    assert_eq!(evidence_less, 0, "{last}");
}
