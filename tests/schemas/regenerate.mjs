#!/usr/bin/env node
// Regenerates the vendor documents under tests/schemas/ and their checksums (see PROVENANCE.md).
//
//   node tests/schemas/regenerate.mjs [--openai <openapi.yaml | openai-openapi checkout>]
//                                     [--google <discovery .json | checkout holding it>]
//   node tests/schemas/regenerate.mjs --check      (verifies the stored files against checksums.json)
//
// - Anthropic: always regenerated, from the type declarations of the @anthropic-ai/sdk version that
//   tests/conformance pins (installed there by `npm ci`), with ts-json-schema-generator (installed into a
//   scratch directory at the version below; typescript comes with it).
// - OpenAI and Google: GitHub is not reachable from CI, so they are copied byte for byte from a local path
//   given on the command line (a file, or a checkout in which the file sits at its upstream path). Record
//   the new commit and date in PROVENANCE.md by hand.
// - Then checksums.json and the checksum table in PROVENANCE.md are rewritten.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const conformance = path.resolve(here, '../conformance');
const GENERATOR = 'ts-json-schema-generator@2.9.0';

/** The Anthropic types the oracle needs: name → module (relative to the SDK) and type expression. */
const ANTHROPIC_TYPES = {
  Message: ['resources/messages/messages', 'Message'],
  RawMessageStreamEvent: ['resources/messages/messages', 'RawMessageStreamEvent'],
  MessageTokensCount: ['resources/messages/messages', 'MessageTokensCount'],
  ErrorResponse: ['resources/shared', 'ErrorResponse'],
  ModelInfo: ['resources/models', 'ModelInfo'],
};

/** GET /v1/models: the SDK has no named page type, only its generic page body PageResponse<Item>, around ModelInfo. */
const ANTHROPIC_PAGE = `import type { PageResponse } from "SDK/core/pagination";
import type { ModelInfo as PageItem } from "SDK/resources/models";
export type ModelInfoPage = PageResponse<PageItem>;
`;

/** Files outside the checksummed set. */
const NOT_CHECKSUMMED = new Set(['PROVENANCE.md', 'regenerate.mjs', 'checksums.json']);

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

function storedFiles(dir = here, prefix = '') {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(full).isDirectory()) return storedFiles(full, rel);
    return NOT_CHECKSUMMED.has(rel) ? [] : [rel];
  });
}

/** Compares every stored file with checksums.json (and the table in PROVENANCE.md); returns the problems. */
export function checkSchemas() {
  const problems = [];
  const recorded = JSON.parse(readFileSync(path.join(here, 'checksums.json'), 'utf8'));
  const provenance = readFileSync(path.join(here, 'PROVENANCE.md'), 'utf8');
  const files = storedFiles();
  for (const file of files) {
    if (!(file in recorded)) problems.push(`${file}: not in checksums.json`);
    else if (sha256(path.join(here, file)) !== recorded[file]) problems.push(`${file}: SHA-256 differs from checksums.json (edited by hand? run regenerate.mjs)`);
    if (!provenance.includes(`| \`${file}\` | \`${recorded[file]}\` |`)) problems.push(`${file}: PROVENANCE.md does not list its checksum`);
  }
  for (const file of Object.keys(recorded)) if (!files.includes(file)) problems.push(`${file}: in checksums.json but missing`);
  return problems;
}

/** Copies a vendor document from a file, or from a checkout holding it at one of its known upstream paths. */
function copyVendorDocument(source, upstreamPaths, target) {
  let file = path.resolve(source);
  if (statSync(file).isDirectory()) {
    const dir = file;
    file = upstreamPaths.map((p) => path.join(dir, p)).find((p) => existsSync(p));
    if (!file) throw new Error(`${dir} holds none of ${upstreamPaths.join(', ')}`);
  }
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  copyFileSync(file, path.join(here, target));
  console.log(`copied ${file} -> ${target}`);
}

