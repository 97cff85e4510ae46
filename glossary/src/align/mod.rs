//! Sentence alignment of a document with its translation, and English
//! equivalents mined from aligned pairs.
//!
//! [`align`] splits both documents into sentences
//! ([`crate::text::split_sentences`]) and finds the most probable sequence
//! of *links* (beads): 1-1, 1-2, 2-1, 2-2, and 1-0 / 0-1 for a sentence left
//! out of the translation or added to it. The score of a link combines
//!
//! * **length** (Gale & Church 1993): a translation's length in characters is
//!   roughly proportional to the original's; the deviation from the expected
//!   ratio is normal with variance proportional to the length;
//! * **anchors** ([`AnchorKind`]): numbers (with Vietnamese "2,5" = English
//!   "2.5" and "1.000" = "1,000"), percentages, dates ("5/2/2026" = "5
//!   February 2026"), names and acronyms found on both sides, glossary term
//!   pairs from an [`AnchorLexicon`], and `?` `!` `()` quotations. Shared
//!   anchors are evidence for a link, numbers and dates present on one side
//!   only are evidence against it.
//!
//! A second pass adds word pairs learned from the first pass's confident
//! links (`learned.rs`). Every link carries a **confidence** built from the
//! posterior probability of that link given both documents, from a
//! forward–backward pass over the same lattice (the share of the
//! probability mass of all alignments that use this link): squared
//! ([`CONFIDENCE_EXPONENT`]) and scaled by [`UNSUPPORTED_FACTOR`] when a
//! sentence of the link shares no number, date, name, term or learned word
//! with the other side. When a word table scored the alignment, the
//! posterior is first capped by the link's posterior against the merge or
//! split next to it under the model without the table (`local_posterior`).
//! See `dp.rs` for the formulas and the band that
//! bounds the cost on long documents, and `docs/alignment.md` for the
//! calibration.
//!
//! ```
//! use glossary::align::{align, AlignOptions, AnchorLexicon, Document};
//! use glossary::Lang;
//!
//! let vi = "Kim ngạch thương mại đạt 2,5 tỷ USD. Hai bên nhất trí tăng cường hợp tác.";
//! let en = "Trade reached 2.5 billion USD. The two sides agreed to step up cooperation.";
//! let lexicon = AnchorLexicon::from_pairs([("hợp tác", vec!["cooperation"])]);
//! let alignment = align(
//!     &Document::new(Lang::new("vi").unwrap(), vi),
//!     &Document::new(Lang::new("en").unwrap(), en),
//!     &lexicon,
//!     &AlignOptions::default(),
//! )
//! .unwrap();
//! assert_eq!(alignment.links.len(), 2);
//! assert_eq!(alignment.links[0].kind.as_str(), "1-1");
//! assert!(alignment.links[0].anchors.contains(&"number:2.5".to_string()));
//! ```
//!
//! [`equivalents::propose_equivalents`] works on aligned pairs (from here or
//! from a translation memory) and ranks English n-grams that co-occur with a
//! Vietnamese term.

mod anchors;
mod dp;
pub mod equivalents;
pub mod eval;
mod learned;
mod lexical;
mod lexicon;
pub(crate) use lexicon::AnchorLexicons;
pub mod tm;
mod tm_table;
pub(crate) use tm_table::TmWordTables;
pub use tm_table::{needs_rebuild, WordTable, MAX_TM_PAIRS, MIN_TM_PAIRS, REBUILD_GROWTH};

#[cfg(test)]
mod tests;

use std::ops::Range;

pub use anchors::AnchorKind;
pub use lexicon::{add_concept, add_terms, starter_lexicon, AnchorLexicon, LexiconEntry, MAX_TERM_TOKENS};

use crate::error::{Error, Result};
use crate::model::Lang;
use crate::text;
use anchors::{Interner, ItemCounts, LangRules, Side};
use dp::{CostParams, ItemWeight, Scorer, BEADS};

/// Largest document [`align`] accepts, in bytes of UTF-8.
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;

/// Expected length of an English translation relative to its Vietnamese
/// original, in characters without whitespace (Gale & Church's `c`).
///
/// Measured on the 1-1 links of the gold alignments in
/// `glossary/tests/data/align/` (see `docs/alignment.md`):
/// Vietnamese writes one short syllable per space-separated unit, with
/// diacritics stacked on the letters, and needs about 1.4 syllables per
/// English word, while English words are longer; the two effects nearly
/// cancel.
pub const VI_EN_LENGTH_RATIO: f64 = 1.15;

