//! XLIFF 2.x: `<file>` / `<group>` / `<unit>` / `<segment>`; state on
//! `<segment>`, candidates in the Translation Candidates module
//! (`<mtc:matches>`), glossary terms in the Glossary module
//! (`<gls:glossary>`), both at the start of the unit where the core schema
//! puts module elements.

use super::{
    esc, has_content, language, qname, score_text, set_attrs, Class, Ctx, Quality, TermNote, GLOSSARY_ORIGIN, ORIGIN,
};
use crate::error::Result;
use crate::formats::xml::{XmlChild, XmlElement};
use crate::model::Lang;

/// Namespace of the Translation Candidates module.
const MTC: &str = "urn:oasis:names:tc:xliff:matches:2.0";
/// Namespace of the Glossary module.
const GLS: &str = "urn:oasis:names:tc:xliff:glossary:2.0";

pub(super) fn run(ctx: &mut Ctx<'_>, root: &XmlElement) -> Result<()> {
    let src = language(&ctx.options.src, root.attr("srcLang"), "src", "srcLang")?;
    let tgt = language(&ctx.options.tgt, root.attr("trgLang"), "tgt", "trgLang")?;
    if root.attr("trgLang").is_none() {
        let tag = set_attrs(&ctx.doc[root.start_tag.clone()], &[("trgLang", tgt.as_str())], false);
        ctx.replace(root.start_tag.clone(), tag);
    }
    for file in root.elements().filter(|e| e.local() == "file") {
        ctx.report.files += 1;
        walk(ctx, file, &src, &tgt, file.attr("translate") == Some("no"))?;
    }
    Ok(())
}

/// The units under a file or group; `no` is the inherited `translate="no"`.
fn walk(ctx: &mut Ctx<'_>, el: &XmlElement, src: &Lang, tgt: &Lang, no: bool) -> Result<()> {
    for e in el.elements() {
        let no = match e.attr("translate") {
            Some("no") => true,
            Some("yes") => false,
            _ => no,
        };
        match e.local() {
            "group" => walk(ctx, e, src, tgt, no)?,
            "unit" => unit(ctx, e, src, tgt, no)?,
            _ => {}
        }
    }
    Ok(())
}

