//! Lexicon mentions: one Aho–Corasick pass over the normalised text finds
//! every country, organisation, place, title and known person.

use crate::document::{Document, Layer};
use crate::lexicon::Lexicon;

use super::Pass;

/// The pass.
pub const PASS: Pass = Pass {
    name: "mentions",
    needs: &[],
    adds: &[Layer::Mentions],
    run: find_mentions,
};

/// Find every lexicon mention in the document.
pub fn find_mentions(doc: &mut Document) {
    if let Ok(lex) = Lexicon::get() {
        let mentions = lex.mentions(doc.norm());
        doc.set_mentions(mentions);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::EntityKind;

    #[test]
    fn finds_countries_in_a_list() {
        let mut doc = Document::new(
            "t.txt",
            "会议吸收沙特阿拉伯、埃及、卡塔尔为新的对话伙伴。",
            b"t",
        );
        find_mentions(&mut doc);
        let lex = Lexicon::get().unwrap();
        let isos: Vec<&str> = doc
            .mentions()
            .iter()
            .filter_map(|m| match m.kind {
                EntityKind::Country(i) => Some(lex.countries[i].iso3.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(isos, ["SAU", "EGY", "QAT"]);
    }
}
