// The filter form that the usage, requests and tasks pages share: fields whose values become the API's query string
// and the page's own (so a filtered view is a link).

import { h, values } from '../dom.js';

export async function licenceOptions(api) {
  try {
    const { data } = await api('api/licences');
    return [['', 'any'], ...data.map(l => [l.id, `${l.name} (#${l.id})`])];
  } catch {
    return [['', 'any']];
  }
}

/** A form of `fields` (label elements holding inputs/selects named after query parameters), prefilled from `params`. */
export function filterForm(fields, params, onApply) {
  const form = h('form', {
    class: 'fields', role: 'search',
    onsubmit: event => {
      event.preventDefault();
      const query = Object.fromEntries(Object.entries(values(form)).filter(([, v]) => v !== undefined && v !== false));
      history.replaceState(null, '', `?${new URLSearchParams(query)}`);
      onApply(query);
    },
  }, fields, h('button', { type: 'submit' }, 'Apply filters'));
  for (const el of form.elements) {
    if (el.name && params.has(el.name)) el.value = params.get(el.name);
  }
  return form;
}
