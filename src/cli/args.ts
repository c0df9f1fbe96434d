/**
 * A small, strict argument parser for the `kb` subcommands: unknown options are usage
 * errors (exit 2), never silently ignored.
 */
export class UsageError extends Error {}

export interface OptionSpec {
  /** Takes a value (`--out DIR`) or is a flag (`--force`). */
  value: boolean;
  /** May be given more than once (values collected). */
  repeat?: boolean;
}

export function parseArgs(
  argv: readonly string[],
  spec: Record<string, OptionSpec>,
): { options: Record<string, string | string[] | boolean | undefined>; positionals: string[] } {
  const options: Record<string, string | string[] | boolean | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      const option = spec[name];
      if (!option) throw new UsageError(`unknown option --${name}`);
      if (!option.value) {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
        options[name] = true;
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      if (option.repeat) options[name] = [...((options[name] as string[] | undefined) ?? []), value];
      else options[name] = value;
      continue;
    }
    positionals.push(arg);
  }
  return { options, positionals };
}

/** `--format text|json`, defaulting to text. */
export function formatOption(value: unknown): 'text' | 'json' {
  if (value === undefined) return 'text';
  if (value === 'text' || value === 'json') return value;
  throw new UsageError(`--format must be text or json, not ${String(value)}`);
}
