//! The dynamic programme: Gale–Church bead costs plus anchor evidence,
//! Viterbi for the best alignment and forward–backward for each link's
//! posterior probability, over a band around the diagonal.
//!
//! # Costs
//! A bead covering source sentences `[i0, i1)` and target sentences
//! `[j0, j1)` costs, in nats:
//!
//! ```text
//! cost = −ln P(kind) − ln 2(1 − Φ(|δ|)) − λ · evidence          (1-1, 1-2, 2-1, 2-2)
//! cost = −ln null_prior                                          (1-0, 0-1)
//! δ    = (l_t − c·l_s) / √(s² · (l_s + l_t/c) / 2)
//! ```
//!
//! with `l_s`, `l_t` the lengths in characters, `c` the expected
//! target/source length ratio, `s²` the variance per character (6.8, Gale &
//! Church 1993), and the priors of Gale & Church's table (1-1 0.89; 1-0 and
//! 0-1 0.0099 together; 2-1 and 1-2 0.089 together; 2-2 0.011), each
//! "together" split evenly between its two directions so the six priors sum
//! to one; null beads use `AlignOptions::null_prior` (0.08 by default,
//! see `DEFAULT_NULL_PRIOR`) instead of Gale & Church's 0.005. The denominator uses the mean of both lengths (as later
//! implementations do) so the cost is symmetric in the two languages.
//!
//! A deleted sentence has no length to compare, so null beads pay their
//! prior only. (Gale & Church's formula applied to `l_t = 0` charges a
//! 100-character deletion some 16 nats more, which makes the DP glue every
//! dropped sentence onto a neighbour instead.)
//!
//! # Band
//! The DP visits, for source prefix `i`, only target prefixes within `w` of
//! the point where the target has covered the same fraction of its
//! characters. Small documents (at most 250,000 cells, and `max_cells`)
//! are aligned without a band; larger ones start with `w = 64`,
//! capped so that at most `max_cells` cells are visited, and when the best
//! path touches the band's edge the DP runs again with `w` doubled (up to
//! the cap). Time is O(cells × 6 bead kinds), memory 9 bytes per cell.

use std::ops::Range;

use super::anchors::ItemCounts;
use super::lexical::LexicalScorer;

/// Bead shapes `(source sentences, target sentences)`, in the order used by
/// back-pointers.
pub(crate) const BEADS: [(usize, usize); 6] = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2)];

/// Gale & Church's priors, per direction.
#[cfg(test)]
pub(crate) const PRIORS: [f64; 6] = [0.89, 0.0099 / 2.0, 0.0099 / 2.0, 0.089 / 2.0, 0.089 / 2.0, 0.011];

/// `−ln` of the priors.
pub(crate) const PRIOR_COSTS: [f64; 6] = [
    0.116_533_816_255_951_5, // −ln 0.89
    5.308_367_702_401_538,   // −ln 0.00495 (replaced by `AlignOptions::null_prior`)
    5.308_367_702_401_538,
    3.112_266_089_809_942_6, // −ln 0.0445
    3.112_266_089_809_942_6,
    4.509_860_006_183_766, // −ln 0.011
];

/// Document pairs up to this many cells (about 500 × 500 sentences) are
/// searched whole; longer ones within a band. Whole searches of 1,000 ×
/// 1,000 sentences took 8 times the band's time on the concatenated test
/// documents for the same links.
const FULL_SEARCH_CELLS: usize = 250_000;

/// Grids up to this many cells keep their bead costs between the forward
/// and the backward pass (24 MB at most) instead of computing them twice.
const COST_CACHE_CELLS: usize = 1 << 20;

/// Smallest (and first) band half-width.
const MIN_BAND: usize = 64;

/// Per-item weights, indexed by interned item id.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ItemWeight {
    /// Evidence for a bead per occurrence found on both sides.
    pub matched: f64,
    /// Evidence against a bead per occurrence on the source side only.
    pub src_only: f64,
    /// Evidence against a bead per occurrence on the target side only.
    pub tgt_only: f64,
}

/// Parameters of the cost function.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CostParams {
    pub ratio: f64,
    pub variance: f64,
    pub anchor_weight: f64,
    pub temperature: f64,
    /// `−ln` of the prior of a 1-0 (or 0-1) link.
    pub null_cost: f64,
}