async function regenerateAnthropic() {
  const pin = JSON.parse(readFileSync(path.join(conformance, 'package.json'), 'utf8')).devDependencies['@anthropic-ai/sdk'];
  const sdk = path.join(conformance, 'node_modules/@anthropic-ai/sdk');
  const installed = JSON.parse(readFileSync(path.join(sdk, 'package.json'), 'utf8')).version;
  if (installed !== pin) throw new Error(`@anthropic-ai/sdk ${installed} is installed, ${pin} is pinned: run npm ci in tests/conformance`);

  const scratch = mkdtempSync(path.join(os.tmpdir(), 'manifold-schemas-'));
  try {
    execFileSync('npm', ['install', '--prefix', scratch, '--no-audit', '--no-fund', '--loglevel=error', GENERATOR], { stdio: 'inherit' });
    const { createGenerator } = await import(path.join(scratch, 'node_modules/ts-json-schema-generator/dist/index.js'));
    // One wrapper module re-exports each type under its schema name, so the generator sees one program.
    const wrapper = path.join(scratch, 'types.d.ts');
    writeFileSync(wrapper, [
      ...Object.entries(ANTHROPIC_TYPES).map(([name, [module, type]]) => `export type { ${type} as ${name} } from ${JSON.stringify(path.join(sdk, module))};\n`),
      ANTHROPIC_PAGE.replaceAll('SDK/', `${sdk}/`),
    ].join(''));
    const generator = createGenerator({ path: wrapper, type: '*', expose: 'export', topRef: true, jsDoc: 'none', skipTypeCheck: true, sortProps: true });
    mkdirSync(path.join(here, 'anthropic'), { recursive: true });
    for (const name of [...Object.keys(ANTHROPIC_TYPES), 'ModelInfoPage']) {
      const schema = generator.createSchema(name);
      const out = {
        $comment: `Generated by tests/schemas/regenerate.mjs from the type ${name} of @anthropic-ai/sdk ${pin} with ${GENERATOR}; do not edit.`,
        ...schema,
      };
      writeFileSync(path.join(here, 'anthropic', `${name}.schema.json`), `${JSON.stringify(out, null, 2)}\n`);
      console.log(`generated anthropic/${name}.schema.json (${Object.keys(schema.definitions ?? {}).length} definitions)`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function writeChecksums() {
  const sums = Object.fromEntries(storedFiles().map((file) => [file, sha256(path.join(here, file))]));
  writeFileSync(path.join(here, 'checksums.json'), `${JSON.stringify(sums, null, 2)}\n`);
  const provenancePath = path.join(here, 'PROVENANCE.md');
  const provenance = readFileSync(provenancePath, 'utf8');
  const table = ['<!-- checksums:begin (written by regenerate.mjs) -->', '| File | SHA-256 |', '| --- | --- |',
    ...Object.entries(sums).map(([file, sum]) => `| \`${file}\` | \`${sum}\` |`), '<!-- checksums:end -->'].join('\n');
  writeFileSync(provenancePath, provenance.replace(/<!-- checksums:begin[^]*?<!-- checksums:end -->/, table));
  console.log(`wrote checksums.json and the PROVENANCE.md table (${Object.keys(sums).length} files)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  if (args.includes('--check')) {
    const problems = checkSchemas();
    for (const problem of problems) console.error(problem);
    process.exit(problems.length ? 1 : 0);
  }
  if (option('--openai')) copyVendorDocument(option('--openai'), ['openapi.yaml'], 'openai/openapi.yaml');
  if (option('--google')) {
    copyVendorDocument(option('--google'), [
      'genai/internal/generativelanguage/v1beta/generativelanguage-api.json', // google/generative-ai-go (the stored one)
      'generativelanguage/v1beta/generativelanguage-api.json', // googleapis/google-api-go-client
      'googleapiclient/discovery_cache/documents/generativelanguage.v1beta.json', // googleapis/google-api-python-client
      'discovery/generativelanguage-v1beta.json', // googleapis/google-api-nodejs-client
      'discoveries/generativelanguage.v1beta.json', // googleapis/discovery-artifact-manager
    ], 'google/generativelanguage-v1beta.json');
  }
  await regenerateAnthropic();
  writeChecksums();
}
