// Import and export (/ui/exchange): upload a TBX/TMX/TSV/CSV file and see the
// report; download the glossary or the translation memory.
import { h, t, replace, field, say, alarm } from './dom.js';
import { api, explain } from './api.js';

const TYPES = { tbx: 'application/xml', 'tbx-martif': 'application/xml', tmx: 'application/xml', tsv: 'text/tab-separated-values', csv: 'text/csv' };
const EXPORTS = [
  ['tbx', 'exp.tbx'],
  ['tbx-martif', 'exp.martif'],
  ['tsv', 'exp.tsv'],
  ['csv', 'exp.csv'],
  ['tmx', 'exp.tmx'],
];

function guessFormat(name) {
  const ext = name.toLowerCase().split('.').pop();
  return { tbx: 'tbx', xml: 'tbx', tmx: 'tmx', tsv: 'tsv', txt: 'tsv', csv: 'csv' }[ext] || '';
}

function report(r) {
  const rows = ['format', 'entries', 'created', 'updated', 'unchanged', 'skipped_count', 'batches'];
  return h(
    'div',
    { class: 'report card', id: 'import-report' },
    h('h3', { text: t('imp.report') }),
    h('dl', { class: 'fields' }, rows.flatMap((k) => [h('dt', { text: t(`imp.${k}`) }), h('dd', { 'data-k': k, text: r[k] })])),
    r.skipped.length
      ? [h('h4', { text: t('imp.skipped') }), h('ul', {}, r.skipped.map((s) => h('li', { text: `#${s.entry} (${t('imp.line')} ${s.line}): ${s.reason}` })))]
      : null,
    Object.keys(r.kept_as_notes).length
      ? [h('h4', { text: t('imp.notes') }), h('ul', {}, Object.entries(r.kept_as_notes).map(([k, n]) => h('li', { text: `${k}: ${n}` })))]
      : null,
    r.warnings.length ? [h('h4', { text: t('imp.warnings') }), h('ul', {}, r.warnings.map((w) => h('li', { text: w })))] : null,
  );
}

export function render(main) {
  document.title = t('ex.title');
  const file = h('input', { type: 'file', id: 'import-file', accept: '.tbx,.xml,.tmx,.tsv,.csv,.txt', required: true });
  const format = h(
    'select',
    { id: 'import-format' },
    ['', 'tbx', 'tmx', 'tsv', 'csv'].map((f) => h('option', { value: f, text: f ? f.toUpperCase() : t('imp.auto') })),
  );
  const result = h('div', { 'aria-live': 'polite' });
  const upload = async (e) => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) return;
    const fmt = format.value || guessFormat(f.name);
    replace(result, h('p', { text: t('imp.sending', { name: f.name }) }));
    try {
      const r = await api('POST', '/import', { query: { format: fmt }, body: f, type: TYPES[fmt] || 'application/octet-stream' });
      alarm('');
      say(t('imp.done', { created: r.created, updated: r.updated }));
      replace(result, report(r));
    } catch (err) {
      replace(result);
      alarm(explain(err));
    }
  };

  const src = h('input', { type: 'text', id: 'exp-src', size: 6, placeholder: 'vi' });
  const tgt = h('input', { type: 'text', id: 'exp-tgt', size: 6, placeholder: 'en' });
  const subject = h('input', { type: 'text', id: 'exp-subject' });
  const status = h(
    'select',
    { id: 'exp-status' },
    ['', 'preferred', 'admitted', 'deprecated', 'superseded'].map((s) => h('option', { value: s, text: s ? t(`status.${s}`) : t('exp.anyStatus') })),
  );
  const since = h('input', { type: 'datetime-local', id: 'exp-since' });
  const download = async (fmt) => {
    const query = { format: fmt, src: src.value.trim(), tgt: tgt.value.trim() };
    if (fmt !== 'tmx') Object.assign(query, { subject_field: subject.value.trim(), status: status.value });
    if (since.value) query.updated_since = new Date(since.value).toISOString().replace(/\.\d+Z$/, 'Z');
    try {
      const resp = await api('GET', '/export', { query, raw: true });
      const blob = await resp.blob();
      const disp = resp.headers.get('Content-Disposition') || '';
      const name = (/filename="([^"]+)"/.exec(disp) || [])[1] || `glossary.${fmt}`;
      const a = h('a', { href: URL.createObjectURL(blob), download: name, class: 'offscreen' });
      document.body.append(a);
      a.click();
      setTimeout(() => (URL.revokeObjectURL(a.href), a.remove()), 1000);
      alarm('');
      say(t('exp.done', { name, bytes: blob.size }));
    } catch (err) {
      alarm(explain(err));
    }
  };

  replace(
    main,
    h('h1', { text: t('ex.title') }),
    h(
      'section',
      { class: 'card' },
      h('h2', { text: t('imp.title') }),
      h('p', { text: t('imp.intro') }),
      h('form', { onsubmit: upload, class: 'row' }, field(t('imp.file'), file), field(t('imp.format'), format), h('button', { type: 'submit', class: 'primary', id: 'import-go', text: t('imp.go') })),
      result,
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', { text: t('exp.title') }),
      h('p', { text: t('exp.intro') }),
      h('div', { class: 'row' }, field(t('exp.src'), src), field(t('exp.tgt'), tgt), field(t('exp.subject'), subject), field(t('exp.status'), status), field(t('exp.since'), since)),
      h(
        'ul',
        { class: 'downloads' },
        EXPORTS.map(([fmt, key]) => h('li', {}, h('button', { type: 'button', id: `exp-${fmt}`, onclick: () => download(fmt), text: t(key) }))),
      ),
    ),
  );
}
