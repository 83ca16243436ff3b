// Writes src/api/openapi.ts, the TypeScript types of the Host's OpenAPI document (GET /openapi/v1.json, signed in),
// with openapi-typescript:  node scripts/api-types.mjs <document.json> [<output.ts>]
// tests/Host.Tests/ClientApiTypesTests.cs runs this on the live document and fails when the committed file differs
// (PDS_UPDATE_API_TYPES=1 makes it rewrite the file instead).
import { readFile, writeFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';

const [input, output = new URL('../src/api/openapi.ts', import.meta.url)] = process.argv.slice(2);
if (!input) {
  console.error('usage: node scripts/api-types.mjs <openapi.json> [<output.ts>]');
  process.exit(2);
}

/**
 * The Host reads numbers written as text too, so the document types them ["integer", "string"] with a digits pattern;
 * it always writes numbers, and the UI always sends them: number it is.
 */
function numbersAsNumbers(node) {
  if (Array.isArray(node)) node.forEach(numbersAsNumbers);
  else if (node && typeof node === 'object') {
    if (Array.isArray(node.type) && node.type.includes('string') && (node.type.includes('integer') || node.type.includes('number'))) {
      node.type = node.type.filter((t) => t !== 'string');
      delete node.pattern;
    }
    Object.values(node).forEach(numbersAsNumbers);
  }
}

const document = JSON.parse(await readFile(input, 'utf8'));
numbersAsNumbers(document);
// The Host writes every property of its answers, null ones included; an object without properties is free JSON.
const ast = await openapiTS(document, { propertiesRequiredByDefault: true, emptyObjectsUnknown: true, alphabetize: true });
const header = '// Generated from the Host\'s OpenAPI document by scripts/api-types.mjs (openapi-typescript). Do not edit:\n'
  + '// PDS_UPDATE_API_TYPES=1 dotnet test tests/Host.Tests --filter ClientApiTypesTests rewrites it (docs/web-ui.md).\n\n';
await writeFile(output, header + astToString(ast));
