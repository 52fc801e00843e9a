//! Decoding input files: from raw bytes to text, with a map back to the bytes.
//!
//! Chinese news arrives as UTF-8 (with or without a byte-order mark), as
//! UTF-16 with a byte-order mark, or in a legacy encoding: GB18030/GBK on the
//! mainland, Big5 in Taiwan and Hong Kong. [`decode`] recognises these and
//! never substitutes U+FFFD for bytes it cannot read: a file that does not
//! decode cleanly in the encoding chosen for it is rejected instead.
//!
//! Evidence offsets point into the *original* file, so [`Decoded::offset_map`]
//! builds an [`OffsetMap`] that turns a byte offset in the decoded UTF-8 text
//! back into a byte offset in the file.
//!
//! [`to_simplified`] folds a Traditional character to its Simplified form,
//! one character to one character, so matching can run on Simplified text
//! while byte offsets still line up with the decoded text.

use std::borrow::Cow;
use std::sync::OnceLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

/// Why a file is not usable text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The file has no bytes (or only a byte-order mark).
    #[error("empty file")]
    Empty,
    /// The file contains NUL bytes (outside UTF-16) or decodes to U+0000.
    #[error("binary file (contains NUL bytes)")]
    Binary,
    /// No supported encoding decodes the file without errors.
    #[error("not text in any supported encoding (UTF-8, UTF-16, GB18030/GBK, Big5)")]
    Undecodable,
}

/// The text of a file and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text, without the byte-order mark.
    pub text: String,
    /// The encoding the file was read in: `"UTF-8"`, `"UTF-16LE"`,
    /// `"UTF-16BE"`, `"GB18030"` (which covers GBK and GB2312) or `"Big5"`.
    pub encoding: &'static str,
    /// Whether the file started with a byte-order mark.
    pub had_bom: bool,
    /// Length in bytes of that byte-order mark (0 without one).
    pub bom_len: usize,
}

/// Name reported for UTF-8 input.
const NAME_UTF_8: &str = "UTF-8";
/// Name reported for UTF-16 little-endian input.
const NAME_UTF_16LE: &str = "UTF-16LE";
/// Name reported for UTF-16 big-endian input.
const NAME_UTF_16BE: &str = "UTF-16BE";
/// Name reported for GB18030/GBK/GB2312 input.
const NAME_GB18030: &str = "GB18030";
/// Name reported for Big5 input.
const NAME_BIG5: &str = "Big5";

/// The name [`Decoded::encoding`] reports for one of the supported encodings.
fn name_of(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_16LE {
        NAME_UTF_16LE
    } else if encoding == UTF_16BE {
        NAME_UTF_16BE
    } else if encoding == GB18030 || encoding == GBK {
        NAME_GB18030
    } else if encoding == BIG5 {
        NAME_BIG5
    } else {
        NAME_UTF_8
    }
}

/// The encoding behind a name from [`name_of`]; unknown names count as UTF-8.
fn encoding_of(name: &str) -> &'static Encoding {
    match name {
        NAME_UTF_16LE => UTF_16LE,
        NAME_UTF_16BE => UTF_16BE,
        NAME_GB18030 => GB18030,
        NAME_BIG5 => BIG5,
        _ => UTF_8,
    }
}

/// Decode `bytes` in `encoding` (no BOM sniffing), or `None` on any error.
fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
}

/// How many multi-byte UTF-8 characters before the first UTF-8 error make a
/// file "UTF-8 with errors" rather than a legacy encoding.
const BROKEN_UTF8_MIN_CHARS: usize = 8;

/// Is `bytes`, valid UTF-8 up to `valid_up_to`, UTF-8 with errors (say, cut
/// off in the middle of a character) rather than GBK or Big5?
///
/// Such a file usually also decodes cleanly as GB18030, into mojibake
/// (涓婃捣鍚堜綔…), so it must not reach the legacy decoders. A run of
/// [`BROKEN_UTF8_MIN_CHARS`] valid multi-byte UTF-8 characters is next to
/// impossible in GBK or Big5 text, whose byte pairs rarely form UTF-8.
fn is_broken_utf8(bytes: &[u8], valid_up_to: usize) -> bool {
    bytes
        .get(..valid_up_to)
        .and_then(|prefix| std::str::from_utf8(prefix).ok())
        .is_some_and(|prefix| {
            prefix
                .chars()
                .filter(|c| !c.is_ascii())
                .take(BROKEN_UTF8_MIN_CHARS)
                .count()
                >= BROKEN_UTF8_MIN_CHARS
        })
}

/// Which Chinese legacy encoding chardetng finds likelier for `bytes`.
///
/// chardetng has no candidate filter, but a top-level-domain hint of `sg`
/// (a domain where both Simplified and Traditional Chinese are native) makes
/// it score every non-Chinese candidate zero as long as GBK or Big5 is still
/// plausible, and prefer GBK on a tie. That restricts the guess to GBK, Big5
/// and UTF-8 whenever chardetng still finds one of them plausible.
///
/// Only the first [`DETECTION_PREFIX`] bytes are looked at: chardetng reads a
/// few MB/s, and a news article shows its encoding long before that.
fn detect_chinese(bytes: &[u8]) -> &'static Encoding {
    match bytes.get(..DETECTION_PREFIX) {
        Some(prefix) if prefix.len() < bytes.len() => detect_prefix(prefix, false),
        _ => detect_prefix(bytes, true),
    }
}

