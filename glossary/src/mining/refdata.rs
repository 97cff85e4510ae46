//! Reference frequencies of general Vietnamese, for domain specificity.
//!
//! `data/vi-syllable-freq.tsv` lists about 10,000 Vietnamese syllables with
//! their frequency on the Zipf scale (log10 of occurrences per billion
//! words). It is derived from the Vietnamese list of the `wordfreq` package
//! (Robyn Speer et al.; data under CC BY-SA 4.0, and so is the derived
//! file) by `tools/build_vi_syllable_freq.py`. wordfreq's Vietnamese list is
//! tokenised into syllables, so syllable bigrams are not available from it;
//! single syllables are compared with it.
//!
//! `data/vi-word-freq.tsv` lists the words of two or more syllables of a
//! sample of Vietnamese Wikipedia (7,878 articles, about 13 million
//! syllables; text by Wikipedia's contributors under CC BY-SA, the counts
//! under CC BY-SA 4.0) as segmented by [`text::segment`], with their counts;
//! `tools/build_vi_word_freq.sh` regenerates it. A word is compared with its
//! own count there: "đối ngoại" is far rarer in general text than its
//! syllable "ngoại". Probabilities of both lists are per syllable token.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::candidates::FxMap;
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

/// The bundled word list.
const WORDS: &str = include_str!("../../data/vi-word-freq.tsv");

/// The word list: counts by normalised key, the number of syllables it was
/// counted on, and its least count.
struct WordTable {
    /// Keys borrowed from the bundled text (no copy per entry).
    counts: FxMap<&'static str, u32>,
    syllables: f64,
    min_count: f64,
}

fn words() -> &'static WordTable {
    static TABLE: OnceLock<WordTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = WordTable { counts: FxMap::default(), syllables: 1.0, min_count: 1.0 };
        table.counts.reserve(WORDS.len() / 16);
        for line in WORDS.lines() {
            let Some((key, n)) = line.split_once('\t') else { continue };
            let Ok(n) = n.trim().parse::<u32>() else { continue };
            match key {
                "# syllables" => table.syllables = f64::from(n.max(1)),
                "# min_count" => table.min_count = f64::from(n.max(1)),
                _ if !key.starts_with('#') => {
                    // Keys are written normalised; two spellings of one key
                    // would have been counted together.
                    *table.counts.entry(key).or_insert(0) += n;
                }
                _ => {}
            }
        }
        table
    })
}

/// Probability in general text (per syllable token) of a word of two or
/// more syllables given as a normalised key (syllables joined by single
/// spaces). A word missing from the list occurred fewer than its least
/// count: it is given half that count.
pub fn word_probability(key: &str) -> f64 {
    let table = words();
    let count = table.counts.get(key).map_or(table.min_count / 2.0, |&n| f64::from(n));
    count / table.syllables
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

    #[test]
    fn word_reference_frequencies() {
        // A general word is far more frequent than a diplomatic one, which
        // is far rarer than its commonest syllable ("ngoại").
        assert!(word_probability("kinh tế") > 10.0 * word_probability("đối ngoại"));
        assert!(word_probability("đối ngoại") < probability(zipf("ngoại")) / 10.0);
        // Canonical tone placement: "hòa bình" is listed under that key.
        assert!(words().counts.contains_key("hòa bình"));
        assert_eq!(crate::text::normalized_key("hoà bình"), "hòa bình");
        // Unlisted words are rarer than every listed one.
        assert!(!words().counts.contains_key("thongloun sisoulith"));
        let rarest = words().counts.values().copied().min().expect("entries");
        assert!(word_probability("thongloun sisoulith") < f64::from(rarest) / words().syllables);
        assert!(words().counts.len() > 30_000 && words().syllables > 1e6);
    }
}
