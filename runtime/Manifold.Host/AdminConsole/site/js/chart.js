// Charts drawn as inline SVG: bars for counts, lines for latency. Small on purpose: an even time axis (the API fills
// empty buckets), a zero baseline, the maximum labelled, and a <title> per point for hover.

import { num } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 480, H = 180, L = 48, R = 8, T = 12, B = 26;

function el(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function frame(label, max, points, format) {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label });
  for (const f of [0, 0.5, 1]) {
    const y = T + (H - T - B) * (1 - f);
    svg.append(el('line', { x1: L, x2: W - R, y1: y, y2: y, class: f === 0 ? 'axis' : 'grid' }));
    svg.append(el('text', { x: L - 4, y: y + 4, 'text-anchor': 'end' }, format(max * f)));
  }
  if (points.length) {
    const first = new Date(points[0].start), last = new Date(points[points.length - 1].start);
    const span = last - first;
    const fmt = span > 2 * 86400e3 ? { month: 'short', day: 'numeric' } : { hour: '2-digit', minute: '2-digit' };
    svg.append(el('text', { x: L, y: H - 8 }, first.toLocaleString('en-GB', fmt)));
    svg.append(el('text', { x: W - R, y: H - 8, 'text-anchor': 'end' }, last.toLocaleString('en-GB', fmt)));
  }
  return svg;
}

const niceMax = v => {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map(m => m * p).find(m => m >= v);
};

/** Stacked-looking bars: `series` is [{key, class, label}], drawn over each other from the first (largest) down. */
export function barChart(label, points, series, format = num) {
  const max = niceMax(Math.max(0, ...points.map(p => p[series[0].key])));
  const svg = frame(label, max, points, format);
  const step = (W - L - R) / Math.max(points.length, 1);
  const width = Math.max(1, step * 0.8);
  points.forEach((p, i) => {
    for (const s of series) {
      const v = p[s.key];
      if (!v) continue;
      const h = (H - T - B) * (v / max);
      const bar = el('rect', { x: L + i * step + (step - width) / 2, y: H - B - h, width, height: Math.max(h, 1), class: `bar ${s.class ?? ''}` });
      bar.append(el('title', null, `${new Date(p.start).toLocaleString('en-GB')}: ${format(v)} ${s.label}`));
      svg.append(bar);
    }
  });
  return svg;
}

/** Lines, one per series, over the same axis; buckets with no requests are gaps, not zeros. */
export function lineChart(label, points, series, format = num) {
  const max = niceMax(Math.max(0, ...points.flatMap(p => series.map(s => p[s.key]))));
  const svg = frame(label, max, points, format);
  const step = (W - L - R) / Math.max(points.length - 1, 1);
  for (const s of series) {
    let d = '';
    let pen = false;
    points.forEach((p, i) => {
      if (!p.requests) { pen = false; return; }
      const x = L + i * step, y = H - B - (H - T - B) * (p[s.key] / max);
      d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)} `;
      pen = true;
      const dot = el('circle', { cx: x, cy: y, r: 2.5, class: `dot ${s.class ?? ''}` });
      dot.append(el('title', null, `${new Date(p.start).toLocaleString('en-GB')}: ${format(p[s.key])} ${s.label}`));
      svg.append(dot);
    });
    if (d) svg.append(el('path', { d, class: `line ${s.class ?? ''}` }));
  }
  return svg;
}
