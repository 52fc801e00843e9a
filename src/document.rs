//! A source document: it owns its text; sentences, mentions and facts are
//! views into it, added by the extraction passes layer by layer.

use crate::decode::OffsetMap;
use crate::lexicon::Mention;
use crate::model::{DateValue, Evidence, Fact, Meeting, PersonRef};
use crate::text::sketch::CharSketch;
use crate::text::NormalizedText;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::ops::Range;

/// An annotation layer a pass needs or adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// Lexicon mentions ([`Document::mentions`]).
    Mentions,
    /// The publication date ([`Document::date`]).
    DocDate,
    /// People with their titles ([`Document::people`]).
    People,
    /// Meetings and which sentences speak of which ([`Document::meetings`]).
    Meetings,
    /// Attendance facts.
    Attendance,
    /// Membership, accession and count facts.
    Membership,
    /// Pledge facts.
    Pledges,
    /// Document (declaration, speech) facts.
    Documents,
}

/// A person found in the text, with the title printed before the name.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonMention {
    /// Byte range of the whole chain (country + title + name) in the normalised text.
    pub span: Range<usize>,
    /// Byte range of the name alone.
    pub name_span: Range<usize>,
    /// The person.
    pub person: PersonRef,
    /// Title as printed (总统), if any.
    pub title: Option<String>,
    /// Where the title is held.
    pub post_in: Option<crate::model::Polity>,
    /// Sentence index.
    pub sentence: usize,
}

/// How a document's date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// Given on the command line.
    Given,
    /// Read from the file name.
    FileName,
    /// Read from the text.
    Text,
}

/// Where a document's decoded text lies in its file, when that is not simply
/// the file's UTF-8 bytes from offset 0: the map of a legacy encoding (or of
/// a byte-order mark), and the position of a chunk of a large file.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    /// Maps byte offsets of the decoded text to byte offsets of the bytes it
    /// was decoded from; `None` for UTF-8 read as is.
    pub offset_map: Option<OffsetMap>,
    /// File offset of the first byte the text was decoded from.
    pub byte_offset: usize,
    /// Line breaks in the file before that byte.
    pub lines_before: usize,
}

impl Placement {
    /// The file byte offset of a byte offset of the decoded text.
    pub fn to_file(&self, decoded_offset: usize) -> usize {
        let local = self
            .offset_map
            .as_ref()
            .map_or(decoded_offset, |m| m.to_original(decoded_offset));
        self.byte_offset.saturating_add(local)
    }
}

/// One ingested file and everything read from it.
#[derive(Debug, Clone)]
pub struct Document {
    /// First 16 hex digits of the SHA-256 of the file's bytes.
    pub id: String,
    /// Full SHA-256 of the file's bytes.
    pub sha256: String,
    /// The path as given.
    pub path: String,
    /// Original and normalised text.
    pub text: NormalizedText,
    /// Sentence ranges in the normalised text.
    pub sentences: Vec<Range<usize>>,
    /// For each sentence, the sketch of its characters (the passes' cue-word
    /// tests go through it).
    pub sketches: Vec<CharSketch>,
    /// Lexicon mentions, in text order.
    mentions: Vec<Mention>,
    /// For each sentence, the run of `mentions` inside it: every pass reads
    /// a sentence's mentions, and a binary search for each read was 1 % of
    /// extraction.
    mention_runs: Vec<Range<usize>>,
    /// Publication date, when known.
    pub date: Option<chrono::NaiveDate>,
    /// How [`Self::date`] was found.
    pub date_source: Option<DateSource>,
    /// A year the document speaks of, when the full date is unknown.
    pub year: Option<i32>,
    /// People found, in text order.
    pub people: Vec<PersonMention>,
    /// Meetings found.
    pub meetings: Vec<Meeting>,
    /// For each sentence, the meeting it speaks of (index into `meetings`).
    pub sentence_meeting: Vec<Option<usize>>,
    /// Facts read.
    pub facts: Vec<Fact>,
    /// Where the text lies in its file (evidence offsets and lines go through it).
    pub placement: Placement,
    /// Offsets of the line breaks of the original text, built on first use.
    line_breaks: std::sync::OnceLock<Vec<usize>>,
    layers: BTreeSet<Layer>,
}

impl Document {
    /// A document from a file's decoded text and its raw bytes (for the hash).
    ///
    /// ```
    /// let doc = scokg::document::Document::new("a.txt", "会议在杜尚别举行。", "会议在杜尚别举行。".as_bytes());
    /// assert_eq!(doc.id.len(), 16);
    /// assert_eq!(doc.sentences.len(), 1);
    /// ```
    pub fn new(path: impl Into<String>, text: impl Into<String>, bytes: &[u8]) -> Self {
        Self::from_hashed(path, text, hex(&Sha256::digest(bytes)))
    }

