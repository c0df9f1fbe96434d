/**
 * A fast first pass over ordinary, valid YAML. `kb check` and the build parse every
 * bulletin.yaml and frontmatter; the `yaml` package's document API (which keeps positions
 * for diagnostics) spends about ten times longer on that than js-yaml (measured on 1,000
 * generated bulletins, 11 MB of YAML: 6.6 s against 0.5 s, see bench/README.md). Valid files
 * never need positions, so they are read here; anything unusual or invalid returns
 * undefined and goes to the full parser in `parse-source.ts`, which reports it exactly as
 * before.
 */
import jsyaml from 'js-yaml';

const scalar = (tag: string, test: RegExp, construct: (s: string) => unknown, predicate: (v: unknown) => boolean) =>
  new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (s: string | null) => test.test(s ?? ''),
    construct: (s: string | null) => construct(s ?? ''),
    predicate,
  });

/**
 * The YAML 1.2 core schema, resolving plain scalars exactly as the `yaml` package does with
 * `version: '1.2'` (js-yaml's own core schema also reads `0b101`, `-0x1F` and `+0o7` as
 * numbers and leaves `+.5` a string).
 */
const CORE_1_2 = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', /^(?:~|null|Null|NULL)?$/, () => null, (v) => v === null),
    scalar('bool', /^(?:true|True|TRUE|false|False|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T', (v) => typeof v === 'boolean'),
    scalar(
      'int',
      /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/,
      (s) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : Number(s)),
      (v) => Number.isInteger(v),
    ),
    scalar(
      'float',
      /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
      (s) => (/inf/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : /nan/i.test(s) ? NaN : Number(s)),
      (v) => typeof v === 'number',
    ),
  ],
});

/**
 * What the fast pass leaves to the full parser: anchors and aliases (alias limits), tags,
 * keys that are lists or mappings (`? …`, `[a]: …`, `{a: 1}: …`; js-yaml would turn them
 * into text), directives, document markers and tabs (their diagnostics need positions).
 */
const UNUSUAL = /(?:^|[\s[{,])[&*!]\S|^\s*\?(?:\s|$)|[\]}]\s*:(?:[ \t]|$)|^%|^(?:---|\.\.\.)(?:\s|$)|\t/m;

/**
 * Parses `text` when it is ordinary valid YAML nested at most `maxDepth` levels, else
 * returns undefined. Same data as `parseDocument(text, { version: '1.2' }).toJS()`.
 */
export function fastYaml(text: string, maxDepth: number): { data: unknown } | undefined {
  if (UNUSUAL.test(text)) return undefined;
  let data: unknown;
  try {
    // js-yaml rejects duplicate keys by default, like the full parser's uniqueKeys.
    data = jsyaml.load(text, { schema: CORE_1_2 });
  } catch {
    return undefined;
  }
  const stack: Array<[unknown, number]> = [[data, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) return undefined;
    for (const value of Array.isArray(node) ? node : Object.values(node)) stack.push([value, depth + 1]);
  }
  return { data: data ?? null };
}
