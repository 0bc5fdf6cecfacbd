/* Live updates from /admin/events (no polling): request progress for the Live tab, and reloads when the pool changes. */

import { $ } from './dom.js';
import { state, reload, reloadSoon } from './state.js';
import { renderLive } from './view-live.js';

export function startEvents() {
  stopEvents();
  if (!window.EventSource) { $('live-state').textContent = 'This browser has no EventSource.'; return; }
  const es = new EventSource('/admin/events');
  state.events = es;
  es.addEventListener('open', () => { $('live-dot').classList.add('on'); $('live-state').textContent = 'connected'; });
  es.addEventListener('error', () => {
    $('live-dot').classList.remove('on');
    $('live-state').textContent = 'reconnecting…';
    // A closed stream may mean the session ended: check once, which shows the sign-in on 401.
    if (es.readyState === EventSource.CLOSED) reload();
  });
  es.addEventListener('snapshot', (e) => {
    const d = JSON.parse(e.data);
    state.running = new Map(d.running.map((r) => [r.id, r]));
    state.finished = d.finished;
    renderLive();
  });
  es.addEventListener('request_started', (e) => {
    const d = JSON.parse(e.data);
    state.running.set(d.id, d);
    renderLive();
  });
  es.addEventListener('request_attempt', (e) => {
    const d = JSON.parse(e.data);
    const r = state.running.get(d.id);
    if (r) { r.credential = d.credential; renderLive(); }
  });
  es.addEventListener('request_finished', (e) => {
    const d = JSON.parse(e.data);
    state.running.delete(d.id);
    state.finished.unshift(d);
    if (state.finished.length > 100) state.finished.length = 100;
    renderLive();
    reloadSoon(1000);
  });
  es.addEventListener('pool_changed', () => reloadSoon(300));
}

export function stopEvents() {
  if (state.events) { state.events.close(); state.events = null; }
  const dot = $('live-dot');
  if (dot) dot.classList.remove('on');
}
