//! Lexicons (countries, organisations, titles, places, known people) as
//! data: TSV files under `data/`, embedded at compile time and parsed once.
//! Mentions are found with one Aho–Corasick pass over the normalised text.

use crate::error::{Error, Result};
use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder};
use std::collections::HashMap;
use std::sync::LazyLock;

/// A state.
#[derive(Debug, Clone)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code.
    pub iso3: String,
    /// Wikidata id (Q…), when known.
    pub wikidata: Option<String>,
    /// English short name.
    pub en: String,
    /// Canonical Chinese name.
    pub zh: String,
    /// Other printed forms.
    pub aliases: Vec<String>,
    /// One-character abbreviation used in compounds such as 中方, 哈方.
    pub abbr: Option<String>,
}

/// An organisation or one of its bodies.
#[derive(Debug, Clone)]
pub struct Organization {
    /// Slug of its IRI (`organization:{slug}`).
    pub slug: String,
    /// Wikidata id.
    pub wikidata: Option<String>,
    /// English name.
    pub en: String,
    /// Canonical Chinese name.
    pub zh: String,
    /// Other printed forms.
    pub aliases: Vec<String>,
    /// Slug of the parent organisation.
    pub parent: Option<String>,
    /// Founding year.
    pub founded: Option<i32>,
    /// Whether it holds numbered meetings (元首理事会, 外长理事会).
    pub meets: bool,
    /// Whether its meetings are the parent organisation's summits (峰会).
    pub summit: bool,
    /// Whether states can join it (not a country's own party or state body).
    pub admits_states: bool,
}

/// What kind of office a title names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleKind {
    /// 国家主席, 总统, 国王 …
    HeadOfState,
    /// 总理, 首相 …
    HeadOfGovernment,
    /// 副总理 …
    DeputyHeadOfGovernment,
    /// 外交部长 …
    Minister,
    /// 总书记 …
    Party,
    /// 议长 …
    Legislature,
    /// 秘书长, 执委会主任 …
    OrganizationHead,
    /// 副秘书长 …
    OrganizationOfficial,
    /// 特别代表, 特使 …
    Envoy,
    /// Anything else.
    Other,
}

/// A title as printed before a name.
#[derive(Debug, Clone)]
pub struct Title {
    /// The title as printed (外交部长).
    pub zh: String,
    /// English.
    pub en: String,
    /// Office kind.
    pub kind: TitleKind,
    /// Whether the title is held in a country, an organisation or a party.
    pub scope: String,
    /// Where the title is held when printed with no country before it.
    pub unqualified: Option<String>,
}

/// A city.
#[derive(Debug, Clone)]
pub struct Place {
    /// Slug of its IRI.
    pub slug: String,
    /// Wikidata id.
    pub wikidata: Option<String>,
    /// English name.
    pub en: String,
    /// Canonical Chinese name.
    pub zh: String,
    /// ISO3 of its country.
    pub iso3: Option<String>,
    /// Other printed forms.
    pub aliases: Vec<String>,
}

/// A known office holder.
#[derive(Debug, Clone)]
pub struct KnownPerson {
    /// Slug of the IRI.
    pub slug: String,
    /// Wikidata id.
    pub wikidata: Option<String>,
    /// Canonical Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Other printed forms.
    pub aliases: Vec<String>,
    /// ISO3 or organisation slug.
    pub affiliation: Option<String>,
    /// Titles printed with the name.
    pub titles: Vec<String>,
}

/// What a surface form refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    /// Index into [`Lexicon::countries`].
    Country(usize),
    /// Index into [`Lexicon::organizations`].
    Organization(usize),
    /// Index into [`Lexicon::places`].
    Place(usize),
    /// Index into [`Lexicon::people`].
    Person(usize),
    /// Index into [`Lexicon::titles`].
    Title(usize),
}

/// A lexicon match in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset where it starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// What it refers to.
    pub kind: EntityKind,
}

