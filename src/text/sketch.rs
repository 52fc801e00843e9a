//! Character sketches: which characters a sentence may hold, in 256 bits.
//!
//! The extraction passes ask of every sentence whether it holds one of a
//! few cue words (出席, 接任, 成员国 …) before they run a pattern that needs
//! one. A substring search per word and sentence was a sixth of extraction
//! time; a sketch answers "certainly not" with a few bit tests for most
//! words and sentences, and a search confirms the rest.
//!
//! A sketch sets one bit per distinct character, chosen by a hash of the
//! character, so a word can only be in a text if the bits of all its
//! characters are set. The test has false positives (two characters may
//! share a bit) and no false negatives, which is what a gate in front of an
//! exact search needs.

/// The six payload bits of each of two UTF-8 continuation bytes.
const fn payload(high: u8, low: u8) -> u32 {
    ((high as u32) & 0x3F) << 6 | (low as u32) & 0x3F
}

/// The set of bits of the characters of a text.
///
/// ```
/// use scokg::text::sketch::{CharSketch, Cues};
/// let text = "习近平出席上海合作组织峰会。";
/// let s = CharSketch::of(text);
/// assert!(s.may_contain("出席"));
/// assert!(s.contains(text, "出席"));
/// assert!(!s.contains(text, "接任"));
/// const SUCCESSION: Cues = Cues::new(&["接任", "接棒"]);
/// assert!(!s.contains_any(text, &SUCCESSION));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharSketch([u64; 4]);

impl CharSketch {
    /// A sketch that may contain everything: for text nobody sketched.
    pub const ANY: CharSketch = CharSketch([u64::MAX; 4]);

    /// The sketch of `text` (a constant for a constant text).
    pub const fn of(text: &str) -> Self {
        let mut sketch = CharSketch([0; 4]);
        // The bit of a character depends on its low twelve bits only, which
        // are the payload of its last two UTF-8 bytes: read them straight
        // from the bytes instead of decoding every character.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (low, len) = if b < 0x80 {
                (b as u32, 1)
            } else if b < 0xE0 {
                (((b as u32) & 0x1F) << 6 | (bytes[i + 1] as u32) & 0x3F, 2)
            } else if b < 0xF0 {
                (payload(bytes[i + 1], bytes[i + 2]), 3)
            } else {
                (payload(bytes[i + 2], bytes[i + 3]), 4)
            };
            let bit = Self::bit_of_low(low);
            sketch.0[(bit >> 6) as usize] |= 1 << (bit & 63);
            i += len;
        }
        sketch
    }

    /// Multiplicative hashing of a character's low twelve bits: the top
    /// eight bits of the product spread the code points of one block of
    /// ideographs over all 256 bits.
    const fn bit_of_low(low: u32) -> u32 {
        low.wrapping_mul(0x9E37_79B1) >> 24
    }

    /// Whether every bit of `other` is set here.
    fn covers(&self, other: &CharSketch) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & b == *b)
    }

    /// Whether a text with this sketch may contain `word`: `false` means it
    /// certainly does not.
    pub fn may_contain(&self, word: &str) -> bool {
        self.covers(&Self::of(word))
    }

    /// Whether `text`, which this sketch covers (the sketched text or a piece
    /// of it), contains `word`: the sketch first, then a search.
    pub fn contains(&self, text: &str, word: &str) -> bool {
        self.may_contain(word) && text.contains(word)
    }

    /// Whether `text`, which this sketch covers, contains any of `cues`.
    pub fn contains_any(&self, text: &str, cues: &Cues) -> bool {
        cues.words
            .iter()
            .zip(&cues.sketches)
            .any(|(word, sketch)| self.covers(sketch) && text.contains(word))
    }
}

/// Cue words with their sketches, computed when the program is compiled:
/// hashing the words again for every sentence cost half of what the
/// sketches saved.
#[derive(Debug, Clone, Copy)]
pub struct Cues {
    words: &'static [&'static str],
    sketches: [CharSketch; Cues::MAX],
}

impl Cues {
    /// The most words one set holds.
    pub const MAX: usize = 16;

