/* The Health tab: server facts, pool files that failed to load, and deleted credentials to restore. */

import { api } from './api.js';
import { $, h, toast } from './dom.js';
import { ago, span } from './format.js';
import { state, reload } from './state.js';

export function renderHealth() {
  const s = state.status;
  if (!s) return;
  const facts = $('health-facts');
  facts.replaceChildren();
  const rows = [['Version', s.version], ['Started', s.started_at + ' (up ' + span(s.uptime_seconds) + ')'],
    ['Listening', s.listen], ['Time zone', s.zone], ['Data dir', s.data_dir], ['Pool dir', s.pool_dir],
    ['Admin token', s.token_source || s.token_file], ['Disabled credentials', String(s.disabled)]];
  for (const [k, v] of rows) facts.append(h('dt', {}, k), h('dd', {}, v || '–'));
  const list = $('health-problems');
  list.replaceChildren();
  if (!s.problems.length) list.append(h('li', { class: 'muted' }, 'None: every pool file loaded.'));
  for (const p of s.problems) list.append(h('li', {}, h('code', {}, p.file), ' — ', p.problem));
  const gone = $('health-deleted');
  gone.replaceChildren();
  if (!state.deleted.length) gone.append(h('li', { class: 'muted' }, 'None: deleted credentials wait here until restored.'));
  for (const d of state.deleted) {
    gone.append(h('li', { 'data-name': d.name }, h('strong', {}, d.label || d.file), ' ',
      h('span', { class: 'sub' }, (d.kind || d.folder) + ' · deleted ' + ago(d.deleted_at)
        + (d.problem ? ' · ' + d.problem : '')), ' ',
      h('button', { type: 'button', class: 'small-btn', 'aria-label': 'Restore ' + (d.label || d.file),
        onclick: () => restore(d) }, 'Restore')));
  }
}

async function restore(d) {
  try {
    await api('POST', '/admin/deleted/' + encodeURIComponent(d.name) + '/restore');
    toast('Restored ' + (d.label || d.file));
    await reload();
  } catch (e) { toast('Restore failed: ' + e.message, true); }
}
