// One Manifold and three loopback upstreams for a test file: platforms `openai`, `claude` and `gemini`,
// configured only through the documented Manifold__Platforms__* variables, each with its own model
// names so root routing by model reaches it. `cell()` names a test by its place in the compatibility
// matrix ("<platform> · <scenario> · <mode>"), which is what tools/matrix.mjs reads back.
import { test } from 'node:test';
import { ANTHROPIC_MODELS, startFakeAnthropic } from './fake-anthropic.mjs';
import { GEMINI_MODELS, startFakeGemini } from './fake-gemini.mjs';
import { OPENAI_MODELS, startFakeOpenAI } from './fake-openai.mjs';
import { startManifold } from './manifold.mjs';
// Every answer of every test is checked against its vendor's schema (and fails the test if it breaks it).
import './oracle-ledger.mjs';
import { startOracleProxy } from './oracle-proxy.mjs';

/**
 * The platforms under test. `model` is an ordinary model; `thinking` carries the -thinking suffix;
 * `signing` is the model whose answers carry a reasoning signature the upstream checks on the way back
 * (Gemini 3 requires its thought signatures on function calls).
 */
const ALL_PLATFORMS = [
  { name: 'openai', plugin: 'openai', model: 'gpt-4o-mini', thinking: 'gpt-5-mini-thinking', signing: 'gpt-5-mini', overloaded: 'gpt-overloaded' },
  { name: 'claude', plugin: 'claude', model: 'claude-sonnet-5-5', thinking: 'claude-sonnet-5-5-thinking', signing: 'claude-sonnet-5-5', overloaded: 'claude-overloaded' },
  { name: 'gemini', plugin: 'gemini', model: 'gemini-2.5-flash', thinking: 'gemini-2.5-flash-thinking', signing: 'gemini-3-pro-preview', overloaded: 'gemini-overloaded' },
];

/** MATRIX_PLATFORMS=openai,claude narrows a run to some platforms (e.g. while a plugin is being written). */
export const PLATFORMS = process.env.MATRIX_PLATFORMS
  ? ALL_PLATFORMS.filter((p) => process.env.MATRIX_PLATFORMS.split(',').includes(p.name))
  : ALL_PLATFORMS;

export const MODES = { ns: 'non-stream', s: 'stream' };

/** Starts the three fakes, a Manifold pointing at them, and the oracle's proxy in front of Manifold. */
export async function startMatrix() {
  const fakes = { openai: await startFakeOpenAI(), claude: await startFakeAnthropic(), gemini: await startFakeGemini() };
  const env = {};
  for (const platform of PLATFORMS) {
    const fake = fakes[platform.name];
    const prefix = `Manifold__Platforms__${platform.name}__`;
    env[`${prefix}Plugin`] = platform.plugin;
    env[`${prefix}BaseUrl`] = fake.baseUrl;
    env[`${prefix}Accounts__0__Key`] = fake.key;
    env[`${prefix}Models__0`] = `${platform.model.split('-')[0]}-*`;
  }
  let manifold;
  try {
    manifold = await startManifold(env);
  } catch (error) {
    await Promise.all(Object.values(fakes).map((f) => f.close()));
    throw error;
  }
  // The SDKs (and raw calls) reach Manifold through the validating proxy; `manifoldUrl` bypasses it.
  const proxy = await startOracleProxy(manifold.url);
  return {
    url: proxy.url,
    manifoldUrl: manifold.url,
    proxy,
    fakes,
    log: manifold.log,
    async stop() {
      await proxy.close();
      await manifold.stop();
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}

/**
 * The models a platform lists, in its upstream's order: its fake's models that the platform's `<family>-*` pattern routes
 * there (and, for Gemini, that generate content, as the gemini plugin keeps only those).
 */
export function servedModels(platform) {
  const family = `${platform.model.split('-')[0]}-`;
  const ids = {
    openai: OPENAI_MODELS,
    claude: ANTHROPIC_MODELS.map((m) => m.id),
    gemini: GEMINI_MODELS.filter((m) => m.supportedGenerationMethods.includes('generateContent')).map((m) => m.name.slice('models/'.length)),
  }[platform.name];
  return ids.filter((id) => id.startsWith(family));
}

/** A matrix cell: a test named "<platform> · <scenario> · <mode>". */
export function cell(platform, scenario, mode, fn) {
  test(`${platform.name} · ${scenario} · ${mode}`, fn);
}
