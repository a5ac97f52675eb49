// Accounts per platform: the pool's accounts with their health and last error; add one (its key is written, then only
// shown masked), edit weight/priority/group/max_concurrency/enabled, disable or enable, delete.

import { api } from '../api.js';
import { h, show, field, checkbox, select, table, errorBox, values, int, num, when } from '../dom.js';
import { healthBadges } from './dashboard.js';

export const title = 'Accounts';

const stateClass = s => (s === 'healthy' ? 'ok' : ['circuit_open', 'disabled', 'key_unreadable'].includes(s) ? 'bad' : 'warn');

export async function render(main, params) {
  const { data: platforms } = await api('api/platforms');
  if (!platforms.length) {
    show(main, h('h1', null, 'Accounts'), h('p', { class: 'muted' }, 'No platforms are configured.'));
    return;
  }
  const name = platforms.some(p => p.name === params.get('platform')) ? params.get('platform') : platforms[0].name;
  const platform = platforms.find(p => p.name === name);
  const notice = h('div');
  const summary = h('span', null, healthBadges(platform.accounts));
  const listing = h('div', { id: 'account-list' });
  const picker = select('Platform', 'platform', platforms.map(p => [p.name, `${p.name} (${p.kind})`]), name);
  picker.querySelector('select').addEventListener('change', e => {
    history.replaceState(null, '', `?platform=${encodeURIComponent(e.target.value)}`);
    render(main, new URLSearchParams({ platform: e.target.value }));
  });

  const addForm = accountForm(null, async body => {
    await api(`api/platforms/${encodeURIComponent(name)}/accounts`, { method: 'POST', body });
    show(notice, h('p', { role: 'status' }, 'Account added; it takes requests now.'));
    await refresh();
    return true;
  });

  show(main, h('h1', null, 'Accounts'),
    h('form', { class: 'fields', onsubmit: e => e.preventDefault() }, picker),
    h('p', { class: 'muted' }, `Upstream ${platform.base_url ?? '(built in)'}; models ${platform.models.join(', ') || 'any'}. `, summary),
    notice,
    h('section', { class: 'card', 'aria-labelledby': 'new-account' }, h('h2', { id: 'new-account' }, `Add an account to ${name}`), addForm),
    h('h2', null, `Accounts of ${name}`), listing);

  async function refresh() {
    try {
      const { data } = await api(`api/platforms/${encodeURIComponent(name)}/accounts`);
      const counts = { total: data.length };
      for (const a of data) counts[a.health.state] = (counts[a.health.state] ?? 0) + 1;
      show(summary, healthBadges(counts));
      show(listing, table(`Accounts of ${name}`, [
        ['ID', a => h('code', null, a.id)],
        ['Name', a => a.name ?? '—'],
        ['Key', a => h('code', null, a.masked_key)],
        ['Source', a => a.source],
        ['Priority', a => a.priority, 'num'],
        ['Weight', a => a.weight, 'num'],
        ['Group', a => a.group],
        ['Max concurrency', a => a.max_concurrency ?? '—', 'num'],
        ['Health', a => h('span', { class: `badge ${stateClass(a.health.state)}` }, a.health.state.replace('_', ' '))],
        ['In flight / requests', a => `${a.health.in_flight} / ${num(a.health.requests)}`, 'num'],
        ['Last error', a => (a.health.last_error ? `${a.health.last_error.status} ${a.health.last_error.message} (${when(a.health.last_error.at)})` : '—')],
        ['Actions', a => actions(a)],
      ], data, 'No accounts: add one above.'));
    } catch (err) {
      show(listing, errorBox(err));
    }
  }

  const path = a => `api/platforms/${encodeURIComponent(name)}/accounts/${encodeURIComponent(a.id)}`;

  async function change(a, body, done) {
    try {
      await api(path(a), { method: 'PATCH', body });
      show(notice, h('p', { role: 'status' }, done));
      await refresh();
    } catch (err) {
      show(notice, errorBox(err));
    }
  }

  function actions(a) {
    const label = a.name ?? a.id;
    const cell = h('div', { class: 'actions' });
    const edit = h('button', { type: 'button', class: 'small quiet', 'aria-label': `Edit account ${label}`, onclick: () => openEditor(a) }, 'Edit');
    const toggle = h('button', {
      type: 'button', class: 'small quiet', 'aria-label': `${a.enabled ? 'Disable' : 'Enable'} account ${label}`,
      onclick: () => change(a, { enabled: !a.enabled }, `Account ${label} ${a.enabled ? 'disabled' : 'enabled'}.`),
    }, a.enabled ? 'Disable' : 'Enable');
    const remove = h('button', {
      type: 'button', class: 'small danger', 'aria-label': `Delete account ${label}`,
      onclick: () => {
        const sure = h('button', {
          type: 'button', class: 'small danger', 'aria-label': `Confirm deleting account ${label}`,
          onclick: async () => {
            try {
              await api(path(a), { method: 'DELETE' });
              show(notice, h('p', { role: 'status' }, `Account ${label} deleted.`));
              await refresh();
            } catch (err) {
              show(notice, errorBox(err));
              show(cell, edit, toggle, remove);
            }
          },
        }, 'Delete for good?');
        show(cell, sure, h('button', { type: 'button', class: 'small quiet', onclick: () => show(cell, edit, toggle, remove) }, 'Keep'));
        sure.focus();
      },
    }, 'Delete');
    cell.append(edit, toggle, remove);
    return cell;
  }

  function openEditor(a) {
    const dialog = h('dialog', { 'aria-labelledby': 'edit-account-title' });
    const close = () => { dialog.close(); dialog.remove(); };
    dialog.append(h('h2', { id: 'edit-account-title' }, `Edit account ${a.name ?? a.id}`), accountForm(a, async body => {
      await api(path(a), { method: 'PATCH', body });
      close();
      show(notice, h('p', { role: 'status' }, `Account ${a.name ?? a.id} saved.`));
      await refresh();
      return false;
    }, close));
    document.body.append(dialog);
    dialog.showModal();
  }

  await refresh();
}

/** Add (account null: the key is required) or edit (no key field: a key is changed by adding the new one and deleting the old). */
function accountForm(account, onSave, onCancel) {
  const error = h('div');
  const a = account ?? { weight: 1, priority: 0, group: 'default', enabled: true };
  const form = h('form', {
    class: 'fields',
    onsubmit: async event => {
      event.preventDefault();
      const v = values(form);
      const body = {
        name: v.name ?? null, weight: int(v.weight), priority: int(v.priority), group: v.group,
        max_concurrency: int(v.max_concurrency) ?? null, enabled: v.enabled,
      };
      if (!account) body.key = v.key;
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      try {
        if (await onSave(body)) form.reset();
        show(error);
      } catch (err) {
        show(error, errorBox(err));
      }
    },
  },
  account ? null : field('Upstream key', { name: 'key', type: 'password', required: true, autocomplete: 'off' }),
  field('Account name', { name: 'name', value: a.name }),
  field('Priority', { name: 'priority', type: 'number', value: a.priority }),
  field('Weight', { name: 'weight', type: 'number', min: 1, value: a.weight }),
  field('Group', { name: 'group', value: a.group }),
  field('Max concurrency', { name: 'max_concurrency', type: 'number', min: 1, value: a.max_concurrency }),
  checkbox('Enabled', 'enabled', a.enabled),
  h('button', { type: 'submit' }, account ? 'Save' : 'Add account'),
  onCancel ? h('button', { type: 'button', class: 'quiet', onclick: onCancel }, 'Cancel') : null);
  return h('div', null, form, error);
}
