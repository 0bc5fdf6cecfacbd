/* The Routing tab: which credential would serve a request now, and why each other one would not. */

import { api } from './api.js';
import { $, h, toast } from './dom.js';

export async function explain(ev) {
  if (ev) ev.preventDefault();
  const q = new URLSearchParams({ api: $('r-api').value, model: $('r-model').value.trim() });
  if ($('r-session').value.trim()) q.set('session', $('r-session').value.trim());
  try {
    const e = await api('GET', '/admin/routing/explain?' + q);
    const pick = e.entries.find((x) => x.verdict === 'picked');
    $('routing-summary').textContent = pick ? 'Now: ' + pick.label + (e.pinned ? ' (pinned to this session)' : '') + ' — ' + pick.why
      : 'No credential can serve this request now.';
    if (e.translation) $('routing-summary').textContent += ' · ' + e.translation;
    const tb = $('t-routing').tBodies[0];
    tb.replaceChildren(...e.entries.map((x) => h('tr', {},
      h('td', {}, x.rank ? String(x.rank) : ''), h('td', {}, x.label), h('td', {}, x.kind || ''),
      h('td', {}, h('span', { class: 'badge ' + ({ picked: 'ok', candidate: 'info', not_ranked: 'off', skipped: 'warn', wrong_api: 'off' }[x.verdict] || 'off') },
        x.verdict.replace('_', ' '))),
      h('td', { class: 'num' }, x.score !== undefined ? x.score.toFixed(3) : ''), h('td', {}, x.why))));
  } catch (e) { toast(e.message, true); }
}
