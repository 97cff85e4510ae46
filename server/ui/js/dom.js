// DOM helpers and the interface strings of the chosen language.
import en from '../i18n/en.js';
import vi from '../i18n/vi.js';

const LANGS = { en, vi };
const LANG_KEY = 'glossary.uiLang';
let current = LANGS[localStorage.getItem(LANG_KEY)] ? localStorage.getItem(LANG_KEY) : 'en';

/** The interface language (`en` or `vi`). */
export function uiLang() {
  return current;
}

/** Switches the interface language (kept in localStorage). */
export function setUiLang(lang) {
  if (!LANGS[lang]) return;
  current = lang;
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}

/** The string `key` in the interface language, with `{name}` replaced from `vars`. */
export function t(key, vars = {}) {
  const s = LANGS[current][key] ?? en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/**
 * Builds an element. `attrs`: `class`, `text`, `on<event>` handlers,
 * boolean or string attributes; `children`: nodes, strings, arrays, null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the content of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Calls `fn` once `ms` have passed without another call. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** A link handled by the client-side router. */
export function link(href, ...children) {
  return h('a', { href, 'data-link': true }, ...children);
}

/** Shows a message in the polite status region. */
export function say(message) {
  const el = document.getElementById('status');
  el.textContent = message;
}

/** Shows an error in the alert region (empty message: hides it). */
export function alarm(message) {
  const el = document.getElementById('alert');
  el.textContent = message || '';
  el.hidden = !message;
}

/** A label wrapping its control, with a unique id tying them together. */
let ids = 0;
export function field(label, control, hint) {
  const id = control.id || `f${++ids}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id, text: label }), control, hint ? h('small', { text: hint }) : null);
}

/** A status badge of a term (preferred, admitted, deprecated, superseded). */
export function statusBadge(status) {
  const s = status || 'preferred';
  return h('span', { class: `badge st-${s}`, text: t(`status.${s}`) });
}

/** A term with its status, struck through when deprecated or superseded, and its details. */
export function termView(term, { details = true } = {}) {
  const gone = term.status === 'deprecated' || term.status === 'superseded';
  const text = gone ? h('del', { text: term.text }) : h('strong', { text: term.text });
  const meta = [];
  if (term.part_of_speech) meta.push(t(`pos.${term.part_of_speech}`));
  if (term.term_type) meta.push(t(`type.${term.term_type}`));
  return h(
    'div',
    { class: `term${gone ? ' gone' : ''}`, lang: term.lang },
    h('span', { class: 'lang', text: term.lang }),
    ' ',
    text,
    ' ',
    statusBadge(term.status),
    meta.length ? h('span', { class: 'meta', text: ` ${meta.join(' · ')}` }) : null,
    term.note ? h('div', { class: 'note', text: `${t('term.note')}: ${term.note}` }) : null,
    details && term.context ? h('div', { class: 'context', text: `“${term.context}”` }) : null,
    details && term.source ? h('div', { class: 'source', text: `${t('term.source')}: ${term.source}` }) : null,
  );
}

/** A button that copies `text` to the clipboard. */
export function copyButton(text, label) {
  return h('button', {
    type: 'button',
    class: 'copy',
    'aria-label': label ? `${t('copy')}: ${label}` : t('copy'),
    onclick: async (e) => {
      try {
        await navigator.clipboard.writeText(text);
        say(t('copied'));
      } catch {
        // Clipboard access needs a secure context or permission: select the text instead.
        const ta = h('textarea', { class: 'offscreen', value: text });
        document.body.append(ta);
        ta.select();
        document.execCommand('copy');
        ta.remove();
        say(t('copied'));
      }
      e.currentTarget.focus();
    },
    text: t('copy'),
  });
}
