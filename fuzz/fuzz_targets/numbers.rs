//! Chinese and Arabic number parsing over arbitrary text: no panic, matches
//! on character boundaries, finite values that parse back the same.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scokg::text::numbers::{
    find_numbers, find_ordinals, format_decimal, parse_cn_number, parse_ordinal,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(v) = parse_cn_number(&text) {
        assert!(v.is_finite(), "{v}");
        let _ = format_decimal(v);
    }
    let _ = parse_ordinal(&text);
    let mut last_end = 0;
    for m in find_numbers(&text) {
        assert!(m.start < m.end && m.start >= last_end, "{m:?}");
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        assert!(m.value.is_finite());
        last_end = m.end;
    }
    for (start, end, _) in find_ordinals(&text) {
        assert!(start < end && text.is_char_boundary(start) && text.is_char_boundary(end));
    }
});
