//! Extraction passes. Each pass is one module with one public entry point;
//! each declares the layers it needs and adds, and [`Pipeline::new`] checks
//! the order once, so a misplaced pass is an error, not a silent miss.

pub mod attendance;
pub mod doc_date;
pub mod documents;
pub mod meetings;
pub mod membership;
pub mod mentions;
pub mod people;
pub mod pledges;

use crate::document::{Document, Layer};
use crate::error::{Error, Result};
use crate::text::sketch::{CharSketch, Cues};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// A pattern with the words one of which every match of it contains: the
/// regular expression runs only on text that holds one. A pattern that
/// starts with a character class (`[^，。]{2,80}?成为`) has no literal prefix
/// the regex engine could skip ahead with, so without the gate it would scan
/// every sentence of every document.
pub(crate) struct Gated {
    words: Cues,
    regex: LazyLock<Regex>,
}

impl Gated {
    /// A gate of `words` before the regex `build` compiles (once, on first use).
    pub(crate) const fn new(words: &'static [&'static str], build: fn() -> Regex) -> Self {
        Gated {
            words: Cues::new(words),
            regex: LazyLock::new(build),
        }
    }

    /// Whether `text` holds one of the words; `sketch` covers `text` (the
    /// sketch of its sentence, or [`CharSketch::ANY`]).
    fn open(&self, text: &str, sketch: &CharSketch) -> bool {
        sketch.contains_any(text, &self.words)
    }

    /// Whether the pattern matches in `text`.
    pub(crate) fn is_match(&self, text: &str, sketch: &CharSketch) -> bool {
        self.open(text, sketch) && self.regex.is_match(text)
    }

    /// The first match of the pattern in `text`.
    pub(crate) fn find<'t>(&self, text: &'t str, sketch: &CharSketch) -> Option<regex::Match<'t>> {
        self.open(text, sketch)
            .then(|| self.regex.find(text))
            .flatten()
    }

    /// The first match of the pattern in `text`, with its groups.
    pub(crate) fn captures<'t>(&self, text: &'t str, sketch: &CharSketch) -> Option<Captures<'t>> {
        self.open(text, sketch)
            .then(|| self.regex.captures(text))
            .flatten()
    }

    /// Every match of the pattern in `text`.
    pub(crate) fn find_iter<'t>(
        &'static self,
        text: &'t str,
        sketch: &CharSketch,
    ) -> impl Iterator<Item = regex::Match<'t>> {
        self.open(text, sketch)
            .then(|| self.regex.find_iter(text))
            .into_iter()
            .flatten()
    }

    /// Every match of the pattern in `text`, with its groups.
    pub(crate) fn captures_iter<'t>(
        &'static self,
        text: &'t str,
        sketch: &CharSketch,
    ) -> impl Iterator<Item = Captures<'t>> {
        self.open(text, sketch)
            .then(|| self.regex.captures_iter(text))
            .into_iter()
            .flatten()
    }
}

/// Compile a regular expression written in the code (a typo is a bug the
/// unit tests catch, not a user error).
pub(crate) fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}"))
}

/// One extraction pass.
pub struct Pass {
    /// Name used in messages.
    pub name: &'static str,
    /// Layers that must exist before it runs.
    pub needs: &'static [Layer],
    /// Layers it adds.
    pub adds: &'static [Layer],
    /// The entry point.
    pub run: fn(&mut Document),
}

impl Pass {
    /// Run this pass over a document and mark the layers it adds.
    pub fn apply(&self, doc: &mut Document) {
        (self.run)(doc);
        for layer in self.adds {
            doc.mark(*layer);
        }
    }
}

/// The passes in an order whose needs are checked.
pub struct Pipeline {
    passes: Vec<Pass>,
}

impl Pipeline {
    /// A pipeline of `passes`, in order. Fails when a pass needs a layer no
    /// earlier pass adds.
    pub fn new(passes: Vec<Pass>) -> Result<Self> {
        let mut have: Vec<Layer> = Vec::new();
        for pass in &passes {
            if let Some(missing) = pass.needs.iter().find(|l| !have.contains(l)) {
                return Err(Error::Usage(format!(
                    "pass `{}` needs {missing:?}, which no earlier pass adds",
                    pass.name
                )));
            }
            have.extend_from_slice(pass.adds);
        }
        Ok(Pipeline { passes })
    }

    /// The standard pipeline.
    ///
    /// ```
    /// let doc = scokg::extract::Pipeline::standard()
    ///     .run(scokg::document::Document::new("x.txt", "会议在杜尚别举行。", b"x"));
    /// assert!(doc.facts.is_empty());
    /// ```
    pub fn standard() -> Self {
        Pipeline::new(vec![
            mentions::PASS,
            doc_date::PASS,
            people::PASS,
            meetings::PASS,
            attendance::PASS,
            membership::PASS,
            pledges::PASS,
            documents::PASS,
        ])
        .unwrap_or_else(|e| unreachable!("the standard pipeline is ordered: {e}"))
    }

    /// Run every pass over a document.
    pub fn run(&self, mut doc: Document) -> Document {
        for pass in &self.passes {
            pass.apply(&mut doc);
        }
        doc
    }

    /// The passes, in order.
    pub fn passes(&self) -> &[Pass] {
        &self.passes
    }

    /// Names of the passes, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.passes.iter().map(|p| p.name).collect()
    }
}

/// Read a document with the standard pipeline.
pub fn extract(doc: Document) -> Document {
    Pipeline::standard().run(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    static SIGNED: Gated = Gated::new(&["签署"], || regex(r"([^，。]{2,8})签署"));

    #[test]
    fn a_gated_pattern_matches_only_where_its_words_stand() {
        let signed = "各国领导人签署了宣言，外长签署文件。";
        for sketch in [CharSketch::of(signed), CharSketch::ANY] {
            let found: Vec<String> = SIGNED
                .captures_iter(signed, &sketch)
                .map(|c| c[1].to_string())
                .collect();
            assert_eq!(found, ["各国领导人", "外长"]);
        }
        let adopted = "各国领导人通过了宣言。";
        assert_eq!(
            SIGNED
                .captures_iter(adopted, &CharSketch::of(adopted))
                .count(),
            0
        );
        assert_eq!(SIGNED.captures_iter(adopted, &CharSketch::ANY).count(), 0);
    }

    #[test]
    fn a_pass_before_its_needs_is_rejected() {
        let err = Pipeline::new(vec![attendance::PASS, mentions::PASS]);
        assert!(err.is_err());
        assert!(Pipeline::new(vec![mentions::PASS]).is_ok());
    }
}
