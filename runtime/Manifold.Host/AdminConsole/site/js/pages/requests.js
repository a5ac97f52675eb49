// Requests: the request log, newest first, filtered by licence, platform, model and status; "Older" pages with after=.

import { api } from '../api.js';
import { h, show, field, select, table, errorBox, num, money, ms, when } from '../dom.js';
import { filterForm, licenceOptions } from './filters.js';

export const title = 'Requests';

export async function render(main, params) {
  const result = h('div', { id: 'request-table' });
  const form = filterForm([
    select('Licence', 'licence_id', await licenceOptions(api)),
    field('Platform', { name: 'platform' }),
    field('Model', { name: 'model', placeholder: 'name or prefix*' }),
    field('Status', { name: 'status', placeholder: '200, 4xx or error', size: 10 }),
  ], params, query => load(query, []));
  show(main, h('h1', null, 'Requests'), h('p', { class: 'muted' }, 'The request log, newest first. A request shows up a moment after it ends.'), form, result);

  let loads = 0;
  async function load(query, earlier) {
    const seq = ++loads;
    try {
      const page = await api('api/requests', { query: { ...query, limit: 50 } });
      // A slower, older load (the page's first, unfiltered one) must not overwrite a newer filter's answer.
      if (seq !== loads) return;
      const rows = [...earlier, ...page.data];
      show(result, table('Requests', [
        ['Time', r => when(r.created_at)],
        ['Licence', r => `#${r.licence_id}`],
        ['Platform', r => r.platform ?? '—'],
        ['Account', r => r.account_id ?? '—'],
        ['Model', r => r.model ?? '—'],
        ['Operation', r => r.operation],
        ['Status', r => h('span', { class: `badge ${r.status < 400 && !r.error_code ? 'ok' : 'bad'}` }, r.status, r.error_code ? ` ${r.error_code}` : '')],
        ['Tokens in', r => num(r.input_tokens), 'num'],
        ['Tokens out', r => num(r.output_tokens), 'num'],
        ['Cost', r => money(r.cost), 'num'],
        ['Latency', r => ms(r.latency_ms), 'num'],
        ['Overhead', r => ms(r.overhead_ms), 'num'],
      ], rows, 'No requests match these filters.'),
      page.has_more ? h('p', null, h('button', { type: 'button', class: 'quiet', onclick: () => load({ ...query, after: page.last_id }, rows) }, 'Older requests')) : null);
    } catch (err) {
      if (seq === loads) show(result, errorBox(err));
    }
  }

  await load(Object.fromEntries(params), []);
}
