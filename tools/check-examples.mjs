// Are documented examples valid for their schema? For `cargo xtask corpus --examples`, which
// asks only about the examples the generated types failed to decode: an example Ajv finds
// valid is one the generator was stricter than its schema about; an invalid one contradicts
// its schema. Ajv (with ajv-formats, both pinned in package.json) reads each schema the way
// `conformance-instances.mjs` does (`openapi-schemas.mjs`), as a response body: a `writeOnly`
// property is not required (OpenAPI 3.0: it is never sent in a response).
//
// Usage: node tools/check-examples.mjs DOCUMENT.json REQUEST.json
// REQUEST: {"examples": [{"pointer": "#/components/schemas/Pet", "value": ...}, ...],
//           "formats": ["date", "date-time"]}   (the formats asserted; others are annotations)
// Standard output: one JSON array, an entry per example in the order asked:
//   {"valid": true, "typeless": false} or {"valid": false, "errors": [{"path": "/a/0", "message": "..."}, ...]}
// `typeless`: valid only because a schema without `type` whose keywords constrain objects only
// (`properties`, `required`, ...) says nothing about a value that is not an object; with
// `type: object` added to such schemas the example is invalid.
// (at most MAX_ERRORS errors, every one Ajv finds up to there, so a caller can tell whether
// one of them is where decoding failed).
import { readFileSync, writeSync } from 'node:fs';
import { DATA_KEYWORDS, SCHEMA_MAPS, closure, eachWithNulls, validator } from './openapi-schemas.mjs';

const [documentPath, requestPath] = process.argv.slice(2);
if (!documentPath || !requestPath) {
  console.error('usage: node check-examples.mjs DOCUMENT.json REQUEST.json');
  process.exit(2);
}
const document = JSON.parse(readFileSync(documentPath, 'utf8'));
const { examples, formats = [] } = JSON.parse(readFileSync(requestPath, 'utf8'));
const MAX_ERRORS = 50;

// `required` without the properties a response never carries (`writeOnly`), looking through
// one reference to a definition for the property's own flag.
function responseView(v, definitions) {
  if (Array.isArray(v)) return v.map((x) => responseView(x, definitions));
  if (v === null || typeof v !== 'object') return v;
  const copy = {};
  for (const [k, child] of Object.entries(v)) copy[k] = DATA_KEYWORDS.has(k) ? child : responseView(child, definitions);
  if (Array.isArray(copy.required) && copy.properties && typeof copy.properties === 'object') {
    const writeOnly = (name) => {
      let p = v.properties[name];
      const ref = p && typeof p.$ref === 'string' && p.$ref.match(/^defs#\/definitions\/(.+)$/);
      if (ref) p = definitions[ref[1]];
      return Boolean(p && p.writeOnly === true);
    };
    copy.required = copy.required.filter((name) => !writeOnly(name));
  }
  return copy;
}

// Keywords that constrain objects only.
const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties', 'maxProperties', 'propertyNames'];

// The schema with `type: object` on every schema that has no `type` but object keywords.
function objectTyped(v, names = false) {
  if (Array.isArray(v)) return v.map((x) => objectTyped(x));
  if (v === null || typeof v !== 'object') return v;
  const copy = {};
  for (const [k, child] of Object.entries(v)) {
    if (names) copy[k] = objectTyped(child);
    else copy[k] = DATA_KEYWORDS.has(k) ? child : objectTyped(child, SCHEMA_MAPS.has(k));
  }
  if (!names && copy.type === undefined && OBJECT_KEYWORDS.some((k) => k in copy)) copy.type = 'object';
  return copy;
}

const validators = new Map();
// The validators of a pointer: as written, and with object keywords implying `type: object`.
function validatorsFor(pointer) {
  if (!validators.has(pointer)) {
    const { top, definitions } = closure(document, pointer);
    const view = Object.fromEntries(
      Object.entries(definitions).map(([id, schema]) => [id, responseView(schema, definitions)]),
    );
    const typed = Object.fromEntries(Object.entries(view).map(([id, schema]) => [id, objectTyped(schema)]));
    validators.set(pointer, {
      written: validator(top, eachWithNulls(view), { formats, allErrors: true }),
      typed: validator(top, eachWithNulls(typed), { formats }),
    });
  }
  return validators.get(pointer);
}

const answers = examples.map(({ pointer, value }) => {
  let check;
  let typed;
  try {
    ({ written: check, typed } = validatorsFor(pointer));
  } catch (e) {
    return { valid: false, errors: [{ path: '', message: `cannot read the schema: ${String(e && e.message ? e.message : e).split('\n')[0]}` }] };
  }
  if (check(value)) return { valid: true, typeless: !typed(value) };
  const errors = (check.errors || []).slice(0, MAX_ERRORS).map((e) => ({
    path: e.instancePath,
    message: `${e.message}${e.params && e.params.missingProperty ? ` (${e.params.missingProperty})` : ''}`,
  }));
  return { valid: false, errors };
});

const bytes = Buffer.from(`${JSON.stringify(answers)}\n`);
for (let written = 0; written < bytes.length; ) {
  try {
    written += writeSync(1, bytes.subarray(written));
  } catch (e) {
    if (e.code !== 'EAGAIN') throw e;
  }
}
