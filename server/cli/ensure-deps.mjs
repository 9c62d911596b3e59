// Installs npm dependencies when they are missing or older than package-lock.json. Plain
// JavaScript on purpose: it runs before TypeScript tooling exists on a fresh clone.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const installed = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const stale = !fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs;
if (stale) {
  console.log('Installing npm dependencies…');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