/// Gale & Church's variance of the length difference per character.
pub const DEFAULT_VARIANCE: f64 = 6.8;

/// Default prior of a 1-0 (and of a 0-1) link: 0.08. Gale & Church's
/// 0.005 fits parliamentary proceedings translated sentence by sentence;
/// news translations drop and add sentences far more often, and with the
/// smaller prior the DP glues a dropped sentence onto its neighbour
/// instead. 0.08 was chosen on the dev set (IWSLT'15 tst2012) among 0.05,
/// 0.065, 0.08, 0.1, 0.12 and 0.18 (measured in `docs/alignment.md`).
pub const DEFAULT_NULL_PRIOR: f64 = 0.08;

/// Default [`AlignOptions::tm_weight`].
pub const DEFAULT_TM_WEIGHT: f64 = 0.35;

/// Default cap on DP cells (see [`AlignOptions::max_cells`]).
pub const DEFAULT_MAX_CELLS: usize = 4_000_000;
/// Links at or above this confidence are stored in the translation memory
/// when the caller asks to store an alignment and gives no threshold.
pub const DEFAULT_STORE_MIN_CONFIDENCE: f64 = 0.8;

/// A document to align: its language and text.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    /// Language of the text (decides number conventions and date words).
    pub lang: Lang,
    /// The text; sentences are split with [`text::split_sentences`], and
    /// every line break ends a sentence.
    pub text: &'a str,
}

impl<'a> Document<'a> {
    /// A document.
    pub fn new(lang: Lang, text: &'a str) -> Document<'a> {
        Document { lang, text }
    }
}

/// Tuning of [`align`]. The defaults are the published Gale–Church values
/// and the ratio measured for Vietnamese → English.
#[derive(Clone, Debug)]
pub struct AlignOptions {
    /// Expected target/source length ratio; `None` picks
    /// [`default_length_ratio`] for the language pair.
    pub length_ratio: Option<f64>,
    /// Variance per character of the length difference (6.8).
    pub variance: f64,
    /// Weight λ of the anchor evidence against the length cost (1.0; 0
    /// turns anchors off and leaves plain Gale–Church).
    pub anchor_weight: f64,
    /// Temperature of the posteriors (1.0). Costs are divided by it before
    /// forward–backward; above 1 flattens over-confident posteriors.
    pub temperature: f64,
    /// Most DP cells one run may visit; bounds time and memory (9 bytes per
    /// cell) on long documents.
    pub max_cells: usize,
    /// Initial band half-width, overriding the automatic choice (tests).
    pub band: Option<usize>,
    /// Prior probability of a 1-0 link, and of a 0-1 link
    /// ([`DEFAULT_NULL_PRIOR`]).
    pub null_prior: f64,
    /// Learn word pairs from a first pass and align again with them (true;
    /// see the module documentation).
    pub learn_words: bool,
    /// Weight of the lexical score of a word table given to [`align_with`]
    /// (nats per nat; 0.35, chosen on the dev set among 0.15, 0.25, 0.35,
    /// 0.5 and 1, `docs/alignment.md`).
    pub tm_weight: f64,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            length_ratio: None,
            variance: DEFAULT_VARIANCE,
            anchor_weight: 1.0,
            temperature: 1.0,
            max_cells: DEFAULT_MAX_CELLS,
            band: None,
            null_prior: DEFAULT_NULL_PRIOR,
            learn_words: true,
            tm_weight: DEFAULT_TM_WEIGHT,
        }
    }
}

/// The shape of a link: how many sentences on each side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BeadKind {
    /// One sentence translated by one.
    OneOne,
    /// A source sentence left out of the translation.
    OneZero,
    /// A target sentence with no source (added by the translator).
    ZeroOne,
    /// Two source sentences merged into one.
    TwoOne,
    /// One source sentence split in two.
    OneTwo,
    /// Two and two, crossing inside (reordered clauses across a boundary).
    TwoTwo,
}

impl BeadKind {
    /// All kinds, in the order the DP uses.
    pub const ALL: [BeadKind; 6] =
        [BeadKind::OneOne, BeadKind::OneZero, BeadKind::ZeroOne, BeadKind::TwoOne, BeadKind::OneTwo, BeadKind::TwoTwo];

