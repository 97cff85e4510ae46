// Concepts: the browse list (/ui/concepts) and one concept (/ui/concepts/{id}),
// edited in place with the version check.
import { h, t, replace, link, termView, field, say, alarm } from './dom.js';
import { api, explain, ApiError } from './api.js';

const STATUSES = ['preferred', 'admitted', 'deprecated', 'superseded'];
const POS = ['', 'noun', 'verb', 'adjective', 'adverb', 'other'];
const TYPES = ['', 'full_form', 'acronym', 'abbreviation', 'short_form', 'variant', 'phrase'];
const PAGE = 25;

export function render(main, ctx) {
  if (ctx.args[0]) return renderConcept(main, ctx.args[0]);
  return renderBrowse(main, ctx);
}

// ---- browse ----

function preferredText(c, lang) {
  const terms = c.terms.filter((x) => x.lang === lang || x.lang.startsWith(`${lang}-`));
  const best = terms.find((x) => (x.status || 'preferred') === 'preferred') || terms[0];
  return best ? best.text : '';
}

async function renderBrowse(main, { params, navigate }) {
  document.title = t('browse.title');
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') || '', lang: 'vi' });
  const lang = h('input', { type: 'text', name: 'lang', value: params.get('lang') || '', size: 6, placeholder: 'vi, en' });
  const subject = h('input', { type: 'text', name: 'subject_field', value: params.get('subject_field') || '' });
  const status = h(
    'select',
    { name: 'status' },
    h('option', { value: '', text: t('browse.anyStatus') }),
    ...['preferred', 'admitted', 'deprecated', 'superseded'].map((s) =>
      h('option', { value: s, text: t(`status.${s}`), selected: params.get('status') === s }),
    ),
  );
  const missing = h('input', { type: 'text', name: 'missing_lang', value: params.get('missing_lang') || '', size: 6, placeholder: 'en' });
  // A day from the date picker, sent as the start of that day (UTC).
  const since = h('input', { type: 'date', name: 'updated_since', value: (params.get('updated_since') || '').slice(0, 10) });
  const body = h('section', { 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e) => {
        e.preventDefault();
        const p = new URLSearchParams();
        for (const [k, el] of [['q', q], ['lang', lang], ['subject_field', subject], ['status', status], ['missing_lang', missing]]) {
          if (el.value.trim()) p.set(k, el.value.trim());
        }
        if (since.value) p.set('updated_since', `${since.value}T00:00:00Z`);
        navigate(`/ui/concepts${p.toString() ? `?${p}` : ''}`);
      },
    },
    field(t('browse.search'), q),
    field(t('browse.lang'), lang),
    field(t('browse.subject'), subject),
    field(t('browse.status'), status),
    field(t('browse.missing'), missing),
    field(t('browse.since'), since),
    h('button', { type: 'submit', text: t('browse.filter') }),
  );
  replace(main, h('h1', { text: t('browse.title') }), form, body);
  // Cursors of the pages seen, for "previous".
  const cursors = [null];
  const load = async (i) => {
    try {
      const page = await api('GET', '/concepts', {
        query: {
          q: params.get('q'),
          lang: params.get('lang'),
          subject_field: params.get('subject_field'),
          status: params.get('status'),
          missing_lang: params.get('missing_lang'),
          updated_since: params.get('updated_since'),
          cursor: cursors[i],
          limit: PAGE,
        },
      });
      if (page.next_cursor) cursors[i + 1] = page.next_cursor;
      const rows = page.items.map((c) =>
        h(
          'tr',
          {},
          h('td', {}, link(`/ui/concepts/${encodeURIComponent(c.id)}`, c.id)),
          h('td', { lang: 'vi', text: preferredText(c, 'vi') }),
          h('td', { lang: 'en', text: preferredText(c, 'en') || '—' }),
          h('td', { text: c.subject_field || '' }),
          h('td', { class: 'num', text: c.version }),
        ),
      );
      replace(
        body,
        h(
          'p',
          { class: 'muted' },
          page.total !== undefined ? t('browse.total', { n: page.total }) : '',
          ' ',
          t('browse.page', { n: i + 1 }),
        ),
        page.items.length
          ? h(
              'table',
              { class: 'list' },
              h(
                'thead',
                {},
                h('tr', {}, ['id', 'vi', 'en', 'subject', 'version'].map((k) => h('th', { scope: 'col', text: t(`browse.col.${k}`) }))),
              ),
              h('tbody', {}, rows),
            )
          : h('p', { text: t('browse.empty') }),
        h(
          'div',
          { class: 'pager' },
          i > 0 ? h('button', { type: 'button', onclick: () => load(i - 1), text: t('browse.prev') }) : null,
          page.next_cursor ? h('button', { type: 'button', onclick: () => load(i + 1), text: t('browse.next') }) : null,
        ),
      );
    } catch (e) {
      alarm(explain(e));
    }
  };
  await load(0);
}

