/* The Clients tab: client keys with their rules, budgets and use; creating (secret shown once), editing, revoking. */

import { api } from './api.js';
import { $, h, toast, dialog, field } from './dom.js';
import { ago, compact, money, num, shortTime } from './format.js';
import { state, reload } from './state.js';

function baseUrl() {
  return (state.publicBaseUrl || window.location.origin).replace(/\/+$/, '');
}

function budgetBar(spent, budget) {
  const cost = Number(spent || 0);
  if (budget === null || budget === undefined) return h('span', {}, money(cost), h('div', { class: 'sub' }, 'no budget'));
  const b = Number(budget);
  const pct = b > 0 ? cost / b : 1;
  const cls = pct >= 1 ? 'bar bad' : pct >= 0.8 ? 'bar warn' : 'bar';
  return h('div', {},
    h('div', { class: cls, role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(Math.min(pct, 1) * 100)) },
      h('span', { style: 'width:' + (Math.min(1, pct) * 100).toFixed(1) + '%' })),
    h('div', { class: 'bar-label' }, money(cost) + ' of ' + money(b)));
}

function ruleChips(k) {
  const out = [];
  for (const m of k.models || []) out.push(h('span', { class: 'chip' }, m));
  for (const r of k.routes || []) out.push(h('span', { class: 'chip' }, r));
  if (k.rpm) out.push(h('span', { class: 'chip' }, k.rpm + ' rpm'));
  if (k.max_concurrent) out.push(h('span', { class: 'chip' }, k.max_concurrent + ' at once'));
  if (k.expires_at) out.push(h('span', { class: 'chip' }, 'expires ' + shortTime(k.expires_at)));
  return out.length ? out : [h('span', { class: 'muted' }, 'any model, any route')];
}

export function renderClients() {
  const body = $('t-clients').tBodies[0];
  body.replaceChildren();
  $('c-clients').textContent = state.clients.length ? String(state.clients.length) : '';
  if (!state.clients.length) body.append(h('tr', {}, h('td', { colspan: '9', class: 'empty' }, 'No client keys: the routes take the proxy token (or are open). Use “+ New client key”.')));
  for (const k of state.clients) {
    const st = k.state || 'active';
    const badge = st === 'active' ? 'badge ok' : st === 'over_budget' ? 'badge warn' : st === 'revoked' ? 'badge off' : 'badge bad';
    const dot = st === 'active' ? 'dot' : st === 'over_budget' ? 'dot warn' : st === 'revoked' ? 'dot off' : 'dot bad';
    const actions = [];
    if (st !== 'revoked') {
      actions.push(h('button', { type: 'button', class: 'small-btn', 'aria-label': 'Edit ' + k.name, onclick: () => editClient(k) }, 'Edit'));
      actions.push(h('button', { type: 'button', class: 'small-btn danger', 'aria-label': 'Revoke ' + k.name, onclick: () => revokeClient(k) }, 'Revoke'));
    } else {
      actions.push(h('button', { type: 'button', class: 'small-btn danger', title: 'Delete (usage history stays)', 'aria-label': 'Delete ' + k.name, onclick: () => deleteClient(k) }, '×'));
    }
    body.append(h('tr', { 'data-id': k.id },
      h('td', { class: 'dot-cell' }, h('span', { class: dot })),
      h('td', { 'data-label': 'Name' }, h('div', { class: 'who' }, k.name), h('div', { class: 'sub' }, k.id + ' · ' + k.prefix + '…')),
      h('td', { 'data-label': 'Rules' }, ruleChips(k)),
      h('td', { 'data-label': 'State', class: 'status-cell' }, h('span', { class: badge }, st.replace('_', ' '))),
      h('td', { 'data-label': 'Today' }, budgetBar(k.today && k.today.cost_usd, k.daily_budget_usd)),
      h('td', { 'data-label': 'This month' }, budgetBar(k.month && k.month.cost_usd, k.monthly_budget_usd)),
      h('td', { 'data-label': 'Requests' }, num(k.today && k.today.requests) + ' today', h('div', { class: 'sub' }, num(k.month && k.month.requests) + ' this month · ' + compact(k.month && k.month.tokens) + ' tok')),
      h('td', { 'data-label': 'Last use' }, k.last_used_at ? ago(k.last_used_at) : h('span', { class: 'muted' }, 'never')),
      h('td', { 'data-label': '' }, h('div', { class: 'row-actions' }, actions))));
  }
}

