#!/usr/bin/env node
// The `kb` command. The project runs TypeScript directly (Node >= 22.12 strips types);
// on an older system Node (this machine kind ships 20) it re-runs itself with the Node
// that the `node` devDependency installs, so `npx kb …` works either way.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const local = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(local) || process.env.KB_REEXEC) {
    console.error(`kb needs Node.js >= 22.18 (found ${process.versions.node}); run "npm ci" to install the project's Node`);
    process.exit(2);
  }
  const result = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, KB_REEXEC: '1' },
  });
  process.exit(result.status ?? 2);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
