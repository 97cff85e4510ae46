// Mining from the browser (/ui/mine): paste or drop documents, start a run,
// follow a background run's progress, then go to the review queue.
import { h, t, replace, field, say, alarm } from './dom.js';
import { api, explain } from './api.js';

export function render(main, { navigate }) {
  document.title = t('mine.title');
  const docs = [];
  const text = h('textarea', { id: 'mine-text', rows: 10, lang: 'vi' });
  const title = h('input', { type: 'text', id: 'mine-title' });
  const files = h('input', { type: 'file', id: 'mine-files', multiple: true, accept: '.txt,text/plain' });
  const top = h('input', { type: 'number', id: 'mine-top', min: 1, max: 5000, value: 200 });
  const list = h('ul', { class: 'docs', 'aria-live': 'polite' });
  const progress = h('div', { class: 'progress', hidden: true });
  let stopped = false;
  let timer = null;

  const showDocs = () =>
    replace(
      list,
      docs.map((d, i) =>
        h(
          'li',
          {},
          `${d.title} (${t('mine.chars', { n: d.text.length })}) `,
          h('button', { type: 'button', onclick: () => (docs.splice(i, 1), showDocs()), text: t('mine.remove') }),
        ),
      ),
    );
  const addFiles = async (fileList) => {
    for (const f of fileList) docs.push({ title: f.name, text: await f.text() });
    showDocs();
  };
  files.addEventListener('change', () => addFiles(files.files));
  const drop = h(
    'div',
    {
      class: 'drop',
      ondragover: (e) => (e.preventDefault(), e.currentTarget.classList.add('over')),
      ondragleave: (e) => e.currentTarget.classList.remove('over'),
      ondrop: (e) => {
        e.preventDefault();
        e.currentTarget.classList.remove('over');
        addFiles(e.dataTransfer.files);
      },
    },
    t('mine.drop'),
    ' ',
    field(t('mine.files'), files),
  );

  const poll = async (id) => {
    if (stopped) return;
    try {
      const run = await api('GET', `/mining/runs/${id}`);
      if (run.status === 'running') {
        const pct = run.progress ? run.progress.percent : 0;
        replace(
          progress,
          h('label', { for: 'mine-progress', text: t('mine.running', { id }) }),
          h('progress', { id: 'mine-progress', max: 100, value: pct.toFixed(1) }),
          h('span', { text: ` ${pct.toFixed(0)} %` }),
        );
        timer = setTimeout(() => poll(id), 700);
      } else if (run.status === 'completed') {
        finished(run);
      } else {
        replace(progress);
        alarm(t('mine.failed', { error: run.error || run.status }));
      }
    } catch (e) {
      alarm(explain(e));
    }
  };
  const finished = (run) => {
    say(t('mine.done', { id: run.id, n: run.candidates, fresh: run.new }));
    navigate(`/ui/review?run=${run.id}`);
  };

  const start = async (e) => {
    e.preventDefault();
    const all = [...docs];
    if (text.value.trim()) all.push({ title: title.value.trim() || t('mine.pasted'), text: text.value });
    if (!all.length) {
      alarm(t('mine.nothing'));
      return;
    }
    alarm('');
    progress.hidden = false;
    replace(progress, h('span', { text: t('mine.sending') }));
    try {
      const run = await api('POST', '/mining/runs', {
        json: { documents: all.map((d) => ({ title: d.title, text: d.text })), lang: 'vi', top: Number(top.value) || undefined },
      });
      if (run.status === 'running') poll(run.id);
      else finished(run);
    } catch (err) {
      replace(progress);
      alarm(explain(err));
    }
  };

  replace(
    main,
    h('h1', { text: t('mine.title') }),
    h('p', { text: t('mine.intro') }),
    h(
      'form',
      { class: 'mine', onsubmit: start },
      field(t('mine.title.label'), title),
      field(t('mine.text'), text),
      drop,
      list,
      field(t('mine.top'), top),
      h('button', { type: 'submit', class: 'primary', id: 'mine-start', text: t('mine.start') }),
    ),
    progress,
  );
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
