//! People and their posts.
//!
//! A person is found from the shape news uses to introduce them: an optional
//! country or organisation, one or more titles joined by 、 or 兼, then the
//! name (哈萨克斯坦总统托卡耶夫, 国务委员兼外交部长王毅,
//! 中共中央总书记、国家主席、中央军委主席习近平). The name runs until the
//! sentence structure ends it: punctuation, another lexicon mention, or a
//! boundary word from `data/name_boundaries.tsv` (等, 与会, 出席, 主持 …).
//! Later short forms resolve to the same person: the name alone (习近平指出),
//! name + title (莫迪总理), surname + title (习主席). Known office holders
//! from the lexicon are linked to their canonical name and ids, but people
//! missing from it are still found.

use crate::document::{Document, Layer, PersonMention};
use crate::lexicon::{EntityKind, Lexicon, Mention};
use crate::model::{PersonRef, Polity, Statement};
use crate::text::is_cjk;
use aho_corasick::{AhoCorasick, MatchKind};
use std::sync::LazyLock;

use super::Pass;

/// The pass.
pub const PASS: Pass = Pass {
    name: "people",
    needs: &[Layer::Mentions, Layer::DocDate],
    adds: &[Layer::People],
    run: find_people,
};

const MAX_NAME_CHARS: usize = 12;

static BOUNDARIES: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let words: Vec<&str> = include_str!("../../data/name_boundaries.tsv")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .skip(1)
        .collect();
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(words)
        .ok()
});

/// Characters that, right after a title, show the title is part of a
/// compound noun (主席国, 总统府, 部长级, 总理们), not followed by a name.
fn starts_compound(c: char) -> bool {
    matches!(
        c,
        '国' | '府' | '级' | '们' | '团' | '会' | '职' | '制' | '令' | '选' | '候'
    )
}

/// The name that starts at `at` in `s`, if one does.
fn name_at(s: &str, at: usize, mentions: &[Mention], lex: &Lexicon) -> Option<(usize, usize)> {
    let mut start = at;
    if s[start..].starts_with(' ') {
        start += 1;
    }
    // A known person's name wins outright.
    if let Some(m) = mentions.iter().find(|m| m.start == start) {
        return matches!(m.kind, EntityKind::Person(_)).then_some((m.start, m.end));
    }
    let first = s[start..].chars().next()?;
    if !is_cjk(first) || starts_compound(first) {
        return None;
    }
    let next_mention = mentions
        .iter()
        .filter(|m| m.start > start)
        .map(|m| m.start)
        .min()
        .unwrap_or(s.len());
    let mut end = start;
    for (i, c) in s[start..].char_indices() {
        let pos = start + i;
        if pos >= next_mention || !(is_cjk(c) || c == '·' || c == '-') {
            break;
        }
        end = pos + c.len_utf8();
    }
    // A name never starts with a boundary word (关于…, 的…); it is cut at
    // the first one from its third character on (a two-character name may
    // hold one: 于洪君).
    if let Some(ac) = BOUNDARIES.as_ref() {
        let second = start + s[start..].chars().next().map_or(0, char::len_utf8);
        for m in ac.find_iter(&s[start..end]) {
            if m.start() == 0 {
                return None;
            }
            if start + m.start() > second {
                end = start + m.start();
                break;
            }
        }
    }
    let chars = s[start..end].chars().count();
    if !(2..=MAX_NAME_CHARS).contains(&chars) {
        return None;
    }
    // A lone name that is itself a lexicon form (a country, a title) is no name.
    if lex.lookup_form(&s[start..end]).is_some() {
        return None;
    }
    Some((start, end))
}

/// Where the names a document introduced are printed again. Each name
/// is one of a few (a document introduces tens at most), so a set of
/// their first characters, tested once per character, rules out almost
/// every place; a per-document Aho–Corasick automaton cost more to build
/// and to run than the whole lexicon search (11 % of dense extraction).
struct NameStarts<'a> {
    /// Bit `c % 65536` is set when a name starts with a character `c`
    /// (8 KB: exact for the ideographs of the Basic Multilingual Plane).
    first_chars: Vec<u64>,
    /// (first character, name index), sorted.
    by_first: Vec<(char, usize)>,
    names: Vec<&'a str>,
}

impl<'a> NameStarts<'a> {
    const BITS: usize = 1 << 16;