    /// A document whose file's SHA-256 (lower-case hex) is already known, so
    /// a build that hashed the bytes to skip unchanged files does not hash
    /// them again.
    pub fn from_hashed(path: impl Into<String>, text: impl Into<String>, sha256: String) -> Self {
        let text = NormalizedText::new(text);
        let sentences = text.sentences();
        let sketches = sentences
            .iter()
            .map(|r| CharSketch::of(&text.text()[r.clone()]))
            .collect();
        Document {
            id: sha256.chars().take(16).collect(),
            sha256,
            path: path.into(),
            sentence_meeting: vec![None; sentences.len()],
            sentences,
            sketches,
            text,
            mentions: Vec::new(),
            mention_runs: Vec::new(),
            date: None,
            date_source: None,
            year: None,
            people: Vec::new(),
            meetings: Vec::new(),
            facts: Vec::new(),
            placement: Placement::default(),
            line_breaks: std::sync::OnceLock::new(),
            layers: BTreeSet::new(),
        }
    }

    /// The same document with evidence offsets mapped through `map` (from the
    /// decoded text to the bytes of a GBK, Big5, UTF-16 or BOM-prefixed file).
    ///
    /// ```
    /// let bytes = b"\xEF\xBB\xBF\xE4\xBC\x9A\xE8\xAE\xAE\xE3\x80\x82"; // BOM + 会议。
    /// let decoded = scokg::decode::decode(bytes).unwrap();
    /// let map = decoded.offset_map(bytes);
    /// let doc = scokg::document::Document::new("a.txt", decoded.text, bytes).with_offset_map(map);
    /// assert_eq!(doc.evidence(0, "r").start, 3);
    /// ```
    pub fn with_offset_map(mut self, map: OffsetMap) -> Self {
        self.placement.offset_map = Some(map);
        self
    }

    /// The same document placed at `byte_offset` of its file, after
    /// `lines_before` line breaks: a chunk of a large file.
    pub fn at_file_position(mut self, byte_offset: usize, lines_before: usize) -> Self {
        self.placement.byte_offset = byte_offset;
        self.placement.lines_before = lines_before;
        self
    }

    /// The normalised text.
    pub fn norm(&self) -> &str {
        self.text.text()
    }

    /// Text of sentence `i`.
    pub fn sentence(&self, i: usize) -> &str {
        &self.text.text()[self.sentences[i].clone()]
    }

    /// The sketch of sentence `i`'s characters.
    pub fn sketch(&self, i: usize) -> &CharSketch {
        &self.sketches[i]
    }

