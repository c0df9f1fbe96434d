#!/usr/bin/env node
// Builds the search index for bin/build.mjs in a process of its own, so it runs on the
// second core while astro renders the pages (the two share nothing but the content folder).
// Same code as the Astro integration's sequential path (src/integrations/pagefind.ts).
//
// Usage: node bin/build-search.mjs OUTDIR   (reads KB_CONTENT_DIR like the build; writes
// OUTDIR/pagefind/; exit 1 on content errors, which the astro build reports in full)
const out = process.argv[2];
if (!out) {
  console.error('Usage: node bin/build-search.mjs OUTDIR');
  process.exit(2);
}
// A build killed with SIGKILL cannot take its children along; when bin/build.mjs is gone
// (re-parented), stop instead of writing into a folder the next build is cleaning up.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.exit(1), 500).unref();

const { loadContent } = await import('../src/lib/load-content.ts');
const { countBySeverity } = await import('../src/lib/diagnostics.ts');
const { contentDir } = await import('../src/lib/site-config.ts');
const { waitedMessage, writeSearchIndex } = await import('../src/integrations/pagefind.ts');

const { bulletins, diagnostics } = await loadContent(contentDir());
if (countBySeverity(diagnostics).errors > 0) {
  console.error('search index: the content has errors (the build lists them)');
  process.exit(1);
}
// Astro renders the pages meanwhile: the bundles get the cores it leaves (`bundlesAtOnce`).
const report = await writeSearchIndex(bulletins, out, { besideAstro: true });
for (const l of report.languages) console.log(`${l.lang}: ${l.records} bulletins indexed, ${l.files} files, ${(l.bytes / 1024).toFixed(0)} KiB`);
// On stderr: bin/build.mjs passes it on, as it does the pages' warnings.
for (const w of report.waited) console.error(`search index: ${waitedMessage(w)}`);
console.log(`lookup: ${report.lookupShards} shards; search index built in ${(report.milliseconds / 1000).toFixed(1)} s (${report.pagefindProcesses} Pagefind process${report.pagefindProcesses === 1 ? '' : 'es'})`);