/// [`detect_chinese`] on the first bytes of a file; `whole` when they are
/// all of it.
fn detect_prefix(prefix: &[u8], whole: bool) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(prefix, whole);
    detector.guess(Some(b"sg"), Utf8Detection::Allow)
}

/// How many leading bytes [`detect_chinese`] gives chardetng.
const DETECTION_PREFIX: usize = 64 * 1024;

/// Decode bytes: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM,
/// otherwise GB18030/GBK or Big5 as detected by chardetng.
///
/// Nothing is ever replaced by U+FFFD: the encoding chosen must decode the
/// whole file without error. Without a BOM, valid UTF-8 is taken as UTF-8,
/// and UTF-8 with errors (at least eight multi-byte characters before the
/// first invalid byte, as in a file cut off mid-character) is rejected rather
/// than read as mojibake; otherwise the encoding chardetng prefers among GBK and Big5 is tried
/// first and the other second, and the first that decodes cleanly wins.
///
/// Rejected are: empty input (or a BOM alone) as [`Rejection::Empty`]; NUL
/// bytes in a file without a UTF-16 BOM, or a U+0000 in decoded UTF-16, as
/// [`Rejection::Binary`]; and input no candidate decodes cleanly (including
/// odd-length or unpaired-surrogate UTF-16) as [`Rejection::Undecodable`].
/// UTF-16 without a BOM is not detected (its NUL bytes make it `Binary`).
pub fn decode(bytes: &[u8]) -> Result<Decoded, Rejection> {
    if bytes.is_empty() {
        return Err(Rejection::Empty);
    }

    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if body.is_empty() {
            return Err(Rejection::Empty);
        }
        if encoding == UTF_8 && body.contains(&0) {
            return Err(Rejection::Binary);
        }
        let text = decode_strict(encoding, body).ok_or(Rejection::Undecodable)?;
        if text.contains('\0') {
            return Err(Rejection::Binary);
        }
        return Ok(Decoded {
            text,
            encoding: name_of(encoding),
            had_bom: true,
            bom_len,
        });
    }

    if bytes.contains(&0) {
        return Err(Rejection::Binary);
    }

    // Nearly every file is valid UTF-8: the SIMD check accepts it several
    // times faster than std's on CJK text, and only a failure is checked
    // again by std for where the bytes break.
    let utf8 = match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(_) => std::str::from_utf8(bytes),
    };
    match utf8 {
        Ok(text) => {
            return Ok(Decoded {
                text: text.to_owned(),
                encoding: NAME_UTF_8,
                had_bom: false,
                bom_len: 0,
            });
        }
        Err(error) if is_broken_utf8(bytes, error.valid_up_to()) => {
            return Err(Rejection::Undecodable);
        }
        Err(_) => {}
    }

    let order = if detect_chinese(bytes) == BIG5 {
        [BIG5, GB18030]
    } else {
        [GB18030, BIG5]
    };
    order
        .into_iter()
        .find_map(|encoding| {
            decode_strict(encoding, bytes).map(|text| Decoded {
                text,
                encoding: name_of(encoding),
                had_bom: false,
                bom_len: 0,
            })
        })
        .ok_or(Rejection::Undecodable)
}

/// Decode `bytes` strictly in the encoding named `encoding` (a
/// [`Decoded::encoding`] name; unknown names count as UTF-8), with no
/// byte-order-mark sniffing: for a piece of a file whose encoding is already
/// known, such as a chunk of a large file or the bytes an evidence range
/// points at. `None` when the bytes do not decode without error.
///
/// ```
/// let bytes = [0xBB, 0xE1, 0xD2, 0xE9]; // 会议 in GBK
/// let d = scokg::decode::decode_as("GB18030", &bytes).unwrap();
/// assert_eq!(d.text, "会议");
/// assert!(scokg::decode::decode_as("UTF-8", &bytes).is_none());
/// ```
pub fn decode_as(encoding: &str, bytes: &[u8]) -> Option<Decoded> {
    let encoding = encoding_of(encoding);
    decode_strict(encoding, bytes).map(|text| Decoded {
        text,
        encoding: name_of(encoding),
        had_bom: false,
        bom_len: 0,
    })
}

/// The encoding of a file, as [`Sniffer`] settles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// The name [`Decoded::encoding`] would report.
    pub encoding: &'static str,
    /// Length in bytes of the byte-order mark (0 without one).
    pub bom_len: usize,
}

/// One candidate encoding checked as bytes stream past.
struct Lane {
    encoding: &'static Encoding,
    decoder: encoding_rs::Decoder,
    /// No error so far.
    ok: bool,
    /// Non-ASCII characters decoded before the first error (capped).
    non_ascii: usize,
    /// A U+0000 was decoded.
    nul: bool,
}

impl Lane {
    fn new(encoding: &'static Encoding) -> Self {
        Lane {
            encoding,
            decoder: encoding.new_decoder_without_bom_handling(),
            ok: true,
            non_ascii: 0,
            nul: false,
        }
    }

