/**
 * Turns zod issues into diagnostics a person can act on: a position from the YAML, a
 * stable code, and a message without union noise ("expected X, received Y").
 */
import type { z } from 'zod';
import { fieldPath, type Diagnostic } from './diagnostics.ts';
import type { Locator } from './parse-source.ts';

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (optimal string
 * alignment), so "titel" is one typo away from "title", as a person would count it.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest known name, when it is close enough to be a typo: one edit per three
 * letters, at least one. A two-letter key such as "fr" is not a typo of "ja".
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

/** Finds the schema object at `path` to list its known keys (for did-you-mean). */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: any = schema;
  const unwrap = (s: any): any => {
    for (let i = 0; i < 10 && s; i++) {
      const def = s._zod?.def;
      if (!def) return s;
      if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'prefault') s = def.innerType;
      else if (def.type === 'pipe') s = def.in;
      else return s;
    }
    return s;
  };
  for (const part of path) {
    current = unwrap(current);
    const def = current?._zod?.def;
    if (def?.type === 'object') current = def.shape[part as string];
    else if (def?.type === 'array') current = def.element;
    else return [];
  }
  current = unwrap(current);
  const def = current?._zod?.def;
  if (def?.type === 'object') return Object.keys(def.shape);
  if (def?.type === 'union') {
    for (const option of def.options) {
      const o = unwrap(option)?._zod?.def;
      if (o?.type === 'object') return Object.keys(o.shape);
    }
  }
  return [];
}

function isMapping(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current: any = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = current[part as any];
  }
  return current;
}

/** One diagnostic per zod issue (unknown keys: one per key). */
export function schemaDiagnostics(
  file: string,
  error: z.ZodError,
  schema: z.ZodType,
  data: unknown,
  locate: Locator,
  basePath: readonly PropertyKey[] = [],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const push = (path: readonly PropertyKey[], code: Diagnostic['code'], message: string, key = false) => {
    const { line, column } = locate.at([...basePath, ...path], key);
    out.push({ file, line, column, severity: 'error', code, field: fieldPath([...basePath, ...path]), message });
  };
  for (const issue of error.issues) {
    const path = issue.path as PropertyKey[];
    // A field that is absent from its mapping is missing, whatever check tripped over it
    // (enums, refinements and transforms all see `undefined`).
    if (issue.code !== 'unrecognized_keys' && path.length > 0 && valueAt(data, path) === undefined && isMapping(valueAt(data, path.slice(0, -1)))) {
      const name = String(path[path.length - 1]);
      const expected = issue.code === 'invalid_type' ? ` (${EXPECTED[issue.expected] ?? issue.expected})` : '';
      push(path.slice(0, -1), 'SCHEMA_REQUIRED', `required field "${name}" is missing: add it${expected}`);
      out[out.length - 1]!.field = fieldPath([...basePath, ...path]);
      continue;
    }
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(schema, path).filter((k) => k !== '$schema');
        for (const key of issue.keys) {
          const suggestion = didYouMean(key, known);
          // "{ ja: 一, en: One, two }" reads "two" as a key without a value: text with a
          // comma inside { … } that needed quotes.
          const flowComma = valueAt(data, [...path, key]) === null;
          push(
            [...path, key],
            'UNKNOWN_FIELD',
            suggestion
              ? `unknown field "${key}": did you mean "${suggestion}"?`
              : flowComma
                ? `unknown field "${key}": remove it, or if it is the rest of a text cut at a comma inside { … }, put the whole text in quotes`
                : `unknown field "${key}": remove it (known fields here: ${known.join(', ')})`,
            true,
          );
        }
        break;
      }
      case 'invalid_type': {
        const value = valueAt(data, path);
        const expected = EXPECTED[issue.expected] ?? issue.expected;
        if (value === undefined) {
          push(path.length > 0 ? path.slice(0, -1) : path, 'SCHEMA_REQUIRED', `required field "${String(path[path.length - 1] ?? '')}" is missing: add it (${expected})`);
          out[out.length - 1]!.field = fieldPath([...basePath, ...path]);
        } else if (issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
          // `version: 5.5` or `service_pack: no` are read by YAML as a number or a boolean.
          push(path, 'SCHEMA_TYPE', `expected text, received ${describe(value)}: YAML reads this unquoted value as a ${typeof value}; put it in quotes exactly as the vendor writes it`);
        } else {
          push(path, 'SCHEMA_TYPE', `expected ${expected}, received ${describe(value)}`);
        }
        break;
      }
      case 'invalid_union': {
        // Collapse the union's noise: report the most specific branch error, or a summary.
        const branches = (issue as any).errors as z.core.$ZodIssue[][] | undefined;
        const value = valueAt(data, path);
        const custom = branches?.flat().find((b) => b.code === 'custom' || b.code === 'invalid_format' || b.code === 'unrecognized_keys');
        if (custom && custom.code !== 'unrecognized_keys') push(path, 'SCHEMA_VALUE', custom.message);
        else if (value === undefined) push(path.slice(0, -1), 'SCHEMA_REQUIRED', `required field "${String(path[path.length - 1])}" is missing: add it`);
        else if (custom?.code === 'unrecognized_keys') {
          const keys = (custom as any).keys as string[];
          push([...path, ...(custom.path as PropertyKey[]), keys[0]!], 'UNKNOWN_FIELD', `unknown field "${keys[0]}": give the text per language as { ja: "…", en: "…" } or as one plain string`, true);
        } else push(path, 'SCHEMA_TYPE', `expected text or { ja: "…", en: "…" }, received ${describe(value)}`);
        break;
      }
      case 'too_small': {
        const value = valueAt(data, path);
        const message = Array.isArray(value)
          ? `the list needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}`
          : typeof value === 'string'
            ? 'the text is empty: write it or remove the field'
            : `must be at least ${String(issue.minimum)}, received ${describe(value)}`;
        push(path, 'SCHEMA_VALUE', message);
        break;
      }
      case 'too_big':
        push(path, 'SCHEMA_VALUE', `too long: at most ${String(issue.maximum)} ${typeof valueAt(data, path) === 'string' ? 'characters' : ''}`.trim());
        break;
      case 'invalid_value': {
        const values = (issue as any).values as unknown[];
        const value = valueAt(data, path);
        const suggestion = typeof value === 'string' ? didYouMean(value, values.map(String)) : undefined;
        if (!issue.message.startsWith('Invalid')) {
          push(path, 'SCHEMA_VALUE', issue.message);
          break;
        }
        push(
          path,
          'SCHEMA_VALUE',
          `${describe(value)} is not allowed here: use one of ${values.map((v) => JSON.stringify(v)).join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        );
        break;
      }
      default:
        push(path, 'SCHEMA_VALUE', issue.message);
    }
  }
  return out;
}