// ---- one concept ----

async function renderConcept(main, id) {
  document.title = `${t('concept.title')} ${id}`;
  let concept;
  try {
    concept = await api('GET', `/concepts/${encodeURIComponent(id)}`);
  } catch (e) {
    replace(main, h('h1', { text: id }), h('p', { text: explain(e) }));
    return;
  }
  showConcept(main, concept);
}

function byLang(terms) {
  const groups = new Map();
  for (const term of terms) {
    if (!groups.has(term.lang)) groups.set(term.lang, []);
    groups.get(term.lang).push(term);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === 'vi' ? -1 : b === 'vi' ? 1 : a.localeCompare(b)));
}

function header(concept) {
  return h(
    'div',
    { class: 'concept-head' },
    h('h1', {}, t('concept.title'), ' ', h('code', { text: concept.id })),
    h(
      'p',
      { class: 'muted' },
      h('span', { id: 'concept-version', text: t('concept.version', { n: concept.version }) }),
      ' · ',
      t('concept.updated', { when: concept.updated }),
    ),
  );
}

function conceptFields(c) {
  return h(
    'dl',
    { class: 'fields' },
    ['subject_field', 'definition', 'note', 'source'].flatMap((k) =>
      c[k] ? [h('dt', { text: t(`concept.${k}`) }), h('dd', { text: c[k] })] : [],
    ),
  );
}

function showConcept(main, concept) {
  replace(
    main,
    header(concept),
    conceptFields(concept),
    byLang(concept.terms).map(([lang, terms]) =>
      h('section', { class: 'lang-group' }, h('h2', { text: t('concept.lang', { lang }) }), terms.map((x) => termView(x))),
    ),
    h('p', {}, h('button', { type: 'button', id: 'edit', onclick: () => editConcept(main, concept), text: t('concept.edit') })),
  );
}

function select(options, value, labelPrefix) {
  return h(
    'select',
    {},
    options.map((o) => h('option', { value: o, selected: (value || '') === o, text: o ? t(`${labelPrefix}.${o}`) : '—' })),
  );
}

// One editable term: returns the element and a reader of its value.
function termEditor(term, onRemove) {
  const text = h('input', { type: 'text', class: 'term-text', value: term.text || '', required: true });
  const lang = h('input', { type: 'text', class: 'term-lang', value: term.lang || 'en', size: 6, required: true });
  const status = select(STATUSES, term.status || 'preferred', 'status');
  status.classList.add('term-status');
  const pos = select(POS, term.part_of_speech, 'pos');
  const type = select(TYPES, term.term_type, 'type');
  const context = h('textarea', { rows: 2, value: term.context || '' });
  const source = h('input', { type: 'text', value: term.source || '' });
  const note = h('input', { type: 'text', class: 'term-note', value: term.note || '' });
  const box = h(
    'fieldset',
    { class: 'term-edit' },
    h('legend', { text: term.text || t('concept.newTerm') }),
    h('div', { class: 'row' }, field(t('term.text'), text), field(t('term.lang'), lang), field(t('term.status'), status)),
    h('div', { class: 'row' }, field(t('term.pos'), pos), field(t('term.type'), type)),
    field(t('term.context'), context),
    h('div', { class: 'row' }, field(t('term.source'), source), field(t('term.note'), note)),
    h(
      'div',
      { class: 'actions' },
      h('button', {
        type: 'button',
        class: 'deprecate',
        onclick: () => {
          status.value = 'deprecated';
          box.classList.add('gone');
          note.focus();
        },
        text: t('concept.deprecate'),
      }),
      h('button', { type: 'button', class: 'danger', onclick: () => onRemove(box), text: t('concept.removeTerm') }),
    ),
  );
  const read = () => {
    const out = { lang: lang.value.trim(), text: text.value.trim(), status: status.value };
    if (pos.value) out.part_of_speech = pos.value;
    if (type.value) out.term_type = type.value;
    for (const [k, el] of [['context', context], ['source', source], ['note', note]]) if (el.value.trim()) out[k] = el.value.trim();
    return out;
  };
  return { box, read };
}

