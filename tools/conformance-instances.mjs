// Schema-valid instances for `cargo xtask corpus --conformance`, from json-schema-faker (pinned
// in package.json): an instance generator independent of the Rust generator under test.
//
// Usage: node tools/conformance-instances.mjs REQUEST.json OUT.json
// REQUEST: {"document": <the OpenAPI document>, "pointers": ["#/components/schemas/Pet", ...],
//           "count": 20, "seed": 1}
// OUT: {"<pointer>": {"instances": [...], "failures": n, "failure": "first error"}}
//
// Each pointer gets its own random stream, seeded from the seed and the pointer, so an
// instance does not change when other schemas are added to the document.
import { readFileSync, writeFileSync } from 'node:fs';
import { JSONSchemaFaker as jsf } from 'json-schema-faker';

const [requestPath, outPath] = process.argv.slice(2);
if (!requestPath || !outPath) {
  console.error('usage: node conformance-instances.mjs REQUEST.json OUT.json');
  process.exit(2);
}
const request = JSON.parse(readFileSync(requestPath, 'utf8'));
const { document, pointers, count, seed } = request;

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

const out = {};
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
    maxItems: 3,
    refDepthMax: 3,
  });
  const root = { ...document, $ref: pointer };
  const entry = { instances: [], failures: 0, failure: '' };
  // A few more attempts than instances: a failed attempt (an unsatisfiable pattern, say) is
  // counted, and the next one tried.
  for (let attempt = 0; entry.instances.length < count && attempt < count * 2; attempt++) {
    try {
      const value = jsf.generate(root);
      entry.instances.push(value === undefined ? null : value);
    } catch (e) {
      entry.failures += 1;
      if (!entry.failure) entry.failure = String(e && e.message ? e.message : e).split('\n')[0];
    }
  }
  out[pointer] = entry;
}
writeFileSync(outPath, JSON.stringify(out));