    fn feed(&mut self, mut bytes: &[u8], last: bool, scratch: &mut [u8]) {
        while self.ok {
            let (result, read, written) = self
                .decoder
                .decode_to_utf8_without_replacement(bytes, scratch, last);
            let out = scratch.get(..written).unwrap_or_default();
            if self.non_ascii < BROKEN_UTF8_MIN_CHARS {
                self.non_ascii += out.iter().filter(|&&b| b >= 0xC0).count();
            }
            self.nul |= out.contains(&0);
            bytes = bytes.get(read..).unwrap_or_default();
            match result {
                DecoderResult::InputEmpty => return,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(..) => self.ok = false,
            }
        }
    }
}

/// Settles a file's encoding piece by piece, in constant memory, exactly as
/// [`decode`] would for the whole file: for files too large to hold in memory
/// at once, which are then decoded chunk by chunk with [`decode_as`].
///
/// ```
/// use scokg::decode::{Rejection, Sniffer};
/// let bytes = [0xEF, 0xBB, 0xBF, b'a', b'b'];
/// let mut sniffer = Sniffer::new();
/// sniffer.feed(&bytes[..1]);
/// sniffer.feed(&bytes[1..]);
/// let sniffed = sniffer.finish().unwrap();
/// assert_eq!((sniffed.encoding, sniffed.bom_len), ("UTF-8", 3));
/// assert_eq!(Sniffer::new().finish(), Err(Rejection::Empty));
/// ```
pub struct Sniffer {
    /// The first [`DETECTION_PREFIX`] bytes, for chardetng.
    head: Vec<u8>,
    /// Bytes seen.
    total: usize,
    /// Bytes held back until the byte-order mark can be told (at most 2).
    pending: Vec<u8>,
    /// Set once the byte-order mark is known.
    bom: Option<Option<(&'static Encoding, usize)>>,
    /// A NUL byte after the byte-order mark.
    nul_byte: bool,
    /// The encodings still in the running: the BOM's, or UTF-8, GB18030, Big5.
    lanes: Vec<Lane>,
    scratch: Vec<u8>,
}

impl Default for Sniffer {
    fn default() -> Self {
        Self::new()
    }
}

impl Sniffer {
    /// A sniffer that has seen nothing.
    pub fn new() -> Self {
        Sniffer {
            head: Vec::new(),
            total: 0,
            pending: Vec::new(),
            bom: None,
            nul_byte: false,
            lanes: Vec::new(),
            scratch: vec![0; 64 * 1024],
        }
    }

    /// The next bytes of the file.
    pub fn feed(&mut self, bytes: &[u8]) {
        let room = DETECTION_PREFIX.saturating_sub(self.head.len());
        self.head
            .extend_from_slice(bytes.get(..room.min(bytes.len())).unwrap_or_default());
        self.total = self.total.saturating_add(bytes.len());
        if self.bom.is_some() {
            self.body(bytes, false);
            return;
        }
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= 3 {
            self.start();
        }
    }

    /// Tell the byte-order mark from the held-back bytes and start the lanes.
    fn start(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        let bom = Encoding::for_bom(&pending);
        self.bom = Some(bom);
        self.lanes = match bom {
            Some((encoding, _)) => vec![Lane::new(encoding)],
            None => vec![Lane::new(UTF_8), Lane::new(GB18030), Lane::new(BIG5)],
        };
        let body = pending.get(bom.map_or(0, |b| b.1)..).unwrap_or_default();
        self.body(body, false);
    }

    fn body(&mut self, bytes: &[u8], last: bool) {
        self.nul_byte |= bytes.contains(&0);
        for lane in &mut self.lanes {
            lane.feed(bytes, last, &mut self.scratch);
        }
    }

    /// The encoding [`decode`] would read the whole file in, or why it would
    /// reject it.
    pub fn finish(mut self) -> Result<Sniffed, Rejection> {
        if self.total == 0 {
            return Err(Rejection::Empty);
        }
        if self.bom.is_none() {
            self.start();
        }
        self.body(&[], true);
        let lane_ok = |lanes: &[Lane], encoding: &'static Encoding| {
            lanes.iter().any(|l| l.encoding == encoding && l.ok)
        };
        if let Some(Some((encoding, bom_len))) = self.bom {
            if self.total <= bom_len {
                return Err(Rejection::Empty);
            }
            if encoding == UTF_8 && self.nul_byte {
                return Err(Rejection::Binary);
            }
            let lane = self.lanes.first().ok_or(Rejection::Undecodable)?;
            if !lane.ok {
                return Err(Rejection::Undecodable);
            }
            if lane.nul {
                return Err(Rejection::Binary);
            }
            return Ok(Sniffed {
                encoding: name_of(encoding),
                bom_len,
            });
        }
        if self.nul_byte {
            return Err(Rejection::Binary);
        }
        let utf8 = self.lanes.iter().find(|l| l.encoding == UTF_8);
        match utf8 {
            Some(lane) if lane.ok => {
                return Ok(Sniffed {
                    encoding: NAME_UTF_8,
                    bom_len: 0,
                })
            }
            Some(lane) if lane.non_ascii >= BROKEN_UTF8_MIN_CHARS => {
                return Err(Rejection::Undecodable)
            }
            _ => {}
        }
        let whole = self.total <= DETECTION_PREFIX;
        let order = if detect_prefix(&self.head, whole) == BIG5 {
            [BIG5, GB18030]
        } else {
            [GB18030, BIG5]
        };
        order
            .into_iter()
            .find(|&encoding| lane_ok(&self.lanes, encoding))
            .map(|encoding| Sniffed {
                encoding: name_of(encoding),
                bom_len: 0,
            })
            .ok_or(Rejection::Undecodable)
    }
}

