/* The OpenAI and Claude tabs: the account tables with their usage windows, and adding or importing accounts. */

import { api } from './api.js';
import { $, h, toast, dialog, field, copyBox } from './dom.js';
import { ago, money, num, until } from './format.js';
import { state, reload } from './state.js';
import { statusBadges, dotClass, todayCell, toggle, clearCooldown, editControls, refreshToken, remove } from './credentials.js';

function bar(pct, reset) {
  if (pct === undefined || pct === null) return h('span', { class: 'muted' }, '–');
  const p = Math.max(0, Math.min(1, pct));
  const cls = pct >= 0.995 ? 'bar bad' : pct >= 0.8 ? 'bar warn' : 'bar';
  return h('div', {},
    h('div', { class: cls, role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(pct * 100)) },
      h('span', { style: 'width:' + (p * 100).toFixed(1) + '%' })),
    h('div', { class: 'bar-label' }, (pct * 100).toFixed(1) + '%' + (reset ? ' · resets in ' + until(reset) : '')));
}

function polled(c, kind) {
  const at = kind === 'openai' ? c.last_wham_at : c.last_usage_at;
  const err = kind === 'openai' ? c.last_wham_err : c.last_usage_err;
  if (!at) return h('span', { class: err ? 'warn-text' : 'muted', title: err || '' }, err ? '⚠ never' : 'never');
  const stale = Date.now() - Date.parse(at) >= 10 * 60 * 1000;
  return h('span', { class: stale || err ? 'warn-text' : '', title: err || at }, (stale || err ? '⚠ ' : '') + ago(at));
}

function claudePlan(c) {
  const tier = (c.rate_limit_tier || '').toLowerCase();
  const sub = (c.subscription_type || '').toLowerCase();
  if (tier.includes('20x')) return 'Max 20x';
  if (tier.includes('5x')) return 'Max 5x';
  if (sub === 'max') return 'Max';
  if (sub === 'pro') return 'Pro';
  if (sub === 'team') return 'Team';
  if (sub === 'enterprise') return 'Enterprise';
  return sub || '–';
}

export function renderAccounts(kind, list) {
  const body = $('t-' + kind).tBodies[0];
  body.replaceChildren();
  if (!list.length) {
    body.append(h('tr', {}, h('td', { colspan: '9', class: 'empty' }, kind === 'openai'
      ? 'No ChatGPT accounts yet. Use “+ Add account”.' : 'No Claude accounts yet. Add one or import Claude Code credentials.')));
  }
  const section = kind === 'openai' ? 'accounts' : 'claude-accounts';
  for (const c of list) {
    const plan = kind === 'openai' ? (c.plan_type || '–') : claudePlan(c);
    body.append(h('tr', { 'data-id': c.email },
      h('td', { class: 'dot-cell' }, h('span', { class: dotClass(c), title: c.dead ? 'dead' : c.disabled ? 'disabled' : 'ok' })),
      h('td', { 'data-label': 'Account' }, h('div', { class: 'who' }, c.email), h('div', { class: 'sub' }, c.fingerprint || '')),
      h('td', { 'data-label': 'Plan' }, h('span', { class: 'chip ' + String(plan).toLowerCase().split(' ')[0] }, plan)),
      h('td', { 'data-label': 'Status', class: 'status-cell' }, statusBadges(c)),
      h('td', { 'data-label': '5 h' }, bar(c.primary_used_pct, c.primary_reset_at)),
      h('td', { 'data-label': 'Weekly' }, bar(c.secondary_used_pct, c.secondary_reset_at)),
      h('td', { 'data-label': 'Polled' }, polled(c, kind)),
      h('td', { 'data-label': 'Today' }, todayCell(c.today)),
      h('td', { 'data-label': '' }, h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'small-btn', 'aria-label': (c.disabled ? 'Enable ' : 'Disable ') + c.email,
          onclick: () => toggle(section, c.email, !c.disabled) }, c.disabled ? 'Enable' : 'Disable'),
        c.cooldown_until ? h('button', { type: 'button', class: 'small-btn', title: 'Clear cooldown', 'aria-label': 'Clear cooldown of ' + c.email,
          onclick: () => clearCooldown(section, c.email) }, 'Clear cooldown') : null,
        h('button', { type: 'button', class: 'small-btn', title: 'Controls (proxy, cap, models, tier)',
          'aria-label': 'Edit controls of ' + c.email, onclick: () => editControls(section, c.email, c) }, '⚙'),
        h('button', { type: 'button', class: 'small-btn', title: 'Refresh token', 'aria-label': 'Refresh token of ' + c.email,
          onclick: () => refreshToken(section, c.email) }, '↻'),
        h('button', { type: 'button', class: 'small-btn danger', title: 'Delete', 'aria-label': 'Delete ' + c.email,
          onclick: () => remove(section, c.email) }, '×')))));
  }
  const rows = state.cost ? state.cost.by_account.filter((r) => kind === 'openai' ? !r.id.startsWith('claude:') : r.id.startsWith('claude:')) : [];
  const eq = rows.reduce((a, r) => a + Number(r.total_cost || 0), 0);
  const reqs = rows.reduce((a, r) => a + (r.requests || 0), 0);
  $('sub-' + kind).textContent = 'Today equiv ' + money(eq) + ' · ' + num(reqs) + ' reqs';
  if (kind === 'openai') {
    const models = new Map();
    for (const r of rows) for (const m of (r.by_model || [])) {
      const k = m.model || 'unknown';
      models.set(k, (models.get(k) || 0) + Number(m.total_cost || 0));
    }
    const parts = [...models.entries()].sort((a, b) => b[1] - a[1]).map(([m, c]) => m + ' ' + money(c));
    $('models-openai').textContent = parts.length ? 'Today by model (equivalent): ' + parts.join(' · ') : '';
  }
}

