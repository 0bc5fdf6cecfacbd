/* The usage charts (uPlot, loaded by the page as a classic script): one line per series, the top 8 plus "other". */

import { $, h } from './dom.js';
import { compact, money } from './format.js';

const charts = [];
const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#64748b'];

export function drawCharts(series, bucket, range) {
  while (charts.length) charts.pop().destroy();
  const step = bucket === 'hour' ? 3600 : 86400;
  const since = Math.floor(Date.parse(series.since) / 1000);
  const untilT = Math.floor(Date.parse(series.until) / 1000);
  const xs = [];
  const startT = series.points.length ? Math.min(series.points[0].t, since - (since % step)) : since - (since % step);
  for (let t = startT; t < untilT; t += step) xs.push(t);
  const totals = new Map();
  for (const p of series.points) totals.set(p.series, (totals.get(p.series) || 0) + p.requests);
  let names = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a));
  const top = names.slice(0, 8);
  const other = names.length > 8;
  const label = (n) => top.includes(n) ? n : 'other';
  names = other ? top.concat(['other']) : top;
  const boxes = [['ch-requests', (p) => p.requests, (v) => compact(v)], ['ch-tokens', (p) => p.total_tokens, (v) => compact(v)],
    ['ch-cost', (p) => Number(p.cost || 0), (v) => money(v)]];
  for (const [id, pick, fmt] of boxes) {
    const box = $(id);
    box.replaceChildren();
    if (!series.points.length || !window.uPlot) {
      box.append(h('div', { class: 'chart-empty' }, window.uPlot ? 'No requests in this range.' : 'Charts unavailable.'));
      continue;
    }
    const index = new Map(xs.map((t, i) => [t, i]));
    const data = [xs].concat(names.map(() => xs.map(() => 0)));
    for (const p of series.points) {
      const i = index.get(p.t);
      if (i === undefined) continue;
      data[1 + names.indexOf(label(p.series))][i] += pick(p);
    }
    const styles = getComputedStyle(document.documentElement);
    const axis = { stroke: styles.getPropertyValue('--muted').trim(), grid: { stroke: styles.getPropertyValue('--border').trim() },
      ticks: { stroke: styles.getPropertyValue('--border').trim() } };
    const width = Math.max(260, box.clientWidth || 400);
    charts.push(new window.uPlot({
      width, height: 220,
      series: [{}].concat(names.map((n, i) => ({ label: n.length > 28 ? n.slice(0, 27) + '…' : n,
        stroke: PALETTE[i % PALETTE.length], width: 2, fill: PALETTE[i % PALETTE.length] + '22', value: (u, v) => v == null ? '–' : fmt(v) }))),
      axes: [Object.assign({}, axis), Object.assign({ values: (u, vals) => vals.map(fmt), size: id === 'ch-cost' ? 78 : 56 }, axis)],
      scales: { x: { time: true } },
      legend: { live: false }
    }, data, box));
  }
}