/** The rule fields of the create and edit dialogs; {@code read()} gives the JSON body. */
function clientRuleFields(k) {
  k = k || {};
  const models = h('input', { name: 'models', placeholder: 'any, e.g. claude-sonnet-*, gpt-5*', spellcheck: 'false', value: (k.models || []).join(', ') });
  const routeBoxes = ['messages', 'responses', 'chat', 'passthrough'].map((r) =>
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: r, checked: (k.routes || []).includes(r) }), ' ' + r));
  const daily = h('input', { name: 'daily_budget_usd', type: 'number', min: '0', step: '0.01', placeholder: 'none', value: k.daily_budget_usd ?? '' });
  const monthly = h('input', { name: 'monthly_budget_usd', type: 'number', min: '0', step: '0.01', placeholder: 'none', value: k.monthly_budget_usd ?? '' });
  const rpm = h('input', { name: 'rpm', type: 'number', min: '1', step: '1', placeholder: 'none', value: k.rpm ?? '' });
  const conc = h('input', { name: 'max_concurrent', type: 'number', min: '1', step: '1', placeholder: 'none', value: k.max_concurrent ?? '' });
  const expires = h('input', { name: 'expires_at', placeholder: 'never, or 30d, 2026-12-31', spellcheck: 'false', value: k.expires_at || '' });
  const nums = (el) => el.value.trim() === '' ? null : Number(el.value);
  return {
    fields: [field('Models (comma-separated globs)', models),
      h('fieldset', { class: 'routes' }, h('legend', {}, 'Routes (none ticked: all but passthrough)'), routeBoxes),
      field('Daily budget (USD)', daily), field('Monthly budget (USD)', monthly),
      field('Requests per minute', rpm), field('Requests in flight', conc), field('Expires', expires)],
    read: () => ({
      models: models.value.split(',').map((s) => s.trim()).filter(Boolean),
      routes: routeBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      daily_budget_usd: nums(daily), monthly_budget_usd: nums(monthly), rpm: nums(rpm), max_concurrent: nums(conc),
      expires_at: expires.value.trim() || null })
  };
}

export function addClient() {
  const name = h('input', { name: 'name', required: true, placeholder: 'alice-laptop', autocomplete: 'off', spellcheck: 'false' });
  const rules = clientRuleFields();
  dialog('New client key', [field('Name', name), ...rules.fields], 'Create key', async () => {
    const r = await api('POST', '/admin/client-keys', Object.assign({ name: name.value.trim() }, rules.read()));
    showSecret(r);
    await reload();
    return true;
  });
}

function snippet(title, text) {
  const pre = h('pre', { class: 'snippet' }, text);
  return h('div', { class: 'snippet-box' }, h('div', { class: 'snippet-head' }, h('strong', {}, title),
    h('button', { type: 'button', class: 'small-btn', 'aria-label': 'Copy ' + title, onclick: () => copyText(text, title) }, 'Copy')), pre);
}

async function copyText(text, what) {
  try { await navigator.clipboard.writeText(text); toast('Copied ' + what); } catch (e) { toast('Copy failed: select the text instead', true); }
}

/** The secret, once, with settings for the common clients filled in. */
function showSecret(r) {
  const base = baseUrl();
  const secret = h('input', { type: 'text', readonly: true, value: r.key, id: 'client-secret', 'aria-label': 'Client key', spellcheck: 'false' });
  const codex = 'model_provider = "proxygate"\n\n[model_providers.proxygate]\nname = "ProxyGate"\nbase_url = "' + base
    + '/v1"\nwire_api = "responses"\nenv_key = "PROXYGATE_KEY"\n\n# then: export PROXYGATE_KEY=' + r.key;
  const opencode = JSON.stringify({ provider: { proxygate: { npm: '@ai-sdk/anthropic', name: 'ProxyGate',
    options: { baseURL: base + '/v1', apiKey: r.key }, models: { 'claude-sonnet-4-5': {} } } } }, null, 2);
  dialog('Key for ' + r.name, [
    h('p', { class: 'lead' }, 'Copy the key now: it is shown this once and cannot be recovered.'),
    h('div', { class: 'url-box' }, secret, h('button', { type: 'button', id: 'copy-secret', onclick: () => copyText(r.key, 'key') }, 'Copy')),
    snippet('Claude Code', 'export ANTHROPIC_BASE_URL=' + base + '\nexport ANTHROPIC_AUTH_TOKEN=' + r.key),
    snippet('Codex CLI (~/.codex/config.toml)', codex),
    snippet('OpenCode (opencode.json)', opencode),
    snippet('SDKs', '# OpenAI\nOPENAI_BASE_URL=' + base + '/v1\nOPENAI_API_KEY=' + r.key
      + '\n# Anthropic\nANTHROPIC_BASE_URL=' + base + '\nANTHROPIC_API_KEY=' + r.key)
  ], null, null);
  // Once closed, the secret leaves the page for good.
  $('dlg').addEventListener('close', () => { $('dlg-body').replaceChildren(); }, { once: true });
}

function editClient(k) {
  const name = h('input', { required: true, value: k.name, autocomplete: 'off', spellcheck: 'false' });
  const rules = clientRuleFields(k);
  dialog('Edit ' + k.name, [field('Name', name), ...rules.fields], 'Save', async () => {
    await api('PATCH', '/admin/client-keys/' + encodeURIComponent(k.id), Object.assign({ name: name.value.trim() }, rules.read()));
    toast('Saved ' + name.value.trim());
    await reload();
  });
}

function revokeClient(k) {
  dialog('Revoke ' + k.name + '?', [h('p', {}, 'Requests with this key are refused from now on (401). Its usage stays in the request log.')],
    'Revoke', async () => {
      await api('POST', '/admin/client-keys/' + encodeURIComponent(k.id) + '/revoke');
      toast('Revoked ' + k.name);
      await reload();
    });
}

function deleteClient(k) {
  dialog('Delete ' + k.name + '?', [h('p', {}, 'The revoked key is removed; its requests stay attributed to ' + k.id + '.')],
    'Delete', async () => {
      await api('DELETE', '/admin/client-keys/' + encodeURIComponent(k.id));
      toast('Deleted ' + k.name);
      await reload();
    });
}