    /// Index of the sentence containing normalised byte `pos`.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= pos);
        (i < self.sentences.len() && self.sentences[i].start <= pos).then_some(i)
    }

    /// Index of the sentence whose original text starts at `original_start`
    /// (a file offset, as in [`Evidence::start`]).
    pub fn sentence_at_original(&self, original_start: usize) -> Option<usize> {
        self.sentences.iter().position(|s| {
            self.placement
                .to_file(self.text.original_range(s.clone()).start)
                == original_start
        })
    }

    /// The lexicon mentions, in text order.
    pub fn mentions(&self) -> &[Mention] {
        &self.mentions
    }

    /// Set the lexicon mentions (in text order, not overlapping) and index
    /// them by sentence.
    pub fn set_mentions(&mut self, mentions: Vec<Mention>) {
        let mut from = 0;
        self.mention_runs = self
            .sentences
            .iter()
            .map(|range| {
                from += mentions[from..].partition_point(|m| m.start < range.start);
                let inside = mentions[from..]
                    .iter()
                    .take_while(|m| m.end <= range.end)
                    .count();
                from..from + inside
            })
            .collect();
        self.mentions = mentions;
    }

    /// Mentions inside sentence `i`, with offsets relative to the sentence
    /// (none before [`Self::set_mentions`]).
    pub fn sentence_mentions(&self, i: usize) -> impl Iterator<Item = Mention> + '_ {
        let base = self.sentences[i].start;
        let run = self.mention_runs.get(i).cloned().unwrap_or_default();
        self.mentions[run].iter().map(move |m| Mention {
            start: m.start - base,
            end: m.end - base,
            kind: m.kind,
        })
    }

    /// The people found in sentence `i`, in text order ([`Self::people`] is
    /// kept in text order, so these are one run of it).
    pub fn people_in(&self, i: usize) -> &[PersonMention] {
        let from = self.people.partition_point(|p| p.sentence < i);
        let to = from + self.people[from..].partition_point(|p| p.sentence == i);
        &self.people[from..to]
    }

    /// Evidence for sentence `i`, fired by `rule`.
    pub fn evidence(&self, sentence: usize, rule: &'static str) -> Evidence {
        let span = self.sentences[sentence].clone();
        let original = self.text.original_range(span.clone());
        Evidence {
            // Decoding never adds or removes line breaks, so counting them in
            // the decoded text counts them in the file.
            line: self.line_of(original.start) + self.placement.lines_before,
            start: self.placement.to_file(original.start),
            end: self.placement.to_file(original.end),
            quote: self.text.text()[span].to_string(),
            rule,
        }
    }

    /// 1-based line of a byte offset of the original text, by binary search
    /// (counting from the start for every fact is quadratic in large files).
    fn line_of(&self, original_offset: usize) -> usize {
        let breaks = self
            .line_breaks
            .get_or_init(|| memchr::memchr_iter(b'\n', self.text.original().as_bytes()).collect());
        breaks.partition_point(|&b| b < original_offset) + 1
    }

    /// Record a fact read from sentence `i`.
    pub fn add_fact(
        &mut self,
        statement: crate::model::Statement,
        sentence: usize,
        rule: &'static str,
    ) {
        let evidence = self.evidence(sentence, rule);
        self.facts.push(Fact {
            statement,
            evidence,
        });
    }

    /// The meeting sentence `i` speaks of.
    pub fn meeting_of(&self, sentence: usize) -> Option<&Meeting> {
        self.sentence_meeting
            .get(sentence)
            .copied()
            .flatten()
            .map(|m| &self.meetings[m])
    }

    /// The first date with a year that `text` states, resolved against the
    /// document's date (a month or day alone is not enough here).
    pub fn full_date_in(&self, text: &str) -> Option<DateValue> {
        let m = crate::text::dates::find_dates(text)
            .into_iter()
            .find(|m| m.date.year.is_some())?;
        let anchor = self
            .date
            .or_else(|| chrono::NaiveDate::from_ymd_opt(m.date.year?, 1, 1))?;
        crate::text::dates::resolve(&m, anchor).map(DateValue::from)
    }

    /// The best date the document gives for "now": its publication date, or its year.
    pub fn anchor_date(&self) -> Option<DateValue> {
        self.date
            .map(DateValue::Day)
            .or(self.year.map(DateValue::Year))
    }

    /// Whether a layer has been added.
    pub fn has(&self, layer: Layer) -> bool {
        self.layers.contains(&layer)
    }

    pub(crate) fn mark(&mut self, layer: Layer) {
        self.layers.insert(layer);
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::EntityKind;

    fn mention(text: &str, word: &str, kind: EntityKind) -> Mention {
        let start = text
            .find(word)
            .unwrap_or_else(|| panic!("{word} in {text}"));
        Mention {
            start,
            end: start + word.len(),
            kind,
        }
    }

    #[test]
    fn each_sentence_reads_its_own_mentions_relative_to_its_start() {
        let text = "伊朗成为成员国。\n会议在阿斯塔纳举行。白俄罗斯加入。";
        let mut doc = Document::new("t.txt", text, text.as_bytes());
        assert_eq!(doc.sentences.len(), 3);
        assert_eq!(
            doc.sentence_mentions(0).count(),
            0,
            "none before they are set"
        );
        let norm = doc.norm().to_string();
        doc.set_mentions(vec![
            mention(&norm, "伊朗", EntityKind::Country(0)),
            mention(&norm, "阿斯塔纳", EntityKind::Place(0)),
            mention(&norm, "白俄罗斯", EntityKind::Country(1)),
        ]);
        let read = |i: usize| -> Vec<String> {
            doc.sentence_mentions(i)
                .map(|m| doc.sentence(i)[m.start..m.end].to_string())
                .collect()
        };
        assert_eq!(read(0), ["伊朗"]);
        assert_eq!(read(1), ["阿斯塔纳"]);
        assert_eq!(read(2), ["白俄罗斯"]);
        assert_eq!(doc.mentions().len(), 3);
    }

    #[test]
    fn a_mention_across_a_sentence_end_belongs_to_neither_sentence() {
        let text = "会议在上海。合作组织举行。";
        let mut doc = Document::new("t.txt", text, text.as_bytes());
        let norm = doc.norm().to_string();
        doc.set_mentions(vec![mention(
            &norm,
            "上海。合作组织",
            EntityKind::Organization(0),
        )]);
        assert_eq!(doc.sentence_mentions(0).count(), 0);
        assert_eq!(doc.sentence_mentions(1).count(), 0);
    }
}