/// One stretch of the decoded text with a fixed relation to the original bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    /// Byte offset in the decoded UTF-8 text where the run starts.
    utf8: usize,
    /// Byte offset in the original file where the run starts.
    original: usize,
    /// Original bytes per UTF-8 byte inside the run (1 for ASCII in an
    /// ASCII-compatible encoding and for UTF-8, 2 for ASCII in UTF-16), or 0
    /// for a run that is one indivisible multi-byte sequence: every offset
    /// inside it maps to the sequence's start.
    step: usize,
}

/// Maps byte offsets in a decoded text back to byte offsets in the original
/// file. Built once per file by [`Decoded::offset_map`]; each lookup is a
/// binary search over runs (one per non-ASCII character, one per stretch of
/// ASCII; a single run for UTF-8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    /// Runs sorted by `utf8` (and by `original`).
    runs: Vec<Run>,
    /// Length of the decoded text the runs cover.
    utf8_len: usize,
    /// Length of the original bytes; the image of `utf8_len` and beyond.
    original_len: usize,
}

impl OffsetMap {
    /// The byte offset in the original file of `utf8_offset` in the decoded
    /// text.
    ///
    /// A character boundary maps to the first byte of that character's byte
    /// sequence in the file (the text's length maps to the file's length,
    /// and so do larger offsets). An offset inside a character maps into, or
    /// to the start of, that character's sequence; where one sequence decodes
    /// to two characters (a few Big5-HKSCS codes), the boundary between them
    /// maps to the sequence's start.
    pub fn to_original(&self, utf8_offset: usize) -> usize {
        if utf8_offset >= self.utf8_len {
            return self.original_len;
        }
        let index = self.runs.partition_point(|run| run.utf8 <= utf8_offset);
        match index.checked_sub(1).and_then(|i| self.runs.get(i)) {
            Some(run) => run
                .original
                .saturating_add((utf8_offset - run.utf8).saturating_mul(run.step))
                .min(self.original_len),
            None => 0,
        }
    }

    /// Record one decoded byte sequence: `utf8_len` bytes of text at `utf8`
    /// from `original_len` bytes of the file at `original`.
    fn push(&mut self, utf8: usize, original: usize, utf8_len: usize, original_len: usize) {
        if utf8_len == 1 {
            // ASCII: extends the current run if that one has the same step and
            // ends exactly here.
            let extends = self.runs.last().is_some_and(|run| {
                run.step == original_len
                    && utf8 == self.utf8_len
                    && run.original + (utf8 - run.utf8) * run.step == original
            });
            if !extends {
                self.runs.push(Run {
                    utf8,
                    original,
                    step: original_len,
                });
            }
        } else {
            self.runs.push(Run {
                utf8,
                original,
                step: 0,
            });
        }
        self.utf8_len = utf8 + utf8_len;
    }
}

impl Decoded {
    /// Build the [`OffsetMap`] from this text back to `original`, the bytes it
    /// was decoded from (BOM included).
    ///
    /// For UTF-8 the map is `offset + bom_len`. For the other encodings the
    /// original bytes are run through the encoding's decoder once more, byte
    /// by byte, noting where each character's byte sequence starts; that is
    /// exact even where re-encoding a prefix would not be (GB18030's 0x80,
    /// Big5-HKSCS codes the encoder does not produce). If `original` is not
    /// what this was decoded from, the map is best effort: mapping stops at
    /// the first error, later offsets map to `original.len()`, and nothing
    /// panics.
    pub fn offset_map(&self, original: &[u8]) -> OffsetMap {
        let encoding = encoding_of(self.encoding);
        if encoding == UTF_8 {
            let runs = if self.text.is_empty() {
                Vec::new()
            } else {
                vec![Run {
                    utf8: 0,
                    original: self.bom_len,
                    step: 1,
                }]
            };
            return OffsetMap {
                runs,
                utf8_len: self.text.len(),
                original_len: self.bom_len + self.text.len(),
            };
        }

        let start = self.bom_len.min(original.len());
        let body = original.get(start..).unwrap_or_default();
        let ascii_compatible = encoding.is_ascii_compatible();
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let mut map = OffsetMap {
            runs: Vec::with_capacity(self.text.len() / 2 + 1),
            utf8_len: 0,
            original_len: original.len(),
        };
        let mut sequence_start = start;
        let mut out = [0u8; 32];
        for (i, byte) in body.iter().enumerate() {
            let position = start + i;
            if ascii_compatible && *byte < 0x80 && sequence_start == position {
                // Between sequences an ASCII byte decodes to itself.
                map.push(map.utf8_len, position, 1, 1);
                sequence_start = position + 1;
                continue;
            }
            let last = i + 1 == body.len();
            let (result, _, written) = decoder.decode_to_utf8_without_replacement(
                std::slice::from_ref(byte),
                &mut out,
                last,
            );
            if !matches!(result, DecoderResult::InputEmpty) {
                break;
            }
            if written > 0 {
                map.push(
                    map.utf8_len,
                    sequence_start,
                    written,
                    position + 1 - sequence_start,
                );
                sequence_start = position + 1;
            }
        }
        map
    }
}

