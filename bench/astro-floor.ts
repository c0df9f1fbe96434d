/**
 * The Astro floor: what Astro 7 alone takes to build as many pages as the build rendered,
 * each as plain as a page gets (one layout, a heading, a paragraph and a table of twenty
 * rows, about 2 KB), with no content layer, no integrations and no other outputs.
 *
 * Why it is in the report (`npm run bench -- --floors`): Astro renders pages one at a time
 * on its main thread, and each costs it about a millisecond whatever it holds (bench/README.md,
 * round 22). That part of the build no page design removes; read it next to the search floor
 * (`bench/search-floor.ts`) and the build's target.
 *
 * The project is written into a folder of its own, with `node_modules` linked to this
 * project's, so it builds with the same Astro and the same Node.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './real-shapes.ts';

/** Astro's command line, run with this Node (`node ASTRO_CLI build --root DIR`). */
export const ASTRO_CLI = path.join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');

const CONFIG = `import { defineConfig } from 'astro/config';
export default defineConfig({ output: 'static', trailingSlash: 'always', build: { format: 'directory' }, telemetry: false });
`;

const LAYOUT = `---
const { title, lang } = Astro.props;
---
<!doctype html>
<html lang={lang}><head><meta charset="utf-8"><title>{title}</title></head>
<body><header><nav><a href="/">Home</a></nav></header><main><slot /></main><footer>bulletin-kb floor</footer></body></html>
`;

/** The page route: `pages` pages, half in each language, like the bulletin pages. */
function pageRoute(pages: number): string {
  return `---
import Base from '../../../layouts/Base.astro';
export function getStaticPaths() {
  const paths = [];
  for (let i = 0; i < ${pages}; i++) paths.push({ params: { lang: i % 2 ? 'en' : 'ja', id: \`p\${i}\` }, props: { i } });
  return paths;
}
const { i } = Astro.props;
const rows = Array.from({ length: 20 }, (_, r) => ({ name: \`file\${r}.dll\`, version: \`6.0.\${i}.\${r}\`, size: 1000 + r * i }));
---
<Base title={\`Page \${i}\`} lang={i % 2 ? 'en' : 'ja'}>
  <h1>Page {i}</h1>
  <p>What to do about update {i}, and how urgently.</p>
  <table><thead><tr><th>File</th><th>Version</th><th>Size</th></tr></thead>
  <tbody>{rows.map((r) => <tr><td>{r.name}</td><td>{r.version}</td><td>{r.size}</td></tr>)}</tbody></table>
</Base>
`;
}

/** Writes the floor project into `dir` (which must not exist); build it with `ASTRO_CLI build --root dir`. */
export function writeFloorProject(dir: string, pages: number): void {
  if (!Number.isInteger(pages) || pages < 1) throw new Error(`the Astro floor needs a page count above 0 (got ${pages})`);
  mkdirSync(dir, { recursive: false });
  mkdirSync(path.join(dir, 'src', 'layouts'), { recursive: true });
  mkdirSync(path.join(dir, 'src', 'pages', '[lang]', 'p'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "bulletin-kb-astro-floor", "private": true, "type": "module" }\n');
  writeFileSync(path.join(dir, 'astro.config.mjs'), CONFIG);
  writeFileSync(path.join(dir, 'src', 'layouts', 'Base.astro'), LAYOUT);
  writeFileSync(path.join(dir, 'src', 'pages', '[lang]', 'p', '[id].astro'), pageRoute(pages));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}
