// Are the MCP tools' input schemas valid JSON Schema? For `cargo xtask corpus --mcp`, which
// dumps the tool table of each document's generated crate (`--mcp`) and asks Ajv (pinned in
// package.json), a validator the generator did not write, about every input schema: it must
// be valid against the JSON Schema 2020-12 meta-schema (the dialect MCP tool schemas use) and
// compile, which resolves every `$ref` inside it.
//
// Usage: node tools/check-tool-schemas.mjs TOOLS.json
// TOOLS: {"tool_name": {input schema}, ...}
// Standard output: {"tools": N, "invalid": [{"tool": "...", "errors": "..."}, ...]}
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const [toolsPath] = process.argv.slice(2);
if (!toolsPath) {
  console.error('usage: node check-tool-schemas.mjs TOOLS.json');
  process.exit(2);
}
const tools = JSON.parse(readFileSync(toolsPath, 'utf8'));
const invalid = [];
for (const [tool, schema] of Object.entries(tools)) {
  // A fresh instance per schema: each schema's `$defs` are its own.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  if (!ajv.validateSchema(schema)) {
    invalid.push({ tool, errors: ajv.errorsText(ajv.errors) });
    continue;
  }
  try {
    ajv.compile(schema);
  } catch (e) {
    invalid.push({ tool, errors: String(e.message ?? e) });
  }
}
console.log(JSON.stringify({ tools: Object.keys(tools).length, invalid }));
