import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { citusUnavailableReason } from './server/local-postgres/citus-cluster.js';

const repoRoot = path.dirname(fileURLToPath(import.meta.url));

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build, at the
 * strongest settings (done once per build, not per request); the server sends the copy the
 * browser accepts (@fastify/static `preCompressed`). Files under 512 bytes, or that do not shrink, stay as they are (index.html, just under 1 kB, is compressed too).
 */
function precompress(): Plugin {
  return {
    name: 'wangge-precompress',
    apply: 'build',
    async closeBundle() {
      const outDir = path.join(repoRoot, 'web', 'dist');
      const files = fs.readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(js|mjs|css|html|svg|json|map)$/.test(f));
      await Promise.all(
        files.map(async (file) => {
          const full = path.join(outDir, file);
          const data = fs.readFileSync(full);
          if (data.length < 512) return;
          const [br, gz] = await Promise.all([
            brotli(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
            gzip(data, { level: 9 }),
          ]);
          if (br.length < data.length) fs.writeFileSync(`${full}.br`, br);
          if (gz.length < data.length) fs.writeFileSync(`${full}.gz`, gz);
        }),
      );
    },
  };
}

/** MapLibre controls and features no map of Wangge uses (MapView: zoom buttons, scale, attribution). */
const UNUSED_MAPLIBRE_CSS = /maplibregl-(?:ctrl-(?:geolocate|fullscreen|shrink|terrain|globe|compass|logo)|user-location|pseudo-fullscreen|cooperative-gesture)/;

/** Drops from a minified stylesheet the selectors that match `unused`, and rules left with none. */
export function dropUnusedCss(css: string, unused: RegExp): string {
  let out = '';
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf('{', i);
    if (open < 0) break;
    const prelude = css.slice(i, open).trim();
    // Find the matching closing brace (declarations hold no braces; @media blocks hold rules).
    let depth = 1;
    let j = open + 1;
    while (depth > 0 && j < css.length) {
      if (css[j] === '{') depth++;
      else if (css[j] === '}') depth--;
      j++;
    }
    const body = css.slice(open + 1, j - 1);
    if (prelude.startsWith('@keyframes') || prelude.startsWith('@font-face')) {
      if (!unused.test(prelude)) out += `${prelude}{${body}}`;
    } else if (prelude.startsWith('@')) {
      const inner = dropUnusedCss(body, unused);
      if (inner) out += `${prelude}{${inner}}`;
    } else {
      const kept = prelude.split(',').filter((selector) => !unused.test(selector));
      if (kept.length > 0) out += `${kept.join(',')}{${body}}`;
    }
    i = j;
  }
  return out;
}

/** MapLibre's stylesheet without the icons and rules of controls Wangge never shows (≈60 % of it). */
function trimMaplibreCss(): Plugin {
  return {
    name: 'wangge-trim-maplibre-css',
    enforce: 'pre',
    transform(code, id) {
      if (!/maplibre-gl[\\/]dist[\\/]maplibre-gl\.css(\?|$)/.test(id)) return null;
      return { code: dropUnusedCss(code, UNUSED_MAPLIBRE_CSS), map: null };
    },
  };
}

/** The API test files run in both modes (plain PostGIS and Citus). */
const DISTRIBUTED_TESTS = ['tests/api/incidents-*.test.ts', 'tests/api/tiles-*.test.ts', 'tests/api/coverage-*.test.ts'];

/** Why the distributed test project cannot run here (Citus not installed), or null. Said once per run. */
function distributedTestsUnavailable(): string | null {
  try {
    return citusUnavailableReason();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
const citusReason = process.env.VITEST ? distributedTestsUnavailable() : null;
if (citusReason !== null) console.log(`[distributed tests] not run: ${citusReason}`);

export default defineConfig({
  root: path.join(repoRoot, 'web'),
  plugins: [react(), trimMaplibreCss(), precompress()],
  build: {
    outDir: path.join(repoRoot, 'web', 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // The precompression (brotli at its strongest) takes seconds after the bundle is written: expected, not a warning.
    rolldownOptions: {
      checks: { bundlerTimings: false },
      // Everything the entry imports statically (React, the router, i18next, the shell) in one
      // chunk rather than five small shared ones: fewer requests before the first page (on 4G each
      // costs a round trip and ~1 KB of headers). Pages stay chunks of their own.
      output: {
        codeSplitting: {
          groups: [
            { name: 'shell', tags: ['$initial'] },
            // Small helpers that import nothing heavy, shared by the map pages: one chunk, not five.
            { name: 'common', test: /[\\/]web[\\/]src[\\/](?:map[\\/]geometry|i18n[\\/]format-number|public-map[\\/](?:facility-types|facility-colours|useDebouncedValue)|map[\\/]tile-sources|app[\\/]enter-safe|incidents[\\/]colours)\.ts$/ },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000', '/docs': 'http://127.0.0.1:3000' },
  },
  test: {
    root: repoRoot,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Shared by both projects: the distributed files queue behind the plain ones on the same two workers.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'plain', include: ['tests/**/*.test.ts'], globalSetup: [path.join(repoRoot, 'tests', 'setup', 'global-setup.ts')] },
      },
      // The incident, tile and coverage API tests again, unchanged, against a local Citus cluster
      // (coordinator + 2 workers): the same answers in the distributed mode. Left out, said once,
      // where Citus is not installed.
      ...(citusReason === null
        ? [{ extends: true as const, test: { name: 'distributed', include: DISTRIBUTED_TESTS, globalSetup: [path.join(repoRoot, 'tests', 'setup', 'global-setup-citus.ts')] } }]
        : []),
    ],
  },
});
