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
import Ajv from 'ajv';

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

// JSON pointer (`#/a/b~1c`, maybe percent-encoded) -> the value in the document.
function valueAt(pointer) {
  const body = pointer.replace(/^#\/?/, '');
  let v = document;
  for (const raw of body === '' ? [] : body.split('/')) {
    let s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    try {
      s = decodeURIComponent(s);
    } catch {
      // Not percent-encoded after all.
    }
    if (v === null || typeof v !== 'object' || !(s in v)) return undefined;
    v = v[s];
  }
  return v;
}

// A reference whose target is only another reference leads to the last one's target:
// json-schema-faker does not follow such chains.
function followChain(pointer) {
  const seen = new Set();
  let p = pointer;
  for (;;) {
    const v = valueAt(p);
    if (seen.has(p) || !v || typeof v.$ref !== 'string' || !v.$ref.startsWith('#')) return p;
    seen.add(p);
    p = v.$ref;
  }
}

// The schema at `pointer` and everything it references, as `definitions/sN` of one schema
// with id `defs`, every reference rewritten to point there. json-schema-faker walks its whole
// root on every call (the whole document would take seconds per instance), and copies keys it
// does not know, like `components`, into instances of a schema without a type.
function closure(pointer) {
  const ids = new Map();
  const definitions = {};
  const queue = [];
  const idOf = (p) => {
    const target = followChain(p);
    if (!ids.has(target)) {
      ids.set(target, `s${ids.size}`);
      queue.push(target);
    }
    return ids.get(target);
  };
  const rewrite = (v) => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v === null || typeof v !== 'object') return v;
    const copy = {};
    for (const [k, child] of Object.entries(v)) {
      copy[k] = k === '$ref' && typeof child === 'string' && child.startsWith('#')
        ? `defs#/definitions/${idOf(child)}`
        : rewrite(child);
    }
    return copy;
  };
  const top = idOf(pointer);
  while (queue.length > 0) {
    const p = queue.shift();
    const value = valueAt(p);
    // A dangling reference stands for any value.
    definitions[ids.get(p)] = value === undefined ? {} : rewrite(value);
  }
  return { top, definitions };
}

// Keywords whose values are data, not schemas: nothing in them is rewritten.
const DATA_KEYWORDS = new Set(['example', 'examples', 'default', 'enum', 'const', 'x-examples']);

// OpenAPI's `nullable: true` as JSON Schema says it, `anyOf: [<the schema>, {type: 'null'}]`,
// for both json-schema-faker (which ignores `nullable`, so it would never make a `null`) and
// Ajv. The wrapper is exact whatever the schema holds (a type, an enum, a reference, a union),
// where adding "null" to `type` would still be refused by an `enum` or a `oneOf` beside it.
// `nullable` is read in 3.1 documents too: the generator repairs it to the same meaning.
function withNulls(v) {
  if (Array.isArray(v)) return v.map(withNulls);
  if (v === null || typeof v !== 'object') return v;
  const copy = {};
  for (const [k, child] of Object.entries(v)) {
    if (k === 'nullable' && typeof child === 'boolean') continue;
    if (DATA_KEYWORDS.has(k)) copy[k] = child;
    else if (SCHEMA_MAPS.has(k) && child && typeof child === 'object') copy[k] = eachWithNulls(child);
    else copy[k] = withNulls(child);
  }
  // `{nullable: true}` alone already allows every value.
  if (v.nullable === true && Object.keys(copy).length > 0) {
    return { anyOf: [copy, { type: 'null' }] };
  }
  return copy;
}

// Keywords whose values map names to schemas: a property called `nullable` is not the keyword.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);

function eachWithNulls(map) {
  return Object.fromEntries(Object.entries(map).map(([name, schema]) => [name, withNulls(schema)]));
}

// The same definitions as the JSON Schema Ajv reads: OpenAPI 3.0's boolean exclusive bounds
// become draft-07 numbers.
function forAjv(v) {
  if (Array.isArray(v)) return v.map(forAjv);
  if (v === null || typeof v !== 'object') return v;
  const copy = {};
  for (const [k, child] of Object.entries(v)) copy[k] = DATA_KEYWORDS.has(k) ? child : forAjv(child);
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (typeof copy[flag] === 'boolean') {
      if (copy[flag] && typeof copy[bound] === 'number') {
        copy[flag] = copy[bound];
        delete copy[bound];
      } else {
        delete copy[flag];
      }
    }
  }
  return copy;
}

function validator(top, definitions) {
  const ajv = new Ajv({ strict: false, validateFormats: false, validateSchema: false, allErrors: false });
  ajv.addSchema({ $id: 'defs', definitions: forAjv(definitions) });
  return ajv.getSchema(`defs#/definitions/${top}`);
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
    const closed = closure(pointer);
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
