/* The API Keys tab: the key table and adding a key. */

import { api } from './api.js';
import { $, h, toast, dialog, field } from './dom.js';
import { compact, money, num } from './format.js';
import { state, reload } from './state.js';
import { statusBadges, dotClass, todayCell, toggle, clearCooldown, editControls, remove } from './credentials.js';

export function renderKeys() {
  const body = $('t-keys').tBodies[0];
  body.replaceChildren();
  if (!state.keys.length) body.append(h('tr', {}, h('td', { colspan: '8', class: 'empty' }, 'No API keys. Use “+ Add API key”.')));
  for (const k of state.keys) {
    body.append(h('tr', { 'data-id': k.id },
      h('td', { class: 'dot-cell' }, h('span', { class: dotClass(k) })),
      h('td', { 'data-label': 'Key' }, h('div', { class: 'who' }, k.name || k.id), h('div', { class: 'sub' }, k.id + ' · ' + (k.fingerprint || ''))),
      h('td', { 'data-label': 'Type' }, h('span', { class: 'chip' }, k.type), k.base_url ? h('div', { class: 'sub' }, k.base_url) : null),
      h('td', { 'data-label': 'Status', class: 'status-cell' }, statusBadges(k)),
      h('td', { 'data-label': 'Requests' }, num(k.total_requests) + ' reqs'),
      h('td', { 'data-label': 'Total' }, compact(k.total_input_tokens) + ' / ' + compact(k.total_output_tokens) + ' · ' + money(k.total_cost)),
      h('td', { 'data-label': 'Today' }, todayCell(k.today)),
      h('td', { 'data-label': '' }, h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'small-btn', 'aria-label': (k.disabled ? 'Enable ' : 'Disable ') + k.id,
          onclick: () => toggle('keys', k.id, !k.disabled) }, k.disabled ? 'Enable' : 'Disable'),
        k.cooldown_until ? h('button', { type: 'button', class: 'small-btn', title: 'Clear cooldown', 'aria-label': 'Clear cooldown of ' + k.id,
          onclick: () => clearCooldown('keys', k.id) }, 'Clear cooldown') : null,
        h('button', { type: 'button', class: 'small-btn', title: 'Controls (proxy, cap, models, tier)',
          'aria-label': 'Edit controls of ' + k.id, onclick: () => editControls('keys', k.id, k) }, '⚙'),
        h('button', { type: 'button', class: 'small-btn danger', title: 'Delete', 'aria-label': 'Delete ' + k.id,
          onclick: () => remove('keys', k.id) }, '×')))));
  }
  const real = state.cost ? state.cost.real_cost : 0;
  const reqs = state.cost ? state.cost.by_key.reduce((a, r) => a + (r.requests || 0), 0) : 0;
  $('sub-keys').textContent = 'Today real ' + money(real) + ' · ' + num(reqs) + ' reqs';
}

export function addKey() {
  const id = h('input', { required: true, placeholder: 'openai-2', spellcheck: 'false', autocomplete: 'off' });
  const name = h('input', { placeholder: 'optional', autocomplete: 'off' });
  const type = h('select', {}, h('option', { value: 'openai' }, 'OpenAI'), h('option', { value: 'azure-openai' }, 'Azure OpenAI'),
    h('option', { value: 'anthropic' }, 'Anthropic'));
  const key = h('input', { type: 'password', required: true, placeholder: 'sk-…', autocomplete: 'off', spellcheck: 'false' });
  const base = h('input', { placeholder: 'optional, e.g. https://api.openai.com/v1', spellcheck: 'false' });
  dialog('Add API key', [field('Id (file name)', id), field('Name', name), field('Type', type), field('API key', key),
    field('Base URL', base)], 'Add key', async () => {
    const body = { id: id.value.trim(), type: type.value, api_key: key.value.trim() };
    if (name.value.trim()) body.name = name.value.trim();
    if (base.value.trim()) body.base_url = base.value.trim();
    const r = await api('POST', '/admin/keys', body);
    key.value = '';
    toast('Added key ' + r.id);
    await reload();
  });
}