/// The code point ranges that can hold a Traditional character to fold.
const HAN_RANGES: [(u32, u32); 3] = [
    (0x3400, 0x4DBF), // CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF), // CJK Unified Ideographs
    (0xF900, 0xFAFF), // CJK Compatibility Ideographs
];

/// The Traditional→Simplified pairs, sorted by the Traditional character.
///
/// Built once from `fast2s`: every candidate character is converted on its
/// own (between newlines, so none of fast2s's two-character context rules
/// fire) and the ones that change are kept.
fn t2s_table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let candidates: Vec<char> = HAN_RANGES
            .iter()
            .flat_map(|&(lo, hi)| (lo..=hi).filter_map(char::from_u32))
            .collect();
        let mut joined = String::with_capacity(candidates.len() * 4);
        for &c in &candidates {
            joined.push(c);
            joined.push('\n');
        }
        let converted = fast2s::convert(&joined);
        let mut table: Vec<(char, char)> = candidates
            .iter()
            .zip(converted.split('\n'))
            .filter_map(|(&traditional, piece)| {
                let mut chars = piece.chars();
                match (chars.next(), chars.next()) {
                    (Some(simplified), None) if simplified != traditional => {
                        Some((traditional, simplified))
                    }
                    _ => None,
                }
            })
            .collect();
        table.sort_unstable();
        table
    })
}

/// Whether [`to_simplified`] changes `c`.
pub fn is_traditional(c: char) -> bool {
    is_traditional_code(u32::from(c))
}

/// Every character of a text is asked this: one bit per ideograph (6 KB,
/// which stays in the first-level cache, unlike a table of characters).
pub(crate) fn is_traditional_code(code: u32) -> bool {
    let (first, last) = (HAN_RANGES[0].0, HAN_RANGES[HAN_RANGES.len() - 1].1);
    if !(first..=last).contains(&code) {
        return false;
    }
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    let bits = BITS.get_or_init(|| {
        let mut bits = vec![0u64; ((last - first) as usize >> 6) + 1];
        for &(traditional, _) in t2s_table() {
            let Some(at) = u32::from(traditional).checked_sub(first) else {
                continue;
            };
            let at = at as usize;
            if let Some(word) = bits.get_mut(at >> 6) {
                *word |= 1 << (at & 63);
            }
        }
        bits
    });
    let at = (code - first) as usize;
    bits.get(at >> 6)
        .is_some_and(|word| word & (1 << (at & 63)) != 0)
}

