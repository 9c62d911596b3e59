import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

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
    include: ['tests/**/*.test.ts'],
    globalSetup: [path.join(repoRoot, 'tests', 'setup', 'global-setup.ts')],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
