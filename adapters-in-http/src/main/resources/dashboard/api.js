/* The admin API client. Calls ride on the session cookie and carry the header that marks them as this page's. */

let signedOut = () => {};

/** What to do when the server says the session is gone (401/403): the shell shows the sign-in form. */
export function onSignedOut(handler) { signedOut = handler; }

export class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function api(method, path, body, raw) {
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
    if ((res.status === 401 || res.status === 403) && path !== '/admin/ui/login') signedOut();
    throw new HttpError(res.status, (json && json.error) || text || res.statusText);
  }
  return json;
}

/** A section the server may not offer: null when it fails, unless the session itself is gone. */
export async function optional(path) {
  try { return await api('GET', path); } catch (e) { if (e.status === 401 || e.status === 403) throw e; return null; }
}
