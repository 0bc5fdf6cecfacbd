/* The Live tab: requests running now (with a ticking elapsed time) and the last 100 finished. */

import { $, h } from './dom.js';
import { clock, compact, money, ms, span } from './format.js';
import { state } from './state.js';

export function renderLive() {
  const running = [...state.running.values()].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at));
  $('c-live').textContent = running.length ? String(running.length) : '';
  const rb = $('t-running').tBodies[0];
  rb.replaceChildren(...running.map((r) => h('tr', { 'data-id': r.id },
    h('td', {}, clock(r.started_at)), h('td', {}, r.route), h('td', {}, r.model), h('td', {}, r.credential || '…'),
    h('td', { class: 'num elapsed', 'data-start': r.started_at }, span(Math.max(0, Math.round((Date.now() - Date.parse(r.started_at)) / 1000)))))));
  $('running-empty').hidden = running.length > 0;
  const fb = $('t-finished').tBodies[0];
  if (!state.finished.length) {
    fb.replaceChildren(h('tr', {}, h('td', { colspan: '9', class: 'empty' }, 'No requests yet.')));
    return;
  }
  fb.replaceChildren(...state.finished.map((r) => h('tr', { 'data-id': r.id },
    h('td', {}, clock(r.started_at)), h('td', {}, r.route),
    // A request the other API family served: the model shown is the served one, the badge says what was asked.
    h('td', {}, r.model, r.translation ? h('span', { class: 'badge info translated', title: r.translation }, 'translated') : null),
    h('td', {}, r.credential || r.provider),
    h('td', {}, h('span', { class: 'badge ' + (r.success ? 'ok' : 'bad'), title: r.error || r.error_class || '' },
      String(r.status) + (r.error_class ? ' ' + r.error_class : ''))),
    h('td', { class: 'num' }, compact(r.input_tokens) + ' / ' + compact(r.output_tokens)),
    h('td', { class: 'num' }, r.cost !== undefined ? money(r.cost) : '–'),
    h('td', { class: 'num' }, ms(r.latency_ms)), h('td', { class: 'num' }, ms(r.ttfb_ms)))));
}

setInterval(() => {
  for (const td of document.querySelectorAll('#t-running td.elapsed')) {
    td.textContent = span(Math.max(0, Math.round((Date.now() - Date.parse(td.dataset.start)) / 1000)));
  }
}, 1000);
