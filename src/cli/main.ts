/**
 * Entry point of the `kb` command: dispatches to one module per subcommand.
 */
import { UsageError } from './args.ts';

type Command = { summary: string; run: (argv: readonly string[]) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  check: { summary: 'validate the content folder', run: async (argv) => (await import('./check.ts')).check(argv) },
  import: { summary: 'import vendor pages (legacy) or Microsoft Docs bulletins (msdocs)', run: async (argv) => (await import('./import.ts')).importCommand(argv) },
  new: { summary: 'scaffold a new bulletin in both languages', run: async (argv) => (await import('./new.ts')).runNew(argv) },
  translations: { summary: 'list missing and stale translations', run: async (argv) => (await import('./translations.ts')).runTranslations(argv) },
};

export const HELP = `Usage: kb <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(14)}${command.summary}`)
  .join('\n')}

Run "kb <command> --help" for a command's options.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`kb: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`kb ${name}: ${error.message}\nRun "kb ${name} --help" for usage.`);
      return 2;
    }
    console.error(`kb ${name}: internal error: ${(error as Error).stack ?? String(error)}`);
    return 2;
  }
}