    /// "1-1", "1-0", "0-1", "2-1", "1-2", "2-2".
    pub fn as_str(self) -> &'static str {
        match self {
            BeadKind::OneOne => "1-1",
            BeadKind::OneZero => "1-0",
            BeadKind::ZeroOne => "0-1",
            BeadKind::TwoOne => "2-1",
            BeadKind::OneTwo => "1-2",
            BeadKind::TwoTwo => "2-2",
        }
    }

    /// Sentences on the source and target side.
    pub fn sizes(self) -> (usize, usize) {
        BEADS[self as usize]
    }

    /// Whether the link pairs sentences (not a 1-0 or 0-1).
    pub fn is_pair(self) -> bool {
        !matches!(self, BeadKind::OneZero | BeadKind::ZeroOne)
    }
}

/// Where a sentence (or a run of sentences) is in its document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextSpan {
    /// Byte offsets into the document.
    pub bytes: Range<usize>,
    /// Character (Unicode scalar) offsets into the document.
    pub chars: Range<usize>,
}

/// One link of an alignment.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// Source sentence indices (empty for 0-1).
    pub src: Range<usize>,
    /// Target sentence indices (empty for 1-0).
    pub tgt: Range<usize>,
    /// The shape.
    pub kind: BeadKind,
    /// Confidence in [0, 1]: the posterior probability squared, scaled down
    /// for a link without evidence of its own (see the module documentation).
    pub confidence: f64,
    /// The source sentences, cleaned (NFC, whitespace runs and line breaks
    /// collapsed to one space); empty for 0-1.
    pub src_text: String,
    /// The target sentences, cleaned; empty for 1-0.
    pub tgt_text: String,
    /// Where the source sentences are (`None` for 0-1).
    pub src_span: Option<TextSpan>,
    /// Where the target sentences are (`None` for 1-0).
    pub tgt_span: Option<TextSpan>,
    /// Anchors found on both sides, as `kind:item` (`number:2.5`,
    /// `date:5/2`, `name:asean`, `term:hợp tác`, `punct:?`).
    pub anchors: Vec<String>,
}

/// Counts and parameters of one alignment run.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignStats {
    /// Sentences in the source document.
    pub src_sentences: usize,
    /// Sentences in the target document.
    pub tgt_sentences: usize,
    /// The length ratio used.
    pub length_ratio: f64,
    /// Band half-width of the final DP run; `None` when the whole matrix was searched.
    pub band: Option<usize>,
    /// DP cells visited in the final run of the search, plus those of the
    /// second pass near its path (see [`SECOND_PASS_WIDTH`]).
    pub cells: usize,
    /// DP runs (more than one when the band had to be widened).
    pub attempts: u32,
    /// Entries in the anchor lexicon.
    pub lexicon_entries: usize,
    /// Word pairs learned from the first pass (see [`AlignOptions::learn_words`]).
    pub learned_words: usize,
    /// Confident links the word translation table of the second pass was
    /// learned from (those of the whole corpus with [`align_corpus`]); 0
    /// when there was no table (too few links, see `docs/alignment.md`).
    pub table_links: usize,
    /// Translation-memory pairs the background word table came from (see
    /// [`align_with`]); 0 without one.
    pub tm_pairs: usize,
}

/// The result of [`align`]: links covering every sentence of both documents
/// exactly once, in document order.
#[derive(Clone, Debug, PartialEq)]
pub struct Alignment {
    /// The links.
    pub links: Vec<Link>,
    /// Counts and parameters.
    pub stats: AlignStats,
}

impl Alignment {
    /// The sentence pairs worth remembering: links that pair sentences
    /// (not 1-0 / 0-1) with at least `min_confidence`. This is what a
    /// translation memory stores.
    pub fn pairs(&self, min_confidence: f64) -> impl Iterator<Item = &Link> + '_ {
        self.links.iter().filter(move |l| l.kind.is_pair() && l.confidence >= min_confidence)
    }
}

/// The expected target/source length ratio for a language pair:
/// [`VI_EN_LENGTH_RATIO`] for Vietnamese → English, its inverse for English →
/// Vietnamese, 1 otherwise.
pub fn default_length_ratio(src: &Lang, tgt: &Lang) -> f64 {
    match (src.primary(), tgt.primary()) {
        ("vi", "en") => VI_EN_LENGTH_RATIO,
        ("en", "vi") => 1.0 / VI_EN_LENGTH_RATIO,
        _ => 1.0,
    }
}

