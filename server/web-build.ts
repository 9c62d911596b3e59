import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, webDistDir } from './paths.js';

/** Newest modification time of any file under a folder. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the web app with Vite when web/dist is missing or older than its sources. */
export async function ensureWebBuilt(log: (line: string) => void): Promise<void> {
  const index = path.join(webDistDir, 'index.html');
  // A deployment image ships web/dist without the sources: nothing to rebuild from.
  if (!fs.existsSync(path.join(repoRoot, 'web', 'src'))) return;
  const sources = [path.join(repoRoot, 'web', 'src'), path.join(repoRoot, 'web', 'index.html'), path.join(repoRoot, 'vite.config.ts')];
  const sourceTime = Math.max(...sources.map((s) => (fs.statSync(s).isDirectory() ? newestMtime(s) : fs.statSync(s).mtimeMs)));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sourceTime) return;
  log('Building the web app…');
  const { build } = await import('vite');
  // A production build whatever the calling process is (under the test runner NODE_ENV is 'test',
  // which would give React's development build).
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(repoRoot, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}
