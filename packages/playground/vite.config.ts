import { defaultClientConditions, defineConfig } from 'vite';

// A static site: relative asset URLs (base './') so dist/ works from any folder of any web
// server, GitHub Pages included. Workspace packages resolve to their TypeScript sources
// ("source"), and the scenarios package to its browser file list ("browser").
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
});