/// The length of a sentence as the aligner measures it: characters that are
/// not whitespace.
pub fn sentence_length(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Aligns `src` with its translation `tgt`.
///
/// Fails with [`Error::InvalidInput`] when a document is larger than
/// [`MAX_DOCUMENT_BYTES`] or an option is out of range. Empty documents are
/// fine: everything in the other one is then a 1-0 or 0-1 link.
pub fn align(
    src: &Document<'_>,
    tgt: &Document<'_>,
    lexicon: &AnchorLexicon,
    options: &AlignOptions,
) -> Result<Alignment> {
    align_with_table(src, tgt, lexicon, options, None, None)
}

/// [`align`] with a word translation table learned elsewhere — from the
/// translation memory's pairs for the language pair ([`WordTable`]) —
/// scoring every pass: the first pass alone, the second merged with the
/// document's own table when the document has enough confident links.
/// `stats.tm_pairs` says how many pairs the table came from. The table is
/// left out when [`AlignOptions::learn_words`] is off or the anchor
/// weight is 0 (plain length-based alignment); `None` gives [`align`]'s
/// result.
pub fn align_with(
    src: &Document<'_>,
    tgt: &Document<'_>,
    lexicon: &AnchorLexicon,
    options: &AlignOptions,
    background: Option<&WordTable>,
) -> Result<Alignment> {
    align_with_table(src, tgt, lexicon, options, None, background)
}

/// Aligns several document pairs as one corpus: each pair is aligned on
/// its own first, then one word translation table is learned from the
/// confident 1-1 links of all of them (see `lexical.rs`), and every pair is
/// aligned again with it. Short documents, which cannot teach a table
/// alone, then share what the others show (a collection of news articles
/// and their translations, a batch of press releases).
///
/// The results are in the order of `pairs`. When the corpus has fewer
/// confident links than the table needs, this is [`align`] on each pair.
/// Fails as [`align`] does, for the first pair that fails.
pub fn align_corpus(
    pairs: &[(Document<'_>, Document<'_>)],
    lexicon: &AnchorLexicon,
    options: &AlignOptions,
) -> Result<Vec<Alignment>> {
    let first: Vec<Alignment> =
        pairs.iter().map(|(s, t)| align_with_table(s, t, lexicon, options, None, None)).collect::<Result<_>>()?;
    if !(options.learn_words && options.anchor_weight > 0.0) {
        return Ok(first);
    }
    let min_confidence = lexical::MIN_POSTERIOR.powf(CONFIDENCE_EXPONENT);
    let units: Vec<(Vec<String>, Vec<String>)> = first
        .iter()
        .flat_map(|a| a.links.iter())
        .filter(|l| l.kind == BeadKind::OneOne && l.confidence >= min_confidence)
        .map(|l| (learned::source_units(&l.src_text), learned::target_units(&l.tgt_text)))
        .collect();
    if units.len() < lexical::MIN_LINKS {
        return Ok(first);
    }
    let corpus: Vec<(&[String], &[String])> = units.iter().map(|(s, t)| (s.as_slice(), t.as_slice())).collect();
    let table = lexical::TranslationTable::train(&corpus);
    pairs.iter().map(|(s, t)| align_with_table(s, t, lexicon, options, Some(&table), None)).collect()
}

/// [`align`], with the second pass scored by `table` when given (else by
/// a table of the pair's own when it has enough confident links).
fn align_with_table(
    src: &Document<'_>,
    tgt: &Document<'_>,
    lexicon: &AnchorLexicon,
    options: &AlignOptions,
    table: Option<&lexical::TranslationTable>,
    background: Option<&WordTable>,
) -> Result<Alignment> {
    for (doc, field) in [(src, "source.text"), (tgt, "target.text")] {
        if doc.text.len() > MAX_DOCUMENT_BYTES {
            return Err(Error::invalid(
                field,
                format!(
                    "is {} bytes long; the limit is {MAX_DOCUMENT_BYTES} bytes (split the document)",
                    doc.text.len()
                ),
            ));
        }
    }
    let prior_ratio = options.length_ratio.unwrap_or_else(|| default_length_ratio(&src.lang, &tgt.lang));
    check_positive(prior_ratio, "length_ratio")?;
    check_positive(options.variance, "variance")?;
    check_positive(options.temperature, "temperature")?;
    if !(options.null_prior > 0.0 && options.null_prior < 0.5) {
        return Err(Error::invalid("null_prior", "must be between 0 and 0.5"));
    }
    if !(options.anchor_weight.is_finite() && options.anchor_weight >= 0.0) {
        return Err(Error::invalid("anchor_weight", "must be a finite number ≥ 0"));
    }
    if options.max_cells < 1_000 {
        return Err(Error::invalid("max_cells", "must be at least 1000"));
    }

    let src_sentences = text::split_sentences(src.text, text::SentenceLang::of(&src.lang));
    let tgt_sentences = text::split_sentences(tgt.text, text::SentenceLang::of(&tgt.lang));
    let mut interner = Interner::default();
    let src_rules = LangRules::for_lang(&src.lang);
    let tgt_rules = LangRules::for_lang(&tgt.lang);
    let mut src_items: Vec<ItemCounts> = src_sentences
        .iter()
        .map(|s| anchors::extract(s.text, src_rules, Side::Source, lexicon, &mut interner))
        .collect();
    let mut tgt_items: Vec<ItemCounts> = tgt_sentences
        .iter()
        .map(|s| anchors::extract(s.text, tgt_rules, Side::Target, lexicon, &mut interner))
        .collect();
    let src_lengths: Vec<usize> = src_sentences.iter().map(|s| sentence_length(s.text)).collect();
    let tgt_lengths: Vec<usize> = tgt_sentences.iter().map(|s| sentence_length(s.text)).collect();
    let ratio = match options.length_ratio {
        Some(r) => r,
        None => document_ratio(
            prior_ratio,
            src_lengths.iter().sum::<usize>() as f64,
            tgt_lengths.iter().sum::<usize>() as f64,
        ),
    };
    let mut params = CostParams {
        ratio,
        variance: options.variance,
        anchor_weight: options.anchor_weight,
        temperature: options.temperature,
        null_cost: -options.null_prior.ln(),
    };
    let weights = item_weights(&interner, &src_items, &tgt_items);
    let background = background.filter(|_| options.anchor_weight > 0.0 && options.learn_words);
    let use_units = options.learn_words && options.anchor_weight > 0.0;
    let src_units: Vec<Vec<String>> =
        if use_units { src_sentences.iter().map(|s| learned::source_units(s.text)).collect() } else { Vec::new() };
    let tgt_units: Vec<Vec<String>> =
        if use_units { tgt_sentences.iter().map(|s| learned::target_units(s.text)).collect() } else { Vec::new() };
    let mut result = {
        let background_scorer = background.map(|b| b.table.scorer(&src_units, &tgt_units));
        let mut scorer = Scorer::new(&src_lengths, &tgt_lengths, &src_items, &tgt_items, &weights, params);
        if let Some(lex) = &background_scorer {
            scorer = scorer.with_lexical(lex, options.tm_weight);
        }
        dp::run(&mut scorer, options.max_cells, options.band)
    };
    let mut learned_words = 0;
    let mut table_links = 0;
    if use_units {
        let links: Vec<(Vec<usize>, Vec<usize>)> = result
            .beads
            .iter()
            .filter(|b| b.src.len() == 1 && b.tgt.len() == 1 && b.posterior >= learned::MIN_POSTERIOR)
            .map(|b| (b.src.clone().collect(), b.tgt.clone().collect()))
            .collect();
        learned_words =
            learned::learn_and_add(&src_units, &tgt_units, &links, &mut interner, &mut src_items, &mut tgt_items);
        // The translation table needs a few hundred confident links; a
        // short document's own links teach it too little and mostly repeat
        // the first pass (see `lexical.rs`).
        let confident: Vec<(&[String], &[String])> = result
            .beads
            .iter()
            .filter(|b| b.src.len() == 1 && b.tgt.len() == 1 && b.posterior >= lexical::MIN_POSTERIOR)
            .map(|b| (src_units[b.src.start].as_slice(), tgt_units[b.tgt.start].as_slice()))
            .collect();
        let own = match table {
            Some(table) => Some(std::borrow::Cow::Borrowed(table)),
            None if confident.len() >= lexical::MIN_LINKS => {
                Some(std::borrow::Cow::Owned(lexical::TranslationTable::train(&confident)))
            }
            None => None,
        };
        table_links = own.as_ref().map_or(0, |t| t.links);
        let lexical_scorer = match (own, background) {
            (Some(own), Some(b)) => Some((own.merge(&b.table).scorer(&src_units, &tgt_units), lexical::WEIGHT)),
            (Some(own), None) => Some((own.scorer(&src_units, &tgt_units), lexical::WEIGHT)),
            (None, Some(b)) => Some((b.table.scorer(&src_units, &tgt_units), options.tm_weight)),
            (None, None) => None,
        };
        // The document's character totals count deleted and added
        // sentences too; the first pass's confident 1-1 links measure the
        // ratio of sentences that are translations of each other.
        let first_ratio = params.ratio;
        if options.length_ratio.is_none() {
            let (ls, lt) = links
                .iter()
                .fold((0.0, 0.0), |(a, b), (s, t)| (a + src_lengths[s[0]] as f64, b + tgt_lengths[t[0]] as f64));
            params.ratio = document_ratio(first_ratio, ls, lt);
        }
        if learned_words > 0 || lexical_scorer.is_some() || (params.ratio / first_ratio - 1.0).abs() > 0.01 {
            let weights = item_weights(&interner, &src_items, &tgt_items);
            let mut scorer = Scorer::new(&src_lengths, &tgt_lengths, &src_items, &tgt_items, &weights, params);
            if let Some((lex, weight)) = &lexical_scorer {
                scorer = scorer.with_lexical(lex, *weight);
            }
            result = dp::run_near(&mut scorer, &result, SECOND_PASS_WIDTH, options.max_cells, options.band);
        }
    }
    let weights = item_weights(&interner, &src_items, &tgt_items);
    let mut scorer = Scorer::new(&src_lengths, &tgt_lengths, &src_items, &tgt_items, &weights, params);

    let src_spans = spans(src.text, &src_sentences);
    let tgt_spans = spans(tgt.text, &tgt_sentences);
    // With a word table, a link's posterior is capped by its posterior
    // against the merges and splits next to it under the model without the
    // table (see `local_posterior`).
    let tabled = table_links > 0 || background.is_some();
    let posteriors: Vec<f64> = (0..result.beads.len())
        .map(|k| {
            let p = result.beads[k].posterior;
            if tabled {
                p.min(local_posterior(&mut scorer, &result.beads, k, params.temperature))
            } else {
                p
            }
        })
        .collect();
    let mut links = Vec::with_capacity(result.beads.len());
    for (bead, posterior) in result.beads.into_iter().zip(posteriors) {
        let kind = BeadKind::ALL[bead.bead];
        let confidence = if kind.is_pair() && !evidenced(&mut scorer, &interner, &bead.src, &bead.tgt) {
            posterior.powf(CONFIDENCE_EXPONENT) * UNSUPPORTED_FACTOR
        } else {
            posterior.powf(CONFIDENCE_EXPONENT)
        };
        let shared = scorer.shared_items(bead.src.clone(), bead.tgt.clone());
        let anchors = shared.iter().map(|&id| describe(&interner, lexicon, id)).collect();
        links.push(Link {
            kind,
            confidence: (confidence * 1000.0).round() / 1000.0,
            src_text: joined_text(src.text, &src_spans, &bead.src),
            tgt_text: joined_text(tgt.text, &tgt_spans, &bead.tgt),
            src_span: run_span(&src_spans, &bead.src),
            tgt_span: run_span(&tgt_spans, &bead.tgt),
            src: bead.src,
            tgt: bead.tgt,
            anchors,
        });
    }
    Ok(Alignment {
        links,
        stats: AlignStats {
            src_sentences: src_sentences.len(),
            tgt_sentences: tgt_sentences.len(),
            length_ratio: params.ratio,
            band: result.band,
            cells: result.cells,
            attempts: result.attempts,
            lexicon_entries: lexicon.len(),
            learned_words,
            table_links,
            tm_pairs: background.map_or(0, |b| b.pairs()),
        },
    })
}

/// The second pass (learned words, the measured length ratio) searches
/// within this many sentences of the first pass's path, where its new
/// evidence moves links, and falls back to the first pass's search when
/// its path reaches that band's edge. On the conditions of
/// `docs/alignment.md` it gives the same links as a full search.
pub const SECOND_PASS_WIDTH: usize = 12;

/// Weight of the language pair's length ratio against a document pair's
/// own, in characters: the ratio used is the geometric mean of the two
/// weighted by this and by the shorter document's length.
///
/// The ratio varies with the genre and the translator: 1.18 on our
/// diplomatic documents, 0.98 on TED talk transcripts (IWSLT'15), where the
/// fixed 1.15 cost 2–5 points of link F1 (`docs/alignment.md`). A document
/// pair's own character totals measure it well once it has a few hundred
/// characters; the prior keeps a few short sentences from being read at a
/// ratio of their own.
pub const RATIO_PRIOR_CHARS: f64 = 500.0;

/// The length ratio for a document pair of `ls` and `lt` characters:
/// `prior` and `lt / ls` combined in the log domain (see
/// [`RATIO_PRIOR_CHARS`]).
fn document_ratio(prior: f64, ls: f64, lt: f64) -> f64 {
    if ls <= 0.0 || lt <= 0.0 {
        return prior;
    }
    let w = ls.min(lt) / (ls.min(lt) + RATIO_PRIOR_CHARS);
    (w * (lt / ls).ln() + (1.0 - w) * prior.ln()).exp()
}

/// A link's confidence is its posterior raised to this power (then
/// [`UNSUPPORTED_FACTOR`] for links without evidence). The posterior of a
/// model as simple as this one is over-confident: on the test conditions of
/// `docs/alignment.md`, links with posterior in [0.9, 0.95) were right 94%
/// of the time. Squaring maps them to [0.81, 0.9), so that links reported at
/// ≥ 0.9 (posterior ≥ 0.949) are right ≥ 99% of the time there.
pub const CONFIDENCE_EXPONENT: f64 = 2.0;

/// Factor applied to the posterior of a link that pairs a sentence with
/// no evidence of its own (see [`evidenced`]): such a link rests on lengths
/// alone, and two sentences left without partners fit each other's length
/// as well as true translations do. 0.75 keeps it below the 0.8 a link
/// needs to enter the translation memory, and below the 0.9 band that is
/// right 99% of the time (see `docs/alignment.md`).
pub const UNSUPPORTED_FACTOR: f64 = 0.75;

/// Whether every sentence of a pairing link shares a number, date, name,
/// glossary term or learned word with the other side (punctuation and
/// small counts do not count): a 1-1 link needs one shared item, a 1-2
/// link one for each of the two target sentences.
fn evidenced(scorer: &mut Scorer<'_>, interner: &Interner, src: &Range<usize>, tgt: &Range<usize>) -> bool {
    let mut strong = |s: Range<usize>, t: Range<usize>| {
        scorer
            .shared_items(s, t)
            .iter()
            .any(|&id| !matches!(interner.items[id as usize].0, AnchorKind::Punct | AnchorKind::Count))
    };
    src.clone().all(|i| strong(i..i + 1, tgt.clone())) && tgt.clone().all(|j| strong(src.clone(), j..j + 1))
}

/// The probability of the path's link `beads[k]` against its local
/// variants, under `scorer`: the paths that differ from the best one only
/// by merging the link with a neighbour into one bead (a 1-1 and the
/// neighbouring 1-0 into a 2-1) or by cutting the link into two beads (a
/// 2-1 into 1-1 + 1-0 either way), everything else fixed.
///
/// The word table sharpens the posteriors of the passes it scores, and a
/// small table (a TM of a hundred pairs) can push a wrong split or merge
/// past 0.9 when it knows the words of one sentence and not of the other:
/// a short sentence the translator merged into its neighbour came out as
/// 1-1 + 1-0 at 0.91–0.93 on our documents. The tableless model (length,
/// anchors, learned words) weighs the same local alternatives without that
/// skew; the reported posterior is the smaller of the two.
fn local_posterior(scorer: &mut Scorer<'_>, beads: &[dp::PathBead], k: usize, temperature: f64) -> f64 {
    let bead_of = |di: usize, dj: usize| dp::BEADS.iter().position(|&b| b == (di, dj));
    let cost = |scorer: &mut Scorer<'_>, s: &Range<usize>, t: &Range<usize>| -> Option<f64> {
        bead_of(s.len(), t.len()).map(|b| scorer.cost(b, s.end, t.end) / temperature)
    };
    let this = &beads[k];
    let Some(own) = cost(scorer, &this.src, &this.tgt) else { return this.posterior };
    // Σ exp(own − alternative) over the alternatives, relative to this link.
    let mut odds = 0.0;
    let neighbours = [k.checked_sub(1), Some(k + 1).filter(|&n| n < beads.len())];
    for n in neighbours.into_iter().flatten() {
        let other = &beads[n];
        let (first, second) = if n < k { (other, this) } else { (this, other) };
        let (s, t) = (first.src.start..second.src.end, first.tgt.start..second.tgt.end);
        if let (Some(merged), Some(theirs)) = (cost(scorer, &s, &t), cost(scorer, &other.src, &other.tgt)) {
            odds += (own + theirs - merged).exp();
        }
    }
    let (di, dj) = (this.src.len(), this.tgt.len());
    for a in 0..=di {
        for b in 0..=dj {
            if (a, b) == (0, 0) || (a, b) == (di, dj) {
                continue;
            }
            let cut_s = this.src.start + a;
            let cut_t = this.tgt.start + b;
            let first = cost(scorer, &(this.src.start..cut_s), &(this.tgt.start..cut_t));
            let second = cost(scorer, &(cut_s..this.src.end), &(cut_t..this.tgt.end));
            if let (Some(x), Some(y)) = (first, second) {
                odds += (own - x - y).exp();
            }
        }
    }
    1.0 / (1.0 + odds)
}

