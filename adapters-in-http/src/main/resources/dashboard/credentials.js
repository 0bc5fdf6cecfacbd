/* What the account and key tables share: status badges, and the actions on one credential. */

import { api } from './api.js';
import { h, toast, dialog } from './dom.js';
import { compact, money, shortTime } from './format.js';
import { reload } from './state.js';

export const healthy = (c) => !c.dead && !c.disabled && !c.cooldown_until;

export function statusBadges(c) {
  const out = [];
  if (c.dead) out.push(h('span', { class: 'badge bad', title: c.dead_reason || '' }, 'DEAD' + (c.dead_reason ? ' · ' + c.dead_reason : '')));
  if (c.disabled) out.push(h('span', { class: 'badge off' }, 'disabled'));
  if (c.cooldown_until) out.push(h('span', { class: 'badge warn', title: c.cooldown_reason || '' }, 'CD ' + shortTime(c.cooldown_until)));
  if (c.wham_limit_reached || c.usage_limit_reached) out.push(h('span', { class: 'badge bad' }, 'LIMIT'));
  if (c.wham_failing || c.usage_failing) out.push(h('span', { class: 'badge warn', title: c.last_wham_err || c.last_usage_err || '' }, 'POLL ERR'));
  if (!out.length) out.push(h('span', { class: 'badge ok' }, c.in_flight ? 'active · ' + c.in_flight : 'active'));
  return out.concat(controlBadges(c));
}

// The pool file's per-credential controls and model cooldowns (the proxy as scheme://host:port only).
function controlBadges(c) {
  const out = [];
  if (c.model_cooldowns) {
    Object.keys(c.model_cooldowns).forEach((family) => out.push(h('span',
      { class: 'badge warn', title: 'only ' + family + ' is cooling on this credential' },
      'CD ' + family + ' ' + shortTime(c.model_cooldowns[family]))));
  }
  if (c.proxy) out.push(h('span', { class: 'badge', title: 'outbound proxy' }, 'via ' + c.proxy));
  if (c.max_concurrent) out.push(h('span', { class: 'badge', title: 'in flight / max_concurrent' },
    'cap ' + (c.in_flight || 0) + '/' + c.max_concurrent));
  if (c.priority) out.push(h('span', { class: 'badge', title: 'priority tier (higher first)' }, 'tier ' + c.priority));
  if (c.models || c.exclude_models) {
    const text = (c.models ? 'models ' + c.models.join(', ') : '') +
      (c.exclude_models ? (c.models ? '; ' : '') + 'not ' + c.exclude_models.join(', ') : '');
    out.push(h('span', { class: 'badge', title: text }, text.length > 40 ? text.slice(0, 39) + '…' : text));
  }
  return out;
}

export function dotClass(c) {
  if (c.dead) return 'dot bad';
  if (c.disabled) return 'dot off';
  if (c.cooldown_until || c.wham_limit_reached || c.usage_limit_reached) return 'dot warn';
  return 'dot';
}

export function todayCell(t) {
  if (!t || !t.requests) return h('span', { class: 'muted' }, 'idle');
  return h('span', {}, t.requests + 'r · ' + compact(t.input_tokens) + '/' + compact(t.output_tokens) + ' · ' + money(t.total_cost));
}

export async function toggle(section, id, disable) {
  try {
    await api('POST', '/admin/' + section + '/' + encodeURIComponent(id) + '/' + (disable ? 'disable' : 'enable'));
    toast((disable ? 'Disabled ' : 'Enabled ') + id);
    await reload();
  } catch (e) { toast(e.message, true); }
}

export async function clearCooldown(section, id) {
  try {
    await api('POST', '/admin/' + section + '/' + encodeURIComponent(id) + '/clear-cooldown');
    toast('Cooldown cleared: ' + id);
    await reload();
  } catch (e) { toast(e.message, true); }
}

// Edits the pool file's controls as JSON. The proxy is never sent back to the browser with its login, so it is
// left out of the form: add "proxy" to change it ("" removes it, "direct" bypasses the default proxy).
export async function editControls(section, id, c) {
  const current = {
    max_concurrent: c.max_concurrent || 0,
    models: c.models || [],
    exclude_models: c.exclude_models || [],
    priority: c.priority || 0,
  };
  const text = window.prompt('Controls of ' + id + ' (proxy now: ' + (c.proxy || 'default') +
    '; add "proxy": "http://user:pass@host:port" or "socks5://..." to change it)', JSON.stringify(current));
  if (text === null) return;
  let body;
  try { body = JSON.parse(text); } catch (e) { toast('Not JSON: ' + e.message, true); return; }
  try {
    await api('POST', '/admin/' + section + '/' + encodeURIComponent(id) + '/controls', body);
    toast('Saved controls of ' + id);
    await reload();
  } catch (e) { toast(e.message, true); }
}

export async function refreshToken(section, id) {
  try {
    const r = await api('POST', '/admin/' + section + '/' + encodeURIComponent(id) + '/refresh');
    toast('Refreshed ' + id + '; token valid until ' + shortTime(r.expires_at));
    await reload();
  } catch (e) { toast('Refresh failed: ' + e.message, true); }
}

export function remove(section, id) {
  dialog('Delete ' + id + '?', [h('p', {}, 'Its file moves to the pool directory\'s .deleted folder; '
    + 'Health → Deleted credentials can restore it.')],
    'Delete', async () => {
      await api('DELETE', '/admin/' + section + '/' + encodeURIComponent(id));
      toast('Deleted ' + id);
      await reload();
    });
}