/// The Simplified form of a Traditional character for matching (identity for
/// everything else). One char in, one char out, and both have the same UTF-8
/// length (every pair is two three-byte CJK ideographs), so folding a text
/// character by character keeps all its byte offsets.
///
/// The mapping is fast2s's character table (about 2,700 pairs) without its
/// word-context exceptions, so a character always gets the same form
/// whatever surrounds it (乾 → 干 even in 乾隆, 後 → 后, 著 stays 著): fold
/// the patterns you match with this function too, not with a word-level
/// converter.
pub fn to_simplified(c: char) -> char {
    let code = u32::from(c);
    if !is_traditional_code(code) {
        return c;
    }
    let (first, last) = (HAN_RANGES[0].0, HAN_RANGES[HAN_RANGES.len() - 1].1);
    static DENSE: OnceLock<Vec<char>> = OnceLock::new();
    let dense = DENSE.get_or_init(|| {
        let mut dense: Vec<char> = (first..=last)
            .map(|u| char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        for &(traditional, simplified) in t2s_table() {
            if let Some(slot) = dense.get_mut((u32::from(traditional) - first) as usize) {
                *slot = simplified;
            }
        }
        dense
    });
    dense.get((code - first) as usize).copied().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SIMPLIFIED: &str = "上海合作组织成员国元首理事会第二十一次会议在杜尚别举行。";
    const TRADITIONAL: &str = "上海合作組織成員國元首理事會第二十一次會議在杜尚別舉行。";

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, had_errors) = encoding.encode(text);
        assert!(!had_errors, "{text:?} is not encodable in {encoding:?}");
        bytes.into_owned()
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    }

    /// Every char boundary of the text maps to an original offset whose
    /// prefix decodes to exactly the text up to that boundary.
    fn assert_map_consistent(decoded: &Decoded, original: &[u8]) {
        let map = decoded.offset_map(original);
        let encoding = encoding_of(decoded.encoding);
        let mut previous = 0;
        for (boundary, _) in decoded
            .text
            .char_indices()
            .chain(std::iter::once((decoded.text.len(), ' ')))
        {
            let at = map.to_original(boundary);
            assert!(at >= previous, "not monotonic at {boundary}");
            assert!(at <= original.len());
            previous = at;
            let prefix = original
                .get(decoded.bom_len..at)
                .and_then(|body| decode_strict(encoding, body))
                .expect("prefix decodes");
            let want = &decoded.text[..boundary];
            if encoding == BIG5 {
                // One Big5-HKSCS sequence can decode to two characters.
                assert!(want.starts_with(&prefix) && want.len() - prefix.len() <= 2);
            } else {
                assert_eq!(prefix, want, "prefix at {boundary}");
            }
        }
        assert_eq!(map.to_original(decoded.text.len()), original.len());
        assert_eq!(map.to_original(usize::MAX), original.len());
    }

    #[test]
    fn utf8_without_bom() {
        let bytes = SIMPLIFIED.as_bytes();
        let decoded = decode(bytes).expect("decodes");
        assert_eq!(decoded.text, SIMPLIFIED);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(!decoded.had_bom);
        assert_eq!(decoded.bom_len, 0);
        let map = decoded.offset_map(bytes);
        for (i, _) in SIMPLIFIED.char_indices() {
            assert_eq!(map.to_original(i), i);
        }
        assert_map_consistent(&decoded, bytes);
    }

    #[test]
    fn utf8_with_bom() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(SIMPLIFIED.as_bytes());
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.text, SIMPLIFIED);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.had_bom);
        assert_eq!(decoded.bom_len, 3);
        let map = decoded.offset_map(&bytes);
        for (i, _) in SIMPLIFIED.char_indices() {
            assert_eq!(map.to_original(i), i + 3);
        }
        assert_map_consistent(&decoded, &bytes);
    }

    #[test]
    fn ascii_is_utf8() {
        let decoded = decode(b"SCO summit, 2021").expect("decodes");
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.text, "SCO summit, 2021");
    }

    #[test]
    fn utf16_le_and_be_with_bom() {
        let text = format!("新华社杜尚别9月17日电 {SIMPLIFIED} 𠀋");
        for (big_endian, name) in [(false, "UTF-16LE"), (true, "UTF-16BE")] {
            let bytes = utf16(&text, big_endian);
            let decoded = decode(&bytes).expect("decodes");
            assert_eq!(decoded.text, text);
            assert_eq!(decoded.encoding, name);
            assert!(decoded.had_bom);
            assert_eq!(decoded.bom_len, 2);
            let map = decoded.offset_map(&bytes);
            for (i, _) in text.char_indices() {
                assert_eq!(map.to_original(i), 2 + 2 * text[..i].encode_utf16().count());
            }
            assert_map_consistent(&decoded, &bytes);
        }
    }

    #[test]
    fn utf16_odd_length_is_undecodable() {
        let mut bytes = utf16(SIMPLIFIED, false);
        bytes.push(0x41);
        assert_eq!(decode(&bytes), Err(Rejection::Undecodable));
    }

    #[test]
    fn utf16_unpaired_surrogate_is_undecodable() {
        let bytes = [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00];
        assert_eq!(decode(&bytes), Err(Rejection::Undecodable));
    }

    #[test]
    fn utf16_with_nul_is_binary() {
        let bytes = [0xFF, 0xFE, 0x41, 0x00, 0x00, 0x00, 0x42, 0x00];
        assert_eq!(decode(&bytes), Err(Rejection::Binary));
    }

    #[test]
    fn gbk_sentence() {
        let bytes = encode(GBK, SIMPLIFIED);
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.text, SIMPLIFIED);
        assert_eq!(decoded.encoding, "GB18030");
        assert!(!decoded.had_bom);
        assert_eq!(decoded.bom_len, 0);
    }

    #[test]
    fn gbk_offsets_round_trip() {
        let text = format!("新华社杜尚别9月17日电（记者 张三）{SIMPLIFIED}\nSCO 2021 €");
        let bytes = encode(GBK, &text);
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, "GB18030");
        let map = decoded.offset_map(&bytes);
        for (i, _) in text.char_indices() {
            assert_eq!(map.to_original(i), encode(GBK, &text[..i]).len(), "at {i}");
        }
        assert_eq!(map.to_original(text.len()), bytes.len());
        assert_map_consistent(&decoded, &bytes);
    }

    #[test]
    fn gb18030_four_byte_sequences_map() {
        // 𠀋 (U+2000B) and € are four-byte sequences in GB18030.
        let text = format!("{SIMPLIFIED}𠀋€㐀");
        let bytes = encode(GB18030, &text);
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, "GB18030");
        let map = decoded.offset_map(&bytes);
        for (i, _) in text.char_indices() {
            assert_eq!(map.to_original(i), encode(GB18030, &text[..i]).len());
        }
        assert_map_consistent(&decoded, &bytes);
    }

    #[test]
    fn big5_sentence_folds_to_simplified() {
        let bytes = encode(BIG5, TRADITIONAL);
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.text, TRADITIONAL);
        assert_eq!(decoded.encoding, "Big5");
        let folded: String = decoded.text.chars().map(to_simplified).collect();
        assert_eq!(folded, SIMPLIFIED);
        let map = decoded.offset_map(&bytes);
        for (i, _) in TRADITIONAL.char_indices() {
            assert_eq!(map.to_original(i), encode(BIG5, &TRADITIONAL[..i]).len());
        }
        assert_map_consistent(&decoded, &bytes);
    }

    #[test]
    fn big5_longer_news_text() {
        let text = "新華社杜尚別9月17日電 國家主席習近平17日在北京以視頻方式出席上海合作組織成員國元首理事會第二十一次會議並發表重要講話。";
        let bytes = encode(BIG5, text);
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.encoding, "Big5");
        assert_eq!(decoded.text, text);
        assert_map_consistent(&decoded, &bytes);
    }

    #[test]
    fn big5_hkscs_two_char_sequence_maps_to_its_start() {
        // 0x88 0x62 decodes to U+00CA U+0304 in the WHATWG Big5 decoder.
        let bytes = [0x41, 0x88, 0x62, 0x42];
        let map = Decoded {
            text: "A\u{CA}\u{304}B".to_owned(),
            encoding: "Big5",
            had_bom: false,
            bom_len: 0,
        }
        .offset_map(&bytes);
        assert_eq!(map.to_original(0), 0);
        assert_eq!(map.to_original(1), 1);
        assert_eq!(map.to_original(3), 1);
        assert_eq!(map.to_original(5), 3);
        assert_eq!(map.to_original(6), 4);
    }

    #[test]
    fn to_simplified_is_identity_elsewhere() {
        for c in SIMPLIFIED.chars().chain("SCO 2021，。、“”！¥€𠀋".chars()) {
            assert_eq!(to_simplified(c), c, "{c}");
        }
        assert_eq!(to_simplified('國'), '国');
        assert_eq!(to_simplified('會'), '会');
        assert_eq!(to_simplified('習'), '习');
        assert_eq!(to_simplified('織'), '织');
    }

    #[test]
    fn to_simplified_keeps_utf8_length() {
        for &(traditional, simplified) in t2s_table() {
            assert_eq!(traditional.len_utf8(), simplified.len_utf8());
            assert_eq!(to_simplified(traditional), simplified);
        }
        assert!(t2s_table().len() > 2_000);
    }

    #[test]
    fn empty_is_rejected() {
        assert_eq!(decode(b""), Err(Rejection::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF"), Err(Rejection::Empty));
        assert_eq!(decode(b"\xFF\xFE"), Err(Rejection::Empty));
        assert_eq!(decode(b"\xFE\xFF"), Err(Rejection::Empty));
    }

    #[test]
    fn nul_is_binary() {
        assert_eq!(decode(b"abc\0def"), Err(Rejection::Binary));
        assert_eq!(decode(b"\xEF\xBB\xBFabc\0"), Err(Rejection::Binary));
        let mut gbk = encode(GBK, SIMPLIFIED);
        gbk.push(0);
        assert_eq!(decode(&gbk), Err(Rejection::Binary));
    }

    #[test]
    fn invalid_bytes_are_rejected_not_replaced() {
        let patterns: [&[u8]; 4] = [
            &[0xFD, 0xFE, 0xFF],
            &[0xFF, 0xFD, 0xFE],
            &[0xC0, 0xFF, 0x80],
            &[0x81, 0x30, 0x81],
        ];
        for pattern in patterns {
            let bytes = pattern.repeat(50);
            match decode(&bytes) {
                Err(rejection) => assert_eq!(rejection, Rejection::Undecodable),
                Ok(decoded) => assert!(!decoded.text.contains('\u{FFFD}')),
            }
        }
        assert_eq!(
            decode(&[0xFD, 0xFE, 0xFF].repeat(50)),
            Err(Rejection::Undecodable)
        );
    }

    #[test]
    fn broken_utf8_is_not_read_as_gbk() {
        let text = format!("{SIMPLIFIED}习近平出席并发表重要讲话。");
        let bytes = text.as_bytes();
        for cut in 1..=2 {
            let truncated = &bytes[..bytes.len() - cut];
            assert_eq!(decode(truncated), Err(Rejection::Undecodable));
        }
        let mut corrupt = bytes.to_vec();
        corrupt[40] = 0xFF;
        assert_eq!(decode(&corrupt), Err(Rejection::Undecodable));
    }

    #[test]
    fn large_files_detect_on_a_prefix() {
        // Longer than the detection prefix, with a cut mid-character there.
        let simplified = format!("{SIMPLIFIED}\n").repeat(1_500);
        let gbk = encode(GBK, &format!("a{simplified}"));
        assert!(gbk.len() > DETECTION_PREFIX);
        let decoded = decode(&gbk).expect("decodes");
        assert_eq!(decoded.encoding, "GB18030");
        let traditional = format!("{TRADITIONAL}\n").repeat(1_500);
        let big5 = encode(BIG5, &format!("a{traditional}"));
        let decoded = decode(&big5).expect("decodes");
        assert_eq!(decoded.encoding, "Big5");
        assert_eq!(decoded.text, format!("a{traditional}"));
    }

    #[test]
    fn wrong_original_does_not_panic() {
        let decoded = decode(&encode(GBK, SIMPLIFIED)).expect("decodes");
        let map = decoded.offset_map(b"\xFF\xFF\xFF");
        assert!(map.to_original(3) <= 3);
        let map = decoded.offset_map(b"");
        assert_eq!(map.to_original(0), 0);
        let utf16 = decode(&utf16(SIMPLIFIED, false)).expect("decodes");
        let map = utf16.offset_map(b"\xFF");
        assert!(map.to_original(6) <= 1);
    }

    /// What [`Sniffer`] says of `bytes` fed in pieces cut at `cuts`.
    fn sniff(bytes: &[u8], cuts: &[usize]) -> Result<(&'static str, usize), Rejection> {
        let mut sniffer = Sniffer::new();
        let mut at = 0;
        let mut cuts: Vec<usize> = cuts.iter().map(|&c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        for cut in cuts.into_iter().chain(std::iter::once(bytes.len())) {
            sniffer.feed(&bytes[at..cut]);
            at = cut;
        }
        sniffer.finish().map(|s| (s.encoding, s.bom_len))
    }

    fn whole(bytes: &[u8]) -> Result<(&'static str, usize), Rejection> {
        decode(bytes).map(|d| (d.encoding, d.bom_len))
    }

    #[test]
    fn sniffer_agrees_with_decode_on_samples() {
        let big = format!("{SIMPLIFIED}\n").repeat(3_000);
        let mut truncated_utf8 = big.as_bytes().to_vec();
        truncated_utf8.pop();
        let samples: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"\xEF\xBB\xBF".to_vec(),
            b"\xFF\xFE".to_vec(),
            b"ab".to_vec(),
            SIMPLIFIED.as_bytes().to_vec(),
            big.as_bytes().to_vec(),
            truncated_utf8,
            encode(GBK, SIMPLIFIED),
            encode(GBK, &big),
            encode(BIG5, TRADITIONAL),
            encode(BIG5, &format!("{TRADITIONAL}\n").repeat(3_000)),
            utf16(&big, false),
            utf16(SIMPLIFIED, true),
            [0xFF, 0xFE, 0x41, 0x00, 0x00, 0x00].to_vec(),
            b"abc\0def".to_vec(),
            [0xFD, 0xFE, 0xFF].repeat(50),
        ];
        for bytes in &samples {
            for cuts in [&[][..], &[1, 2], &[70_000], &[3, 5_000, 65_536, 65_537]] {
                assert_eq!(sniff(bytes, cuts), whole(bytes), "{:?}", bytes.get(..8));
            }
        }
    }

    #[test]
    fn decode_as_reads_a_known_encoding() {
        let gbk = encode(GBK, SIMPLIFIED);
        let decoded = decode_as("GB18030", &gbk).expect("decodes");
        assert_eq!(decoded.text, SIMPLIFIED);
        assert_eq!(decoded.offset_map(&gbk).to_original(3), 2);
        assert!(decode_as("UTF-8", &gbk).is_none());
        assert!(decode_as("Big5", &gbk[..3]).is_none());
        let le = utf16(SIMPLIFIED, false);
        assert_eq!(
            decode_as("UTF-16LE", &le[2..]).map(|d| d.text).as_deref(),
            Some(SIMPLIFIED)
        );
    }

    proptest! {
        #[test]
        fn sniffer_agrees_with_decode(
            bytes in proptest::collection::vec(prop_oneof![0x20u8..0x7F, 0x81u8..0xFF, Just(0x0A), Just(0)], 0..512),
            cuts in proptest::collection::vec(any::<usize>(), 0..4),
        ) {
            prop_assert_eq!(sniff(&bytes, &cuts), whole(&bytes));
        }

        #[test]
        fn sniffer_agrees_with_decode_on_text(
            text in "[a-z0-9 ，。\n\u{4E00}-\u{9FA5}]{0,64}",
            cuts in proptest::collection::vec(any::<usize>(), 0..4),
        ) {
            for encoding in [UTF_8, GB18030, BIG5] {
                let (bytes, _, _) = encoding.encode(&text);
                prop_assert_eq!(sniff(&bytes, &cuts), whole(&bytes));
            }
            let le = utf16(&text, false);
            prop_assert_eq!(sniff(&le, &cuts), whole(&le));
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            if let Ok(decoded) = decode(&bytes) {
                // The whole body decodes strictly to the text: no replacement.
                prop_assert_eq!(decode_strict(encoding_of(decoded.encoding), &bytes[decoded.bom_len..]), Some(decoded.text.clone()));
                assert_map_consistent(&decoded, &bytes);
            }
        }

        #[test]
        fn decode_never_panics_on_chinese_like_bytes(
            bytes in proptest::collection::vec(prop_oneof![0x20u8..0x7F, 0x81u8..0xFF, Just(0x0A)], 0..512)
        ) {
            if let Ok(decoded) = decode(&bytes) {
                assert_map_consistent(&decoded, &bytes);
            }
        }

        #[test]
        fn legacy_encodings_round_trip(text in "[a-z0-9 ，。\u{4E00}-\u{9FA5}]{0,64}") {
            for encoding in [GB18030, BIG5] {
                let (bytes, _, had_errors) = encoding.encode(&text);
                if had_errors || bytes.is_empty() {
                    continue;
                }
                let decoded = decode(&bytes);
                prop_assert!(decoded.is_ok());
                if let Ok(decoded) = decoded {
                    assert_map_consistent(&decoded, &bytes);
                }
            }
        }
    }
}