fn check_positive(x: f64, field: &str) -> Result<()> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(field, "must be a finite number > 0"))
    }
}

/// Evidence against a bead per name on one side of it only, when the name
/// occurs on *both* sides of the document pair (so it is carried over in
/// translation, not an English capitalised title), scaled down by how
/// often the other side has it (a name written 3 times in Vietnamese and
/// once in English costs a third in Vietnamese). Chosen on the NTREX-128
/// dev documents (0.3 / 0.7 / 1.0: del-both 0.948 / 0.950 / 0.950 against
/// 0.944 at 0); TED dev moved by at most 0.1 point.
const NAME_MISS_PENALTY: f64 = 0.7;

/// Weights of every interned item. A shared item is worth its kind's
/// weight times its *specificity* `min(4, ln(1 + N/df))`, where `df` is the
/// number of sentences (on the side where it is commoner) containing it and
/// `N` the mean number of sentences: a year that occurs in every sentence
/// proves little, a figure that occurs once proves a lot. This is the log
/// of how much likelier the item is to be shared by a true pair than by a
/// random one, capped. A name found on both sides of the document pair
/// also counts against a bead that has it on one side only
/// ([`NAME_MISS_PENALTY`]).
fn item_weights(interner: &Interner, src: &[ItemCounts], tgt: &[ItemCounts]) -> Vec<ItemWeight> {
    let mut df = vec![(0u32, 0u32); interner.items.len()];
    for s in src {
        for &(id, _) in s {
            df[id as usize].0 += 1;
        }
    }
    for t in tgt {
        for &(id, _) in t {
            df[id as usize].1 += 1;
        }
    }
    let n = ((src.len() + tgt.len()) as f64 / 2.0).max(1.0);
    interner
        .items
        .iter()
        .zip(df)
        .map(|((kind, _), (ds, dt))| {
            let df = f64::from(ds.max(dt).max(1));
            let specificity = (1.0 + n / df).ln().min(4.0);
            let (mut src_only, mut tgt_only) = kind.miss_penalty();
            if *kind == AnchorKind::Name && ds > 0 && dt > 0 {
                src_only = NAME_MISS_PENALTY * (f64::from(dt) / f64::from(ds)).min(1.0);
                tgt_only = NAME_MISS_PENALTY * (f64::from(ds) / f64::from(dt)).min(1.0);
            }
            ItemWeight { matched: kind.match_weight() * specificity, src_only, tgt_only }
        })
        .collect()
}