    /// The cues of `words` (at most [`Self::MAX`]; more fail to compile
    /// where the set is a constant).
    pub const fn new(words: &'static [&'static str]) -> Self {
        assert!(words.len() <= Self::MAX, "too many cue words in one set");
        let mut sketches = [CharSketch([0; 4]); Self::MAX];
        let mut i = 0;
        while i < words.len() {
            sketches[i] = CharSketch::of(words[i]);
            i += 1;
        }
        Cues { words, sketches }
    }

    /// The words.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_of_the_text_is_always_possible() {
        let text = "上海合作组织成员国元首理事会第二十一次会议在杜尚别举行。";
        let sketch = CharSketch::of(text);
        for word in ["成员国", "第二十一次", "杜尚别", "。", text] {
            assert!(sketch.may_contain(word), "{word}");
            assert!(sketch.contains(text, word), "{word}");
        }
        assert!(CharSketch::of("").may_contain(""));
    }

    #[test]
    fn most_absent_words_are_ruled_out_without_a_search() {
        let sketch = CharSketch::of("国家主席习近平出席会议并发表重要讲话。");
        let absent = [
            "接任",
            "备忘录",
            "观察员国",
            "对话伙伴",
            "通讯员",
            "本报讯",
            "宣言",
        ];
        let ruled_out = absent.iter().filter(|w| !sketch.may_contain(w)).count();
        assert!(
            ruled_out >= absent.len() - 1,
            "{ruled_out} of {}",
            absent.len()
        );
        for word in absent {
            assert!(!sketch.contains("国家主席习近平出席会议并发表重要讲话。", word));
        }
    }

    #[test]
    fn a_set_of_cues_is_found_by_any_of_its_words() {
        const SUCCESSION: Cues = Cues::new(&["接任", "接棒", "轮值主席国"]);
        let text = "印度接任上海合作组织轮值主席国。";
        assert!(CharSketch::of(text).contains_any(text, &SUCCESSION));
        assert!(CharSketch::ANY.contains_any(text, &SUCCESSION));
        let other = "中方支持印度担任主席国。";
        assert!(!CharSketch::of(other).contains_any(other, &SUCCESSION));
        assert!(!CharSketch::ANY.contains_any(other, &SUCCESSION));
        assert_eq!(SUCCESSION.words().len(), 3);
    }

    #[test]
    fn the_open_sketch_lets_every_word_through_to_the_search() {
        assert!(CharSketch::ANY.may_contain("接任"));
        assert!(CharSketch::ANY.contains("由印度接任", "接任"));
        assert!(!CharSketch::ANY.contains("由印度主办", "接任"));
    }

    /// The sketch by the definition: each character's low twelve bits, hashed.
    fn of_by_chars(text: &str) -> CharSketch {
        let mut sketch = CharSketch::default();
        for c in text.chars() {
            let bit = CharSketch::bit_of_low(c as u32 & 0xFFF);
            sketch.0[(bit >> 6) as usize] |= 1 << (bit & 63);
        }
        sketch
    }

    #[test]
    fn the_sketch_read_from_bytes_is_the_one_of_the_characters() {
        for text in [
            "",
            "a",
            "é",
            "上合组织",
            "𠀀𪚥",
            "2025年，SCO峰会（天津）。\n",
            "ü上",
        ] {
            assert_eq!(CharSketch::of(text), of_by_chars(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn bytes_and_characters_give_one_sketch(text in "\\PC{0,30}") {
            proptest::prop_assert_eq!(CharSketch::of(&text), of_by_chars(&text));
        }


        /// No false negatives: every piece of a text passes its sketch.
        #[test]
        fn every_piece_of_a_text_passes_its_sketch(
            text in "[上海合作组织成员国元首会议举行出席接任a-z0-9，。《》 ]{0,40}",
            from in 0usize..40,
            len in 0usize..10,
        ) {
            let chars: Vec<char> = text.chars().collect();
            let from = from.min(chars.len());
            let to = (from + len).min(chars.len());
            let piece: String = chars[from..to].iter().collect();
            proptest::prop_assert!(CharSketch::of(&text).may_contain(&piece));
        }
    }
}
