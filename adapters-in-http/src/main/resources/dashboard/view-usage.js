/* The Usage tab: charts over a chosen range and the breakdown table. */

import { api } from './api.js';
import { $, h, toast } from './dom.js';
import { compact, money, ms, num } from './format.js';
import { drawCharts } from './charts.js';

export async function loadUsage() {
  const range = $('u-range').value;
  const bucket = range === '6h' || range === '24h' || range === '7d' ? 'hour' : 'day';
  try {
    const [series, stats] = await Promise.all([
      api('GET', '/admin/stats/series?bucket=' + bucket + '&split=' + $('u-split').value + '&since=' + range),
      api('GET', '/admin/stats?group_by=' + $('u-group').value + '&since=' + range)]);
    drawCharts(series, bucket, range);
    renderStats(stats);
  } catch (e) { toast('Usage: ' + e.message, true); }
}

function renderStats(stats) {
  const tb = $('t-stats').tBodies[0];
  if (!stats.rows.length) { tb.replaceChildren(h('tr', {}, h('td', { colspan: '11', class: 'empty' }, 'No requests in this range.'))); return; }
  tb.replaceChildren(...stats.rows.map((r) => h('tr', {},
    h('td', {}, r.group), h('td', { class: 'num' }, num(r.requests)), h('td', { class: 'num' }, num(r.errors)),
    h('td', { class: 'num' }, compact(r.input_tokens)), h('td', { class: 'num' }, compact(r.cached_tokens)),
    h('td', { class: 'num' }, compact(r.output_tokens)), h('td', { class: 'num' }, money(r.cost)),
    h('td', { class: 'num' }, ms(r.latency_p50_ms)), h('td', { class: 'num' }, ms(r.latency_p95_ms)),
    h('td', { class: 'num' }, ms(r.ttfb_p50_ms)), h('td', { class: 'num' }, ms(r.ttfb_p95_ms)))));
}
