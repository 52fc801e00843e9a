//! The typed facts extraction passes emit, before they become RDF.
//!
//! A [`Fact`] is one statement with the evidence it was read from. Statement
//! nodes get deterministic IRIs from their defining fields, so the same fact
//! read twice (in one file or in several) is one node with several evidence
//! nodes.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A date as precise as the text makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DateValue {
    /// A year only (xsd:gYear).
    Year(i32),
    /// A year and month (xsd:gYearMonth).
    Month(i32, u32),
    /// A full date (xsd:date).
    Day(NaiveDate),
}

impl DateValue {
    /// The year.
    pub fn year(&self) -> i32 {
        match *self {
            DateValue::Year(y) | DateValue::Month(y, _) => y,
            DateValue::Day(d) => d.year(),
        }
    }
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateValue::Year(y) => write!(f, "{y:04}"),
            DateValue::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            DateValue::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

impl From<crate::text::dates::ResolvedDate> for DateValue {
    fn from(d: crate::text::dates::ResolvedDate) -> Self {
        use crate::text::dates::ResolvedDate;
        match d {
            ResolvedDate::Day(d) => DateValue::Day(d),
            ResolvedDate::Month(y, m) => DateValue::Month(y, m),
            ResolvedDate::Year(y) => DateValue::Year(y),
        }
    }
}

/// A person as the graph names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonRef {
    /// Slug of the IRI: the lexicon's when the person is known, else the name.
    pub slug: String,
    /// Canonical Chinese name.
    pub name: String,
}

/// Something a post is held in, or a member of.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Polity {
    /// A country by ISO3.
    Country(String),
    /// An organisation by slug.
    Organization(String),
}

/// A status in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 成员国
    Member,
    /// 观察员国
    Observer,
    /// 对话伙伴
    DialoguePartner,
}

impl Role {
    /// Local name of the role individual in `sco:`.
    pub fn local_name(&self) -> &'static str {
        match self {
            Role::Member => "MemberState",
            Role::Observer => "ObserverState",
            Role::DialoguePartner => "DialoguePartner",
        }
    }
}

/// How a person took part in a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Present at the venue.
    InPerson,
    /// By video link.
    Video,
}

impl Mode {
    /// The `sco:mode` literal.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::InPerson => "in-person",
            Mode::Video => "video",
        }
    }
}

/// One sitting of a body, with what a text says of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meeting {
    /// IRI local id (`sco-hos-21`).
    pub key: String,
    /// Organisation slug of the body (`sco-hos`).
    pub body: Option<String>,
    /// Session number.
    pub session: Option<u32>,
    /// Date.
    pub date: Option<DateValue>,
    /// Place slug.
    pub place: Option<String>,
    /// Host country ISO3.
    pub host_country: Option<String>,
    /// Chairing person.
    pub chair: Option<PersonRef>,
    /// Country holding the presidency.
    pub chair_country: Option<String>,
    /// Country taking over the presidency.
    pub next_chair_country: Option<String>,
    /// A label as printed (青岛峰会).
    pub label: Option<String>,
}

/// A statement, the subject of one statement node.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// A meeting and what is said of it.
    Meeting(Meeting),
    /// Someone took part in a meeting.
    Attendance {
        /// Who.
        person: PersonRef,
        /// Meeting key.
        meeting: String,
        /// How, when the text says.
        mode: Option<Mode>,
        /// In what capacity, as printed.
        capacity: Option<String>,
    },
    /// A country's status in an organisation.
    Membership {
        /// ISO3.
        country: String,
        /// Organisation slug.
        organization: String,
        /// Status.
        role: Role,
        /// When the status began.
        since: Option<DateValue>,
        /// A date the status is shown to hold.
        as_of: Option<DateValue>,
        /// Founding member.
        founding: bool,
    },
    /// A step towards a status.
    AccessionStep {
        /// ISO3.
        country: String,
        /// Organisation slug.
        organization: String,
        /// procedure-started, memorandum-signed, admitted, dialogue-partner-granted, observer-granted.
        step: &'static str,
        /// When.
        date: Option<DateValue>,
        /// At which meeting.
        meeting: Option<String>,
    },
    /// A count as printed.
    ReportedCount {
        /// Organisation slug.
        organization: String,
        /// Which status is counted.
        role: Role,
        /// The number.
        count: u32,
        /// When the count held.
        as_of: Option<DateValue>,
    },
    /// A title held.
    Post {
        /// Who.
        holder: PersonRef,
        /// The title as printed.
        title: String,
        /// Where.
        post_in: Polity,
        /// When the text shows it held.
        as_of: Option<DateValue>,
    },
    /// A commitment with a number.
    Pledge {
        /// ISO3 of the pledger.
        by: String,
        /// Normalised amount.
        amount: f64,
        /// Unit (USD, CNY, doses, places, people, workshops, projects …).
        unit: String,
        /// What is pledged, as printed.
        item: String,
        /// Over how many years.
        period_years: Option<u32>,
        /// Where it was announced.
        meeting: Option<String>,
    },
    /// A text named in the news.
    Document {
        /// declaration, speech, statement, treaty …
        kind: &'static str,
        /// Title without 《》.
        title: String,
        /// Where signed, adopted or delivered.
        meeting: Option<String>,
        /// Who delivered it (speeches).
        speaker: Option<PersonRef>,
        /// When.
        date: Option<DateValue>,
    },
}

/// Where a statement was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Byte offset into the original file where the quoted sentence starts.
    pub start: usize,
    /// Byte offset where it ends (exclusive).
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// The sentence, normalised.
    pub quote: String,
    /// The rule that fired.
    pub rule: &'static str,
}

/// A statement with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// What is stated.
    pub statement: Statement,
    /// Where it was read.
    pub evidence: Evidence,
}
