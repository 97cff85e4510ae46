//! XLIFF 1.2: `<file>` / `<body>` / `<group>` / `<trans-unit>`, one
//! segment per unit; state on `<target>`, candidates in `<alt-trans>`,
//! glossary notes in `<note from="glossary">`.

use super::{
    esc, has_content, language, qname, score_text, set_attrs, Candidate, Class, Ctx, Quality, TermNote, NOTE_FROM,
    ORIGIN,
};
use crate::error::Result;
use crate::formats::xml::XmlElement;
use crate::model::Lang;

pub(super) fn run(ctx: &mut Ctx<'_>, root: &XmlElement) -> Result<()> {
    for file in root.elements().filter(|e| e.local() == "file") {
        ctx.report.files += 1;
        let src = language(&ctx.options.src, file.attr("source-language"), "src", "source-language")?;
        let tgt = language(&ctx.options.tgt, file.attr("target-language"), "tgt", "target-language")?;
        if file.attr("target-language").is_none() {
            let tag = set_attrs(&ctx.doc[file.start_tag.clone()], &[("target-language", tgt.as_str())], false);
            ctx.replace(file.start_tag.clone(), tag);
        }
        if let Some(body) = file.child("body") {
            units(ctx, body, &src, &tgt, false)?;
        }
    }
    Ok(())
}

/// The trans-units under `el` (a body or group), `no` when an enclosing
/// group says `translate="no"`.
fn units(ctx: &mut Ctx<'_>, el: &XmlElement, src: &Lang, tgt: &Lang, no: bool) -> Result<()> {
    for e in el.elements() {
        let no = no || e.attr("translate") == Some("no");
        match e.local() {
            "group" => units(ctx, e, src, tgt, no)?,
            "trans-unit" => unit(ctx, e, src, tgt, no)?,
            _ => {}
        }
    }
    Ok(())
}

fn unit(ctx: &mut Ctx<'_>, tu: &XmlElement, src: &Lang, tgt: &Lang, no: bool) -> Result<()> {
    let Some(source) = tu.child("source") else { return Ok(()) };
    let target = tu.child("target");
    if no {
        let words = super::word_count(&source.text());
        ctx.count(Class::Skipped, words);
        return Ok(());
    }
    if let Some(seg_source) = tu.child("seg-source") {
        return segmented(ctx, tu, seg_source, src, tgt);
    }
    if target.is_some_and(has_content) && !ctx.options.overwrite {
        let words = super::word_count(&source.text());
        ctx.count(Class::Kept, words);
        return Ok(());
    }
    let work = ctx.translate(source, src, tgt)?;
    ctx.count(work.class, work.words);
    let p = tu.prefix();
    let indent = ctx.indent_at(source.start_tag.start);
    if let Some((markup, quality)) = &work.target {
        let [state, qualifier] = state_of(*quality);
        match target {
            Some(t) => {
                let start = set_attrs(&ctx.doc[t.start_tag.clone()], &[state, qualifier], true);
                ctx.replace(t.span(), format!("{start}{markup}</{}>", t.name));
            }
            None => {
                let name = qname(p, "target");
                let start = set_attrs(&format!("<{name}>"), &[("xml:lang", tgt.as_str()), state, qualifier], true);
                ctx.insert(source.end_tag.end, format!("\n{indent}{start}{markup}</{name}>"));
            }
        }
    }
    let candidates: Vec<(Option<&str>, &Candidate)> = work.candidates.iter().map(|c| (None, c)).collect();
    annotate(ctx, tu, &indent, &candidates, &work.terms, src, tgt, None);
    Ok(())
}

/// A unit segmented with `<seg-source>` (Trados, memoQ): each
/// `<mrk mtype="seg">` is a segment of its own; the target mirrors the
/// seg-source, with the translation of each segment in the `<mrk>` of the
/// same `mid`.
fn segmented(ctx: &mut Ctx<'_>, tu: &XmlElement, seg_source: &XmlElement, src: &Lang, tgt: &Lang) -> Result<()> {
    let mut segments = Vec::new();
    seg_marks(seg_source, &mut segments);
    let target = tu.child("target");
    let mut target_marks = Vec::new();
    if let Some(t) = target {
        seg_marks(t, &mut target_marks);
    }
    // A target without segment marks (empty, or not segmented) is rebuilt.
    let rebuild = target_marks.is_empty();
    let mut fills: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut candidates: Vec<(Option<&str>, Candidate)> = Vec::new();
    let mut terms: Vec<TermNote> = Vec::new();
    let mut processed: Vec<&str> = Vec::new();
    let (mut all_filled, mut any_filled, mut worst) = (true, false, Quality::Exact);
    for m in &segments {
        let mid = m.attr("mid");
        let existing = target_marks.iter().find(|t| t.attr("mid") == mid);
        if existing.is_some_and(|e| has_content(e)) && !ctx.options.overwrite {
            ctx.count(Class::Kept, super::word_count(&m.text()));
            continue;
        }
        let work = ctx.translate(m, src, tgt)?;
        ctx.count(work.class, work.words);
        processed.extend(mid);
        // The 1.2 schema resolves `alt-trans/@mid` against the seg-source's
        // own <mrk> children only: a segment inside a <g> gets candidates
        // without one.
        let direct = seg_source.elements().any(|e| std::ptr::eq(e, *m));
        let cand_mid = if direct { mid } else { None };
        candidates.extend(work.candidates.into_iter().map(|c| (cand_mid, c)));
        for n in work.terms {
            if !terms.iter().any(|t| t.source == n.source) {
                terms.push(n);
            }
        }
        let inner = m.start_tag.end..m.end_tag.start;
        match work.target {
            Some((markup, quality)) => {
                any_filled = true;
                worst = worst.max(quality);
                match existing {
                    Some(e) if e.is_empty_tag() => {
                        let start = set_attrs(&ctx.doc[e.start_tag.clone()], &[], true);
                        ctx.replace(e.span(), format!("{start}{markup}</{}>", e.name));
                    }
                    Some(e) => ctx.replace(e.start_tag.end..e.end_tag.start, markup.clone()),
                    None => {}
                }
                fills.push((inner, markup));
            }
            None => {
                all_filled = false;
                fills.push((inner, String::new()));
            }
        }
    }
    let state = (all_filled && any_filled).then(|| state_of(worst));
    let p = tu.prefix();
    let indent = ctx.indent_at(seg_source.start_tag.start);
    match target {
        _ if !any_filled => {}
        Some(t) if !rebuild => {
            if let Some([state, qualifier]) = state {
                let start = set_attrs(&ctx.doc[t.start_tag.clone()], &[state, qualifier], false);
                ctx.replace(t.start_tag.clone(), start);
            }
        }
        _ => {
            // The seg-source's content with each segment's text replaced.
            let inner = seg_source.start_tag.end..seg_source.end_tag.start;
            let mut body = String::new();
            let mut pos = inner.start;
            for (range, text) in &fills {
                body.push_str(&ctx.doc[pos..range.start]);
                body.push_str(text);
                pos = range.end;
            }
            body.push_str(&ctx.doc[pos..inner.end]);
            let name = qname(p, "target");
            let mut attrs = vec![("xml:lang", tgt.as_str())];
            attrs.extend(state.iter().flatten().copied());
            let start = set_attrs(&format!("<{name}>"), &attrs, true);
            let element = format!("{start}{body}</{name}>");
            match target {
                Some(t) => ctx.replace(t.span(), element),
                None => ctx.insert(seg_source.end_tag.end, format!("\n{indent}{element}")),
            }
        }
    }
    if processed.is_empty() {
        return Ok(());
    }
    let candidates: Vec<(Option<&str>, &Candidate)> = candidates.iter().map(|(m, c)| (*m, c)).collect();
    annotate(ctx, tu, &indent, &candidates, &terms, src, tgt, Some(&processed));
    Ok(())
}

