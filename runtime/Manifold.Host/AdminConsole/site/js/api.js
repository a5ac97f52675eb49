// The console's one way to call the server: same-origin fetches with the session cookie, the CSRF token on every
// change, and errors turned into ApiError (the admin API's {"error": {message, code}}) for the page to show.

let csrfToken = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, message, code, param) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }
}

export function setSession(session) { csrfToken = session ? session.csrf_token : null; }
export function whenSignedOut(callback) { onSignedOut = callback; }

/** Calls `path` (relative to /admin/, e.g. "api/licences"); resolves to the parsed JSON, or null for 204. */
export async function api(path, { method = 'GET', body, query } = {}) {
  const url = new URL(path, document.baseURI);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, `The gateway did not answer (${e.message}).`, 'network_error');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported below */ }
  if (!response.ok) {
    const error = json?.error;
    const err = new ApiError(response.status, error?.message ?? `${response.status} ${response.statusText}`, error?.code, error?.param);
    // The session ended (expiry, restart, sign-out elsewhere): back to the sign-in page, saying why.
    if (response.status === 401 && path.startsWith('api/')) onSignedOut(err.message);
    throw err;
  }
  if (json === null && text) throw new ApiError(response.status, 'The gateway answered something that is not JSON.', 'invalid_response');
  return json;
}