function editConcept(main, concept, draft = null) {
  const start = draft || concept;
  const editors = [];
  const list = h('div', { class: 'term-list' });
  const addEditor = (term) => {
    const ed = termEditor(term, (box) => {
      editors.splice(editors.indexOf(ed), 1);
      box.remove();
    });
    editors.push(ed);
    list.append(ed.box);
    return ed;
  };
  start.terms.forEach(addEditor);
  const inputs = {};
  for (const k of ['subject_field', 'definition', 'note', 'source']) {
    inputs[k] = k === 'definition' ? h('textarea', { rows: 2, value: start[k] || '' }) : h('input', { type: 'text', value: start[k] || '' });
  }
  const conflict = h('section', { id: 'conflict', hidden: true, 'aria-live': 'assertive' });
  const read = () => {
    const out = { terms: editors.map((e) => e.read()) };
    for (const [k, el] of Object.entries(inputs)) if (el.value.trim()) out[k] = el.value.trim();
    return out;
  };
  const save = async (version) => {
    const mine = read();
    try {
      const saved = await api('PUT', `/concepts/${encodeURIComponent(concept.id)}`, { json: { ...mine, version } });
      say(t('concept.saved', { n: saved.version }));
      showConcept(main, saved);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        await showConflict(main, concept, mine, conflict);
      } else {
        alarm(explain(e));
      }
    }
  };
  replace(
    main,
    header(concept),
    h(
      'form',
      {
        class: 'concept-edit',
        onsubmit: (e) => {
          e.preventDefault();
          save(concept.version);
        },
      },
      h(
        'fieldset',
        { class: 'concept-fields' },
        h('legend', { text: t('concept.fields') }),
        Object.entries(inputs).map(([k, el]) => field(t(`concept.${k}`), el)),
      ),
      list,
      h(
        'div',
        { class: 'actions' },
        h('button', {
          type: 'button',
          id: 'add-term',
          onclick: () => addEditor({ lang: 'en', text: '', status: 'admitted' }).box.querySelector('input').focus(),
          text: t('concept.addTerm'),
        }),
        h('button', { type: 'submit', class: 'primary', id: 'save', text: t('concept.save') }),
        h('button', { type: 'button', onclick: () => showConcept(main, concept), text: t('concept.cancel') }),
      ),
    ),
    conflict,
  );
}

// A term's content as a comparable string.
function termKey(x) {
  const keys = ['lang', 'text', 'status', 'part_of_speech', 'term_type', 'context', 'source', 'note'];
  return JSON.stringify(keys.map((k) => x[k] || (k === 'status' ? 'preferred' : '')));
}

// One side of a conflict; what the other side lacks is marked.
function summary(c, other) {
  const theirs = new Set(other.terms.map(termKey));
  const fields = conceptFields(c);
  [...fields.querySelectorAll('dd')].forEach((dd, i) => {
    const k = ['subject_field', 'definition', 'note', 'source'].filter((f) => c[f])[i];
    if ((other[k] || '') !== c[k]) dd.classList.add('differs');
  });
  return h(
    'div',
    { class: 'summary' },
    fields,
    c.terms.map((x) => {
      const v = termView(x);
      if (!theirs.has(termKey(x))) {
        v.classList.add('differs');
        v.title = t('conflict.differs');
      }
      return v;
    }),
  );
}

async function showConflict(main, concept, mine, box) {
  let server;
  try {
    server = await api('GET', `/concepts/${encodeURIComponent(concept.id)}`);
  } catch (e) {
    alarm(explain(e));
    return;
  }
  alarm(t('conflict.alert', { n: server.version }));
  replace(
    box,
    h('h2', { text: t('conflict.title') }),
    h('p', { text: t('conflict.text', { mine: concept.version, theirs: server.version }) }),
    h(
      'div',
      { class: 'columns' },
      h('div', { class: 'card', id: 'conflict-mine' }, h('h3', { text: t('conflict.mine') }), summary(mine, server)),
      h('div', { class: 'card', id: 'conflict-theirs' }, h('h3', { text: t('conflict.theirs', { n: server.version }) }), summary(server, mine)),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', {
        type: 'button',
        id: 'keep-mine',
        class: 'primary',
        onclick: async () => {
          try {
            const saved = await api('PUT', `/concepts/${encodeURIComponent(concept.id)}`, {
              json: { ...mine, version: server.version },
            });
            alarm('');
            say(t('concept.saved', { n: saved.version }));
            showConcept(main, saved);
          } catch (e) {
            if (e instanceof ApiError && e.code === 'version_conflict') showConflict(main, concept, mine, box);
            else alarm(explain(e));
          }
        },
        text: t('conflict.keepMine'),
      }),
      h('button', {
        type: 'button',
        id: 'take-theirs',
        onclick: () => {
          alarm('');
          say(t('conflict.took', { n: server.version }));
          showConcept(main, server);
        },
        text: t('conflict.takeTheirs'),
      }),
      h('button', {
        type: 'button',
        id: 'edit-theirs',
        onclick: () => {
          alarm('');
          editConcept(main, server, mine);
        },
        text: t('conflict.merge'),
      }),
    ),
  );
  box.hidden = false;
  box.scrollIntoView({ block: 'start' });
  box.querySelector('#keep-mine').focus();
}