/// Scores beads of one document pair.
pub(crate) struct Scorer<'a> {
    src_prefix: Vec<f64>,
    tgt_prefix: Vec<f64>,
    src_items: &'a [ItemCounts],
    tgt_items: &'a [ItemCounts],
    /// Items of sentences `k` and `k + 1` together, per side (the
    /// two-sentence side of 2-1, 1-2 and 2-2 beads, merged once).
    src_pairs: Vec<ItemCounts>,
    tgt_pairs: Vec<ItemCounts>,
    weights: &'a [ItemWeight],
    params: CostParams,
    scratch_src: ItemCounts,
    scratch_tgt: ItemCounts,
    /// Lexical scores of the second pass and their weight.
    lexical: Option<(&'a LexicalScorer, f64)>,
}

impl<'a> Scorer<'a> {
    pub fn new(
        src_lengths: &[usize],
        tgt_lengths: &[usize],
        src_items: &'a [ItemCounts],
        tgt_items: &'a [ItemCounts],
        weights: &'a [ItemWeight],
        params: CostParams,
    ) -> Scorer<'a> {
        let prefix = |lengths: &[usize]| {
            let mut p = Vec::with_capacity(lengths.len() + 1);
            p.push(0.0);
            let mut total = 0.0;
            for &l in lengths {
                total += l as f64;
                p.push(total);
            }
            p
        };
        let pairs = |items: &[ItemCounts]| {
            items
                .windows(2)
                .map(|w| {
                    let mut out = Vec::new();
                    merge_into(w, &mut out);
                    out
                })
                .collect::<Vec<_>>()
        };
        Scorer {
            src_prefix: prefix(src_lengths),
            tgt_prefix: prefix(tgt_lengths),
            src_items,
            tgt_items,
            src_pairs: pairs(src_items),
            tgt_pairs: pairs(tgt_items),
            weights,
            params,
            scratch_src: Vec::new(),
            scratch_tgt: Vec::new(),
            lexical: None,
        }
    }

    /// Adds `weight` times the lexical score of `lexical` to the evidence
    /// of every pairing bead.
    pub fn with_lexical(mut self, lexical: &'a LexicalScorer, weight: f64) -> Scorer<'a> {
        self.lexical = Some((lexical, weight));
        self
    }

    fn n(&self) -> usize {
        self.src_prefix.len() - 1
    }

    fn m(&self) -> usize {
        self.tgt_prefix.len() - 1
    }

    /// Cost of bead `b` ending at `(i, j)`.
    pub fn cost(&mut self, b: usize, i: usize, j: usize) -> f64 {
        let (di, dj) = BEADS[b];
        let prior = if di == 0 || dj == 0 { self.params.null_cost } else { PRIOR_COSTS[b] };
        if di == 0 || dj == 0 {
            return prior;
        }
        let ls = self.src_prefix[i] - self.src_prefix[i - di];
        let lt = self.tgt_prefix[j] - self.tgt_prefix[j - dj];
        let length = length_cost(ls, lt, self.params.ratio, self.params.variance);
        let evidence = if self.params.anchor_weight > 0.0 { self.evidence(i - di..i, j - dj..j) } else { 0.0 };
        let lexical = self.lexical.map_or(0.0, |(lex, weight)| weight * lex.score(i - di..i, j - dj..j));
        prior + length - self.params.anchor_weight * evidence - lexical
    }

    /// Anchor evidence for aligning source sentences `s` with target
    /// sentences `t`: shared items count for, one-sided items against.
    fn evidence(&mut self, s: Range<usize>, t: Range<usize>) -> f64 {
        let Scorer { src_items, tgt_items, src_pairs, tgt_pairs, weights: w, .. } = self;
        // Beads have one or two sentences per side.
        let a: &[(u32, u16)] = if s.len() == 1 { &src_items[s.start] } else { &src_pairs[s.start] };
        let b: &[(u32, u16)] = if t.len() == 1 { &tgt_items[t.start] } else { &tgt_pairs[t.start] };
        let (mut x, mut y, mut total) = (0, 0, 0.0);
        while x < a.len() || y < b.len() {
            match (a.get(x), b.get(y)) {
                (Some(&(ia, ca)), Some(&(ib, cb))) if ia == ib => {
                    let shared = ca.min(cb);
                    let wi = w[ia as usize];
                    total += f64::from(shared) * wi.matched
                        - f64::from(ca - shared) * wi.src_only
                        - f64::from(cb - shared) * wi.tgt_only;
                    x += 1;
                    y += 1;
                }
                (Some(&(ia, ca)), Some(&(ib, _))) if ia < ib => {
                    total -= f64::from(ca) * w[ia as usize].src_only;
                    x += 1;
                }
                (Some(&(ia, ca)), None) => {
                    total -= f64::from(ca) * w[ia as usize].src_only;
                    x += 1;
                }
                (_, Some(&(ib, cb))) => {
                    total -= f64::from(cb) * w[ib as usize].tgt_only;
                    y += 1;
                }
                (None, None) => break,
            }
        }
        total
    }

    /// Item ids found on both sides of a bead (for reports).
    pub fn shared_items(&mut self, s: Range<usize>, t: Range<usize>) -> Vec<u32> {
        merge_into(&self.src_items[s], &mut self.scratch_src);
        merge_into(&self.tgt_items[t], &mut self.scratch_tgt);
        let mut out = Vec::new();
        let (mut x, mut y) = (0, 0);
        while let (Some(&(ia, _)), Some(&(ib, _))) = (self.scratch_src.get(x), self.scratch_tgt.get(y)) {
            match ia.cmp(&ib) {
                std::cmp::Ordering::Equal => {
                    out.push(ia);
                    x += 1;
                    y += 1;
                }
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
            }
        }
        out
    }
}

