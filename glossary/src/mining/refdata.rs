//! Reference frequencies of general Vietnamese, for domain specificity.
//!
//! `data/vi-syllable-freq.tsv` lists about 10,000 Vietnamese syllables with
//! their frequency on the Zipf scale (log10 of occurrences per billion
//! words). It is derived from the Vietnamese list of the `wordfreq` package
//! (Robyn Speer et al.; data under CC BY-SA 4.0, and so is the derived
//! file) by `tools/build_vi_syllable_freq.py`. wordfreq's Vietnamese list is
//! tokenised into syllables, so syllable bigrams are not available from it;
//! the miner therefore compares syllables, and phrases through their
//! syllables.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::text;

/// The bundled list.
const DATA: &str = include_str!("../../data/vi-syllable-freq.tsv");

/// Zipf value given to syllables not in the list: just below its rarest
/// entries (3.0), i.e. "rare in general Vietnamese" (foreign names, acronyms).
pub const UNKNOWN_ZIPF: f32 = 2.5;

fn table() -> &'static HashMap<String, f32> {
    static TABLE: OnceLock<HashMap<String, f32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // Two spellings (hoà/hòa) share a key: add their frequencies.
        let mut per_billion: HashMap<String, f64> = HashMap::new();
        for line in DATA.lines().filter(|l| !l.starts_with('#')) {
            let Some((word, z)) = line.split_once('\t') else { continue };
            let Ok(z) = z.trim().parse::<f64>() else { continue };
            *per_billion.entry(text::normalized_key(word)).or_insert(0.0) += 10f64.powf(z / 100.0);
        }
        per_billion.into_iter().map(|(k, f)| (k, f.log10() as f32)).collect()
    })
}

/// Zipf frequency of a syllable given as a normalised key.
pub fn zipf(key: &str) -> f32 {
    table().get(key).copied().unwrap_or(UNKNOWN_ZIPF)
}

/// Probability of the syllable in general text (per word token).
pub fn probability(zipf: f32) -> f64 {
    10f64.powf(f64::from(zipf) - 9.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_frequencies() {
        // Function words are far more frequent than diplomatic syllables,
        // which are more frequent than foreign names (unknown).
        assert!(zipf("của") > 6.5);
        assert!(zipf("nghị") > 4.0 && zipf("nghị") < zipf("của"));
        assert_eq!(zipf("thongloun"), UNKNOWN_ZIPF);
        // Both tone placements are merged under the canonical key.
        assert!(zipf("hòa") >= zipf("hoà"));
        assert!(table().len() > 9_000);
    }
}
