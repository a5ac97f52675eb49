// Licences: list, create (the key is shown once), edit the policy (models, platforms, expiry, quota, limits), revoke.

import { api } from '../api.js';
import { h, show, field, table, errorBox, values, list, int, num, money, when } from '../dom.js';

export const title = 'Licences';

export async function render(main) {
  const notice = h('div', { id: 'licence-notice' });
  const listing = h('div', { id: 'licence-list' });
  show(main, h('h1', null, 'Licences'), notice,
    h('section', { class: 'card', 'aria-labelledby': 'new-licence' }, h('h2', { id: 'new-licence' }, 'New licence'), policyForm(null, async body => {
      const created = await api('api/licences', { method: 'POST', body });
      show(notice, keyBox(created));
      await refresh();
      return true;
    })),
    h('h2', null, 'All licences'), listing);

  async function refresh() {
    try {
      const { data } = await api('api/licences');
      show(listing, table('Licences', [
        ['ID', l => l.id, 'num'],
        ['Name', l => l.name],
        ['Key', l => h('code', null, `${l.key_prefix}…`)],
        ['Status', l => h('span', { class: `badge ${l.status === 'active' ? 'ok' : 'bad'}` }, l.status)],
        ['Models', l => l.models?.join(', ') ?? 'any'],
        ['Platforms', l => l.platforms?.join(', ') ?? 'any'],
        ['Expires', l => (l.expires_at ? when(l.expires_at) : 'never')],
        ['Quota', l => describe(l.quota, { requests: num, tokens: num, cost: money })],
        ['Limits', l => describe(l.limits, { rpm: v => `${num(v)} rpm`, tpm: v => `${num(v)} tpm`, concurrency: v => `${num(v)} at once` })],
        ['Actions', l => (l.status === 'active' ? actions(l) : '')],
      ], data, 'No licences yet: create one above.'));
    } catch (err) {
      show(listing, errorBox(err));
    }
  }

  function actions(licence) {
    const cell = h('div', { class: 'actions' });
    const edit = h('button', { type: 'button', class: 'small quiet', 'aria-label': `Edit ${licence.name}`, onclick: () => openEditor(licence) }, 'Edit');
    const revoke = h('button', {
      type: 'button', class: 'small danger', 'aria-label': `Revoke ${licence.name}`,
      onclick: () => {
        // Two steps instead of window.confirm: the question stays in the page, where keyboards and screen readers reach it.
        const sure = h('button', {
          type: 'button', class: 'small danger', 'aria-label': `Confirm revoking ${licence.name}`,
          onclick: async () => {
            try {
              await api(`api/licences/${licence.id}`, { method: 'DELETE' });
              show(notice, h('p', { role: 'status' }, `Revoked ${licence.name}.`));
              await refresh();
            } catch (err) {
              show(notice, errorBox(err));
            }
          },
        }, 'Revoke for good?');
        show(cell, sure, h('button', { type: 'button', class: 'small quiet', onclick: () => show(cell, edit, revoke) }, 'Keep'));
        sure.focus();
      },
    }, 'Revoke');
    cell.append(edit, revoke);
    return cell;
  }

  function openEditor(licence) {
    const dialog = h('dialog', { 'aria-labelledby': 'edit-title' });
    const close = () => { dialog.close(); dialog.remove(); };
    dialog.append(h('h2', { id: 'edit-title' }, `Edit ${licence.name}`), policyForm(licence, async body => {
      await api(`api/licences/${licence.id}`, { method: 'PATCH', body });
      close();
      show(notice, h('p', { role: 'status' }, `Saved ${licence.name}.`));
      await refresh();
      return false;
    }, close));
    document.body.append(dialog);
    dialog.showModal();
  }

  await refresh();
}

function describe(obj, formats) {
  const parts = Object.entries(obj ?? {}).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => (formats[k] ? formats[k](v) : v) + (k === 'requests' ? ' requests' : k === 'tokens' ? ' tokens' : ''));
  return parts.length ? parts.join(', ') : 'none';
}

