// The review queue (/ui/review): pending candidates with their evidence;
// accept, reject or merge by keyboard (j/k move, a/r/m act, Esc cancels).
import { h, t, replace, debounce, link, field, say, alarm } from './dom.js';
import { api, explain } from './api.js';
import { lookupVi, hitList } from './lookup.js';

const STATES = ['pending', 'accepted', 'rejected', 'merged'];

async function counts(box) {
  try {
    const totals = await Promise.all(
      STATES.map((s) => api('GET', '/candidates', { query: { status: s, limit: 1 } }).then((p) => p.total)),
    );
    replace(
      box,
      STATES.map((s, i) => h('span', { class: `count c-${s}` }, h('strong', { id: `count-${s}`, text: totals[i] }), ' ', t(`cand.${s}`))),
    );
  } catch (e) {
    alarm(explain(e));
  }
}

function kwic(ctx) {
  return h(
    'li',
    { class: 'kwic', lang: 'vi' },
    h('span', { class: 'left', text: ctx.left }),
    h('mark', { text: ctx.term }),
    h('span', { class: 'right', text: ctx.right }),
    ctx.document ? h('span', { class: 'doc', text: ` — ${ctx.document}` }) : null,
  );
}

function candidateCard(c) {
  return h(
    'li',
    { class: 'cand card', tabindex: '-1', 'data-id': c.id },
    h(
      'div',
      { class: 'cand-head' },
      h('input', { type: 'checkbox', class: 'batch', id: `b-${c.id}`, 'aria-label': t('review.check', { term: c.term }) }),
      h('strong', { class: 'cand-term', lang: 'vi', text: c.term }),
      ' ',
      h('span', { class: 'badge', text: t(`kind.${c.kind}`) }),
      h(
        'span',
        { class: 'stats' },
        h('span', { title: t('cand.scoreLong'), text: `${t('cand.score')} ${c.score.toFixed(2)}` }),
        h('span', { text: `${t('cand.freq')} ${c.frequency}` }),
        h('span', { text: `${t('cand.docfreq')} ${c.document_frequency}` }),
      ),
    ),
    c.variants.length > 1
      ? h(
          'div',
          { class: 'variants' },
          `${t('cand.variants')}: `,
          c.variants.map((v, i) => [i ? ', ' : '', h('span', { lang: 'vi', text: v.text }), ` ×${v.count}`]),
        )
      : null,
    c.contexts.length ? h('ul', { class: 'kwics' }, c.contexts.slice(0, 4).map(kwic)) : null,
    h('div', { class: 'act' }),
  );
}

// Pre-fills the English of an accepted candidate from the translation
// memory's evidence (POST /equivalents without pairs reads the TM), unless
// the user has typed something meanwhile; the proposals stay clickable.
async function propose(c, english, box) {
  let res;
  try {
    res = await api('POST', '/equivalents', { json: { term: c.term, src: 'vi', tgt: 'en', limit: 3, min_support: 2 } });
  } catch {
    return; // No evidence to offer (or no key for this POST): the field stays empty.
  }
  if (!res.proposals.length || !english.isConnected) return;
  if (!english.value) {
    english.value = res.proposals[0].text;
    if (document.activeElement === english) english.select();
  }
  replace(
    box,
    h('span', { class: 'muted', text: `${t('review.proposed', { n: res.term_pairs })} ` }),
    res.proposals.map((p) =>
      h('button', {
        type: 'button',
        class: 'proposal',
        title: t('review.support', { k: p.joint, dice: p.dice.toFixed(2) }),
        onclick: () => {
          english.value = p.text;
          english.focus();
        },
        text: p.text,
      }),
    ),
  );
}