/// One bead of the best path: source `[i0, i1)`, target `[j0, j1)`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PathBead {
    pub src: Range<usize>,
    pub tgt: Range<usize>,
    pub bead: usize,
    pub posterior: f64,
}

/// The DP's answer.
#[derive(Clone, Debug)]
pub(crate) struct DpResult {
    pub beads: Vec<PathBead>,
    /// Band half-width of the final run; `None` when the whole matrix was used.
    pub band: Option<usize>,
    /// Cells visited by the final run.
    pub cells: usize,
    /// Runs made (more than one when the band was widened).
    pub attempts: u32,
}

/// Aligns `n` source with `m` target sentences.
pub(crate) fn run(scorer: &mut Scorer<'_>, max_cells: usize, band: Option<usize>) -> DpResult {
    let (n, m) = (scorer.n(), scorer.m());
    let full = (n + 1).saturating_mul(m + 1);
    let cap = (max_cells / (2 * (n + 1))).max(MIN_BAND / 2);
    let mut w = match band {
        Some(w) => Some(w.max(1)),
        None if full <= max_cells.min(FULL_SEARCH_CELLS) => None,
        None => Some(MIN_BAND.min(cap)),
    };
    let mut attempts = 0;
    loop {
        attempts += 1;
        let grid = Band::new(&scorer.src_prefix, &scorer.tgt_prefix, w);
        let (beads, touches) = solve(scorer, &grid);
        let widen = touches && w.is_some_and(|x| x < cap && x < n.max(m));
        if !widen || attempts >= 4 {
            return DpResult { beads, band: w, cells: grid.cells, attempts };
        }
        w = w.map(|x| (x * 2).min(cap));
    }
}

/// Aligns again near an earlier path (the second pass, after new anchor
/// items were added): within `w` sentences of `path`, which is where the
/// new evidence moves links; when the new best path touches the edge of
/// that band, the search falls back to [`run`].
/// The result reports the earlier run's band and runs (the search the
/// alignment rests on), and the cells of both.
pub(crate) fn run_near(
    scorer: &mut Scorer<'_>,
    earlier: &DpResult,
    w: usize,
    max_cells: usize,
    band: Option<usize>,
) -> DpResult {
    let (n, m) = (scorer.n(), scorer.m());
    let grid = Band::around(&earlier.beads, n, m, w);
    let (beads, touches) = solve(scorer, &grid);
    if touches {
        return run(scorer, max_cells, band);
    }
    DpResult { beads, band: earlier.band, cells: earlier.cells + grid.cells, attempts: earlier.attempts }
}

/// The cells the DP visits: row `i` holds target prefixes `lo[i]..=hi[i]`.
struct Band {
    lo: Vec<usize>,
    hi: Vec<usize>,
    offset: Vec<usize>,
    cells: usize,
    m: usize,
}

impl Band {
    fn new(src_prefix: &[f64], tgt_prefix: &[f64], w: Option<usize>) -> Band {
        let n = src_prefix.len() - 1;
        let m = tgt_prefix.len() - 1;
        let (mut lo, mut hi) = (Vec::with_capacity(n + 1), Vec::with_capacity(n + 1));
        match w {
            None => {
                lo.resize(n + 1, 0);
                hi.resize(n + 1, m);
            }
            Some(w) => {
                // Centre: the target prefix covering the same share of characters.
                let (src_total, tgt_total) = (src_prefix[n].max(1.0), tgt_prefix[m].max(1.0));
                let mut j = 0;
                for (i, &ls) in src_prefix.iter().enumerate() {
                    let want = ls / src_total * tgt_total;
                    while j < m && (tgt_prefix[j + 1] - want).abs() <= (tgt_prefix[j] - want).abs() {
                        j += 1;
                    }
                    let centre = if i == n {
                        m
                    } else if i == 0 {
                        0
                    } else {
                        j
                    };
                    let mut l = centre.saturating_sub(w);
                    let h = (centre + w).min(m);
                    // Keep consecutive rows overlapping so a path always exists.
                    if let Some(&prev_hi) = hi.last() {
                        l = l.min(prev_hi);
                    }
                    lo.push(l);
                    hi.push(h.max(l));
                }
            }
        }
        Band::from_rows(lo, hi, m)
    }

