import { build } from 'esbuild';
const r = await build({
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  outfile: '/tmp/s2/o.cjs',
  conditions: ['source'],
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  entryPoints: ['src/commandModules.ts'],
  logLevel: 'error',
  define: { 'import.meta.url': '__bundleUrl' },
});
const o = Object.values(r.metafile.outputs)[0];
const rows = Object.entries(o.inputs)
  .filter(([k]) => k.includes(process.argv[2]))
  .map(([k, v]) => [v.bytesInOutput, k.replace(/.*node_modules\//, '')])
  .sort((a, b) => b[0] - a[0]);
console.log(rows.reduce((s, r) => s + r[0], 0));
for (const r of rows.slice(0, 25)) console.log(r[0], r[1]);
