//! Text layer: normalisation for matching, with a map back to the bytes of
//! the original file, and sentence splitting.
//!
//! Newspaper text breaks lines inside words, mixes ASCII and full-width
//! punctuation and carries markup; Taiwan and Hong Kong papers print
//! Traditional characters, which normalisation folds to Simplified one
//! character for one ([`crate::decode::to_simplified`]). Rules match on the
//! normalised text; every span found there maps back to a byte range of the
//! original, so evidence always quotes what was printed and where.
//!
//! The normalisation is *local*: whether a character is kept, dropped or
//! replaced depends only on its neighbours. Normalising the original bytes of
//! any sentence therefore gives exactly that sentence of the normalised text,
//! which is what makes a quote checkable against its offsets.

pub mod dates;
pub mod numbers;
pub mod sketch;

use std::ops::Range;
use std::sync::Arc;

/// A text normalised for matching, owning both forms and the offset map.
#[derive(Debug, Clone)]
pub struct NormalizedText {
    original: String,
    /// Shared so that a pass can hold sentences while it adds to the document.
    text: Arc<str>,
    /// Where each stretch of `text` came from, in text order.
    origin: Vec<Stretch>,
}

/// A stretch of the normalised text and the original bytes it came from.
///
/// Most of a text is copied byte for byte (Traditional folding keeps the
/// UTF-8 length), so one stretch maps a whole run with a fixed shift; only a
/// character whose length changed (`,` → `，`, a space run → `\n`) needs
/// one of its own. A map per byte cost eight bytes per byte of text.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    /// Start in the normalised text.
    text: u32,
    /// Start in the original.
    original: u32,
    /// For a single character: the end of its original bytes. `None` for a
    /// run copied byte for byte.
    single_end: Option<u32>,
}

/// The offset map under construction.
#[derive(Default)]
struct OriginMap {
    stretches: Vec<Stretch>,
}

impl OriginMap {
    /// Record that the character just written at `at` of the text came from
    /// `original` bytes.
    fn record(&mut self, at: usize, len: usize, original: (usize, usize)) {
        let (at, start, end) = (at as u32, original.0 as u32, original.1 as u32);
        if end - start == len as u32 {
            let continues = self
                .stretches
                .last()
                .is_some_and(|s| s.single_end.is_none() && s.original + (at - s.text) == start);
            if !continues {
                self.stretches.push(Stretch {
                    text: at,
                    original: start,
                    single_end: None,
                });
            }
        } else {
            self.stretches.push(Stretch {
                text: at,
                original: start,
                single_end: Some(end),
            });
        }
    }
}

/// Is `c` a CJK ideograph (the characters a column break can split)?
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}' | '〇')
}

/// Characters that end a sentence.
const SENTENCE_ENDS: [char; 4] = ['。', '！', '？', '；'];

/// The first UTF-8 bytes of [`SENTENCE_ENDS`] (。 is E3 80 82; ！？； are
/// EF BC ..), which sentence splitting searches for; a test keeps the two
/// in step.
const SENTENCE_END_LEADS: [u8; 2] = [0xE3, 0xEF];

fn is_sentence_end(c: char) -> bool {
    SENTENCE_ENDS.contains(&c)
}

/// Closing marks that stay with the sentence they close.
fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | '》' | '"' | '\'')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{00A0}'
}

/// Zero-width and byte-order marks, dropped.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Full-width ASCII variants (digits, letters, %) become ASCII so that numbers
/// and codes match one way.
fn fold_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' | '．' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

impl NormalizedText {
    /// Normalise `original` for matching.
    ///
    /// ```
    /// use scokg::text::NormalizedText;
    /// let t = NormalizedText::new("国家\n主席习近平17日,在 2.3 万亿美元**目标**");
    /// assert_eq!(t.text(), "国家主席习近平17日，在2.3万亿美元目标");
    /// ```
    pub fn new(original: impl Into<String>) -> Self {
        let original = original.into();
        let (text, origin) = normalize_with_map(&original);
        NormalizedText {
            original,
            text: text.into(),
            origin,
        }
    }

