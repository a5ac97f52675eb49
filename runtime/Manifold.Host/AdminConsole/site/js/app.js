// The console's shell: checks the session, shows the sign-in page or the page the path names, and keeps the nav in step.
// Each page is a module exporting render(main, params); they share api.js (fetch + CSRF + errors) and dom.js.

import { api, setSession, whenSignedOut } from './api.js';
import { h, show } from './dom.js';
import * as signin from './pages/signin.js';

const pages = {
  '': () => import('./pages/dashboard.js'),
  licences: () => import('./pages/licences.js'),
  accounts: () => import('./pages/accounts.js'),
  usage: () => import('./pages/usage.js'),
  requests: () => import('./pages/requests.js'),
  tasks: () => import('./pages/tasks.js'),
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const signOutButton = document.getElementById('sign-out');
const alerts = document.getElementById('alerts');
const base = new URL(document.baseURI).pathname;

function route() {
  const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : '';
  return path.replace(/\/+$/, '').split('/')[0];
}

function signedIn(on) {
  nav.hidden = !on;
  signOutButton.hidden = !on;
}

async function render() {
  alerts.replaceChildren();
  const name = route();
  for (const a of nav.querySelectorAll('a')) {
    const target = new URL(a.href).pathname.slice(base.length).replace(/\/+$/, '');
    if (target === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const load = pages[name];
  if (!load) {
    show(main, h('h1', null, 'Not found'), h('p', null, 'No console page is called ', h('code', null, name), '. ', h('a', { href: './', 'data-nav': true }, 'Dashboard')));
    return;
  }
  const page = await load();
  document.title = `${page.title} · Manifold console`;
  show(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    await page.render(main, new URLSearchParams(location.search));
  } catch (err) {
    show(main, h('h1', null, page.title), h('p', { class: 'error', role: 'alert' }, err.message));
  }
}

export function navigate(href) {
  history.pushState(null, '', new URL(href, document.baseURI));
  render();
}

function showSignIn(reason) {
  setSession(null);
  signedIn(false);
  document.title = 'Sign in · Manifold console';
  signin.render(main, reason, session => {
    setSession(session);
    signedIn(true);
    render();
  });
}

document.addEventListener('click', event => {
  const a = event.target.closest('a[data-nav]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', render);

signOutButton.addEventListener('click', async () => {
  try {
    await api('session', { method: 'DELETE' });
    showSignIn('You signed out.');
  } catch (err) {
    alerts.replaceChildren(h('p', { class: 'alert', role: 'alert' }, `Sign-out failed: ${err.message}`));
  }
});

whenSignedOut(reason => showSignIn(reason));

try {
  setSession(await api('session'));
  signedIn(true);
  render();
} catch (err) {
  showSignIn(err.status === 401 ? null : err.message);
}