    /// The band around a path: row `i` holds the target prefixes the path
    /// visits at row `i`, widened by `w` on each side.
    fn around(path: &[PathBead], n: usize, m: usize, w: usize) -> Band {
        let (mut lo, mut hi) = (vec![usize::MAX; n + 1], vec![0; n + 1]);
        let mut visit = |i: usize, j: usize| {
            lo[i] = lo[i].min(j);
            hi[i] = hi[i].max(j);
        };
        visit(0, 0);
        for b in path {
            visit(b.src.end, b.tgt.end);
        }
        let mut prev_hi = 0;
        for i in 0..=n {
            let (l, h) = if lo[i] == usize::MAX { (prev_hi, prev_hi) } else { (lo[i], hi[i]) };
            lo[i] = l.saturating_sub(w).min(prev_hi);
            hi[i] = (h + w).min(m).max(lo[i]);
            prev_hi = hi[i];
        }
        lo[0] = 0;
        hi[n] = m;
        Band::from_rows(lo, hi, m)
    }

    fn from_rows(lo: Vec<usize>, hi: Vec<usize>, m: usize) -> Band {
        let mut offset = Vec::with_capacity(lo.len() + 1);
        let mut total = 0;
        for i in 0..lo.len() {
            offset.push(total);
            total += hi[i] - lo[i] + 1;
        }
        Band { lo, hi, offset, cells: total, m }
    }

    fn index(&self, i: usize, j: usize) -> Option<usize> {
        (j >= self.lo[i] && j <= self.hi[i]).then(|| self.offset[i] + j - self.lo[i])
    }

    /// Whether `(i, j)` lies on an edge of the band that is not an edge of
    /// the matrix.
    fn on_edge(&self, i: usize, j: usize) -> bool {
        (j == self.lo[i] && j > 0) || (j == self.hi[i] && j < self.m)
    }
}