/// All lexicons, loaded once.
pub struct Lexicon {
    /// Countries.
    pub countries: Vec<Country>,
    /// Organisations and bodies.
    pub organizations: Vec<Organization>,
    /// Titles.
    pub titles: Vec<Title>,
    /// Places.
    pub places: Vec<Place>,
    /// Known people.
    pub people: Vec<KnownPerson>,
    surface: Vec<EntityKind>,
    automaton: CharwiseDoubleArrayAhoCorasick<u32>,
    by_iso3: HashMap<String, usize>,
    by_org: HashMap<String, usize>,
    by_abbr: HashMap<String, usize>,
    by_form: HashMap<String, EntityKind>,
    /// Known people by name and by alias: the first person with the name.
    by_person_name: HashMap<String, usize>,
}

static LEXICON: LazyLock<std::result::Result<Lexicon, String>> =
    LazyLock::new(|| Lexicon::from_embedded().map_err(|e| e.to_string()));

const COUNTRIES: &str = include_str!("../../data/countries.tsv");
const ORGANIZATIONS: &str = include_str!("../../data/organizations.tsv");
const TITLES: &str = include_str!("../../data/titles.tsv");
const PLACES: &str = include_str!("../../data/places.tsv");
const PEOPLE: &str = include_str!("../../data/people.tsv");

/// Rows of a TSV file: header checked, comments and blank lines skipped.
fn rows(
    file: &'static str,
    text: &'static str,
    header: &[&str],
) -> Result<Vec<(usize, Vec<&'static str>)>> {
    let mut out = Vec::new();
    let mut seen_header = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if !seen_header {
            if fields != header {
                return Err(Error::Lexicon {
                    file,
                    line: i + 1,
                    message: format!("header must be {}", header.join(" ")),
                });
            }
            seen_header = true;
            continue;
        }
        if fields.len() != header.len() {
            return Err(Error::Lexicon {
                file,
                line: i + 1,
                message: format!("{} fields, expected {}", fields.len(), header.len()),
            });
        }
        out.push((i + 1, fields));
    }
    Ok(out)
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

fn title_kind(s: &str) -> TitleKind {
    match s {
        "head-of-state" => TitleKind::HeadOfState,
        "head-of-government" => TitleKind::HeadOfGovernment,
        "deputy-head-of-government" => TitleKind::DeputyHeadOfGovernment,
        "minister" => TitleKind::Minister,
        "party" => TitleKind::Party,
        "legislature" => TitleKind::Legislature,
        "organization-head" => TitleKind::OrganizationHead,
        "organization-official" => TitleKind::OrganizationOfficial,
        "envoy" => TitleKind::Envoy,
        _ => TitleKind::Other,
    }
}

