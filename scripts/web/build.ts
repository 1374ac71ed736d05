/**
 * Builds the gateway's browser pages from `gateway/web/` into
 * `gateway/public/` (generated, not committed): the operator console
 * (`console/`), the 城市信用合作 column (`cooperation/`), their shared
 * stylesheet, and the verdict message catalogue the verification page
 * imports. Bundled with esbuild (Preact JSX, Chart.js), minified, with
 * source maps. Run by `npm run build`; `--watch` rebuilds on change.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const web = join(root, 'gateway/web');
const out = join(root, 'gateway/public');

/** The pages: entry module and HTML, written to `public/<name>/`. */
const PAGES = [
  { name: 'console', entry: 'console/main.tsx', bundle: 'console.js' },
  { name: 'cooperation', entry: 'cooperation/main.tsx', bundle: 'cooperation.js' },
];

const options: esbuild.BuildOptions = {
  entryPoints: [
    ...PAGES.map((p) => ({ in: join(web, p.entry), out: `${p.name}/${p.bundle.replace(/\.js$/, '')}` })),
    { in: join(web, 'shared/verdict-messages.ts'), out: 'verdict-messages' },
  ],
  outdir: out,
  bundle: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'info',
};

function copyStatic(): void {
  for (const p of PAGES) {
    mkdirSync(join(out, p.name), { recursive: true });
    copyFileSync(join(web, p.name, 'index.html'), join(out, p.name, 'index.html'));
  }
  copyFileSync(join(web, 'shared/web.css'), join(out, 'web.css'));
}

if (process.argv.includes('--watch')) {
  copyStatic();
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
  copyStatic();
}
