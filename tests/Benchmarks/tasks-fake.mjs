// The upstream for tasks-bench.py: the conformance suite's fake of OpenAI's Videos API (tests/conformance/lib), on
// 127.0.0.1, whose jobs complete after TASKS_JOB_MS. Prints {"baseUrl","key"} on one line, then serves until killed.
import { startFakeOpenAIMedia } from '../conformance/lib/fake-openai-media.mjs';

const fake = await startFakeOpenAIMedia({ videoDurationMs: Number(process.env.TASKS_JOB_MS ?? 20000) });
console.log(JSON.stringify({ baseUrl: fake.baseUrl, key: fake.key }));
process.on('SIGTERM', async () => {
  await fake.close();
  process.exit(0);
});