/// Viterbi plus forward–backward over `grid`; returns the path and whether
/// it touches the band's edge.
fn solve(scorer: &mut Scorer<'_>, grid: &Band) -> (Vec<PathBead>, bool) {
    let (n, m) = (scorer.n(), scorer.m());
    let t = scorer.params.temperature;
    let mut alpha = vec![f64::INFINITY; grid.cells];
    let mut back = vec![u8::MAX; grid.cells];
    // Bead costs ending in each cell, kept for the backward pass when the
    // grid is small enough (24 bytes per cell); recomputed otherwise.
    let mut costs: Vec<[f32; 6]> =
        if grid.cells <= COST_CACHE_CELLS { vec![[f32::INFINITY; 6]; grid.cells] } else { Vec::new() };
    // Viterbi scores of the three most recent rows.
    let mut vit: [Vec<f64>; 3] = Default::default();
    for i in 0..=n {
        let row = &mut vit[i % 3];
        row.clear();
        row.resize(grid.hi[i] - grid.lo[i] + 1, f64::INFINITY);
        for j in grid.lo[i]..=grid.hi[i] {
            let here = grid.index(i, j).expect("cell in band");
            if i == 0 && j == 0 {
                alpha[here] = 0.0;
                vit[0][0] = 0.0;
                continue;
            }
            let mut best = (f64::INFINITY, u8::MAX);
            let mut terms = [f64::INFINITY; 6];
            for (b, &(di, dj)) in BEADS.iter().enumerate() {
                if di > i || dj > j {
                    continue;
                }
                let (pi, pj) = (i - di, j - dj);
                let Some(prev) = grid.index(pi, pj) else { continue };
                let c = scorer.cost(b, i, j);
                if let Some(cell) = costs.get_mut(here) {
                    cell[b] = c as f32;
                }
                let prev_vit = vit[pi % 3][pj - grid.lo[pi]];
                if !prev_vit.is_finite() {
                    continue;
                }
                if prev_vit + c < best.0 {
                    best = (prev_vit + c, b as u8);
                }
                terms[b] = alpha[prev] + c / t;
            }
            vit[i % 3][j - grid.lo[i]] = best.0;
            back[here] = best.1;
            alpha[here] = neg_log_sum_exp(&terms);
        }
    }

    // Trace back.
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    let mut touches = false;
    while i > 0 || j > 0 {
        touches |= grid.on_edge(i, j);
        let b = back[grid.index(i, j).expect("path stays in band")] as usize;
        let (di, dj) = BEADS[b];
        beads.push(PathBead { src: i - di..i, tgt: j - dj..j, bead: b, posterior: 0.0 });
        i -= di;
        j -= dj;
    }
    beads.reverse();

    // Backward pass, rolling rows; posteriors of the path beads as their
    // end rows come up.
    let total = alpha[grid.index(n, m).expect("end cell")];
    let mut beta: [Vec<f64>; 3] = Default::default();
    let mut next_bead = beads.len();
    for i in (0..=n).rev() {
        let width = grid.hi[i] - grid.lo[i] + 1;
        beta[i % 3].clear();
        beta[i % 3].resize(width, f64::INFINITY);
        for j in (grid.lo[i]..=grid.hi[i]).rev() {
            let value = if i == n && j == m {
                0.0
            } else {
                let mut terms = [f64::INFINITY; 6];
                for (b, &(di, dj)) in BEADS.iter().enumerate() {
                    let (ni, nj) = (i + di, j + dj);
                    if ni > n || nj > m {
                        continue;
                    }
                    let Some(cell) = grid.index(ni, nj) else { continue };
                    let next = beta[ni % 3][nj - grid.lo[ni]];
                    if next.is_finite() {
                        let c = costs.get(cell).map_or_else(|| scorer.cost(b, ni, nj), |c| f64::from(c[b]));
                        terms[b] = c / t + next;
                    }
                }
                neg_log_sum_exp(&terms)
            };
            beta[i % 3][j - grid.lo[i]] = value;
        }
        while next_bead > 0 && beads[next_bead - 1].src.end == i {
            next_bead -= 1;
            let bead = &beads[next_bead];
            let end_beta = beta[i % 3][bead.tgt.end - grid.lo[i]];
            let start = grid.index(bead.src.start, bead.tgt.start).expect("path in band");
            let c = scorer.cost(bead.bead, bead.src.end, bead.tgt.end) / t;
            let p = (total - alpha[start] - c - end_beta).exp();
            beads[next_bead].posterior = if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.0 };
        }
    }
    (beads, touches)
}

/// `−ln Σ exp(−x)`, stable; `+∞` when every term is `+∞`.
fn neg_log_sum_exp(xs: &[f64]) -> f64 {
    let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
    if !min.is_finite() {
        return f64::INFINITY;
    }
    let sum: f64 = xs.iter().map(|&x| (min - x).exp()).sum();
    min - sum.ln()
}

/// Merges sorted item-count lists (a bead has at most two sentences per
/// side), adding counts of equal ids.
fn merge_into(lists: &[ItemCounts], out: &mut ItemCounts) {
    out.clear();
    match lists {
        [] => {}
        [one] => out.extend_from_slice(one),
        [a, b] => {
            let (mut x, mut y) = (0, 0);
            while x < a.len() && y < b.len() {
                let (ia, ca) = a[x];
                let (ib, cb) = b[y];
                match ia.cmp(&ib) {
                    std::cmp::Ordering::Less => {
                        out.push((ia, ca));
                        x += 1;
                    }
                    std::cmp::Ordering::Greater => {
                        out.push((ib, cb));
                        y += 1;
                    }
                    std::cmp::Ordering::Equal => {
                        out.push((ia, ca.saturating_add(cb)));
                        x += 1;
                        y += 1;
                    }
                }
            }
            out.extend_from_slice(&a[x..]);
            out.extend_from_slice(&b[y..]);
        }
        [first, rest @ ..] => {
            let mut tail = Vec::new();
            merge_into(rest, &mut tail);
            merge_into(&[first.clone(), tail], out);
        }
    }
}

/// `−ln 2(1 − Φ(|δ|))`: how unlikely the target length is given the source
/// length (two-sided tail of the normal distribution).
pub(crate) fn length_cost(ls: f64, lt: f64, ratio: f64, variance: f64) -> f64 {
    let mean = ((ls + lt / ratio) / 2.0).max(1.0);
    let delta = (lt - ratio * ls) / (mean * variance).sqrt();
    -ln_erfc(delta.abs() / std::f64::consts::SQRT_2)
}

/// `ln erfc(x)` for `x ≥ 0`, computed in the log domain so that large
/// arguments do not underflow. Chebyshev fit of Press et al., *Numerical
/// Recipes* §6.2 (fractional error of erfc below 1.2e-7).
pub(crate) fn ln_erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    t.ln() + poly
}
