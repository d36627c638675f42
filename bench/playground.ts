import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildSite, launchChromium, removeSite, serve } from '../packages/playground/harness/staticSite.ts';

/** The playground's page figures: how soon the first prompt shows, and how much JavaScript it loads. */
export interface PageFigures {
  /** Navigation start to the first prompt drawn (`performance.mark('first-prompt')`), each run. */
  readonly firstPromptMs: readonly number[];
  readonly jsBytes: number;
  readonly jsGzipBytes: number;
  readonly jsBrotliBytes: number;
  /** The script the first prompt waits for (the editor's chunk loads after it). */
  readonly entryJsBytes: number;
  readonly entryJsGzipBytes: number;
  readonly entryJsBrotliBytes: number;
}

/**
 * Builds the site, serves it and opens it `runs` times in Debian's chromium, each in a fresh
 * browser context (empty cache), reading the page's own first-prompt mark. Sizes are of every
 * script in dist/assets, compressed as a web server would send them (gzip -9, brotli q11).
 */
export async function pageFigures(runs: number): Promise<PageFigures> {
  const site = await buildSite();
  const { url, server } = await serve(site);
  const browser = await launchChromium();
  const firstPromptMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      const handle = await page.waitForFunction(() => performance.getEntriesByName('first-prompt')[0]?.startTime, null, {
        timeout: 60_000,
      });
      firstPromptMs.push(Math.round((await handle.jsonValue()) as number));
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const assets = join(site, 'assets');
  const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const entry = readFileSync(join(site, 'index.html'), 'utf8').match(/src="\.\/assets\/([^"]+\.js)"/)?.[1];
  const sizes = (files: readonly string[]) => {
    const bytes = files.map((f) => readFileSync(join(assets, f)));
    return {
      raw: bytes.reduce((n, b) => n + b.length, 0),
      gzip: bytes.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
      brotli: bytes.reduce((n, b) => n + brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0),
    };
  };
  const all = sizes(scripts);
  const first = sizes(entry === undefined ? [] : [entry]);
  removeSite(site);
  return {
    firstPromptMs,
    jsBytes: all.raw,
    jsGzipBytes: all.gzip,
    jsBrotliBytes: all.brotli,
    entryJsBytes: first.raw,
    entryJsGzipBytes: first.gzip,
    entryJsBrotliBytes: first.brotli,
  };
}
