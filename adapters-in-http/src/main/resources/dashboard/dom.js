/* DOM helpers shared by every view: the element builder, the toast, and the page's one modal dialog. */

export const $ = (id) => document.getElementById(id);

/** Builds an element; strings become text nodes (never HTML). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let toastTimer = null;
export function toast(message, bad) {
  const t = $('toast');
  t.textContent = message;
  t.className = 'toast' + (bad ? ' bad' : '');
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, bad ? 6000 : 3000);
}

let dialogAction = null;
export function dialog(title, body, okLabel, action) {
  const dlg = $('dlg');
  $('dlg-title').textContent = title;
  $('dlg-body').replaceChildren(...body);
  $('dlg-error').hidden = true;
  $('dlg-ok').textContent = okLabel || 'OK';
  $('dlg-ok').hidden = !action;
  $('dlg-ok').disabled = false;
  dialogAction = action;
  if (!dlg.open) dlg.showModal();
  const first = dlg.querySelector('#dlg-body input, #dlg-body textarea, #dlg-body select, #dlg-body button');
  (first || $('dlg-cancel')).focus();
}

export async function dialogSubmit(ev) {
  ev.preventDefault();
  if (!dialogAction) { $('dlg').close(); return; }
  $('dlg-ok').disabled = true;
  try {
    const keepOpen = await dialogAction();
    if (!keepOpen) $('dlg').close();
  } catch (e) {
    $('dlg-error').textContent = e.message;
    $('dlg-error').hidden = false;
  } finally { $('dlg-ok').disabled = false; }
}

export function field(label, input) {
  const id = 'f-' + Math.random().toString(36).slice(2, 8);
  input.id = id;
  return h('div', {}, h('label', { for: id }, label), input);
}

export function copyBox(url) {
  const input = h('input', { type: 'text', readonly: true, value: url, 'aria-label': 'Sign-in URL' });
  return h('div', { class: 'url-box' }, input,
    h('button', { type: 'button', onclick: async () => {
      try { await navigator.clipboard.writeText(url); toast('Copied'); } catch (e) { input.select(); }
    } }, 'Copy'),
    h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'small' }, 'Open'));
}
