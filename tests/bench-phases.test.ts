import { describe, expect, it } from 'vitest';
import * as phases from '../bin/build-phases.mjs';
import { ownerOf, summariseProfile } from '../bench/profile-summary.ts';

const { parseBuildLog, routeKind } = phases;

describe('build phase parser', () => {
  it('exports the parser and the route classifier only', () => {
    expect(Object.keys(phases).sort()).toEqual(['parseBuildLog', 'routeKind']);
  });

  it('splits an astro build log into phases that add up to the whole build', () => {
    const log: Array<[number, string]> = [
      [900, '00:06:09 [content] Syncing content'],
      [950, '00:06:09 [bulletin-kb] 2 bulletins loaded from content'],
      [2900, '00:06:09 [content] Synced content'],
      [3000, '00:06:09 [types] Generated 1.21s'],
      [3100, '00:06:09 [build] Collecting build info...'],
      [3200, '00:06:09 [build] Building static entrypoints...'],
      [5200, '00:06:10 [vite] \u001b[32m✓ built in 555ms\u001b[39m'],
      [5300, ' generating static routes '],
      [5400, '00:06:10   ├─ /ja/bulletins/ms03-046/index.html (+10ms) '],
      [5410, '00:06:10   ├─ /en/bulletins/ms03-046/index.html (+2ms) '],
      [5500, '00:06:10   ├─ /ja/bulletins/index.html (+1.50s) '],
      [5600, '00:06:10   ├─ /ja/rss.xml (+4ms) '],
      [5700, '00:06:10   ├─ /api/v1/bulletins/ms03-046.json (+3ms) '],
      [5800, '00:06:10   └─ /.well-known/csaf/white/2003/ms03-046.json (+7ms) '],
      [6000, '00:06:10 ✓ Completed in 37ms.'],
      [9000, '00:06:13 [bulletin-kb-search] ja: 2 bulletins indexed'],
      [9500, '00:06:13 [bulletin-kb-search] search index built in 3.5 s'],
      [9600, '00:06:13 [build] 2 page(s) built in 9.6s'],
      [9610, '00:06:13 [build] Complete!'],
    ];
    const result = parseBuildLog(log, 9800);
    expect(result.phases.map((p) => [p.name, p.ms])).toEqual([
      ['startup', 900],
      ['content', 2000],
      ['types', 200],
      ['collect', 100],
      ['bundle', 2100],
      ['render', 700],
      ['after-render', 3000],
      ['build-done', 600],
      ['summary', 200],
    ]);
    expect(result.phases.reduce((sum, p) => sum + p.ms, 0)).toBe(9800);
    expect(result.routes).toEqual({
      'bulletin-page': { count: 2, ms: 12 },
      page: { count: 1, ms: 1500 },
      feed: { count: 1, ms: 4 },
      api: { count: 1, ms: 3 },
      csaf: { count: 1, ms: 7 },
    });
    expect(result.integrations['bulletin-kb-search']).toEqual({ firstMs: 9000, lastMs: 9500, lines: 2 });
    expect(result.integrations['bulletin-kb']).toEqual({ firstMs: 950, lastMs: 950, lines: 1 });
  });

  it('keeps only the startup phase when astro failed before printing anything', () => {
    expect(parseBuildLog([], 1234).phases).toEqual([{ name: 'startup', startMs: 0, ms: 1234 }]);
  });

  it('tells bulletin pages, list pages, feeds, CSAF, API, exports and scripts apart', () => {
    expect(routeKind('/en/bulletins/ms03-046/index.html')).toBe('bulletin-page');
    expect(routeKind('/en/bulletins/index.html')).toBe('page');
    expect(routeKind('/en/bulletins/year/2003/index.html')).toBe('page');
    expect(routeKind('/ja/atom.xml')).toBe('feed');
    expect(routeKind('/ja/feed.json')).toBe('feed');
    expect(routeKind('/.well-known/csaf/provider-metadata.json')).toBe('feed');
    expect(routeKind('/.well-known/csaf/white/2003/ms03-046.json')).toBe('csaf');
    expect(routeKind('/.well-known/csaf/white/2003/ms03-046.json.sha512')).toBe('csaf');
    expect(routeKind('/api/v1/files.json')).toBe('api');
    expect(routeKind('/exports/bulletins.csv')).toBe('export');
    expect(routeKind('/downloads/verify/ms03-046.ps1')).toBe('download');
  });
});

describe('cpu profile summary', () => {
  it('names the package or project file that owns a frame', () => {
    expect(ownerOf('file:///work/main/node_modules/yaml/dist/parse/lexer.js')).toBe('yaml');
    expect(ownerOf('file:///work/main/node_modules/@astrojs/markdown-remark/dist/index.js')).toBe('@astrojs/markdown-remark');
    expect(ownerOf('file:///work/main/src/lib/parse-source.ts')).toBe('src/lib/parse-source.ts');
    expect(ownerOf('node:fs')).toBe('node:fs');
    expect(ownerOf('')).toBe('(native)');
  });

  it('adds self time per function and package, and inclusive time per project function', () => {
    const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url, lineNumber: 0 }, children });
    const profile = {
      nodes: [
        frame(1, '(root)', '', [2, 5]),
        frame(2, 'loadContent', 'file:///p/src/lib/load-content.ts', [3, 4]),
        frame(3, 'parse', 'file:///p/node_modules/yaml/dist/index.js'),
        frame(4, 'safeParse', 'file:///p/node_modules/zod/index.js'),
        frame(5, '(garbage collector)', ''),
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [3, 3, 4, 5, 2],
      timeDeltas: [1000, 3000, 2000, 1000, 3000],
    };
    const summary = summariseProfile(profile);
    expect(summary.totalMs).toBe(10);
    expect(summary.gcMs).toBe(1);
    expect(summary.byPackage).toEqual([
      { name: 'yaml', ms: 4 },
      { name: 'src/lib/load-content.ts', ms: 3 },
      { name: 'zod', ms: 2 },
      { name: '(garbage collector)', ms: 1 },
    ]);
    expect(summary.projectInclusive).toEqual([{ name: 'loadContent src/lib/load-content.ts:1', ms: 9 }]);
  });
});
