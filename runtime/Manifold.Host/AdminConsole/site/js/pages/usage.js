// Usage: the metered totals by licence, platform and model, optionally per day or hour, with filters.

import { api } from '../api.js';
import { h, show, field, select, table, errorBox, num, money } from '../dom.js';
import { filterForm, licenceOptions } from './filters.js';

export const title = 'Usage';

export async function render(main, params) {
  const result = h('div', { id: 'usage-table' });
  const form = filterForm([
    select('Licence', 'licence_id', await licenceOptions(api)),
    field('Platform', { name: 'platform' }),
    field('Model', { name: 'model', placeholder: 'name or prefix*' }),
    field('From', { name: 'from', type: 'date' }),
    field('To', { name: 'to', type: 'date' }),
    select('Per', 'group_by', [['', 'whole range'], ['day', 'day'], ['hour', 'hour']], 'day'),
  ], params, load);
  show(main, h('h1', null, 'Usage'), form, result);

  let loads = 0;
  async function load(query) {
    const seq = ++loads;
    try {
      const { data } = await api('api/usage', { query });
      // A slower, older load (the page's first, unfiltered one) must not overwrite a newer filter's answer.
      if (seq !== loads) return;
      const totals = data.reduce((t, r) => ({ requests: t.requests + r.requests, tokens: t.tokens + r.total_tokens, cost: t.cost + r.cost }), { requests: 0, tokens: 0, cost: 0 });
      show(result,
        h('p', { class: 'muted' }, `${num(totals.requests)} requests, ${num(totals.tokens)} tokens, ${money(totals.cost)} in ${data.length} rows.`),
        table('Usage', [
          ...(query.group_by ? [[query.group_by === 'day' ? 'Day' : 'Hour', r => (query.group_by === 'day' ? r.period.slice(0, 10) : r.period.slice(0, 16).replace('T', ' '))]] : []),
          ['Licence', r => `${r.licence_name ?? '?'} (#${r.licence_id})`],
          ['Platform', r => r.platform || '—'],
          ['Model', r => r.model || '—'],
          ['Requests', r => num(r.requests), 'num'],
          ['Errors', r => num(r.errors), 'num'],
          ['Input tokens', r => num(r.input_tokens), 'num'],
          ['Output tokens', r => num(r.output_tokens), 'num'],
          ['Total tokens', r => num(r.total_tokens), 'num'],
          ['Images', r => num(r.images), 'num'],
          ['Video s', r => num(r.video_seconds), 'num'],
          ['Cost', r => money(r.cost), 'num'],
        ], data, 'No usage matches these filters.'));
    } catch (err) {
      if (seq === loads) show(result, errorBox(err));
    }
  }

  const initial = Object.fromEntries(params);
  if (!params.has('group_by')) initial.group_by = 'day';
  await load(initial);
}
