import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's top folder, found from this file's place in it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dataDir = path.join(repoRoot, 'data');
export const webDistDir = path.join(repoRoot, 'web', 'dist');
