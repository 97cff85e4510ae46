// The workspace shell: navigation, API key, interface language and the client-side router.
import { h, t, replace, alarm, say, uiLang, setUiLang } from './dom.js';
import { apiKey, setApiKey } from './api.js';
import * as lookup from './lookup.js';
import * as concepts from './concepts.js';
import * as review from './review.js';
import * as mine from './mine.js';
import * as translate from './translate.js';
import * as exchange from './exchange.js';

// Path patterns under /ui/ and the page that renders them.
const ROUTES = [
  { re: /^\/ui\/?$/, page: lookup, nav: 'lookup' },
  { re: /^\/ui\/lookup\/?$/, page: lookup, nav: 'lookup' },
  { re: /^\/ui\/concepts\/?$/, page: concepts, nav: 'concepts' },
  { re: /^\/ui\/concepts\/([^/]+)$/, page: concepts, nav: 'concepts' },
  { re: /^\/ui\/review\/?$/, page: review, nav: 'review' },
  { re: /^\/ui\/mine\/?$/, page: mine, nav: 'mine' },
  { re: /^\/ui\/translate\/?$/, page: translate, nav: 'translate' },
  { re: /^\/ui\/exchange\/?$/, page: exchange, nav: 'exchange' },
];
const NAV = [
  ['lookup', '/ui/lookup'],
  ['concepts', '/ui/concepts'],
  ['review', '/ui/review'],
  ['mine', '/ui/mine'],
  ['translate', '/ui/translate'],
  ['exchange', '/ui/exchange'],
];

let cleanup = null;

/** Goes to a workspace URL without reloading the page. */
export function navigate(href, { replace: rep = false } = {}) {
  if (rep) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  route();
}

function renderChrome(active) {
  const nav = document.getElementById('nav');
  replace(
    nav,
    h(
      'ul',
      {},
      NAV.map(([name, href]) =>
        h(
          'li',
          {},
          h('a', { href, 'data-link': true, 'aria-current': name === active ? 'page' : null, text: t(`nav.${name}`) }),
        ),
      ),
    ),
  );
  const keyInput = h('input', {
    type: 'password',
    id: 'api-key',
    autocomplete: 'off',
    value: apiKey(),
    placeholder: t('key.placeholder'),
    onchange: (e) => {
      setApiKey(e.target.value.trim());
      keyInput.classList.remove('needed');
      say(e.target.value.trim() ? t('key.saved') : t('key.cleared'));
    },
  });
  const langSelect = h(
    'select',
    {
      id: 'ui-lang',
      onchange: (e) => {
        setUiLang(e.target.value);
        route();
      },
    },
    h('option', { value: 'en', text: 'English', selected: uiLang() === 'en' }),
    h('option', { value: 'vi', text: 'Tiếng Việt', selected: uiLang() === 'vi' }),
  );
  replace(
    document.getElementById('settings'),
    h('label', { for: 'api-key', text: t('key.label') }),
    keyInput,
    h('label', { for: 'ui-lang', text: t('ui.language') }),
    langSelect,
  );
  document.querySelector('.skip').textContent = t('skip');
  document.querySelector('.brand').textContent = t('brand');
}

/** Renders the page of the current URL. */
export async function route() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  alarm('');
  const path = decodeURIComponent(location.pathname);
  const params = new URLSearchParams(location.search);
  const main = document.getElementById('main');
  const found = ROUTES.map((r) => [r, r.re.exec(location.pathname)]).find(([, m]) => m);
  document.documentElement.lang = uiLang();
  if (!found) {
    renderChrome('');
    document.title = t('notfound.title');
    replace(main, h('h1', { text: t('notfound.title') }), h('p', { text: t('notfound.text', { path }) }));
    return;
  }
  const [r, m] = found;
  renderChrome(r.nav);
  replace(main);
  const args = m.slice(1).map(decodeURIComponent);
  try {
    cleanup = (await r.page.render(main, { params, args, navigate })) || null;
  } catch (e) {
    alarm(String(e));
  }
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-link]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', route);
document.addEventListener('unauthorized', () => {
  const k = document.getElementById('api-key');
  if (k) k.classList.add('needed');
});
setUiLang(uiLang());
route();
