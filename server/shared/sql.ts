import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Loads a module's .sql file once, at import time. SQL lives beside the module that runs it
 * (`sqlFile(import.meta.url, 'nearest.sql')`), with bound parameters only.
 */
export function sqlFile(moduleUrl: string, name: string): string {
  return fs.readFileSync(path.join(path.dirname(fileURLToPath(moduleUrl)), 'sql', name), 'utf8');
}
