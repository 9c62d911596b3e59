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
 * browser accepts (@fastify/static `preCompressed`). Files under 1 kB, or that do not shrink, stay as they are.
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
          if (data.length < 1024) return;
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

/** The API test files run in both modes (plain PostGIS and Citus). */
const DISTRIBUTED_TESTS = ['tests/api/incidents-*.test.ts', 'tests/api/tiles-*.test.ts', 'tests/api/coverage-*.test.ts'];

/** Why the distributed test project cannot run here (Citus not installed), or null. Said once per run. */
const citusReason = process.env.VITEST ? citusUnavailableReason() : null;
if (citusReason !== null) console.log(`[distributed tests] not run: ${citusReason}`);

export default defineConfig({
  root: path.join(repoRoot, 'web'),
  plugins: [react(), precompress()],
  build: {
    outDir: path.join(repoRoot, 'web', 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // The precompression (brotli at its strongest) takes seconds after the bundle is written: expected, not a warning.
    rolldownOptions: { checks: { bundlerTimings: false } },
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
