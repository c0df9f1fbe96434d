/**
 * JSON Schemas generated from the zod model (zod 4's `toJSONSchema`, input side: what an
 * author may write). Editors use them for completion; `/api/v1/schema/` publishes them.
 */
import { z } from 'zod';
import { BulletinFacts, BulletinText } from '../../schemas/index.ts';

export const CONTENT_SCHEMAS = {
  'bulletin.schema.json': { schema: BulletinFacts, title: 'bulletin-kb bulletin facts (bulletin.yaml)' },
  'bulletin-text.schema.json': { schema: BulletinText, title: 'bulletin-kb bulletin text (ja.md / en.md frontmatter)' },
} as const;

/** Stable JSON text (2-space indent, trailing newline) for one schema. */
export function contentSchemaJson(name: keyof typeof CONTENT_SCHEMAS): string {
  const { schema, title } = CONTENT_SCHEMAS[name];
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return `${JSON.stringify({ $id: `https://bulletin-kb.invalid/schemas/${name}`, title, ...json }, null, 2)}\n`;
}