/// The `<mrk mtype="seg">` elements under `el`, in document order.
fn seg_marks<'e>(el: &'e XmlElement, out: &mut Vec<&'e XmlElement>) {
    for e in el.elements() {
        if e.local() == "mrk" && e.attr("mtype") == Some("seg") {
            out.push(e);
        } else {
            seg_marks(e, out);
        }
    }
}

/// `state` and `state-qualifier` of a filled target.
fn state_of(quality: Quality) -> [(&'static str, &'static str); 2] {
    let (state, qualifier) = match quality {
        Quality::Exact => ("translated", "exact-match"),
        Quality::Fuzzy => ("needs-review-translation", "fuzzy-match"),
        Quality::Adapted => ("needs-review-translation", "leveraged-tm"),
    };
    [("state", state), ("state-qualifier", qualifier)]
}

/// Writes candidates (`mid` names the segment of a segmented unit) and
/// glossary notes. What an earlier run wrote is replaced: for a segmented
/// unit, the candidates of the `segments` done now (others' stay) and no
/// note twice.
#[allow(clippy::too_many_arguments)]
fn annotate(
    ctx: &mut Ctx<'_>,
    tu: &XmlElement,
    indent: &str,
    candidates: &[(Option<&str>, &Candidate)],
    terms: &[TermNote],
    src: &Lang,
    tgt: &Lang,
    segments: Option<&[&str]>,
) {
    let p = tu.prefix();
    let ours = |e: &&XmlElement| {
        (e.local() == "alt-trans" && e.attr("origin") == Some(ORIGIN))
            || (e.local() == "note" && e.attr("from") == Some(NOTE_FROM))
    };
    let stale = |e: &&XmlElement| match segments {
        None => ours(e),
        Some(done) => {
            e.local() == "alt-trans"
                && e.attr("origin") == Some(ORIGIN)
                && e.attr("mid").is_none_or(|m| done.contains(&m))
        }
    };
    let mut kept_notes = Vec::new();
    for old in tu.elements().filter(ours) {
        if stale(&old) {
            ctx.remove(old);
        } else if old.local() == "note" {
            kept_notes.push(old.text());
        }
    }
    // After the last element of the XLIFF namespace (elements of other
    // namespaces come last in a trans-unit).
    let Some(after) = tu.elements().filter(|e| e.prefix() == p && !ours(e)).last().map(|e| e.end_tag.end) else {
        return;
    };
    let mut text = String::new();
    let (alt, s, t) = (qname(p, "alt-trans"), qname(p, "source"), qname(p, "target"));
    for (mid, c) in candidates {
        let mid = mid.map(|m| format!(" mid=\"{}\"", esc(m, true))).unwrap_or_default();
        text.push_str(&format!(
            "\n{indent}<{alt}{mid} match-quality=\"{}\" origin=\"{ORIGIN}\"><{s} xml:lang=\"{}\">{}</{s}><{t} xml:lang=\"{}\">{}</{t}></{alt}>",
            score_text(c.score),
            src.as_str(),
            esc(&c.source, false),
            tgt.as_str(),
            esc(&c.target, false),
        ));
    }
    for n in terms {
        let line = format!("{} = {}", n.source, n.targets.join("; "));
        if kept_notes.contains(&line) {
            continue;
        }
        let note = qname(p, "note");
        text.push_str(&format!(
            "\n{indent}<{note} from=\"{NOTE_FROM}\" annotates=\"source\">{}</{note}>",
            esc(&line, false)
        ));
        ctx.report.glossary_notes += 1;
    }
    if !text.is_empty() {
        ctx.insert(after, text);
    }
}
