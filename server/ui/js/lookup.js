// Lookup as you type: /ui/lookup?q=…
import { h, t, replace, debounce, link, termView, alarm } from './dom.js';
import { api, explain } from './api.js';

let seq = 0;

/** A list of lookup hits (used here and by the merge search of the review queue). */
export function hitList(hits, { onPick } = {}) {
  return h(
    'ol',
    { class: 'hits' },
    hits.map((hit) =>
      h(
        'li',
        { class: 'hit card' },
        h(
          'div',
          { class: 'hit-head' },
          onPick
            ? h('button', { type: 'button', class: 'pick', onclick: () => onPick(hit), text: hit.term.text })
            : link(`/ui/concepts/${encodeURIComponent(hit.concept_id)}`, h('span', { lang: 'vi', text: hit.term.text })),
          ' ',
          h('span', { class: `badge kind-${hit.match_kind}`, text: t(`match.${hit.match_kind}`) }),
          ' ',
          h('span', { class: 'score', title: t('lookup.score'), text: hit.score.toFixed(2) }),
          hit.subject_field ? h('span', { class: 'subject', text: hit.subject_field }) : null,
          h('span', { class: 'cid', text: hit.concept_id }),
        ),
        hit.term.context ? h('div', { class: 'context', lang: 'vi', text: `“${hit.term.context}”` }) : null,
        hit.term.source ? h('div', { class: 'source', text: `${t('term.source')}: ${hit.term.source}` }) : null,
        hit.targets.length
          ? h('div', { class: 'targets' }, hit.targets.map((tm) => termView(tm)))
          : h('div', { class: 'muted', text: t('lookup.noTarget') }),
      ),
    ),
  );
}

/** Looks `q` up (Vietnamese to English). */
export function lookupVi(q, limit = 20) {
  return api('GET', '/lookup', { query: { q, src: 'vi', tgt: 'en', limit } });
}

export function render(main, { params }) {
  document.title = t('lookup.title');
  const input = h('input', {
    type: 'search',
    id: 'lookup-q',
    autocomplete: 'off',
    spellcheck: 'false',
    lang: 'vi',
    value: params.get('q') || '',
    placeholder: 'huu nghi vi dai',
  });
  const results = h('section', { id: 'lookup-results', 'aria-live': 'polite', 'aria-label': t('lookup.results') });
  const run = async () => {
    const q = input.value.trim();
    const url = q ? `/ui/lookup?q=${encodeURIComponent(q)}` : '/ui/lookup';
    history.replaceState(null, '', url);
    const mine = ++seq;
    if (!q) {
      replace(results, h('p', { class: 'muted', text: t('lookup.hint') }));
      return;
    }
    try {
      const res = await lookupVi(q);
      if (mine !== seq) return;
      alarm('');
      replace(
        results,
        res.hits.length
          ? [h('p', { class: 'muted', text: t('lookup.count', { n: res.hits.length }) }), hitList(res.hits)]
          : h('p', { text: t('lookup.none', { q }) }),
      );
      // For measuring: time from navigation to the first hits on screen.
      performance.mark('lookup-rendered');
    } catch (e) {
      if (mine === seq) alarm(explain(e));
    }
  };
  input.addEventListener('input', debounce(run, 180));
  replace(
    main,
    h('h1', { text: t('lookup.title') }),
    h(
      'form',
      { role: 'search', class: 'lookup-form', onsubmit: (e) => (e.preventDefault(), run()) },
      h('label', { for: 'lookup-q', text: t('lookup.label') }),
      input,
      h('small', { text: t('lookup.help') }),
    ),
    results,
  );
  input.focus();
  run();
}