impl Lexicon {
    /// The lexicon embedded in the binary.
    ///
    /// ```
    /// let lex = scokg::lexicon::Lexicon::get().unwrap();
    /// assert_eq!(lex.country_by_iso3("IRN").unwrap().zh, "伊朗");
    /// ```
    pub fn get() -> Result<&'static Lexicon> {
        LEXICON.as_ref().map_err(|message| Error::Lexicon {
            file: "data/",
            line: 0,
            message: message.clone(),
        })
    }

    fn from_embedded() -> Result<Self> {
        let countries = rows(
            "countries.tsv",
            COUNTRIES,
            &["iso3", "wikidata", "en", "zh", "aliases", "abbr"],
        )?
        .into_iter()
        .map(|(_, f)| Country {
            iso3: f[0].to_string(),
            wikidata: opt(f[1]),
            en: f[2].to_string(),
            zh: f[3].to_string(),
            aliases: list(f[4]),
            abbr: opt(f[5]),
        })
        .collect::<Vec<_>>();
        let organizations = rows(
            "organizations.tsv",
            ORGANIZATIONS,
            &[
                "slug", "wikidata", "en", "zh", "aliases", "parent", "founded", "kind",
            ],
        )?
        .into_iter()
        .map(|(line, f)| {
            Ok(Organization {
                slug: f[0].to_string(),
                wikidata: opt(f[1]),
                en: f[2].to_string(),
                zh: f[3].to_string(),
                aliases: list(f[4]),
                parent: opt(f[5]),
                founded: match f[6] {
                    "" => None,
                    y => Some(y.parse().map_err(|_| Error::Lexicon {
                        file: "organizations.tsv",
                        line,
                        message: format!("founded `{y}` is not a year"),
                    })?),
                },
                meets: matches!(f[7], "summit-body" | "meeting-body"),
                summit: f[7] == "summit-body",
                admits_states: f[7] != "national-body",
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let titles = rows(
            "titles.tsv",
            TITLES,
            &["title", "en", "kind", "scope", "unqualified"],
        )?
        .into_iter()
        .map(|(_, f)| Title {
            zh: f[0].to_string(),
            en: f[1].to_string(),
            kind: title_kind(f[2]),
            scope: f[3].to_string(),
            unqualified: opt(f[4]),
        })
        .collect::<Vec<_>>();
        let places = rows(
            "places.tsv",
            PLACES,
            &["slug", "wikidata", "en", "zh", "iso3", "aliases"],
        )?
        .into_iter()
        .map(|(_, f)| Place {
            slug: f[0].to_string(),
            wikidata: opt(f[1]),
            en: f[2].to_string(),
            zh: f[3].to_string(),
            iso3: opt(f[4]),
            aliases: list(f[5]),
        })
        .collect::<Vec<_>>();
        let people = rows(
            "people.tsv",
            PEOPLE,
            &[
                "slug",
                "wikidata",
                "zh",
                "en",
                "aliases",
                "affiliation",
                "titles",
            ],
        )?
        .into_iter()
        .map(|(_, f)| KnownPerson {
            slug: f[0].to_string(),
            wikidata: opt(f[1]),
            zh: f[2].to_string(),
            en: f[3].to_string(),
            aliases: list(f[4]),
            affiliation: opt(f[5]),
            titles: list(f[6]),
        })
        .collect::<Vec<_>>();

        // Surface forms: the first entry to claim a form keeps it, in the
        // order countries, organisations, places, titles, people.
        let mut by_form: HashMap<String, EntityKind> = HashMap::new();
        let mut claim = |form: &str, kind: EntityKind| {
            if form.chars().count() >= 2 {
                by_form.entry(form.to_string()).or_insert(kind);
            }
        };
        for (i, c) in countries.iter().enumerate() {
            claim(&c.zh, EntityKind::Country(i));
            c.aliases
                .iter()
                .for_each(|a| claim(a, EntityKind::Country(i)));
        }
        for (i, o) in organizations.iter().enumerate() {
            claim(&o.zh, EntityKind::Organization(i));
            o.aliases
                .iter()
                .for_each(|a| claim(a, EntityKind::Organization(i)));
        }
        for (i, p) in places.iter().enumerate() {
            claim(&p.zh, EntityKind::Place(i));
            p.aliases
                .iter()
                .for_each(|a| claim(a, EntityKind::Place(i)));
        }
        for (i, t) in titles.iter().enumerate() {
            claim(&t.zh, EntityKind::Title(i));
        }
        for (i, p) in people.iter().enumerate() {
            claim(&p.zh, EntityKind::Person(i));
            p.aliases
                .iter()
                .for_each(|a| claim(a, EntityKind::Person(i)));
        }
        let mut forms: Vec<(String, EntityKind)> = by_form.clone().into_iter().collect();
        forms.sort_by(|a, b| a.0.cmp(&b.0));
        let surface = forms.iter().map(|(_, k)| *k).collect();
        // A character-wise double-array automaton: every byte of every file
        // goes through it, and on Chinese text it takes one transition per
        // character where a byte automaton takes three (a byte DFA of these
        // forms ran at 275 MiB/s, this one at about 690).
        let automaton = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(daachorse::MatchKind::LeftmostLongest)
            .build_with_values(
                forms
                    .iter()
                    .enumerate()
                    .map(|(i, (f, _))| (f.as_str(), i as u32)),
            )
            .map_err(|e| Error::Lexicon {
                file: "data/",
                line: 0,
                message: e.to_string(),
            })?;
        let by_iso3 = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.iso3.clone(), i))
            .collect();
        let by_org = organizations
            .iter()
            .enumerate()
            .map(|(i, o)| (o.slug.clone(), i))
            .collect();
        let by_abbr = countries
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.abbr.clone().map(|a| (a, i)))
            .collect();
        let mut by_person_name = HashMap::new();
        for (i, p) in people.iter().enumerate() {
            for name in std::iter::once(&p.zh).chain(&p.aliases) {
                by_person_name.entry(name.clone()).or_insert(i);
            }
        }
        Ok(Lexicon {
            countries,
            organizations,
            titles,
            places,
            people,
            surface,
            automaton,
            by_iso3,
            by_org,
            by_abbr,
            by_form,
            by_person_name,
        })
    }

    /// Every lexicon mention in `text`, leftmost-longest, non-overlapping.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        self.automaton
            .leftmost_find_iter(text)
            .map(|m| Mention {
                start: m.start(),
                end: m.end(),
                kind: self.surface[m.value() as usize],
            })
            .collect()
    }

    /// What an exact surface form refers to.
    pub fn lookup_form(&self, form: &str) -> Option<EntityKind> {
        self.by_form.get(form).copied()
    }

    /// A country by ISO3 code.
    pub fn country_by_iso3(&self, iso3: &str) -> Option<&Country> {
        self.by_iso3.get(iso3).map(|&i| &self.countries[i])
    }

    /// A country index by its one-character abbreviation (中 → CHN).
    pub fn country_by_abbr(&self, abbr: &str) -> Option<usize> {
        self.by_abbr.get(abbr).copied()
    }

    /// An organisation by slug.
    pub fn organization(&self, slug: &str) -> Option<&Organization> {
        self.by_org.get(slug).map(|&i| &self.organizations[i])
    }

    /// Slug of an organisation index.
    pub fn org_slug(&self, index: usize) -> &str {
        &self.organizations[index].slug
    }

    /// The title entry for an exact printed title.
    pub fn title(&self, zh: &str) -> Option<&Title> {
        match self.lookup_form(zh) {
            Some(EntityKind::Title(i)) => Some(&self.titles[i]),
            _ => self.titles.iter().find(|t| t.zh == zh),
        }
    }

    /// Titles sorted longest first, for matching a title at the end of a text.
    pub fn titles_longest_first(&self) -> Vec<&Title> {
        let mut v: Vec<&Title> = self.titles.iter().collect();
        v.sort_by_key(|t| std::cmp::Reverse(t.zh.chars().count()));
        v
    }

    /// The known person whose name or alias is exactly `name`.
    pub fn known_person(&self, name: &str) -> Option<&KnownPerson> {
        self.by_person_name.get(name).map(|&i| &self.people[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicons_load() {
        let lex = Lexicon::get().expect("embedded lexicon must parse");
        assert!(lex.countries.len() >= 190, "{}", lex.countries.len());
        assert_eq!(
            lex.country_by_iso3("KAZ").map(|c| c.zh.as_str()),
            Some("哈萨克斯坦")
        );
        assert!(lex.organization("sco").is_some());
        assert!(lex.organization("sco-rats").is_some());
        assert!(lex.title("外交部长").is_some());
    }

    #[test]
    fn longest_mentions_win() {
        let lex = Lexicon::get().unwrap();
        let text = "上海合作组织轮值主席国塔吉克斯坦总统拉赫蒙、蒙古国总统";
        let kinds: Vec<&str> = lex
            .mentions(text)
            .iter()
            .map(|m| &text[m.start..m.end])
            .collect();
        assert!(kinds.contains(&"上海合作组织"));
        assert!(kinds.contains(&"塔吉克斯坦"));
        assert!(kinds.contains(&"蒙古国"));
        assert!(!kinds.contains(&"上海"));
    }
}
