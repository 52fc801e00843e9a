//! Chinese date expressions over arbitrary text: no panic, matches on
//! character boundaries, months and days in range, resolution never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scokg::text::dates::{date_from_file_name, find_dates, parse_iso_date, resolve};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let anchor = chrono::NaiveDate::from_ymd_opt(2021, 9, 18).unwrap_or_default();
    let mut last_end = 0;
    for m in find_dates(&text) {
        assert!(m.start < m.end && m.start >= last_end, "{m:?}");
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        assert!(m.date.month.is_none_or(|mo| (1..=12).contains(&mo)));
        assert!(m.date.day.is_none_or(|d| (1..=31).contains(&d)));
        last_end = m.end;
        let _ = resolve(&m, anchor).map(|r| r.to_string());
    }
    let _ = parse_iso_date(&text);
    let _ = date_from_file_name(&text);
});
