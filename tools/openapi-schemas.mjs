// What the tools of `cargo xtask corpus` share: an OpenAPI schema, with everything it references,
// as one JSON Schema that json-schema-faker and Ajv read (`closure`), OpenAPI 3.0's `nullable`
// and boolean exclusive bounds said the JSON Schema way (`eachWithNulls`, `forAjv`), and the
// Ajv validator made from it (`validator`). Used by `conformance-instances.mjs` (instances of
// every schema) and `check-examples.mjs` (are documented examples valid for their schema?).
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

// JSON pointer (`#/a/b~1c`, maybe percent-encoded) -> the value in the document.
function valueAt(document, pointer) {
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
function followChain(document, pointer) {
  const seen = new Set();
  let p = pointer;
  for (;;) {
    const v = valueAt(document, p);
    if (seen.has(p) || !v || typeof v.$ref !== 'string' || !v.$ref.startsWith('#')) return p;
    seen.add(p);
    p = v.$ref;
  }
}

// The schema at `pointer` and everything it references, as `definitions/sN` of one schema
// with id `defs`, every reference rewritten to point there. json-schema-faker walks its whole
// root on every call (the whole document would take seconds per instance), and copies keys it
// does not know, like `components`, into instances of a schema without a type.
export function closure(document, pointer) {
  const ids = new Map();
  const definitions = {};
  const queue = [];
  const idOf = (p) => {
    const target = followChain(document, p);
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
    const value = valueAt(document, p);
    // A dangling reference stands for any value.
    definitions[ids.get(p)] = value === undefined ? {} : rewrite(value);
  }
  return { top, definitions };
}

// Keywords whose values are data, not schemas: nothing in them is rewritten.
export const DATA_KEYWORDS = new Set(['example', 'examples', 'default', 'enum', 'const', 'x-examples']);

// OpenAPI's `nullable: true` as JSON Schema says it, `anyOf: [<the schema>, {type: 'null'}]`,
// for both json-schema-faker (which ignores `nullable`, so it would never make a `null`) and
// Ajv. The wrapper is exact whatever the schema holds (a type, an enum, a reference, a union),
// where adding "null" to `type` would still be refused by an `enum` or a `oneOf` beside it.
// `nullable` is read in 3.1 documents too: the generator repairs it to the same meaning.
export function withNulls(v) {
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
export const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);

export function eachWithNulls(map) {
  return Object.fromEntries(Object.entries(map).map(([name, schema]) => [name, withNulls(schema)]));
}

// The same definitions as the JSON Schema Ajv reads: OpenAPI 3.0's boolean exclusive bounds
// become draft-07 numbers.
export function forAjv(v) {
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

// An Ajv validator of `defs#/definitions/<top>`. `formats`: the format names to assert
// (ajv-formats' definitions); any other format is an annotation.
export function validator(top, definitions, { formats = [], allErrors = false } = {}) {
  const ajv = new Ajv({ strict: false, validateFormats: formats.length > 0, validateSchema: false, allErrors });
  if (formats.length > 0) addFormats(ajv, formats);
  ajv.addSchema({ $id: 'defs', definitions: forAjv(definitions) });
  return ajv.getSchema(`defs#/definitions/${top}`);
}
