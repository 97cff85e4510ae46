//! The starter glossary bundled with the program.
//!
//! `data/starter-glossary.jsonl` holds one [`ConceptDraft`] per line (the
//! same JSON a client sends to create a concept). A server started on an
//! empty data directory loads it once, so a translator has the core
//! Vietnam–Laos and general diplomatic vocabulary from the first minute.

use crate::error::{Error, Result};
use crate::model::ConceptDraft;

const STARTER: &str = include_str!("../data/starter-glossary.jsonl");

/// Parses and validates the bundled starter glossary.
pub fn starter_drafts() -> Result<Vec<ConceptDraft>> {
    STARTER
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let draft: ConceptDraft = serde_json::from_str(line)
                .map_err(|e| Error::invalid(format!("starter glossary line {}", i + 1), e.to_string()))?;
            draft.validate()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lang, TermStatus};

    #[test]
    fn starter_glossary_is_valid_and_bilingual() {
        let drafts = starter_drafts().expect("the bundled starter glossary parses and validates");
        assert!(drafts.len() >= 50, "only {} concepts", drafts.len());
        let (vi, en) = (Lang::new("vi").unwrap(), Lang::new("en").unwrap());
        for d in &drafts {
            for lang in [&vi, &en] {
                let preferred = d.terms.iter().filter(|t| &t.lang == lang && t.status == TermStatus::Preferred).count();
                assert_eq!(preferred, 1, "{:?} needs exactly one preferred {lang} term", d.terms[0].text);
            }
        }
        let has = |vi_text: &str, en_text: &str| {
            drafts.iter().any(|d| {
                d.terms.iter().any(|t| t.lang == vi && t.text == vi_text)
                    && d.terms.iter().any(|t| t.lang == en && t.text == en_text && t.status == TermStatus::Preferred)
            })
        };
        assert!(has("hữu nghị vĩ đại", "great friendship"));
        assert!(has("thăm cấp Nhà nước", "state visit"));
        assert!(has("gắn kết chiến lược", "strategic cohesion"));
    }
}