    fn new(names: impl Iterator<Item = &'a str>) -> Self {
        let names: Vec<&str> = names.collect();
        let mut by_first: Vec<(char, usize)> = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((n.chars().next()?, i)))
            .collect();
        by_first.sort_unstable();
        let mut first_chars = vec![0u64; Self::BITS / 64];
        for &(c, _) in &by_first {
            let bit = c as usize % Self::BITS;
            first_chars[bit / 64] |= 1 << (bit % 64);
        }
        NameStarts {
            first_chars,
            by_first,
            names,
        }
    }

    /// Every (name index, byte offset) where a name starts in `s`,
    /// overlapping ones included.
    fn find_all(&self, s: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (at, c) in s.char_indices() {
            let bit = c as usize % Self::BITS;
            if self.first_chars[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let from = self.by_first.partition_point(|&(f, _)| f < c);
            let rest = &s[at..];
            for &(_, i) in self.by_first[from..].iter().take_while(|&&(f, _)| f == c) {
                if rest.starts_with(self.names[i]) {
                    out.push((i, at));
                }
            }
        }
        out
    }
}

/// The person a printed name refers to: the lexicon's when known.
pub fn person_ref(name: &str, lex: &Lexicon) -> PersonRef {
    match lex.known_person(name) {
        Some(k) => PersonRef {
            slug: k.slug.clone(),
            name: k.zh.clone(),
        },
        None => PersonRef {
            slug: name.to_string(),
            name: name.to_string(),
        },
    }
}

fn polity_of(kind: EntityKind, lex: &Lexicon) -> Option<Polity> {
    match kind {
        EntityKind::Country(i) => Some(Polity::Country(lex.countries[i].iso3.clone())),
        EntityKind::Organization(i) => {
            Some(Polity::Organization(lex.organizations[i].slug.clone()))
        }
        _ => None,
    }
}

/// A title in a chain, with the polity printed before it.
struct ChainTitle {
    title: usize,
    polity: Option<Polity>,
    start: usize,
}

/// Walk back from the title mention `ti` collecting the chain's titles.
fn chain_before(s: &str, mentions: &[Mention], ti: usize, lex: &Lexicon) -> Vec<ChainTitle> {
    let mut out = Vec::new();
    let mut k = ti;
    loop {
        let m = mentions[k];
        let EntityKind::Title(title) = m.kind else {
            break;
        };
        let mut polity = None;
        let mut start = m.start;
        // A polity right before the title: 哈萨克斯坦总统, 联合国秘书长, 中共中央政治局常委.
        if k > 0 && mentions[k - 1].end == m.start {
            if let Some(p) = polity_of(mentions[k - 1].kind, lex) {
                polity = Some(p);
                start = mentions[k - 1].start;
                k -= 1;
            }
        }
        out.push(ChainTitle {
            title,
            polity,
            start,
        });
        // Another title joined by 、 or 兼 (or directly) continues the chain.
        if k == 0 {
            break;
        }
        let prev = mentions[k - 1];
        let gap = &s[prev.end..start];
        if matches!(prev.kind, EntityKind::Title(_))
            && (gap.is_empty() || gap == "、" || gap == "兼")
        {
            k -= 1;
        } else if gap.is_empty() || gap == "、" || gap == "兼" {
            // A polity directly before a title chain link (中共中央 + 总书记) was taken above.
            break;
        } else {
            break;
        }
    }
    out.reverse();
    out
}

/// Where a title is held when no country stands before it: the country of
/// another title in the chain, the known person's affiliation, or the
/// lexicon's reading of the bare title in Chinese news (国务委员 → China).
fn default_polity(
    title: &crate::lexicon::Title,
    chain: &[ChainTitle],
    lex: &Lexicon,
    person: &PersonRef,
) -> Option<Polity> {
    if title.scope == "country" {
        if let Some(p) = chain
            .iter()
            .find_map(|c| c.polity.clone().filter(|p| matches!(p, Polity::Country(_))))
        {
            return Some(p);
        }
    }
    if let Some(aff) = lex
        .known_person(&person.name)
        .and_then(|k| k.affiliation.clone())
    {
        if lex.country_by_iso3(&aff).is_some() && title.scope == "country" {
            return Some(Polity::Country(aff));
        }
        if lex.organization(&aff).is_some() && title.scope == "organization" {
            return Some(Polity::Organization(aff));
        }
    }
    title.unqualified.as_ref().map(|u| {
        if lex.country_by_iso3(u).is_some() {
            Polity::Country(u.clone())
        } else {
            Polity::Organization(u.clone())
        }
    })
}

