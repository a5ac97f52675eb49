// A node:test reporter that writes one JSON line per finished test (file, name, outcome, first error
// line), for tools/matrix.mjs to turn into docs/compatibility.md.
export default async function* matrixReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    if (details?.type === 'suite') continue; // describe() blocks: their tests are reported one by one
    const error = details?.error?.cause ?? details?.error;
    yield `${JSON.stringify({
      file, name,
      outcome: event.type === 'test:pass' ? (event.data.skip ? 'skipped' : 'passed') : 'failed',
      error: error ? describe(error) : undefined,
    })}\n`;
  }
}

/** The first line of an error; for assertion failures also what was found and what was wanted. */
function describe(error) {
  const first = String(error.message ?? error).split('\n')[0];
  if (error.code !== 'ERR_ASSERTION' || !('expected' in error)) return first;
  const show = (value) => (typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value)).slice(0, 120);
  return `${first} actual ${show(error.actual)}, expected ${show(error.expected)}`;
}
