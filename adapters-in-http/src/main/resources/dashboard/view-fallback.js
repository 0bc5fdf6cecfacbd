/* The Claude tab's Vertex AI fallback rules, edited in place (when the server offers them). */

import { api } from './api.js';
import { $, h } from './dom.js';
import { state } from './state.js';

// Live events redraw the whole page from the server; while the rules hold edits not yet saved, this view keeps
// them (and says so) instead of replacing them with the server's copy.
let unsaved = false;

export function renderFallback() {
  const box = $('fallback-body');
  if (unsaved && box.childElementCount) return;
  const fb = state.fallback;
  const gcp = state.gcp;
  box.replaceChildren();
  if (gcp) {
    box.append(h('p', { class: gcp.available ? '' : 'warn-text' }, gcp.available
      ? 'Vertex AI: project ' + (gcp.project_id || '?') + ' · ' + (gcp.location || '?') + ' · auth ' + (gcp.auth_method || '?')
      : 'Vertex AI unavailable' + (gcp.error ? ': ' + gcp.error : '')));
  }
  if (!fb || !fb.policy) {
    box.append(h('span', { class: 'muted' }, 'Fallback rules are not available on this server.'));
    return;
  }
  const variants = fb.variants || [];
  const rules = (fb.policy.rules || []).map((r) => Object.assign({}, r));
  const enabled = h('input', { type: 'checkbox', checked: fb.policy.enabled, style: 'width:auto' });
  const note = h('span', { class: 'muted small', role: 'status' });
  const edited = () => { unsaved = true; note.textContent = 'unsaved changes'; };
  enabled.addEventListener('change', edited);
  const tbody = h('tbody');
  const variantSelect = (value, any) => {
    const s = h('select', {}, any ? h('option', { value: '' }, 'any') : null,
      variants.map((v) => h('option', { value: v.id, title: v.description || '' }, v.label || v.id)));
    s.value = value || '';
    return s;
  };
  const draw = () => {
    tbody.replaceChildren();
    rules.forEach((r, i) => {
      const on = h('input', { type: 'checkbox', checked: r.enabled !== false, style: 'width:auto', 'aria-label': 'Rule ' + (i + 1) + ' on' });
      on.addEventListener('change', () => { r.enabled = on.checked; edited(); });
      const from = h('input', { value: r.from_model || '', 'aria-label': 'From model' });
      from.addEventListener('input', () => { r.from_model = from.value; edited(); });
      const fromV = variantSelect(r.from_variant, true);
      fromV.addEventListener('change', () => { r.from_variant = fromV.value; edited(); });
      const to = h('input', { value: r.to_model || '', 'aria-label': 'To Vertex model' });
      to.addEventListener('input', () => { r.to_model = to.value; edited(); });
      const toV = variantSelect(r.to_variant || 'preserve', false);
      toV.addEventListener('change', () => { r.to_variant = toV.value; edited(); });
      tbody.append(h('tr', {}, h('td', {}, on), h('td', {}, from), h('td', {}, fromV), h('td', {}, to), h('td', {}, toV),
        h('td', {}, h('button', { type: 'button', class: 'small-btn danger', 'aria-label': 'Remove rule ' + (i + 1),
          onclick: () => { rules.splice(i, 1); draw(); edited(); } }, '×'))));
    });
  };
  draw();
  box.append(
    h('label', { class: 'check' }, enabled, 'Fallback enabled'),
    h('div', { class: 'table-wrap', style: 'margin:.6rem 0' }, h('table', { class: 'compact' },
      h('thead', {}, h('tr', {}, ['On', 'From model', 'From variant', 'To Vertex model', 'To variant', ''].map((t) => h('th', {}, t)))), tbody)),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => { rules.push({ enabled: true, from_model: '', from_variant: '', to_model: '', to_variant: 'preserve' }); draw(); edited(); } }, 'Add rule'),
      h('button', { type: 'button', class: 'primary', onclick: async () => {
        note.textContent = 'saving…';
        try {
          await api('PUT', '/admin/claude-fallback', { policy: { enabled: enabled.checked, rules } });
          unsaved = false;
          note.textContent = 'saved';
        } catch (e) { note.textContent = 'error: ' + e.message; }
      } }, 'Save routing'), note));
}
