// Schema-valid instances for `cargo xtask corpus --conformance`: json-schema-faker makes them
// and Ajv checks them (both pinned in package.json), independently of the Rust generator
// under test. An instance that fails the check (json-schema-faker cuts deep recursion short
// with `{}`, for one) is dropped and counted.
//
// Usage: node tools/conformance-instances.mjs DOCUMENT.json REQUEST.json
// REQUEST: {"pointers": ["#/components/schemas/Pet", ...], "count": 20, "seed": 1}
// Standard output: one JSON line per pointer, in the order asked, each written as soon as it
// is done (so a caller that stops a run which takes too long keeps what was finished):
//   {"pointer": "<pointer>", "instances": [...], "failures": n, "failure": "first reason"}
//
// Each pointer gets its own random stream, seeded from the seed and the pointer, so an
// instance does not change when other schemas are added to the document.
import { readFileSync, writeSync } from 'node:fs';
import { JSONSchemaFaker as jsf } from 'json-schema-faker';
import { closure, eachWithNulls, validator } from './openapi-schemas.mjs';

const [documentPath, requestPath] = process.argv.slice(2);
if (!documentPath || !requestPath) {
  console.error('usage: node conformance-instances.mjs DOCUMENT.json REQUEST.json');
  process.exit(2);
}
const document = JSON.parse(readFileSync(documentPath, 'utf8'));
const { pointers, count, seed } = JSON.parse(readFileSync(requestPath, 'utf8'));

// mulberry32: a small, well-known seedable generator.
function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// FNV-1a over the pointer, mixed with the seed.
function streamSeed(pointer) {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < pointer.length; i++) {
    h ^= pointer.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// One result line on standard output, written synchronously so it is out before the next
// schema starts. A pipe the reader has not drained yet may refuse part of it (EAGAIN when
// the descriptor is non-blocking): the rest is written again.
function emit(pointer, entry) {
  let bytes = Buffer.from(`${JSON.stringify({ pointer, ...entry })}\n`);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(1, bytes));
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}

// Time one schema's instances may take.
const BUDGET_MS = 4000;
// The largest instance kept (JSON bytes).
const MAX_INSTANCE_BYTES = 64 * 1024;

for (const pointer of pointers) {
  jsf.option({
    random: mulberry32(streamSeed(pointer)),
    // Optional properties appear often enough to be exercised, not always.
    alwaysFakeOptionals: false,
    optionalsProbability: 0.6,
    fillProperties: false,
    // Examples and defaults in real documents are often not valid for their own schema.
    useExamplesValue: false,
    useDefaultValue: false,
    failOnInvalidTypes: false,
    failOnInvalidFormat: false,
    ignoreMissingRefs: true,
    maxItems: 2,
    refDepthMax: 2,
  });
  const entry = { instances: [], failures: 0, failure: '' };
  const fail = (reason) => {
    entry.failures += 1;
    if (!entry.failure) entry.failure = reason;
  };
  let check;
  let root;
  try {
    const closed = closure(document, pointer);
    const top = closed.top;
    const definitions = eachWithNulls(closed.definitions);
    root = [{ $ref: `defs#/definitions/${top}` }, [{ $id: 'defs', definitions }]];
    check = validator(top, definitions);
  } catch (e) {
    fail(`cannot read the schema: ${String(e && e.message ? e.message : e).split('\n')[0]}`);
    emit(pointer, entry);
    continue;
  }
  // A few more attempts than instances: a failed attempt is counted and the next one tried.
  // A schema whose instances take json-schema-faker very long (deep, wide nesting) gets what
  // its time budget allows, so one schema cannot hold up a whole corpus run.
  const started = performance.now();
  for (let attempt = 0; entry.instances.length < count && attempt < count * 2; attempt++) {
    if (performance.now() - started > BUDGET_MS) {
      fail(`time budget of ${BUDGET_MS / 1000} s spent after ${entry.instances.length} instances`);
      break;
    }
    let value;
    try {
      value = jsf.generate(...root);
    } catch (e) {
      fail(String(e && e.message ? e.message : e).split('\n')[0]);
      continue;
    }
    if (value === undefined) value = null;
    // Wide schemas nested deep make instances of megabytes: they test nothing more than a
    // smaller one, and slow every later step.
    const size = JSON.stringify(value).length;
    if (size > MAX_INSTANCE_BYTES) {
      fail(`an instance of ${size} bytes, over the ${MAX_INSTANCE_BYTES} byte cap`);
      continue;
    }
    if (check && !check(value)) {
      const e = check.errors && check.errors[0];
      fail(`not valid for its schema: ${e ? `${e.instancePath || '/'} ${e.message}` : 'invalid'}`);
      continue;
    }
    entry.instances.push(value);
  }
  emit(pointer, entry);
}
