/* ProxyGate dashboard: plain JS over the admin API; live updates from /admin/events (no polling). */
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const state = {
    status: null, accounts: [], claude: [], keys: [], usage: null, cost: null, pricing: null, unpriced: [],
    fallback: null, gcp: null, clients: [], publicBaseUrl: null, running: new Map(), finished: [], tab: 'openai', events: null, reloadTimer: null
  };
  const TABS = ['openai', 'claude', 'keys', 'clients', 'live', 'usage', 'routing', 'health'];

  // ------------------------------------------------------------------ helpers

  /** Builds an element; strings become text nodes (never HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  class HttpError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(method, path, body, raw) {
    // The custom header proves to the server that this page, not another site, sent a cookie-authenticated call.
    const opts = { method, credentials: 'same-origin', headers: { 'X-ProxyGate-Admin': '1' } };
    if (body !== undefined) {
      opts.body = raw ? body : JSON.stringify(body);
      opts.headers['Content-Type'] = raw ? 'text/plain' : 'application/json';
    }
    const res = await fetch(path, opts);
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      if ((res.status === 401 || res.status === 403) && path !== '/admin/ui/login') showLogin();
      throw new HttpError(res.status, (json && json.error) || text || res.statusText);
    }
    return json;
  }

  const nf = new Intl.NumberFormat();
  const num = (n) => nf.format(n || 0);
  function compact(n) {
    n = n || 0;
    if (Math.abs(n) >= 1e9) return (n / 1e9).toFixed(1) + 'B';
    if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(1) + 'M';
    if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(1) + 'k';
    return nf.format(n);
  }
  function money(n) {
    n = Number(n || 0);
    if (n === 0) return '$0';
    if (n < 0.01) return '$' + n.toFixed(4);
    return '$' + n.toFixed(2);
  }
  function ago(iso) {
    if (!iso) return '';
    const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    return span(Math.max(0, s)) + ' ago';
  }
  function until(iso) {
    if (!iso) return '';
    const s = Math.round((Date.parse(iso) - Date.now()) / 1000);
    return s <= 0 ? 'now' : span(s);
  }
  function span(s) {
    if (s < 60) return s + 's';
    if (s < 3600) return Math.round(s / 60) + 'm';
    if (s < 86400) { const mins = Math.round(s / 60); const hh = Math.floor(mins / 60); const mm = mins % 60; return hh + 'h' + (mm ? ' ' + mm + 'm' : ''); }
    const hours = Math.round(s / 3600); const d = Math.floor(hours / 24); const hh = hours % 24; return d + 'd' + (hh ? ' ' + hh + 'h' : '');
  }
  const pad = (n) => String(n).padStart(2, '0');
  function shortTime(iso) {
    const d = new Date(iso);
    return pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
  }
  function clock(iso) {
    const d = new Date(iso);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }
  function ms(v) { return v === undefined || v === null ? '–' : (v >= 10000 ? (v / 1000).toFixed(1) + 's' : v + 'ms'); }

  let toastTimer = null;
  function toast(message, bad) {
    const t = $('toast');
    t.textContent = message;
    t.className = 'toast' + (bad ? ' bad' : '');
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, bad ? 6000 : 3000);
  }

  // ------------------------------------------------------------------ sign-in

  function showLogin() {
    stopEvents();
    $('app').hidden = true;
    $('login').hidden = false;
    $('login-token').focus();
  }

  async function login(ev) {
    ev.preventDefault();
    const err = $('login-error');
    err.hidden = true;
    try {
      await api('POST', '/admin/ui/login', $('login-token').value, true);
      $('login-token').value = '';
      await start();
    } catch (e) {
      err.textContent = e.status === 401 ? 'Invalid token' : e.status === 429 ? 'Too many attempts; wait a minute'
        : e.status === 403 ? 'No admin token is configured on the server' : ('Sign-in failed: ' + e.message);
      err.hidden = false;
      $('login-token').select();
    }
  }

  async function logout() {
    try { await api('POST', '/admin/ui/logout'); } catch (e) { /* signed out either way */ }
    showLogin();
  }

  // ------------------------------------------------------------------ loading

  async function optional(path) {
    try { return await api('GET', path); } catch (e) { if (e.status === 401 || e.status === 403) throw e; return null; }
  }

  async function load() {
    const [status, accounts, claude, keys, usage, cost, pricing, unpriced, fallback, gcp, deleted, clients] = await Promise.all([
      api('GET', '/admin/status'), api('GET', '/admin/accounts'), api('GET', '/admin/claude-accounts'),
      api('GET', '/admin/keys'), api('GET', '/admin/usage'), api('GET', '/admin/usage/cost'),
      optional('/admin/pricing/status'), optional('/admin/pricing/unpriced'), optional('/admin/claude-fallback'),
      optional('/admin/gcp'), optional('/admin/deleted'), optional('/admin/client-keys')]);
    Object.assign(state, { status, accounts, claude, keys, usage, cost, pricing, unpriced: unpriced || [], fallback, gcp,
      deleted: deleted || [], clients: (clients && clients.client_keys) || [],
      publicBaseUrl: (clients && clients.public_base_url) || null });
    render();
  }

  async function reload() {
    try { await load(); } catch (e) { if (!(e instanceof HttpError && (e.status === 401 || e.status === 403))) toast('Reload failed: ' + e.message, true); }
  }

  /** Reloads soon, once, however many events ask for it. */
  function reloadSoon(delay) {
    if (state.reloadTimer) return;
    state.reloadTimer = setTimeout(() => { state.reloadTimer = null; reload(); }, delay || 400);
  }

  async function start() {
    const session = await api('GET', '/admin/ui/session');
    if (!session || !session.signed_in) { showLogin(); return; }
    await load();
    $('login').hidden = true;
    $('app').hidden = false;
    selectTab(localStorage.getItem('proxygate_tab') || 'openai', false);
    startEvents();
  }

  // ------------------------------------------------------------------ rendering

  const healthy = (c) => !c.dead && !c.disabled && !c.cooldown_until;

  function render() {
    const s = state.status;
    $('version').textContent = s ? 'v' + s.version : '';
    const counted = (list) => [String(list.length), h('span', { class: 'of' }, ' · ' + list.filter(healthy).length + ' healthy')];
    $('s-accounts').replaceChildren(...counted(state.accounts));
    $('s-claude').replaceChildren(...counted(state.claude));
    $('s-keys').textContent = String(state.keys.length);
    const today = state.usage ? state.usage.today : {};
    $('s-in').textContent = compact(today.input_tokens);
    $('s-out').textContent = compact(today.output_tokens);
    $('s-real').textContent = money(state.cost && state.cost.real_cost);
    $('s-equiv').textContent = money(state.cost && state.cost.equivalent_cost);
    $('s-listen').textContent = s ? s.listen : '';
    $('c-openai').textContent = String(state.accounts.length);
    $('c-claude').textContent = String(state.claude.length);
    $('c-keys').textContent = String(state.keys.length);
    const problems = s && s.problems ? s.problems.length : 0;
    $('c-health').textContent = problems ? String(problems) : '';

    const banner = $('unpriced');
    if (state.unpriced.length) {
      banner.textContent = 'No price known for: ' + state.unpriced.slice(0, 8).map((u) => u.billing_key + ' (' + u.count + ')').join(', ')
        + (state.unpriced.length > 8 ? ' …' : '') + '. Their cost is not counted.';
      banner.hidden = false;
    } else banner.hidden = true;

    renderAccounts('openai', state.accounts);
    renderAccounts('claude', state.claude);
    renderKeys();
    renderClients();
    renderFallback();
    renderHealth();
    renderFooter();
  }

  function statusBadges(c) {
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

  function dotClass(c) {
    if (c.dead) return 'dot bad';
    if (c.disabled) return 'dot off';
    if (c.cooldown_until || c.wham_limit_reached || c.usage_limit_reached) return 'dot warn';
    return 'dot';
  }

  function bar(pct, reset) {
    if (pct === undefined || pct === null) return h('span', { class: 'muted' }, '–');
    const p = Math.max(0, Math.min(1, pct));
    const cls = pct >= 0.995 ? 'bar bad' : pct >= 0.8 ? 'bar warn' : 'bar';
    return h('div', {},
      h('div', { class: cls, role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(pct * 100)) },
        h('span', { style: 'width:' + (p * 100).toFixed(1) + '%' })),
      h('div', { class: 'bar-label' }, (pct * 100).toFixed(1) + '%' + (reset ? ' · resets in ' + until(reset) : '')));
  }

  function todayCell(t) {
    if (!t || !t.requests) return h('span', { class: 'muted' }, 'idle');
    return h('span', {}, t.requests + 'r · ' + compact(t.input_tokens) + '/' + compact(t.output_tokens) + ' · ' + money(t.total_cost));
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

  function renderAccounts(kind, list) {
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

  function renderKeys() {
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

  function renderHealth() {
    const s = state.status;
    if (!s) return;
    const facts = $('health-facts');
    facts.replaceChildren();
    const rows = [['Version', s.version], ['Started', s.started_at + ' (up ' + span(s.uptime_seconds) + ')'],
      ['Listening', s.listen], ['Time zone', s.zone], ['Data dir', s.data_dir], ['Pool dir', s.pool_dir],
      ['Admin token file', s.token_file], ['Disabled credentials', String(s.disabled)]];
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

  function renderFooter() {
    const p = state.pricing;
    const f = $('price-footer');
    f.replaceChildren();
    if (!p) return;
    const when = p.last_success_at || p.fetched_at;
    f.append('prices ' + p.origin + ' · ' + num(p.models_count) + ' models' + (when ? ' · refreshed ' + ago(when) : '')
      + (p.last_error ? ' · last error: ' + p.last_error : '') + ' ',
    h('button', { type: 'button', class: 'small-btn', onclick: refreshPrices }, 'Refresh prices'));
  }

  // ------------------------------------------------------------------ actions

  async function toggle(section, id, disable) {
    try {
      await api('POST', '/admin/' + section + '/' + encodeURIComponent(id) + '/' + (disable ? 'disable' : 'enable'));
      toast((disable ? 'Disabled ' : 'Enabled ') + id);
      await reload();
    } catch (e) { toast(e.message, true); }
  }

  async function clearCooldown(section, id) {
    try {
      await api('POST', '/admin/' + section + '/' + encodeURIComponent(id) + '/clear-cooldown');
      toast('Cooldown cleared: ' + id);
      await reload();
    } catch (e) { toast(e.message, true); }
  }

  // Edits the pool file's controls as JSON. The proxy is never sent back to the browser with its login, so it is
  // left out of the form: add "proxy" to change it ("" removes it, "direct" bypasses the default proxy).
  async function editControls(section, id, c) {
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

  async function refreshToken(section, id) {
    try {
      const r = await api('POST', '/admin/' + section + '/' + encodeURIComponent(id) + '/refresh');
      toast('Refreshed ' + id + '; token valid until ' + shortTime(r.refreshed_at));
      await reload();
    } catch (e) { toast('Refresh failed: ' + e.message, true); }
  }

  function remove(section, id) {
    dialog('Delete ' + id + '?', [h('p', {}, 'Its file moves to the pool directory\'s .deleted folder; '
      + 'Health → Deleted credentials can restore it.')],
      'Delete', async () => {
        await api('DELETE', '/admin/' + section + '/' + encodeURIComponent(id));
        toast('Deleted ' + id);
        await reload();
      });
  }

  async function restore(d) {
    try {
      await api('POST', '/admin/deleted/' + encodeURIComponent(d.name) + '/restore');
      toast('Restored ' + (d.label || d.file));
      await reload();
    } catch (e) { toast('Restore failed: ' + e.message, true); }
  }

  async function refreshPrices() {
    try { await api('POST', '/admin/pricing/refresh'); toast('Prices refreshed'); } catch (e) { toast('Price refresh failed: ' + e.message, true); }
    await reload();
  }

  // ------------------------------------------------------------------ dialogs

  let dialogAction = null;
  function dialog(title, body, okLabel, action) {
    const dlg = $('dlg');
    $('dlg-title').textContent = title;
    $('dlg-body').replaceChildren(...body);
    $('dlg-error').hidden = true;
    $('dlg-ok').textContent = okLabel || 'OK';
    $('dlg-ok').hidden = !action;
    $('dlg-ok').disabled = false;
    dialogAction = action;
    if (!dlg.open) dlg.showModal();
    const first = dlg.querySelector('#dlg-body input, #dlg-body textarea, #dlg-body select, #dlg-body button');
    (first || $('dlg-cancel')).focus();
  }

  async function dialogSubmit(ev) {
    ev.preventDefault();
    if (!dialogAction) { $('dlg').close(); return; }
    $('dlg-ok').disabled = true;
    try {
      const keepOpen = await dialogAction();
      if (!keepOpen) $('dlg').close();
    } catch (e) {
      $('dlg-error').textContent = e.message;
      $('dlg-error').hidden = false;
    } finally { $('dlg-ok').disabled = false; }
  }

  function field(label, input) {
    const id = 'f-' + Math.random().toString(36).slice(2, 8);
    input.id = id;
    return h('div', {}, h('label', { for: id }, label), input);
  }

  function copyBox(url) {
    const input = h('input', { type: 'text', readonly: true, value: url, 'aria-label': 'Sign-in URL' });
    return h('div', { class: 'url-box' }, input,
      h('button', { type: 'button', onclick: async () => {
        try { await navigator.clipboard.writeText(url); toast('Copied'); } catch (e) { input.select(); }
      } }, 'Copy'),
      h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'small' }, 'Open'));
  }

  function addAccount(provider) {
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

  function importClaude() {
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

  function addKey() {
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

  // ------------------------------------------------------------------ client keys

  /** Where clients reach this server: the configured public_base_url, else the address this page came from. */
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

  function renderClients() {
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
        h('fieldset', { class: 'routes' }, h('legend', {}, 'Routes (none ticked: all)'), routeBoxes),
        field('Daily budget (USD)', daily), field('Monthly budget (USD)', monthly),
        field('Requests per minute', rpm), field('Requests in flight', conc), field('Expires', expires)],
      read: () => ({
        models: models.value.split(',').map((s) => s.trim()).filter(Boolean),
        routes: routeBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
        daily_budget_usd: nums(daily), monthly_budget_usd: nums(monthly), rpm: nums(rpm), max_concurrent: nums(conc),
        expires_at: expires.value.trim() || null })
    };
  }

  function addClient() {
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

  // ------------------------------------------------------------------ fallback rules (when the server offers them)

  function renderFallback() {
    const box = $('fallback-body');
    const fb = state.fallback;
    const gcp = state.gcp;
    box.replaceChildren();
    if (gcp) {
      box.append(h('p', { class: gcp.available ? '' : 'warn-text' }, gcp.available
        ? 'Vertex AI: project ' + (gcp.project_id || '?') + ' · ' + (gcp.location || '?') + ' · auth ' + (gcp.auth_method || '?')
        : 'Vertex AI unavailable' + (gcp.error ? ': ' + gcp.error : '')));
    }
    if (!fb || !fb.policy) {
      box.append(h('span', { class: 'muted' }, 'Fallback rules are not available on this server.'));
      return;
    }
    const variants = fb.variants || [];
    const rules = (fb.policy.rules || []).map((r) => Object.assign({}, r));
    const enabled = h('input', { type: 'checkbox', checked: fb.policy.enabled, style: 'width:auto' });
    const tbody = h('tbody');
    const variantSelect = (value, any) => {
      const s = h('select', {}, any ? h('option', { value: '' }, 'any') : null,
        variants.map((v) => h('option', { value: v.id, title: v.description || '' }, v.label || v.id)));
      s.value = value || '';
      return s;
    };
    const draw = () => {
      tbody.replaceChildren();
      rules.forEach((r, i) => {
        const on = h('input', { type: 'checkbox', checked: r.enabled !== false, style: 'width:auto', 'aria-label': 'Rule ' + (i + 1) + ' on' });
        on.addEventListener('change', () => { r.enabled = on.checked; });
        const from = h('input', { value: r.from_model || '', 'aria-label': 'From model' });
        from.addEventListener('input', () => { r.from_model = from.value; });
        const fromV = variantSelect(r.from_variant, true);
        fromV.addEventListener('change', () => { r.from_variant = fromV.value; });
        const to = h('input', { value: r.to_model || '', 'aria-label': 'To Vertex model' });
        to.addEventListener('input', () => { r.to_model = to.value; });
        const toV = variantSelect(r.to_variant || 'preserve', false);
        toV.addEventListener('change', () => { r.to_variant = toV.value; });
        tbody.append(h('tr', {}, h('td', {}, on), h('td', {}, from), h('td', {}, fromV), h('td', {}, to), h('td', {}, toV),
          h('td', {}, h('button', { type: 'button', class: 'small-btn danger', 'aria-label': 'Remove rule ' + (i + 1),
            onclick: () => { rules.splice(i, 1); draw(); } }, '×'))));
      });
    };
    draw();
    const note = h('span', { class: 'muted small', role: 'status' });
    box.append(
      h('label', { class: 'check' }, enabled, 'Fallback enabled'),
      h('div', { class: 'table-wrap', style: 'margin:.6rem 0' }, h('table', { class: 'compact' },
        h('thead', {}, h('tr', {}, ['On', 'From model', 'From variant', 'To Vertex model', 'To variant', ''].map((t) => h('th', {}, t)))), tbody)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => { rules.push({ enabled: true, from_model: '', from_variant: '', to_model: '', to_variant: 'preserve' }); draw(); } }, 'Add rule'),
        h('button', { type: 'button', class: 'primary', onclick: async () => {
          note.textContent = 'saving…';
          try {
            await api('PUT', '/admin/claude-fallback', { policy: { enabled: enabled.checked, rules } });
            note.textContent = 'saved';
          } catch (e) { note.textContent = 'error: ' + e.message; }
        } }, 'Save routing'), note));
  }

  // ------------------------------------------------------------------ live

  function startEvents() {
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

  function stopEvents() {
    if (state.events) { state.events.close(); state.events = null; }
    const dot = $('live-dot');
    if (dot) dot.classList.remove('on');
  }

  function renderLive() {
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

  // ------------------------------------------------------------------ usage charts

  const charts = [];
  const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#64748b'];

  async function loadUsage() {
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

  function drawCharts(series, bucket, range) {
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

  // ------------------------------------------------------------------ routing explanation

  async function explain(ev) {
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

  // ------------------------------------------------------------------ tabs

  function selectTab(name, focus) {
    if (!TABS.includes(name)) name = 'openai';
    state.tab = name;
    localStorage.setItem('proxygate_tab', name);
    for (const t of TABS) {
      const tab = $('tab-' + t);
      const on = t === name;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      $('panel-' + t).hidden = !on;
    }
    if (focus) $('tab-' + name).focus();
    if (name === 'usage') loadUsage();
    if (name === 'routing' && !$('t-routing').tBodies[0].rows.length) explain();
    if (name === 'live') renderLive();
  }

  function onTabKey(ev) {
    const i = TABS.indexOf(state.tab);
    let next = null;
    if (ev.key === 'ArrowRight') next = TABS[(i + 1) % TABS.length];
    else if (ev.key === 'ArrowLeft') next = TABS[(i + TABS.length - 1) % TABS.length];
    else if (ev.key === 'Home') next = TABS[0];
    else if (ev.key === 'End') next = TABS[TABS.length - 1];
    if (next) { ev.preventDefault(); selectTab(next, true); }
  }

  // ------------------------------------------------------------------ boot

  function boot() {
    const file = document.querySelector('meta[name="proxygate-token-file"]');
    if (file && file.content) $('login-hint').textContent = 'cat ' + file.content;
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    $('refresh').addEventListener('click', () => { reload(); if (state.tab === 'usage') loadUsage(); });
    for (const t of TABS) $('tab-' + t).addEventListener('click', () => selectTab(t, false));
    document.querySelector('.tabs').addEventListener('keydown', onTabKey);
    $('add-openai').addEventListener('click', () => addAccount('openai'));
    $('add-claude').addEventListener('click', () => addAccount('claude'));
    $('import-claude').addEventListener('click', importClaude);
    $('add-key').addEventListener('click', addKey);
    $('add-client').addEventListener('click', addClient);
    $('dlg-form').addEventListener('submit', dialogSubmit);
    $('dlg-cancel').addEventListener('click', () => $('dlg').close());
    for (const id of ['u-range', 'u-split', 'u-group']) $(id).addEventListener('change', loadUsage);
    $('routing-form').addEventListener('submit', explain);
    let resizeTimer = null;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => { if (state.tab === 'usage') loadUsage(); }, 250);
    });
    start().catch((e) => { if (!(e instanceof HttpError)) console.warn(e); showLogin(); });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