const local = iso => (iso ? new Date(iso).toISOString().slice(0, 16) : undefined);

/** The create form (licence null) or the edit form; onSave gets the body and answers whether to clear the form. */
function policyForm(licence, onSave, onCancel) {
  const error = h('div');
  const l = licence ?? {};
  const form = h('form', {
    class: 'fields',
    onsubmit: async event => {
      event.preventDefault();
      const v = values(form);
      const body = {};
      if (!licence || v.name !== l.name) body.name = v.name;
      body.models = list(v.models) ?? null;
      body.platforms = list(v.platforms) ?? null;
      body.expires_at = v.expires_at ? new Date(`${v.expires_at}Z`).toISOString() : null;
      const quota = { requests: int(v.quota_requests) ?? null, tokens: int(v.quota_tokens) ?? null, cost: v.quota_cost === undefined ? null : Number(v.quota_cost) };
      body.quota = Object.values(quota).some(x => x !== null) ? quota : null;
      const limits = { rpm: int(v.rpm) ?? null, tpm: int(v.tpm) ?? null, concurrency: int(v.concurrency) ?? null };
      body.limits = Object.values(limits).some(x => x !== null) ? limits : null;
      if (!licence) for (const k of ['models', 'platforms', 'expires_at', 'quota', 'limits']) if (body[k] === null) delete body[k];
      try {
        if (await onSave(body)) form.reset();
        show(error);
      } catch (err) {
        show(error, errorBox(err));
      }
    },
  },
  field('Name', { name: 'name', required: true, value: l.name, maxlength: 200 }),
  field('Models (comma-separated, prefix* allowed)', { name: 'models', value: l.models?.join(', '), placeholder: 'any' }),
  field('Platforms (comma-separated)', { name: 'platforms', value: l.platforms?.join(', '), placeholder: 'any' }),
  field('Expires at (UTC)', { name: 'expires_at', type: 'datetime-local', value: local(l.expires_at) }),
  h('fieldset', null, h('legend', null, 'Quota'),
    field('Quota requests', { name: 'quota_requests', type: 'number', min: 0, value: l.quota?.requests }),
    field('Quota tokens', { name: 'quota_tokens', type: 'number', min: 0, value: l.quota?.tokens }),
    field('Quota cost ($)', { name: 'quota_cost', type: 'number', min: 0, step: 'any', value: l.quota?.cost })),
  h('fieldset', null, h('legend', null, 'Limits'),
    field('Requests per minute', { name: 'rpm', type: 'number', min: 1, value: l.limits?.rpm }),
    field('Tokens per minute', { name: 'tpm', type: 'number', min: 1, value: l.limits?.tpm }),
    field('Concurrent requests', { name: 'concurrency', type: 'number', min: 1, value: l.limits?.concurrency })),
  h('button', { type: 'submit' }, licence ? 'Save' : 'Create licence'),
  onCancel ? h('button', { type: 'button', class: 'quiet', onclick: onCancel }, 'Cancel') : null);
  return h('div', null, form, error);
}

function keyBox(created) {
  const input = h('input', { readonly: true, value: created.key, 'aria-label': `Key of ${created.name}`, id: 'new-key', onfocus: e => e.target.select() });
  const status = h('span', { role: 'status' });
  return h('section', { class: 'secret', 'aria-labelledby': 'key-title' },
    h('h2', { id: 'key-title' }, `Licence ${created.name} created`),
    h('p', null, h('strong', null, 'Copy this key now: you won\'t see it again.'), ' Manifold keeps only its hash.'),
    h('div', { class: 'row' }, input,
      h('button', {
        type: 'button',
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(created.key);
            status.textContent = 'Copied.';
          } catch {
            input.select();
            status.textContent = 'Select and copy it (Ctrl+C): the browser refused the clipboard.';
          }
        },
      }, 'Copy key'), status));
}
