// The playground in a real browser: the site is built with its Vite config, served from a
// folder by a plain static server, and driven in Debian's chromium (which .ci/run installs).
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createSimulator, NO_HOST_FILES, parseScript, scenarioClusterOptions, startRepl } from '@cilium-sim/cli';
import { loadScenario } from '@cilium-sim/scenarios';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, launchChromium, removeSite, serve } from '../harness/staticSite.ts';

const OUTPUT = new URL('../test-output/', import.meta.url).pathname;
const SCENARIO = 'star-wars-mutual-auth';
const POLL = { timeout: 60_000 };

interface Hook {
  lines(): string[];
  flushed(): Promise<void>;
  ready(): Promise<void>;
  state(): { steps: unknown[] };
}

let site: string;
let server: Server;
let url: string;
let requests: string[];
let browser: Browser;

beforeAll(async () => {
  site = await buildSite();
  ({ server, url, requests } = await serve(site));
  browser = await launchChromium();
  mkdirSync(OUTPUT, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (site !== undefined) removeSite(site);
});

async function open(fragment: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.setDefaultTimeout(120_000);
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${url}${fragment}`);
  await page.waitForFunction(() => (window as unknown as { __playground?: unknown }).__playground !== undefined);
  await page.evaluate(() => (window as unknown as { __playground: Hook }).__playground.ready());
  return page;
}

/** The terminal's lines once everything written is on the screen. */
async function terminalLines(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { __playground: Hook }).__playground;
    await hook.flushed();
    return hook.lines();
  });
}

/** The walkthrough's commands, each as the lines a user types (a `\` continuation is its own line). */
function walkthroughLines(): string[][] {
  const parsed = parseScript(loadScenario(SCENARIO).script);
  if (!('commands' in parsed)) throw new Error(parsed.errors.join('\n'));
  return parsed.commands.map((c) => c.text.split('\n'));
}

/** What `cilium-sim repl` prints when the same lines are piped into it on the scenario's cluster. */
async function cliTranscript(lines: readonly string[]): Promise<string> {
  const s = loadScenario(SCENARIO);
  const sim = createSimulator(scenarioClusterOptions(s), NO_HOST_FILES, s.files);
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const done = startRepl({ input, output, session: sim.session, isTTY: false });
  input.end(`${lines.join('\n')}\n`);
  await done;
  output.end();
  await finished(output);
  return text;
}

// The machine the tests run on may be busy: the page is given time rather than a deadline.
describe('the playground page', { timeout: 240_000 }, () => {
  let page: Page;
  let banner: number;

  it('runs the Star Wars mutual-auth walkthrough typed into its terminal, printing what the CLI prints', async () => {
    page = await open(`#scenario=${SCENARIO}&seed=1`);
    banner = (await terminalLines(page)).length - 1;
    await page.locator('#terminal .xterm-helper-textarea').focus();
    const commands = walkthroughLines();
    // The first command key by key, TAB completing `cilium`'s subcommand; the rest typed whole.
    await page.keyboard.type('cilium con');
    await page.keyboard.press('Tab');
    await page.keyboard.type('view | grep mesh-auth');
    await page.keyboard.press('Enter');
    expect(commands[0]).toEqual(['cilium config view | grep mesh-auth']);
    for (const command of commands.slice(1)) {
      for (const line of command) {
        await page.keyboard.insertText(line);
        await page.keyboard.press('Enter');
      }
    }
    const lines = await terminalLines(page);
    // A terminal shows `\r\n` (Envoy's `Access denied\r\n`) as a line end, as it shows `\n`.
    const expected = (await cliTranscript(commands.flat())).replace(/\r\n/g, '\n');

    expect(lines.at(-1)).toBe('root@server:~# ');
    expect(`${lines.slice(banner, -1).join('\n')}\n`).toBe(expected);
    expect(expected).toContain('Policy denied DROPPED');
    await page.screenshot({ path: `${OUTPUT}playground.png` });
    await page.locator('#terminal').screenshot({ path: `${OUTPUT}terminal.png` });
  }, 300_000);

  it("shows the flows, a dropped one's arrow and verdict, and the flow in full when clicked", async () => {
    const drop = page
      .locator('#flow-table tbody tr', { hasText: 'default/xwing', has: page.locator('td.verdict', { hasText: /^DROPPED$/ }) })
      .first();
    await expect.poll(() => drop.count(), POLL).toBe(1);
    expect(await drop.locator('td.arrow').textContent()).toBe('<>');
    expect(await drop.locator('td.verdict').textContent()).toBe('DROPPED');
    await drop.click();

    const details = page.locator('#flow-details');
    expect(await details.locator('pre.flow-line').textContent()).toMatch(
      /default\/xwing:\d+ \(ID:\d+\) <> default\/deathstar-[a-z0-9-]+:80 \(ID:\d+\) Policy denied DROPPED \(TCP Flags: SYN\)/,
    );
    expect(JSON.parse((await details.locator('pre.flow-json').textContent()) ?? '{}')).toMatchObject({
      verdict: 'DROPPED',
      drop_reason_desc: 'POLICY_DENIED',
    });
    await page.fill('#flow-filter', 'Authentication required');
    expect(await page.locator('#flow-table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#flow-table tbody tr:not(.verdict-dropped)').count()).toBe(0);
    await page.locator('#flows-section').screenshot({ path: `${OUTPUT}flows.png` });
    await page.fill('#flow-filter', '');
  });

  it('draws the service map of the flows and says what went over a link when it is clicked', async () => {
    const edge = page.locator('#service-map g.edge[data-from="default/xwing"][data-to="svc:default/deathstar"]');
    expect(await edge.getAttribute('class')).toContain('dropped');
    // A real click on the middle of the link's curve.
    const point = await edge.evaluate((g) => {
      const path = g.querySelector('path.hit') as SVGPathElement;
      const mid = path.getPointAtLength(path.getTotalLength() / 2);
      const m = path.getScreenCTM()!;
      return { x: m.a * mid.x + m.c * mid.y + m.e, y: m.b * mid.x + m.d * mid.y + m.f };
    });
    await page.mouse.click(point.x, point.y);

    const details = page.locator('#map-details');
    expect(await details.locator('h3').textContent()).toBe('default/xwing → svc:default/deathstar');
    expect(await details.locator('li').allTextContents()).toEqual([expect.stringMatching(/^TCP\/80: 0 forwarded, [1-9]\d* dropped$/)]);
    await page.locator('#map-section').screenshot({ path: `${OUTPUT}service-map.png` });
  });

  it('updates the flows and the map as a command runs, without a reload', async () => {
    const rows = page.locator('#flow-table tbody tr');
    const before = await rows.count();
    const droppedOnMap = async (): Promise<number> => {
      const label = await page
        .locator('#service-map g.edge[data-from="default/xwing"][data-to="svc:default/deathstar"]')
        .getAttribute('aria-label');
      return Number(/(\d+) dropped/.exec(label ?? '')?.[1]);
    };
    const mapBefore = await droppedOnMap();
    await page.locator('#terminal .xterm-helper-textarea').focus();
    await page.keyboard.insertText(
      'kubectl exec xwing -- curl -s --connect-timeout 1 -XPOST deathstar.default.svc.cluster.local/v1/request-landing',
    );
    await page.keyboard.press('Enter');

    await expect.poll(() => rows.count(), POLL).toBeGreaterThan(before);
    const last = rows.last();
    expect(await last.locator('td.verdict').textContent()).toBe('DROPPED');
    expect(await last.locator('td.arrow').textContent()).toBe('<>');
    expect(await last.textContent()).toContain('default/xwing');
    // Drops are coloured apart from forwarded flows.
    const colour = (tr: Locator) => tr.locator('td.verdict').evaluate((td) => getComputedStyle(td).color);
    expect(await colour(last)).not.toBe(await colour(page.locator('#flow-table tbody tr.verdict-forwarded').first()));
    expect(await droppedOnMap()).toBeGreaterThan(mapBefore);
  });

  it('shows the connectivity matrix and the endpoints with their identities', async () => {
    const denied = page.locator('#matrix td.denied').first();
    expect(await denied.getAttribute('title')).toMatch(/^default\/xwing to default\/deathstar.* on 80\/TCP: denied/);
    const deathstar = page.locator('#endpoint-table tbody tr', { hasText: 'default/deathstar' }).first();
    const identity = (await deathstar.locator('td').nth(3).textContent()) ?? '';
    expect(
      await page.locator('#identity-table tbody tr', { hasText: 'k8s:class=deathstar' }).first().locator('td').first().textContent(),
    ).toBe(identity);
    await page.locator('#matrix-section').screenshot({ path: `${OUTPUT}matrix.png` });
    await page.locator('#endpoints-section').screenshot({ path: `${OUTPUT}endpoints.png` });
  });

  it('applies the editor through kubectl apply and marks what the API server refused at its line', async () => {
    const manifest = [
      'apiVersion: cilium.io/v2',
      'kind: CiliumNetworkPolicy',
      'metadata:',
      '  name: broken',
      'spec:',
      '  endpointSelector:',
      '    matchLabels:',
      '      org: empire',
      '  ingress:',
      '    - toPorts:',
      '        - ports:',
      '            - port: "80000"',
      '              protocol: TCP',
    ].join('\n');
    await page.locator('#yaml-editor .cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(manifest);
    await page.click('#apply');

    const lines = await terminalLines(page);
    expect(lines.slice(-3, -1)).toEqual([
      'root@server:~# kubectl apply -f playground.yaml',
      expect.stringMatching(
        /^Error from server \(BadRequest\): error when creating "playground.yaml": CiliumNetworkPolicy default\/broken: spec.ingress\[0\].toPorts\[0\].ports\[0\].port: /,
      ),
    ]);
    const problem = page.locator('#editor-problems li');
    await expect.poll(() => problem.count(), POLL).toBe(1);
    expect(await problem.textContent()).toMatch(/^line 12: Error from server \(BadRequest\)/);
    // The lint gutter's marker sits on line 12.
    await expect.poll(() => page.locator('.cm-gutter-lint .cm-lint-marker-error').count(), POLL).toBe(1);
    const markerTop = await page.locator('.cm-gutter-lint .cm-lint-marker-error').evaluate((m) => m.getBoundingClientRect().top);
    const line12 = page.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^12$/ });
    expect(Math.abs(markerTop - (await line12.evaluate((e) => e.getBoundingClientRect().top)))).toBeLessThan(4);
    await page.locator('#editor-pane').screenshot({ path: `${OUTPUT}editor.png` });
  });

  it('keeps everything in its link: opened again, the link replays to the same screen', async () => {
    const link = page.url();
    expect(link).toContain(`#scenario=${SCENARIO}&seed=1&c=cilium+config+view`);
    const screen = (p: Page) =>
      p.evaluate(async () => {
        const hook = (window as unknown as { __playground: Hook }).__playground;
        await hook.flushed();
        const text = (selector: string) => [...document.querySelectorAll(selector)].map((e) => e.textContent);
        return {
          terminal: hook.lines(),
          flows: text('#flow-table tbody tr'),
          map: document.querySelector('#service-map svg')?.outerHTML,
          matrix: text('#matrix td'),
          endpoints: text('#endpoint-table tbody tr'),
          problems: text('#editor-problems li'),
          steps: hook.state().steps,
        };
      });
    const before = await screen(page);
    const again = await open(new URL(link).hash);

    expect(await screen(again)).toEqual(before);
    expect(await again.locator('#yaml-editor .cm-content').textContent()).toContain('port: "80000"');
    await again.close();
  });

  it('says what of a broken link it cannot use and opens the rest', async () => {
    const broken = await open('#scenario=no-such-lab&seed=abc&zz=1&c=kubectl+get+nodes');
    const lines = await terminalLines(broken);
    expect(lines.slice(0, 3)).toEqual([
      'In the link, seed must be a whole number, received "abc"; that part is left out.',
      'In the link, unknown part "zz"; that part is left out.',
      expect.stringMatching(
        /^scenario no-such-lab: no bundled scenario is named "no-such-lab" \(available: .*star-wars-mutual-auth.*\); the empty cluster is open instead\.$/,
      ),
    ]);
    expect(lines).toContain('root@server:~# kubectl get nodes');
    expect(await broken.evaluate(() => location.hash)).toBe('#seed=1&c=kubectl+get+nodes');
    await broken.close();
  });

  it('needs no network once loaded: every request went to its own server, and it runs offline', async () => {
    expect(requests.every((r) => r === '/' || r.startsWith('/assets/'))).toBe(true);
    const context = await browser.newContext();
    const offline = await context.newPage();
    offline.setDefaultTimeout(120_000);
    const foreign: string[] = [];
    offline.on('request', (r) => {
      if (!r.url().startsWith(url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    await offline.goto(`${url}#lab=mutual-auth-example`);
    await offline.evaluate(() => (window as unknown as { __playground: Hook }).__playground.ready());
    await context.setOffline(true);
    await offline.click('#lab-controls button[data-command="hint"]');

    expect((await terminalLines(offline)).at(-2)).toMatch(/^Hint 1 of \d+: /);
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('names every control for screen readers and reaches them all with the keyboard', async () => {
    const unnamed = await page.evaluate(() => {
      const controls = [...document.querySelectorAll<HTMLElement>('button, select, input, textarea, [tabindex], [role="button"], a[href]')];
      const name = (e: HTMLElement): string =>
        e.getAttribute('aria-label') ??
        ((e as HTMLInputElement).labels?.[0]?.textContent ||
          document.getElementById(e.getAttribute('aria-labelledby') ?? '')?.textContent ||
          e.textContent ||
          '');
      return controls.filter((e) => name(e).trim() === '' && e.closest('[hidden]') === null).map((e) => e.outerHTML.slice(0, 80));
    });
    expect(unnamed).toEqual([]);

    // From the top: the skip link, the session controls, then the terminal; Escape, Tab leaves it
    // for the lab's and the walkthrough's buttons, the editor and the panes' controls.
    const fresh = await open(`#scenario=${SCENARIO}`);
    const focused = (): Promise<string> => fresh.evaluate(() => document.activeElement?.id || document.activeElement?.className || '');
    const order: string[] = [];
    for (let i = 0; i < 7; i++) {
      await fresh.keyboard.press('Tab');
      order.push(await focused());
    }
    expect(order).toEqual(['skip', 'scenario', 'seed', 'start', 'share', 'share-url', 'xterm-helper-textarea']);
    await fresh.keyboard.press('Tab');
    expect(await focused()).toBe('xterm-helper-textarea');
    await fresh.keyboard.press('Escape');
    await fresh.keyboard.press('Tab');
    expect(await fresh.evaluate(() => document.activeElement?.closest('ol')?.id)).toBe('walkthrough');
    await fresh.keyboard.press('Enter');
    const typed = 'root@server:~# cilium config view | grep mesh-auth';
    expect(await terminalLines(fresh)).toContain(typed);

    // Back in the terminal, Up recalls that command from the history; `clear` empties the screen.
    await fresh.locator('#terminal .xterm-helper-textarea').focus();
    await fresh.keyboard.press('ArrowUp');
    await fresh.keyboard.press('Enter');
    expect((await terminalLines(fresh)).filter((l) => l === typed)).toHaveLength(2);
    await fresh.keyboard.type('clear');
    await fresh.keyboard.press('Enter');
    expect((await terminalLines(fresh)).filter((l) => l !== '')).toEqual(['root@server:~# ']);
    await fresh.close();
  });
});
