// Small DOM helpers shared by the pages: an element builder, form fields, tables and formatting.

/** h('button', {class: 'x', onclick: fn}, 'text', child…): attributes as strings, on* as listeners, children as nodes or text. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A labelled input (the label wraps it, so screen readers and tests find it by its text). */
export function field(label, attrs = {}) {
  return h('label', null, label, h('input', { name: attrs.name ?? label, ...attrs }));
}

export function select(label, name, options, value) {
  // aria-label too: a label that wraps a select would otherwise take the chosen option's text into the select's name.
  return h('label', null, label, h('select', { name, 'aria-label': label },
    options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, text))));
}

export function checkbox(label, name, checked) {
  return h('label', { class: 'check' }, h('input', { type: 'checkbox', name, checked }), label);
}

/** A table with a caption and column headers; `columns` are [header, row => cell, 'num'?]. */
export function table(caption, columns, rows, empty = 'Nothing yet.') {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', null,
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null, columns.map(([head, , kind]) => h('th', { scope: 'col', class: kind }, head)))),
    h('tbody', null, rows.map(row => h('tr', null, columns.map(([, cell, kind]) => h('td', { class: kind }, cell(row))))))));
}

export function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, err?.message ?? String(err));
}

/** Replaces `target`'s content with `nodes`. */
export function show(target, ...nodes) {
  target.replaceChildren(...nodes.flat().filter(n => n !== null && n !== undefined && n !== false));
}

const numbers = new Intl.NumberFormat('en');
export const num = n => (n === null || n === undefined ? '—' : numbers.format(n));
export const money = n => (n === null || n === undefined ? '—' : `$${Number(n).toFixed(n >= 1 ? 2 : 6).replace(/0+$/, '').replace(/\.$/, '')}`);
export const ms = n => (n === null || n === undefined ? '—' : `${Number(n).toFixed(n >= 100 ? 0 : 1)} ms`);
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toLocaleDateString('en-CA')} ${d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
}

/** Form values by name: '' becomes undefined, numbers stay strings (the page decides). */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    out[el.name] = el.type === 'checkbox' ? el.checked : (el.value.trim() === '' ? undefined : el.value.trim());
  }
  return out;
}

export const list = text => (text ? text.split(',').map(s => s.trim()).filter(Boolean) : undefined);
export const int = text => (text === undefined ? undefined : Number.parseInt(text, 10));
