// Translate a sentence (/ui/translate): TM matches with the word diff,
// the adapted target, and the glossary terms recognised in the sentence.
import { h, t, replace, field, copyButton, statusBadge, alarm } from './dom.js';
import { api, explain } from './api.js';

// Splits `text` (by characters, as the API counts) into plain and marked
// pieces; `spans`: [{start, end, cls, title}] sorted and not overlapping.
function marked(text, spans, tag = 'mark') {
  const chars = Array.from(text);
  const out = [];
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    if (s.start > at) out.push(chars.slice(at, s.start).join(''));
    const piece = chars.slice(s.start, s.end).join('');
    if (piece) out.push(h(tag, { class: s.cls, title: s.title || null, text: piece }));
    at = Math.max(at, s.end);
  }
  if (at < chars.length) out.push(chars.slice(at).join(''));
  return out;
}

function diffSpans(diff, side) {
  return diff
    .filter((d) => d[side].end > d[side].start)
    .map((d) => ({ start: d[side].start, end: d[side].end, cls: `diff d-${d.kind}`, title: t(`diff.${d.kind}`) }))
    .sort((a, b) => a.start - b.start);
}

function matchCard(m, query) {
  const u = m.unit;
  return h(
    'li',
    { class: 'match card' },
    h(
      'div',
      { class: 'match-head' },
      h('span', { class: 'pct', text: `${Math.round(m.score)} %` }),
      m.penalties.length
        ? h('span', { class: 'muted', text: ` ${t('tr.base', { n: Math.round(m.base_score) })}` })
        : null,
    ),
    h('div', { class: 'row2' }, h('span', { class: 'k', text: t('tr.yours') }), h('span', { lang: 'vi' }, marked(query, diffSpans(m.diff, 'query')))),
    h('div', { class: 'row2' }, h('span', { class: 'k', text: t('tr.stored') }), h('span', { lang: 'vi' }, marked(u.source, diffSpans(m.diff, 'source')))),
    h('div', { class: 'row2' }, h('span', { class: 'k', text: t('tr.target') }), h('span', { lang: 'en', class: 'tgt', text: u.target }), copyButton(u.target, u.target)),
    m.adapted
      ? h(
          'div',
          { class: 'row2 adapted' },
          h('span', { class: 'k', text: t('tr.adapted') }),
          h('span', { lang: 'en', class: 'tgt', text: m.adapted.target }),
          copyButton(m.adapted.target, m.adapted.target),
          m.adapted.substitutions.length
            ? h(
                'ul',
                { class: 'subs' },
                m.adapted.substitutions.map((s) => h('li', { text: t('tr.sub', { from: s.target_from, to: s.target_to, kind: s.kind }) })),
              )
            : null,
        )
      : null,
    m.warnings.length ? h('ul', { class: 'warnings' }, m.warnings.map((w) => h('li', { text: w }))) : null,
  );
}

function termsList(terms) {
  return h(
    'ul',
    { class: 'rec-terms' },
    terms.map((rt) =>
      h(
        'li',
        {},
        h('mark', { class: 'term-mark', lang: 'vi', text: rt.text }),
        ' → ',
        rt.concepts.map((c) =>
          h(
            'span',
            { class: 'rec' },
            c.targets.length
              ? c.targets.map((tg) => [h('span', { lang: 'en', class: tg.status === 'deprecated' ? 'gone' : null, text: tg.text }), ' ', statusBadge(tg.status), ' ', copyButton(tg.text, tg.text), ' '])
              : h('span', { class: 'muted', text: t('lookup.noTarget') }),
            c.warning ? h('small', { class: 'warn', text: ` ${c.warning}` }) : null,
          ),
        ),
      ),
    ),
  );
}

export function render(main, { params }) {
  document.title = t('tr.title');
  const text = h('textarea', { id: 'tr-text', rows: 3, lang: 'vi', value: params.get('q') || '' });
  const out = h('section', { id: 'tr-out', 'aria-live': 'polite' });
  const go = async (e) => {
    if (e) e.preventDefault();
    const q = text.value.trim();
    if (!q) return;
    history.replaceState(null, '', `/ui/translate?q=${encodeURIComponent(q)}`);
    try {
      const res = await api('POST', '/suggest', { json: { text: q, src: 'vi', tgt: 'en' } });
      alarm('');
      const spans = res.terms.map((rt) => ({
        start: rt.span.start,
        end: rt.span.end,
        cls: 'term-mark',
        title: rt.concepts.flatMap((c) => c.targets.map((x) => x.text)).join(' / '),
      }));
      replace(
        out,
        h('h2', { text: t('tr.sentence') }),
        h('p', { class: 'sentence', lang: 'vi' }, marked(res.text, spans)),
        h('h2', { text: t('tr.terms', { n: res.terms.length }) }),
        res.terms.length ? termsList(res.terms) : h('p', { class: 'muted', text: t('tr.noTerms') }),
        h('h2', { text: t('tr.matches', { n: res.matches.length }) }),
        res.matches.length ? h('ol', { class: 'matches' }, res.matches.map((m) => matchCard(m, res.text))) : h('p', { class: 'muted', text: t('tr.noMatches') }),
        res.warnings.length ? h('ul', { class: 'warnings' }, res.warnings.map((w) => h('li', { text: w }))) : null,
      );
    } catch (err) {
      alarm(explain(err));
    }
  };
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) go(e);
  });
  replace(
    main,
    h('h1', { text: t('tr.title') }),
    h('form', { onsubmit: go }, field(t('tr.label'), text, t('tr.help')), h('button', { type: 'submit', class: 'primary', id: 'tr-go', text: t('tr.go') })),
    out,
  );
  text.focus();
  if (text.value) go();
}
