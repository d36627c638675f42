// Bundles the CLI with esbuild into dist/bundle/, so a command starts by loading a few prebuilt
// files instead of compiling TypeScript: `node packages/cli/buildBundle.mjs`. The scenarios'
// bundled files are copied to dist/scenarios, where the catalog finds them from the bundle
// (`../scenarios/` beside dist/bundle).
//
// - cilium-sim.mjs: main.ts, argument parsing, the help and the code cache's loader.
// - commandModules.cjs: everything the commands that build a cluster load (src/commandModules.ts).
// - scenarioTable.cjs: `scenario list`, the catalog and YAML only. A table of its own keeps the
//   listing from loading the simulator; it is a string, so its separate copy of the catalog shares
//   no object with the simulator's.
//
// The two .cjs files are CommonJS scripts that src/node/codeCache.ts compiles with a V8 code cache
// beside each, written by the first run: Node 20 caches no ES module's code, and parsing and
// compiling the simulator cost more than running a one-command script.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('.', import.meta.url));
export const BUNDLE = `${cli}dist/bundle/cilium-sim.mjs`;

/**
 * zod's classic API re-exports its error messages in about fifty languages (`z.locales`), 300 kB
 * that every start would read; the simulator speaks English (`en`, which zod configures itself).
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]zod[\\/]v4[\\/]/.test(a.importer)
        ? { path: 'zod-locales', namespace: 'english-only-zod', pluginData: a.resolveDir }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'english-only-zod' }, (a) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: a.pluginData,
    }));
  },
};

/**
 * The X.509 and YAML libraries (CommonJS packages) are evaluated when a command first uses them,
 * not when the simulator loads: most commands sign no certificate and read no YAML. Our sources'
 * imports of them get a stand-in whose exports are getters that require the package on first read
 * (esbuild's import of CommonJS copies getters, never values, so nothing is read before use).
 * ES modules are left alone: required, they could no longer be tree-shaken.
 */
const LAZY_PACKAGES = ['@peculiar/asn1-schema', '@peculiar/asn1-x509', 'yaml'];
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_PACKAGES.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, async (a) => {
      if (a.importer.includes('/node_modules/') || a.pluginData === 'real') return undefined;
      const real = await b.resolve(a.path, { resolveDir: a.resolveDir, kind: 'require-call', pluginData: 'real' });
      return real.errors.length > 0 ? undefined : { path: real.path, namespace: 'lazy-package' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (a) => {
      const names = Object.keys(createRequire(a.path)(a.path)).filter((n) => n !== '__esModule' && n !== 'default');
      return {
        contents: `let real;
const load = () => (real ??= require(${JSON.stringify(a.path)}));
Object.defineProperty(exports, '__esModule', { value: true });
for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
`,
        loader: 'js',
        resolveDir: dirname(a.path),
      };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  // The workspace packages' TypeScript sources, as tsx and vitest read them.
  conditions: ['source'],
  logLevel: 'warning',
  // Less to read and parse at start-up; functions and classes keep their names (class names show in messages).
  minify: true,
  keepNames: true,
  plugins: [englishOnlyZod],
  // Some bundled CommonJS modules call require() for Node's built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

/**
 * The modules main.ts imports that become CommonJS scripts of their own, run through the code
 * cache: `<name>.cjs` beside cilium-sim.mjs.
 */
const CODE_CACHED = { commandModules: 'src/commandModules.ts', scenarioTable: 'src/commands/scenarioTable.ts' };

/** Writes `${dist}/bundle` and `${dist}/scenarios` (packages/cli/dist unless a test asks for another folder). */
export async function buildBundle(dist = `${cli}dist`) {
  const outdir = `${dist}/bundle`;
  rmSync(outdir, { recursive: true, force: true });
  await Promise.all(
    Object.entries(CODE_CACHED).map(([name, source]) =>
      build({
        ...common,
        outdir,
        format: 'cjs',
        banner: { js: '(function (exports, require, module, __filename, __dirname, __bundleUrl) {' },
        footer: { js: '})' },
        define: { 'import.meta.url': '__bundleUrl' },
        entryPoints: { [name]: `${cli}${source}` },
        outExtension: { '.js': '.cjs' },
        plugins: [...common.plugins, lazyPackages],
      }),
    ),
  );
  await build({
    ...common,
    outdir,
    entryPoints: { 'cilium-sim': `${cli}src/main.ts` },
    plugins: [...common.plugins, codeCachedImports(outdir)],
  });
  rmSync(`${dist}/scenarios`, { recursive: true, force: true });
  cpSync(`${cli}../scenarios/scenarios`, `${dist}/scenarios`, { recursive: true });
}

/** The names a CommonJS bundle exports, as esbuild lists them for Node's import of CommonJS. */
function exportsOf(file) {
  const names = /0 ?&& ?\(module\.exports ?= ?\{([^}]*)\}\)/
    .exec(readFileSync(file, 'utf8'))?.[1]
    .split(',')
    .map((n) => n.trim());
  if (names === undefined || names.length === 0) throw new Error(`buildBundle: ${file} lists no exports`);
  return names;
}

/**
 * main.ts's import of each CODE_CACHED module becomes a module inside cilium-sim.mjs that runs its
 * script through the code cache and exports what the script exports.
 */
function codeCachedImports(outdir) {
  return {
    name: 'code-cached-imports',
    setup(b) {
      b.onResolve({ filter: /\.ts$/ }, (a) => {
        const name = Object.keys(CODE_CACHED).find((n) => a.path.endsWith(`/${n}.ts`));
        return name !== undefined && a.importer.endsWith('main.ts') ? { path: name, namespace: 'code-cached' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'code-cached' }, (a) => ({
        contents: `import { runCodeCached } from './node/codeCache.ts';
const m = runCodeCached(new URL('./${a.path}.cjs', import.meta.url));
export const { ${exportsOf(`${outdir}/${a.path}.cjs`).join(', ')} } = m;
`,
        resolveDir: `${cli}src`,
      }));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBundle();
