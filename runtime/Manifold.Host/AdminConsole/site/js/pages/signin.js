// The sign-in page: the admin key goes to POST /admin/session once; the browser keeps only the session cookie.

import { api } from '../api.js';
import { h, show } from '../dom.js';

export function render(main, reason, onSignedIn) {
  const message = h('div', { 'aria-live': 'polite' }, reason ? h('p', { class: 'muted' }, reason) : null);
  const key = h('input', { type: 'password', name: 'key', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', {
    onsubmit: async event => {
      event.preventDefault();
      button.disabled = true;
      try {
        const session = await api('session', { method: 'POST', body: { key: key.value } });
        key.value = '';
        onSignedIn(session);
      } catch (err) {
        show(message, h('p', { class: 'error', role: 'alert' }, err.message));
        key.select();
      } finally {
        button.disabled = false;
      }
    },
  }, h('label', null, 'Admin key', key), button);
  show(main, h('section', { class: 'signin card', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to Manifold'),
    h('p', { class: 'muted' }, 'Use the gateway\'s admin key (Manifold__Admin__Key). Licence keys do not sign in here.'),
    form, message));
  key.focus();
}
