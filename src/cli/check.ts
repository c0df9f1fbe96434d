/**
 * `kb check [--content DIR] [--format text|json]`: validates a content folder.
 * Exit 0 when valid (warnings allowed), 1 when any error, 2 on usage or internal error.
 */
import { countBySeverity, formatDiagnostics } from '../lib/diagnostics.ts';
import { loadContent } from '../lib/load-content.ts';
import { formatOption, parseArgs, UsageError } from './args.ts';

export const checkHelp = `Usage: kb check [--content DIR] [--format text|json]

Validates every bulletin under DIR/bulletins (default: $KB_CONTENT_DIR or ./content).
Prints one diagnostic per line: FILE:LINE:COLUMN: error|warning CODE FIELD: message
Exit status: 0 valid (warnings allowed), 1 invalid content, 2 usage or internal error.`;

export async function check(argv: readonly string[]): Promise<number> {
  const { options, positionals } = parseArgs(argv, { content: { value: true }, format: { value: true }, help: { value: false } });
  if (options.help) {
    console.log(checkHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`kb check takes no arguments (got ${positionals.join(' ')}); use --content DIR`);
  const format = formatOption(options.format);
  const contentDir = (options.content as string | undefined) ?? process.env.KB_CONTENT_DIR ?? 'content';
  const { bulletins, diagnostics } = await loadContent(contentDir);
  const { errors, warnings } = countBySeverity(diagnostics);
  if (format === 'json') {
    console.log(formatDiagnostics(diagnostics, 'json'));
  } else {
    if (diagnostics.length > 0) console.log(formatDiagnostics(diagnostics, 'text'));
    console.error(
      `${errors === 0 ? 'ok' : 'failed'}: ${bulletins.length} bulletin${bulletins.length === 1 ? '' : 's'} checked in ${contentDir}, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    );
  }
  return errors > 0 ? 1 : 0;
}