/// Find the people of a document and the posts their titles show.
pub fn find_people(doc: &mut Document) {
    let text = doc.text.shared();
    let Ok(lex) = Lexicon::get() else { return };
    let as_of = doc.anchor_date();
    let mut found: Vec<PersonMention> = Vec::new();
    let mut posts = Vec::new();
    // One buffer for every sentence's mentions: a vector per sentence and
    // pass was a good part of the allocations of extraction.
    let mut mentions: Vec<Mention> = Vec::new();
    for si in 0..doc.sentences.len() {
        let base = doc.sentences[si].start;
        let s = &text[doc.sentences[si].clone()];
        mentions.clear();
        mentions.extend(doc.sentence_mentions(si));
        for (ti, m) in mentions.iter().enumerate() {
            let EntityKind::Title(title_index) = m.kind else {
                continue;
            };
            // Name + title (李克强总理批示) is a short form, not a chain before a name.
            if ti > 0
                && mentions[ti - 1].end == m.start
                && matches!(mentions[ti - 1].kind, EntityKind::Person(_))
            {
                continue;
            }
            let Some((ns, mut ne)) = name_at(s, m.end, &mentions, lex) else {
                continue;
            };
            let chain = chain_before(s, &mentions, ti, lex);
            // Chinese names run two or three characters: cap an unknown name
            // held under a Chinese office.
            let domestic = lex.titles[title_index].unqualified.is_some()
                && !chain
                    .iter()
                    .any(|c| matches!(&c.polity, Some(Polity::Country(c)) if c != "CHN"));
            if domestic && lex.known_person(&s[ns..ne]).is_none() {
                if let Some((i, _)) = s[ns..ne].char_indices().nth(3) {
                    ne = ns + i;
                }
            }
            let person = person_ref(&s[ns..ne], lex);
            let chain_start = chain.first().map_or(m.start, |c| c.start);
            let title = &lex.titles[title_index];
            for link in &chain {
                let t = &lex.titles[link.title];
                let polity = link
                    .polity
                    .clone()
                    .filter(|p| matches!(p, Polity::Country(_)) || t.scope != "country")
                    .or_else(|| default_polity(t, &chain, lex, &person));
                if let Some(polity) = polity {
                    posts.push((
                        Statement::Post {
                            holder: person.clone(),
                            title: t.zh.clone(),
                            post_in: polity,
                            as_of,
                        },
                        si,
                    ));
                }
            }
            let post_in = chain
                .last()
                .and_then(|c| c.polity.clone())
                .or_else(|| default_polity(title, &chain, lex, &person));
            found.push(PersonMention {
                span: base + chain_start..base + ne,
                name_span: base + ns..base + ne,
                person,
                title: Some(title.zh.clone()),
                post_in,
                sentence: si,
            });
        }
    }
    // Short forms: a known name alone or followed by a title, or a surname + title.
    let mut names: Vec<(String, PersonRef, Option<String>)> = found
        .iter()
        .map(|p| {
            (
                doc.norm()[p.name_span.clone()].to_string(),
                p.person.clone(),
                p.title.clone(),
            )
        })
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.0.len()));
    names.dedup_by(|a, b| a.0 == b.0);
    let name_starts = NameStarts::new(names.iter().map(|n| n.0.as_str()));
    // The names found with a title, in sentence order: each sentence's are
    // one run of them.
    let titled = found.len();
    let mut titled_from = 0;
    for si in 0..doc.sentences.len() {
        let base = doc.sentences[si].start;
        let s = &text[doc.sentences[si].clone()];
        mentions.clear();
        mentions.extend(doc.sentence_mentions(si));
        let titled_to =
            titled_from + found[titled_from..titled].partition_point(|p| p.sentence == si);
        let mut taken: Vec<(usize, usize)> = found[titled_from..titled_to]
            .iter()
            .map(|p| (p.name_span.start - base, p.name_span.end - base))
            .collect();
        titled_from = titled_to;
        let overlaps = |taken: &[(usize, usize)], a: usize, b: usize| {
            taken.iter().any(|&(x, y)| a < y && x < b)
        };
        // Known people from the lexicon, wherever they stand.
        for m in &mentions {
            if let EntityKind::Person(i) = m.kind {
                if !overlaps(&taken, m.start, m.end) {
                    let k = &lex.people[i];
                    found.push(PersonMention {
                        span: base + m.start..base + m.end,
                        name_span: base + m.start..base + m.end,
                        person: PersonRef {
                            slug: k.slug.clone(),
                            name: k.zh.clone(),
                        },
                        title: None,
                        post_in: None,
                        sentence: si,
                    });
                    taken.push((m.start, m.end));
                }
            }
        }
        // Names this document introduced earlier or later, longest first.
        let mut printed = name_starts.find_all(s);
        printed.sort_unstable();
        for (name_index, at) in printed {
            let (name, person, _) = &names[name_index];
            {
                let end = at + name.len();
                if !overlaps(&taken, at, end) {
                    // Name + title (莫迪总理, 托卡耶夫总统): the title belongs to the mention.
                    let title = mentions.iter().find_map(|m| match m.kind {
                        EntityKind::Title(t) if m.start == end => {
                            Some((m.end, lex.titles[t].zh.clone()))
                        }
                        _ => None,
                    });
                    found.push(PersonMention {
                        span: base + at..base + title.as_ref().map_or(end, |t| t.0),
                        name_span: base + at..base + end,
                        person: person.clone(),
                        title: title.map(|t| t.1),
                        post_in: None,
                        sentence: si,
                    });
                    taken.push((at, end));
                }
            }
        }
        // Surname + title: 习主席 is the 习 whose title ends in 主席.
        for m in &mentions {
            let EntityKind::Title(t) = m.kind else {
                continue;
            };
            let Some(c) = s[..m.start].chars().next_back() else {
                continue;
            };
            let cs = m.start - c.len_utf8();
            if !is_cjk(c) || overlaps(&taken, cs, m.start) {
                continue;
            }
            let title = &lex.titles[t].zh;
            let candidates: Vec<&PersonRef> = names
                .iter()
                .filter(|(n, _, ti)| {
                    n.starts_with(c) && ti.as_deref().is_some_and(|x| x.ends_with(title.as_str()))
                })
                .map(|(_, p, _)| p)
                .collect();
            if let [only] = candidates.as_slice() {
                found.push(PersonMention {
                    span: base + cs..base + m.end,
                    name_span: base + cs..base + cs + c.len_utf8(),
                    person: (*only).clone(),
                    title: Some(title.clone()),
                    post_in: None,
                    sentence: si,
                });
                taken.push((cs, m.end));
            }
        }
    }
    found.sort_by_key(|p| (p.span.start, p.span.end));
    found.dedup_by(|a, b| a.span == b.span);
    doc.people = found;
    for (statement, si) in posts {
        doc.add_fact(statement, si, "people.title-chain");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{doc_date::date_document, mentions::find_mentions};

    fn people(text: &str) -> Document {
        let mut doc = Document::new("t.txt", text, text.as_bytes());
        find_mentions(&mut doc);
        date_document(&mut doc);
        find_people(&mut doc);
        doc
    }

    fn names(doc: &Document) -> Vec<String> {
        doc.people.iter().map(|p| p.person.name.clone()).collect()
    }

    fn posts(doc: &Document) -> Vec<(String, String, String)> {
        doc.facts
            .iter()
            .filter_map(|f| match &f.statement {
                Statement::Post {
                    holder,
                    title,
                    post_in,
                    ..
                } => Some((
                    holder.name.clone(),
                    title.clone(),
                    match post_in {
                        Polity::Country(c) => c.clone(),
                        Polity::Organization(o) => o.clone(),
                    },
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn list_of_leaders_with_country_and_title() {
        let doc = people("哈萨克斯坦总统托卡耶夫、吉尔吉斯斯坦总统扎帕罗夫、巴基斯坦总理伊\n姆兰·汗等成员国领导人与会。");
        assert_eq!(names(&doc), ["托卡耶夫", "扎帕罗夫", "伊姆兰·汗"]);
        assert!(posts(&doc).contains(&("伊姆兰·汗".into(), "总理".into(), "PAK".into())));
    }

    #[test]
    fn organisation_titles_and_chains() {
        let doc = people(
            "联合国秘书长古特雷斯以视频方式出席会议。国务委员兼外交部长王毅在青岛接受采访。",
        );
        let p = posts(&doc);
        assert!(
            p.contains(&("古特雷斯".into(), "秘书长".into(), "un".into())),
            "{p:?}"
        );
        assert!(
            p.contains(&("王毅".into(), "外交部长".into(), "CHN".into())),
            "{p:?}"
        );
    }

    #[test]
    fn unknown_foreign_names_end_at_sentence_structure() {
        let doc = people("阿塞拜疆总统阿利耶夫主持会议，亚美尼亚总理帕希尼扬以视频方式出席。");
        assert_eq!(names(&doc), ["阿利耶夫", "帕希尼扬"]);
    }

    #[test]
    fn short_mentions_resolve_to_the_same_person() {
        let doc = people(
            "国家主席习近平出席会议。习主席强调，合作重要。尊敬的莫迪总理：印度总理莫迪主持会议。",
        );
        let xi: Vec<_> = doc
            .people
            .iter()
            .filter(|p| p.person.name == "习近平")
            .collect();
        assert!(xi.len() >= 2, "{:?}", doc.people);
        let modi = doc
            .people
            .iter()
            .filter(|p| p.person.name == "莫迪")
            .count();
        assert!(modi >= 2);
    }

    #[test]
    fn names_are_found_again_where_they_overlap() {
        let starts = NameStarts::new(["米尔济约耶夫", "约耶夫", "王毅"].into_iter());
        assert_eq!(
            starts.find_all("米尔济约耶夫会见王毅，王毅说。"),
            [(0, 0), (1, 9), (2, 24), (2, 33)]
        );
        assert!(starts.find_all("王国与约旦").is_empty());
    }

    #[test]
    fn a_presidency_is_not_a_name() {
        let doc = people("上海合作组织轮值主席国塔吉克斯坦总统拉赫蒙主持会议。");
        assert_eq!(names(&doc), ["拉赫蒙"]);
    }
}