export async function render(main, { params }) {
  document.title = t('review.title');
  const run = params.get('run') ? Number(params.get('run')) : null;
  const countBox = h('p', { class: 'counts', id: 'counts' });
  const list = h('ol', { class: 'cands', id: 'cands' });
  const more = h('div', { class: 'pager' });
  let items = [];
  let sel = -1;
  let cursor = null;
  let busy = false;

  const cards = () => [...list.children];
  const select = (i) => {
    const all = cards();
    if (!all.length) {
      sel = -1;
      return;
    }
    sel = Math.max(0, Math.min(i, all.length - 1));
    all.forEach((el, j) => el.classList.toggle('selected', j === sel));
    all.forEach((el, j) => (j === sel ? el.setAttribute('aria-current', 'true') : el.removeAttribute('aria-current')));
    all[sel].focus();
    all[sel].scrollIntoView({ block: 'nearest' });
  };
  // Removes reviewed cards (default: the selected one) and moves on.
  const done = (message, indexes = [sel]) => {
    const all = cards();
    for (const i of [...indexes].sort((a, b) => b - a)) {
      items.splice(i, 1);
      all[i].remove();
    }
    say(message);
    counts(countBox);
    updateBatch();
    if (!cards().length) {
      sel = -1;
      replace(list, h('li', { class: 'muted empty', text: t('review.empty') }));
    } else select(Math.min(sel, cards().length - 1));
  };

  // Batch actions on the checked candidates.
  const batchReason = h('input', { type: 'text', id: 'batch-reason', autocomplete: 'off' });
  const batchCount = h('span', { class: 'muted', id: 'batch-count' });
  const checked = () => cards().map((el, i) => [el, i]).filter(([el]) => el.querySelector('input.batch')?.checked).map(([, i]) => i);
  const updateBatch = () => {
    const n = checked().length;
    batchCount.textContent = t('review.checked', { n });
    batchBar.hidden = n === 0;
  };
  const runBatch = async (kind) => {
    const picked = checked();
    const ok = [];
    let failed = 0;
    for (const i of picked) {
      const c = items[i];
      try {
        const body = kind === 'accept' ? {} : { reason: batchReason.value.trim() || null };
        await api('POST', `/candidates/${encodeURIComponent(c.id)}/${kind}`, { json: body });
        ok.push(i);
      } catch (err) {
        failed += 1;
        alarm(`${c.term}: ${explain(err)}`);
      }
    }
    done(t(kind === 'accept' ? 'review.batchAccepted' : 'review.batchRejected', { n: ok.length, failed }), ok);
  };
  const batchBar = h(
    'div',
    { class: 'batch-bar card', hidden: true },
    batchCount,
    h('button', { type: 'button', id: 'batch-accept', onclick: () => runBatch('accept'), text: t('review.batchAccept') }),
    field(t('review.reason'), batchReason),
    h('button', { type: 'button', id: 'batch-reject', onclick: () => runBatch('reject'), text: t('review.batchReject') }),
  );
  list.addEventListener('change', (e) => {
    if (e.target.matches('input.batch')) updateBatch();
  });
  const toggle = () => {
    const box = cards()[sel]?.querySelector('input.batch');
    if (box) {
      box.checked = !box.checked;
      updateBatch();
    }
  };
  const actBox = () => cards()[sel]?.querySelector('.act');
  const cancel = () => {
    const box = actBox();
    if (box) replace(box);
    if (sel >= 0) cards()[sel].focus();
  };

  const doAccept = () => {
    const c = items[sel];
    const english = h('input', { type: 'text', id: 'accept-en', lang: 'en', autocomplete: 'off' });
    const subject = h('input', { type: 'text', id: 'accept-subject', value: 'diplomacy' });
    const proposals = h('div', { class: 'proposals', id: 'proposals', 'aria-live': 'polite' });
    replace(
      actBox(),
      h(
        'form',
        {
          class: 'inline',
          onsubmit: async (e) => {
            e.preventDefault();
            if (busy) return;
            busy = true;
            try {
              const res = await api('POST', `/candidates/${encodeURIComponent(c.id)}/accept`, {
                json: { english: english.value.trim() || null, subject_field: subject.value.trim() || null },
              });
              done(t('review.accepted', { term: c.term, id: res.concept.id }));
            } catch (err) {
              alarm(explain(err));
            } finally {
              busy = false;
            }
          },
        },
        field(t('review.english'), english),
        field(t('review.subject'), subject),
        h('button', { type: 'submit', class: 'primary', text: t('review.accept') }),
        h('button', { type: 'button', onclick: cancel, text: t('review.cancel') }),
        proposals,
      ),
    );
    english.focus();
    propose(c, english, proposals);
  };

  const doReject = () => {
    const c = items[sel];
    const reason = h('input', { type: 'text', id: 'reject-reason', autocomplete: 'off' });
    replace(
      actBox(),
      h(
        'form',
        {
          class: 'inline',
          onsubmit: async (e) => {
            e.preventDefault();
            try {
              await api('POST', `/candidates/${encodeURIComponent(c.id)}/reject`, { json: { reason: reason.value.trim() || null } });
              done(t('review.rejected', { term: c.term }));
            } catch (err) {
              alarm(explain(err));
            }
          },
        },
        field(t('review.reason'), reason),
        h('button', { type: 'submit', class: 'primary', text: t('review.reject') }),
        h('button', { type: 'button', onclick: cancel, text: t('review.cancel') }),
      ),
    );
    reason.focus();
  };

  const doMerge = () => {
    const c = items[sel];
    const search = h('input', { type: 'search', id: 'merge-q', autocomplete: 'off', lang: 'vi' });
    const found = h('div', { class: 'merge-hits', 'aria-live': 'polite' });
    const merge = async (hit) => {
      try {
        const res = await api('POST', `/candidates/${encodeURIComponent(c.id)}/merge`, { json: { concept_id: hit.concept_id } });
        done(t('review.merged', { term: c.term, id: res.concept.id }));
      } catch (err) {
        alarm(explain(err));
      }
    };
    let seq = 0;
    const run = async () => {
      const q = search.value.trim();
      const mine = ++seq;
      if (!q) return replace(found);
      try {
        const res = await lookupVi(q, 8);
        if (mine === seq) replace(found, res.hits.length ? hitList(res.hits, { onPick: merge }) : h('p', { text: t('lookup.none', { q }) }));
      } catch (err) {
        alarm(explain(err));
      }
    };
    search.addEventListener('input', debounce(run, 180));
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        const first = found.querySelector('button.pick');
        if (first) first.focus();
      }
    });
    replace(
      actBox(),
      h(
        'div',
        { class: 'inline merge' },
        field(t('review.mergeInto'), search, t('review.mergeHelp')),
        found,
        h('button', { type: 'button', onclick: cancel, text: t('review.cancel') }),
      ),
    );
    search.focus();
  };

  const onKey = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Escape') return cancel();
    const tag = e.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.target.isContentEditable) return;
    if (sel < 0 && !['j', 'k'].includes(e.key)) return;
    const act = { j: () => select(sel + 1), k: () => select(sel - 1), a: doAccept, r: doReject, m: doMerge, x: toggle }[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  };
  document.addEventListener('keydown', onKey);

  const load = async () => {
    try {
      const page = await api('GET', '/candidates', { query: { status: 'pending', sort: 'score', limit: run ? 200 : 50, cursor } });
      const fresh = run ? page.items.filter((c) => c.last_run === run) : page.items;
      if (!items.length && !fresh.length) replace(list, h('li', { class: 'muted empty', text: t('review.empty') }));
      for (const c of fresh) {
        const card = candidateCard(c);
        card.addEventListener('click', () => select(cards().indexOf(card)));
        list.append(card);
      }
      items.push(...fresh);
      cursor = page.next_cursor || null;
      replace(more, cursor && !run ? h('button', { type: 'button', onclick: load, text: t('review.more') }) : null);
      if (sel < 0 && items.length) select(0);
    } catch (e) {
      alarm(explain(e));
    }
  };

  replace(
    main,
    h('h1', { text: t('review.title') }),
    countBox,
    run
      ? h('p', { class: 'run-note' }, t('review.runOnly', { run }), ' ', link('/ui/review', t('review.all')))
      : null,
    h('p', { class: 'keys', text: t('review.keys') }),
    batchBar,
    list,
    more,
  );
  await Promise.all([counts(countBox), load()]);
  return () => document.removeEventListener('keydown', onKey);
}
