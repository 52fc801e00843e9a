//! Arbitrary bytes through the whole reading path: decode, normalise,
//! extract. Nothing may panic, and every piece of evidence must point at a
//! byte range of the input whose text normalises to its quote.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scokg::decode;
use scokg::document::Document;

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = decode::decode(data) else {
        return;
    };
    let map = decoded.offset_map(data);
    let encoding = decoded.encoding;
    let doc = Document::new("fuzz.txt", decoded.text, data).with_offset_map(map);
    let doc = scokg::extract::extract(doc);
    for fact in &doc.facts {
        let e = &fact.evidence;
        assert!(e.start <= e.end && e.end <= data.len(), "{e:?}");
        assert!(e.line >= 1);
        let original = decode::decode_as(encoding, &data[e.start..e.end])
            .map(|d| d.text)
            .unwrap_or_else(|| panic!("evidence {e:?} does not cut at characters"));
        assert_eq!(scokg::text::normalize(&original), e.quote, "{e:?}");
    }
});
