// Dashboard: the request log's series over a chosen window (requests and errors, tokens, latency), its totals, and the
// platforms' account health.

import { api } from '../api.js';
import { barChart, lineChart } from '../chart.js';
import { h, show, num, money, ms, table, errorBox } from '../dom.js';

export const title = 'Dashboard';

const windows = [['1h', 'Last hour', 3600e3], ['6h', 'Last 6 hours', 6 * 3600e3], ['24h', 'Last 24 hours', 24 * 3600e3], ['7d', 'Last 7 days', 7 * 86400e3]];

export async function render(main, params) {
  const chosen = windows.find(w => w[0] === params.get('window')) ?? windows[0];
  const picker = h('select', {
    name: 'window',
    onchange: e => { history.replaceState(null, '', `?window=${e.target.value}`); render(main, new URLSearchParams({ window: e.target.value })); },
  }, windows.map(([v, text]) => h('option', { value: v, selected: v === chosen[0] }, text)));
  const charts = h('div', { id: 'charts' }, h('p', { class: 'muted' }, 'Loading…'));
  const health = h('div', { id: 'health' }, h('p', { class: 'muted' }, 'Loading…'));
  show(main, h('h1', null, 'Dashboard'), h('form', { class: 'fields', onsubmit: e => e.preventDefault() }, h('label', null, 'Window', picker)),
    charts, h('h2', null, 'Platforms and account health'), health);

  const to = new Date();
  const from = new Date(to.getTime() - chosen[2]);
  const [stats, platforms] = await Promise.allSettled([
    api('api/stats', { query: { from: from.toISOString(), to: to.toISOString() } }),
    api('api/platforms'),
  ]);

  if (stats.status === 'rejected') show(charts, errorBox(stats.reason));
  else {
    const s = stats.value, t = s.totals;
    show(charts,
      h('dl', { class: 'totals', 'aria-label': 'Totals' },
        [['Requests', num(t.requests)], ['Errors', num(t.errors)], ['Tokens', num(t.total_tokens)], ['Cost', money(t.cost)],
          ['Mean latency', ms(t.latency_ms_avg)], ['Worst latency', ms(t.latency_ms_max)]]
          .map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v)))),
      h('p', { class: 'muted' }, `Per ${s.bucket}, from the request log. `, t.requests ? '' : 'No requests in this window yet.'),
      h('div', { class: 'grid' },
        figure('Requests and errors', barChart(`Requests per ${s.bucket}`, s.data,
          [{ key: 'requests', label: 'requests' }, { key: 'errors', class: 'errors', label: 'errors' }]),
          [['accent', 'requests'], ['bad', 'errors']]),
        figure('Tokens', barChart(`Tokens per ${s.bucket}`, s.data, [{ key: 'total_tokens', label: 'tokens' }]), [['accent', 'total tokens']]),
        figure('Latency', lineChart(`Latency per ${s.bucket}`, s.data,
          [{ key: 'latency_ms_avg', label: 'ms mean' }, { key: 'latency_ms_max', class: 'max', label: 'ms worst' }], v => (v >= 1000 ? `${+(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`)),
          [['accent-2', 'mean'], ['warn', 'worst']])));
  }

  if (platforms.status === 'rejected') show(health, errorBox(platforms.reason));
  else {
    show(health, table('Platforms', [
      ['Platform', p => h('a', { href: `accounts?platform=${encodeURIComponent(p.name)}`, 'data-nav': true }, p.name)],
      ['Kind', p => p.kind],
      ['Accounts', p => num(p.accounts.total), 'num'],
      ['Health', p => healthBadges(p.accounts)],
    ], platforms.value.data, 'No platforms are configured.'));
  }
}

function figure(caption, svg, legend) {
  return h('figure', { class: 'card' }, h('figcaption', null, caption), svg,
    h('div', { class: 'legend' }, legend.map(([colour, text]) => h('span', { class: `c-${colour}` }, text))));
}

const states = [['healthy', 'ok'], ['busy', 'warn'], ['rate_limited', 'warn'], ['cooling_down', 'warn'], ['half_open', 'warn'], ['probing', 'warn'],
  ['circuit_open', 'bad'], ['disabled', 'bad'], ['key_unreadable', 'bad']];

export function healthBadges(summary) {
  if (!summary.total) return h('span', { class: 'muted' }, 'needs no account');
  return states.filter(([k]) => summary[k]).map(([k, cls]) => h('span', { class: `badge ${cls}` }, `${summary[k]} ${k.replace('_', ' ')}`, ' '));
}