    /// The normalised text rules match on.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The normalised text, shared: a pass reads its sentences from this
    /// while it writes facts into the document, without copying them.
    pub fn shared(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// The text as it was read.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// The original byte range of a non-empty normalised byte range.
    pub fn original_range(&self, span: Range<usize>) -> Range<usize> {
        if span.start >= span.end || span.end > self.text.len() {
            let at = if span.start < self.text.len() {
                self.original_of(span.start).0
            } else {
                self.original.len()
            };
            return at..at;
        }
        self.original_of(span.start).0..self.original_of(span.end - 1).1
    }

    /// The original byte range of the character holding byte `at` of the
    /// text (`at` < the text's length).
    fn original_of(&self, at: usize) -> (usize, usize) {
        let i = self
            .origin
            .partition_point(|s| s.text as usize <= at)
            .saturating_sub(1);
        let Some(s) = self.origin.get(i) else {
            return (self.original.len(), self.original.len());
        };
        match s.single_end {
            Some(end) => (s.original as usize, end as usize),
            None => {
                let char_start = floor_char_boundary(&self.text, at);
                let char_end = char_start
                    + self.text[char_start..]
                        .chars()
                        .next()
                        .map_or(0, char::len_utf8);
                let shift = |t: usize| s.original as usize + (t - s.text as usize);
                (shift(char_start), shift(char_end))
            }
        }
    }

    /// 1-based line of an original byte offset.
    pub fn line_of(&self, original_offset: usize) -> usize {
        let upto = original_offset.min(self.original.len());
        self.original.as_bytes()[..upto]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// The sentences of the normalised text, as byte ranges into [`Self::text`].
    pub fn sentences(&self) -> Vec<Range<usize>> {
        split_sentences(&self.text)
    }
}

/// Normalise a text for matching (see [`NormalizedText::new`]).
///
/// ```
/// assert_eq!(scokg::text::normalize("上合组织 8个成员国、4\n个观察员国"), "上合组织8个成员国、4个观察员国");
/// ```
pub fn normalize(original: &str) -> String {
    normalize_with_map(original).0
}

/// The start of the character holding byte `at` of `s`.
fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while at > 0 && !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn normalize_with_map(original: &str) -> (String, Vec<Stretch>) {
    // Positions are byte offsets into `original`, always at a character
    // boundary; looking at a neighbour decodes just that character.
    let bytes = original.as_bytes();
    let char_at = |i: usize| -> Option<char> { original.get(i..)?.chars().next() };
    let end_of = |i: usize| -> usize { i + char_at(i).map_or(1, char::len_utf8) };
    let mut text = String::with_capacity(original.len());
    let mut origin = OriginMap::default();
    let push = |text: &mut String, origin: &mut OriginMap, c: char, range: (usize, usize)| {
        origin.record(text.len(), c.len_utf8(), range);
        text.push(c);
    };
    // Markup runs (`**`, `__`) are skipped wherever they stand: the length
    // of the run at `i` (ASCII, so bytes are characters), or 0.
    let markup_at = |i: usize| -> usize {
        let b = bytes[i];
        if b != b'*' && b != b'_' {
            return 0;
        }
        let run = bytes[i..].iter().take_while(|&&x| x == b).count();
        if run >= 2 {
            run
        } else {
            0
        }
    };
    let next_visible = |mut i: usize| -> Option<char> {
        while let Some(c) = char_at(i) {
            let markup = markup_at(i);
            if markup > 0 {
                i += markup;
            } else if is_space(c) || is_invisible(c) {
                i += c.len_utf8();
            } else {
                return Some(fold_width(c));
            }
        }
        None
    };

    // Whether a column line break was joined since the last sentence end or
    // paragraph break: the text is column-wrapped. Reset where sentences
    // start, so a sentence normalises the same alone as in its document.
    let mut wrapped = false;
    // Whether the current sentence has begun: closing marks after a sentence
    // end (。”) still belong to the sentence before, so a break after them
    // tells nothing about wrapping.
    let mut started = false;
    let mut i = 0;
    while let Some(c) = char_at(i) {
        let at = i;
        // Most of a text is ideographs and letters that stay as they are:
        // copy such a run at once, as one stretch of the offset map.
        if copies_as_is(c) {
            let run = as_is_run_end(original, at);
            origin.record(text.len(), run - at, (at, run));
            text.push_str(&original[at..run]);
            started = true;
            i = run;
            continue;
        }
        let markup = markup_at(i);
        if markup > 0 {
            i += markup;
            continue;
        }
        if is_invisible(c) {
            i += c.len_utf8();
            continue;
        }
        if is_space(c) {
            let mut newlines = 0;
            let mut j = i;
            while let Some(w) = char_at(j).filter(|&w| is_space(w) || is_invisible(w)) {
                if w == '\n' {
                    newlines += 1;
                }
                j += w.len_utf8();
            }
            let prev = text.chars().next_back();
            let next = next_visible(j);
            if let (Some(p), Some(n)) = (prev, next) {
                let ws = (at, j);
                // A blank line inside column-wrapped text whose sentence runs
                // on (国家主席…并发表题为\n\n《不忘初心…》) is a cut of the page,
                // not a paragraph end. Headlines are single lines: they stay.
                let cut = newlines >= 2 && wrapped && runs_on(p) && starts_word(n);
                if (newlines >= 2 && !cut) || (newlines == 1 && is_sentence_end(p)) {
                    push(&mut text, &mut origin, '\n', ws);
                    wrapped = false;
                    started = false;
                } else if newlines >= 1 {
                    // A single line break inside a paragraph is the column's,
                    // not the author's: words and lists run on across it.
                    wrapped |= started;
                    if p.is_ascii_alphanumeric() && n.is_ascii_alphanumeric() {
                        push(&mut text, &mut origin, ' ', ws);
                    }
                } else if keeps_space(p, n) {
                    push(&mut text, &mut origin, ' ', ws);
                }
            }
            i = j;
            continue;
        }
        let end = end_of(i);
        // A digit's first byte is the digit itself, and no other character's
        // last or first byte is an ASCII digit.
        let prev_digit = i > 0 && bytes[i - 1].is_ascii_digit();
        let next_digit = bytes.get(end).is_some_and(u8::is_ascii_digit);
        let mapped = match fold_width(c) {
            ',' if !(prev_digit && next_digit) => '，',
            ':' if !(prev_digit && next_digit) => '：',
            ';' => '；',
            '!' => '！',
            '?' => '？',
            '(' => '（',
            ')' => '）',
            // Traditional characters match as Simplified: one char for one
            // char of the same UTF-8 length, so the offset map is unchanged.
            other => crate::decode::to_simplified(other),
        };
        push(&mut text, &mut origin, mapped, (at, end));
        if is_sentence_end(mapped) {
            wrapped = false;
            started = false;
        } else if !is_closing(mapped) {
            started = true;
        }
        i = end;
    }
    (text, origin.stretches)
}

/// Whether normalisation keeps `c` unchanged whatever its neighbours, and
/// `c` only starts a sentence: letters, digits and Simplified ideographs.
/// Everything the general path treats specially (spaces, markup, ASCII
/// punctuation, full-width forms, sentence ends, closing marks, Traditional
/// characters) is excluded.
fn copies_as_is(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if is_cjk(c) {
        return !crate::decode::is_traditional(c);
    }
    !is_space(c)
        && !is_invisible(c)
        && !is_sentence_end(c)
        && !is_closing(c)
        && fold_width(c) == c
        && !crate::decode::is_traditional(c)
}

/// The end of the run of characters from `from` that [`copies_as_is`]
/// keeps. Most of a Chinese text is three-byte ideographs of U+4E00–U+9FFF,
/// read here from their bytes without decoding each as a `char` (the
/// character-by-character walk was 10 % of dense extraction); anything else
/// takes the general test.
fn as_is_run_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(&lead) = bytes.get(i) {
        if lead.is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        if (0xE4..=0xE9).contains(&lead) {
            if let (Some(&b1), Some(&b2)) = (bytes.get(i + 1), bytes.get(i + 2)) {
                let code = (u32::from(lead & 0x0F) << 12)
                    | (u32::from(b1 & 0x3F) << 6)
                    | u32::from(b2 & 0x3F);
                if code >= 0x4E00 {
                    if crate::decode::is_traditional_code(code) {
                        break;
                    }
                    i += 3;
                    continue;
                }
            }
        }
        match text.get(i..).and_then(|rest| rest.chars().next()) {
            Some(c) if copies_as_is(c) => i += c.len_utf8(),
            _ => break,
        }
    }
    i
}

/// Characters after which a sentence can run on across a cut.
fn runs_on(c: char) -> bool {
    is_cjk(c) || c.is_ascii_alphanumeric() || matches!(c, '，' | '、' | '“' | '《' | '·')
}

/// Characters a run-on sentence can continue with.
fn starts_word(c: char) -> bool {
    is_cjk(c) || c.is_ascii_alphanumeric() || matches!(c, '“' | '《' | '（' | '(')
}

/// A space run inside a line survives only between two word characters of
/// the same script family where it separates words (titles such as
/// 《不忘初心 砥砺前行》, Latin words). Around digits and punctuation it is
/// typesetting and goes.
fn keeps_space(prev: char, next: char) -> bool {
    (is_cjk(prev) && is_cjk(next))
        || (prev.is_ascii_alphabetic() && next.is_ascii_alphanumeric())
        || (prev.is_ascii_digit() && next.is_ascii_alphabetic())
        || (is_cjk(prev) && next.is_ascii_alphabetic())
        || (prev.is_ascii_alphabetic() && is_cjk(next))
}

/// Split a normalised text into sentences: after 。！？； (with any closing
/// quotes) and at line ends. Returned ranges are trimmed and non-empty.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut from = 0;
    // Every sentence end begins with one of its lead bytes, which only
    // punctuation and rare scripts share: skip to them instead of decoding
    // every character.
    let [lead_a, lead_b] = SENTENCE_END_LEADS;
    while let Some(found) = memchr::memchr3(b'\n', lead_a, lead_b, &bytes[from..]) {
        let i = from + found;
        if bytes[i] == b'\n' {
            push_trimmed(text, start..i, &mut out);
            start = i + 1;
            from = i + 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        from = i + c.len_utf8();
        if is_sentence_end(c) {
            let closing: usize = text[from..]
                .chars()
                .take_while(|&n| is_closing(n))
                .map(char::len_utf8)
                .sum();
            let end = from + closing;
            push_trimmed(text, start..end, &mut out);
            start = end;
            from = end;
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let (s, e) = (range.start + lead, range.end - trail);
    if s < e {
        out.push(s..e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The run end read from bytes is the one a walk over the characters finds.
    fn as_is_run_end_by_chars(text: &str, from: usize) -> usize {
        text[from..]
            .char_indices()
            .find(|&(_, c)| !copies_as_is(c))
            .map_or(text.len(), |(k, _)| from + k)
    }

    #[test]
    fn an_as_is_run_ends_where_a_character_needs_the_general_path() {
        for text in [
            "上海合作组织峰会",
            "習近平出席",
            "SCO峰会，",
            "㐀丝路基金",
            "鑫龍 e",
            "",
        ] {
            assert_eq!(
                as_is_run_end(text, 0),
                as_is_run_end_by_chars(text, 0),
                "{text}"
            );
        }
        assert_eq!(as_is_run_end("杜尚别會議", 0), "杜尚别".len());
    }

    proptest::proptest! {
        #[test]
        fn as_is_runs_agree_with_the_character_walk(text in "[a-z0-9，。 \u{3400}-\u{3410}\u{4e00}-\u{4e40}\u{9f80}-\u{9fff}\u{9577}\u{6771}\u{8aaa}]{0,24}") {
            proptest::prop_assert_eq!(as_is_run_end(&text, 0), as_is_run_end_by_chars(&text, 0));
        }
    }

    #[test]
    fn joins_column_breaks_inside_words_and_names() {
        let t = NormalizedText::new("巴基斯坦总理伊\n姆兰·汗、乌兹别克斯坦总统米尔济\n约耶夫等");
        assert_eq!(
            t.text(),
            "巴基斯坦总理伊姆兰·汗、乌兹别克斯坦总统米尔济约耶夫等"
        );
    }

    #[test]
    fn blank_lines_end_paragraphs() {
        let t =
            NormalizedText::new("会议决定，由乌兹别克斯坦接\n任轮值主席国。\n\n丁薛祥等参加会议。");
        assert_eq!(
            t.text(),
            "会议决定，由乌兹别克斯坦接任轮值主席国。\n丁薛祥等参加会议。"
        );
        assert_eq!(t.sentences().len(), 2);
    }

    #[test]
    fn ascii_punctuation_becomes_full_width_but_numbers_keep_commas() {
        let t = NormalizedText::new("各方表示,应加强团结;共有1,000名:10:30");
        assert_eq!(t.text(), "各方表示，应加强团结；共有1,000名：10:30");
    }

    #[test]
    fn spaces_around_digits_go_but_title_spaces_stay() {
        let t = NormalizedText::new("已向 100 多个国家，《不忘初心 砥砺前行》，9 月\n17日");
        assert_eq!(t.text(), "已向100多个国家，《不忘初心 砥砺前行》，9月17日");
    }

    #[test]
    fn ideographic_indent_and_full_width_digits() {
        let t = NormalizedText::new("\u{3000}\u{3000}上合组织拥有８个成员国。");
        assert_eq!(t.text(), "上合组织拥有8个成员国。");
    }

    #[test]
    fn page_cuts_inside_wrapped_sentences_are_joined_but_headlines_stay() {
        let t = NormalizedText::new("国家主席习近平出席会议\n并发表题为\n\n《不忘初心》的重要讲话。\n\n标题一\n\n正文开始。");
        assert_eq!(
            t.text(),
            "国家主席习近平出席会议并发表题为《不忘初心》的重要讲话。\n标题一\n正文开始。"
        );
    }

    #[test]
    fn a_break_after_closing_marks_does_not_mark_the_next_sentence_wrapped() {
        let original = "他说：“好。”\n标题\n\n正文开始。";
        let t = NormalizedText::new(original);
        assert_eq!(t.text(), "他说：“好。”标题\n正文开始。");
        for s in t.sentences() {
            let r = t.original_range(s.clone());
            assert_eq!(normalize(&original[r]), &t.text()[s]);
        }
    }

    #[test]
    fn offsets_point_into_the_original_bytes() {
        let original = "前文。\n\n——**我们共促政治互信**，缔结条约。";
        let t = NormalizedText::new(original);
        for s in t.sentences() {
            let r = t.original_range(s.clone());
            assert_eq!(normalize(&original[r]), &t.text()[s]);
        }
    }

    #[test]
    fn each_character_maps_to_the_bytes_it_came_from() {
        let original = "國家\n主席 習近平,１７日\u{3000}**说**：好。";
        let t = NormalizedText::new(original);
        assert_eq!(t.text(), "国家主席 习近平，17日 说：好。");
        let pieces: Vec<&str> = t
            .text()
            .char_indices()
            .map(|(i, c)| &original[t.original_range(i..i + c.len_utf8())])
            .collect();
        assert_eq!(
            pieces,
            [
                "國", "家", "主", "席", " ", "習", "近", "平", ",", "１", "７", "日", "\u{3000}",
                "说", "：", "好", "。"
            ]
        );
        assert_eq!(&original[t.original_range(0..t.text().len())], original);
        let end = t.text().len();
        assert_eq!(t.original_range(end..end), original.len()..original.len());
    }

    #[test]
    fn sentence_splitting_searches_for_the_lead_byte_of_every_sentence_end() {
        for c in SENTENCE_ENDS {
            let mut utf8 = [0u8; 4];
            let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
            assert!(SENTENCE_END_LEADS.contains(&lead), "{c}");
            assert_eq!(
                split_sentences(&format!("甲{c}乙")),
                [0..3 + c.len_utf8(), 3 + c.len_utf8()..6 + c.len_utf8()]
            );
        }
    }

    #[test]
    fn sentences_keep_closing_quotes() {
        let s = split_sentences("他说：“千秋胜负在于理。”解决问题。");
        assert_eq!(s.len(), 2);
        assert_eq!(
            &"他说：“千秋胜负在于理。”解决问题。"[s[0].clone()],
            "他说：“千秋胜负在于理。”"
        );
    }
}
