// Regenerates schemas/*.schema.json from the zod model. tests/schema-files.test.ts fails
// when the committed files differ from what this writes.
import { writeFile } from 'node:fs/promises';
import { CONTENT_SCHEMAS, contentSchemaJson } from '../src/lib/json-schema.ts';

for (const name of Object.keys(CONTENT_SCHEMAS) as Array<keyof typeof CONTENT_SCHEMAS>) {
  await writeFile(new URL(`../schemas/${name}`, import.meta.url), contentSchemaJson(name));
  console.log(`wrote schemas/${name}`);
}
