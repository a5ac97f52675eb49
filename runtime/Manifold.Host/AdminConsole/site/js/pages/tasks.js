// Media tasks: every licence's image and video jobs with status and progress, and previews of finished ones through the
// signed links the task API gives (they work without a licence until they expire).

import { api } from '../api.js';
import { h, show, select, errorBox, when } from '../dom.js';
import { filterForm } from './filters.js';

export const title = 'Media tasks';

export async function render(main, params) {
  const result = h('div', { id: 'task-list' });
  const form = filterForm([
    select('Status', 'status', [['', 'any'], ['queued', 'queued'], ['in_progress', 'in progress'], ['completed', 'completed'], ['failed', 'failed']]),
    select('Kind', 'kind', [['', 'any'], ['image', 'image'], ['video', 'video']]),
  ], params, load);
  show(main, h('h1', null, 'Media tasks'), form, result);

  let loads = 0;
  async function load(query) {
    const seq = ++loads;
    try {
      const { data } = await api('api/tasks', { query: { ...query, limit: 60 } });
      // A slower, older load (the page's first, unfiltered one) must not overwrite a newer filter's answer.
      if (seq !== loads) return;
      if (!data.length) {
        show(result, h('p', { class: 'muted' }, 'No media tasks match these filters.'));
        return;
      }
      show(result, h('div', { class: 'tasks' }, data.map(card)));
    } catch (err) {
      if (seq === loads) show(result, errorBox(err));
    }
  }

  await load(Object.fromEntries(params));
}

function card(task) {
  const badge = task.status === 'completed' ? 'ok' : task.status === 'failed' ? 'bad' : 'warn';
  return h('article', { class: 'card task', 'aria-label': `${task.kind} task ${task.id}`, 'data-task': task.id },
    h('p', null, h('strong', null, task.kind), ' ', h('span', { class: `badge ${badge}` }, task.status.replace('_', ' ')), ' ', h('code', null, task.id)),
    h('p', { class: 'muted' }, `${task.platform} · ${task.model} · licence #${task.licence_id ?? '—'} · ${when(task.created_at)}`),
    task.prompt ? h('p', null, task.prompt) : null,
    task.status === 'completed' ? null : h('label', null, 'Progress', h('progress', { max: 100, value: task.progress }, `${task.progress}%`)),
    task.error ? h('p', { class: 'error', role: 'alert' }, `${task.error.code}: ${task.error.message ?? ''}`) : null,
    task.results.map(r => preview(task, r)));
}

function preview(task, result) {
  const alt = `${task.kind} ${result.variant} of ${task.id}${task.prompt ? `: ${task.prompt}` : ''}`;
  if (result.content_type.startsWith('video/')) {
    return h('video', { src: result.url, controls: true, preload: 'metadata', muted: true, playsinline: true, 'aria-label': alt });
  }
  if (result.content_type.startsWith('image/')) {
    return h('a', { href: result.url, target: '_blank', rel: 'noopener' }, h('img', { src: result.url, alt}));
  }
  return h('p', null, h('a', { href: result.url }, `${result.variant} (${result.content_type})`));
}