fn unit(ctx: &mut Ctx<'_>, unit: &XmlElement, src: &Lang, tgt: &Lang, no: bool) -> Result<()> {
    let p = unit.prefix();
    let mut ids = Vec::new();
    collect_ids(unit, &mut ids);
    let mut matches = String::new();
    let mut terms: Vec<TermNote> = Vec::new();
    let mut processed: Vec<String> = Vec::new();
    let Some(first) = unit.elements().next() else { return Ok(()) };
    let indent = ctx.indent_at(first.start_tag.start);
    for seg in unit.elements().filter(|e| e.local() == "segment") {
        let Some(source) = seg.child("source") else { continue };
        let target = seg.child("target");
        let words = || super::word_count(&source.text());
        if no {
            ctx.count(Class::Skipped, words());
            continue;
        }
        let done = target.is_some_and(has_content) || matches!(seg.attr("state"), Some("reviewed" | "final"));
        if done && !ctx.options.overwrite {
            ctx.count(Class::Kept, words());
            continue;
        }
        let work = ctx.translate(source, src, tgt)?;
        ctx.count(work.class, work.words);
        if let Some(id) = seg.attr("id") {
            processed.push(id.to_string());
        }
        let mut attrs: Vec<(&str, String)> = Vec::new();
        let mut seg_id = seg.attr("id").map(str::to_string);
        if seg_id.is_none() && !work.candidates.is_empty() {
            // mtc:match needs a segment to point at.
            let id = (1..).map(|n| format!("gs{n}")).find(|id| !ids.contains(id)).expect("unbounded");
            ids.push(id.clone());
            attrs.push(("id", id.clone()));
            seg_id = Some(id);
        }
        if let Some((markup, quality)) = &work.target {
            match quality {
                Quality::Exact => {
                    attrs.push(("state", "translated".into()));
                    // A sub-state an earlier run wrote must not say fuzzy any more.
                    if seg.attr("subState").is_some_and(|v| v.starts_with("glossary-server:")) {
                        attrs.push(("subState", "glossary-server:exact-match".into()));
                    }
                }
                Quality::Fuzzy | Quality::Adapted => {
                    attrs.push(("state", "initial".into()));
                    let sub = if *quality == Quality::Fuzzy { "fuzzy-match" } else { "leveraged-tm" };
                    attrs.push(("subState", format!("glossary-server:{sub}")));
                }
            }
            match target {
                Some(t) => {
                    let start = set_attrs(&ctx.doc[t.start_tag.clone()], &[], true);
                    ctx.replace(t.span(), format!("{start}{markup}</{}>", t.name));
                }
                None => {
                    let name = qname(p, "target");
                    let seg_indent = ctx.indent_at(source.start_tag.start);
                    ctx.insert(source.end_tag.end, format!("\n{seg_indent}<{name}>{markup}</{name}>"));
                }
            }
        }
        if !attrs.is_empty() {
            let set: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            ctx.replace(seg.start_tag.clone(), set_attrs(&ctx.doc[seg.start_tag.clone()], &set, false));
        }
        let (s, t) = (qname(p, "source"), qname(p, "target"));
        for c in &work.candidates {
            let score = score_text(c.score);
            matches.push_str(&format!(
                "\n{indent}  <mtc:match ref=\"#{}\" similarity=\"{score}\" matchQuality=\"{score}\" origin=\"{ORIGIN}\" type=\"tm\"><{s}>{}</{s}><{t}>{}</{t}></mtc:match>",
                esc(seg_id.as_deref().unwrap_or_default(), true),
                esc(&c.source, false),
                esc(&c.target, false),
            ));
        }
        for n in work.terms {
            if !terms.iter().any(|x| x.source == n.source) {
                terms.push(n);
            }
        }
    }
    // Candidates an earlier run wrote for the segments done now are
    // replaced; other tools' candidates, and those of kept segments, stay.
    let mut text = String::new();
    if let Some(m) = unit.elements().find(|e| e.local() == "matches") {
        let stale = |x: &XmlElement| {
            x.attr("origin") == Some(ORIGIN)
                && x.attr("ref").and_then(|r| r.strip_prefix('#')).is_some_and(|r| processed.iter().any(|p| p == r))
        };
        if m.elements().all(stale) {
            ctx.remove(m);
        } else {
            for old in m.elements().filter(|x| stale(x)) {
                ctx.remove(old);
            }
            if !matches.is_empty() {
                let prefix = m.prefix().unwrap_or("mtc");
                ctx.insert(
                    m.start_tag.end,
                    matches.replace("<mtc:", &format!("<{prefix}:")).replace("</mtc:", &format!("</{prefix}:")),
                );
                matches.clear();
            }
        }
    }
    if !matches.is_empty() {
        text.push_str(&format!("\n{indent}<mtc:matches xmlns:mtc=\"{MTC}\">{matches}\n{indent}</mtc:matches>"));
    }
    // A glossary already in the unit (an earlier run's or another tool's) stays.
    let existing = unit.elements().any(|e| e.local() == "glossary");
    if !terms.is_empty() && !existing {
        text.push_str(&format!("\n{indent}<gls:glossary xmlns:gls=\"{GLS}\">"));
        for n in &terms {
            text.push_str(&format!(
                "\n{indent}  <gls:glossEntry><gls:term source=\"{GLOSSARY_ORIGIN}\">{}</gls:term>",
                esc(&n.source, false)
            ));
            for t in &n.targets {
                text.push_str(&format!("<gls:translation>{}</gls:translation>", esc(t, false)));
            }
            text.push_str("</gls:glossEntry>");
            ctx.report.glossary_notes += 1;
        }
        text.push_str(&format!("\n{indent}</gls:glossary>"));
    }
    if !text.is_empty() {
        ctx.insert(unit.start_tag.end, text);
    }
    Ok(())
}

fn collect_ids(el: &XmlElement, out: &mut Vec<String>) {
    for c in &el.children {
        if let XmlChild::Element(e) = c {
            if let Some(id) = e.attr("id") {
                out.push(id.to_string());
            }
            collect_ids(e, out);
        }
    }
}