fn describe(interner: &Interner, lexicon: &AnchorLexicon, id: u32) -> String {
    let (kind, key) = &interner.items[id as usize];
    match kind {
        AnchorKind::Term => {
            let entry = key.parse::<u32>().ok().map(|e| lexicon.entry(e).source.as_str()).unwrap_or(key);
            format!("term:{entry}")
        }
        AnchorKind::Date if key.starts_with('m') => format!("date:month {}", &key[1..]),
        AnchorKind::Count => format!("number:{key}"),
        _ => format!("{}:{key}", kind.as_str()),
    }
}

/// Byte and character spans of the sentences of `text`.
fn spans(text: &str, sentences: &[text::Sentence<'_>]) -> Vec<TextSpan> {
    let mut out = Vec::with_capacity(sentences.len());
    let (mut byte, mut chars) = (0usize, 0usize);
    let mut advance = |to: usize| {
        chars += text[byte..to].chars().count();
        byte = to;
        chars
    };
    for s in sentences {
        let start = advance(s.start);
        let end = advance(s.end);
        out.push(TextSpan { bytes: s.start..s.end, chars: start..end });
    }
    out
}

fn run_span(spans: &[TextSpan], run: &Range<usize>) -> Option<TextSpan> {
    if run.is_empty() {
        return None;
    }
    let (first, last) = (&spans[run.start], &spans[run.end - 1]);
    Some(TextSpan { bytes: first.bytes.start..last.bytes.end, chars: first.chars.start..last.chars.end })
}

fn joined_text(text: &str, spans: &[TextSpan], run: &Range<usize>) -> String {
    run_span(spans, run).map(|s| text::clean(&text[s.bytes])).unwrap_or_default()
}
