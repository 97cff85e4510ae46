//! XLIFF 1.2: `<file>` / `<body>` / `<group>` / `<trans-unit>`, one
//! segment per unit; state on `<target>`, candidates in `<alt-trans>`,
//! glossary notes in `<note from="glossary">`.

use super::{esc, has_content, language, qname, score_text, set_attrs, Class, Ctx, Quality, NOTE_FROM, ORIGIN};
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
    if no || tu.child("seg-source").is_some() {
        let words = super::word_count(&source.text());
        ctx.count(Class::Skipped, words);
        return Ok(());
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
        let (state, qualifier) = match quality {
            Quality::Exact => ("translated", "exact-match"),
            Quality::Fuzzy => ("needs-review-translation", "fuzzy-match"),
            Quality::Adapted => ("needs-review-translation", "leveraged-tm"),
        };
        let attrs = [("state", state), ("state-qualifier", qualifier)];
        match target {
            Some(t) => {
                let start = set_attrs(&ctx.doc[t.start_tag.clone()], &attrs, true);
                ctx.replace(t.span(), format!("{start}{markup}</{}>", t.name));
            }
            None => {
                let name = qname(p, "target");
                let start = set_attrs(&format!("<{name}>"), &[("xml:lang", tgt.as_str()), attrs[0], attrs[1]], true);
                ctx.insert(source.end_tag.end, format!("\n{indent}{start}{markup}</{name}>"));
            }
        }
    }
    // What an earlier run wrote is replaced.
    let ours = |e: &&XmlElement| {
        (e.local() == "alt-trans" && e.attr("origin") == Some(ORIGIN))
            || (e.local() == "note" && e.attr("from") == Some(NOTE_FROM))
    };
    for old in tu.elements().filter(ours) {
        ctx.remove(old);
    }
    // After the last element of the XLIFF namespace (elements of other
    // namespaces come last in a trans-unit).
    let after =
        tu.elements().filter(|e| e.prefix() == p && !ours(e)).last().map_or(source.end_tag.end, |e| e.end_tag.end);
    let mut text = String::new();
    for c in &work.candidates {
        let alt = qname(p, "alt-trans");
        let (s, t) = (qname(p, "source"), qname(p, "target"));
        text.push_str(&format!(
            "\n{indent}<{alt} match-quality=\"{}\" origin=\"{ORIGIN}\"><{s} xml:lang=\"{}\">{}</{s}><{t} xml:lang=\"{}\">{}</{t}></{alt}>",
            score_text(c.score),
            src.as_str(),
            esc(&c.source, false),
            tgt.as_str(),
            esc(&c.target, false),
        ));
    }
    for n in &work.terms {
        let note = qname(p, "note");
        text.push_str(&format!(
            "\n{indent}<{note} from=\"{NOTE_FROM}\" annotates=\"source\">{} = {}</{note}>",
            esc(&n.source, false),
            esc(&n.targets.join("; "), false),
        ));
        ctx.report.glossary_notes += 1;
    }
    if !text.is_empty() {
        ctx.insert(after, text);
    }
    Ok(())
}