export function addAccount(provider) {
  const isClaude = provider === 'claude';
  const name = isClaude ? 'Claude' : 'ChatGPT';
  const paste = h('textarea', { placeholder: 'http://localhost:…/callback?code=…&state=…', spellcheck: 'false' });
  const urlHolder = h('div', {}, h('p', { class: 'muted' }, 'Starting…'));
  dialog('Add ' + name + ' account', [
    h('ol', { class: 'steps' },
      h('li', {}, 'Open the sign-in page below (in any browser) and approve.'),
      h('li', {}, 'The browser lands on a localhost page that may fail to load: copy its full address.'),
      h('li', {}, 'Paste it here and press Add.')),
    urlHolder,
    field('Redirect URL or code', paste),
    h('p', { class: 'hint' }, 'Signing in on this machine? ',
      h('button', { type: 'button', class: 'small-btn', onclick: async () => {
        try {
          const r = await api('POST', isClaude ? '/admin/ui/claude-oauth-start' : '/admin/ui/oauth-start');
          window.open(r.auth_url, '_blank', 'noopener');
          toast('Finish signing in in the new tab; the account appears here by itself.');
        } catch (e) { toast(e.message, true); }
      } }, 'Use the browser flow'))
  ], 'Add', async () => {
    const r = await api('POST', isClaude ? '/admin/ui/claude-oauth-manual-finish' : '/admin/ui/oauth-manual-finish',
      { code_or_url: paste.value.trim() });
    toast('Added ' + r.email);
    await reload();
  });
  api('POST', isClaude ? '/admin/ui/claude-oauth-manual-start' : '/admin/ui/oauth-manual-start')
    .then((r) => urlHolder.replaceChildren(copyBox(r.authorize_url)))
    .catch((e) => urlHolder.replaceChildren(h('p', { class: 'error' }, e.message)));
}

export function importClaude() {
  const text = h('textarea', { placeholder: '{"claudeAiOauth": {…}, "email": "you@example.com"}', spellcheck: 'false' });
  const file = h('input', { type: 'file', accept: 'application/json,.json' });
  file.addEventListener('change', async () => { if (file.files[0]) text.value = await file.files[0].text(); });
  dialog('Import Claude credentials', [
    h('p', { class: 'muted' }, 'Claude Code keeps them in ~/.claude/.credentials.json; add an "email" field if it has none.'),
    field('JSON file', file), field('…or paste JSON', text)
  ], 'Import', async () => {
    const r = await api('POST', '/admin/claude-accounts/import', text.value, true);
    toast('Imported ' + r.email);
    await reload();
  });
}
