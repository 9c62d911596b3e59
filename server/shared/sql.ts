import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const inlineDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'db', 'inline');

/**
 * Loads a module's .sql file once, at import time. SQL lives beside the module that runs it
 * (`sqlFile(import.meta.url, 'nearest.sql')`), with bound parameters only.
 * A call of a query fragment of server/db/inline (`incident_filtered($1, $2, …)`, arguments
 * bound parameters or NULL) is written out in place: see inlineFragments.
 */
export function sqlFile(moduleUrl: string, name: string): string {
  return inlineFragments(fs.readFileSync(path.join(path.dirname(fileURLToPath(moduleUrl)), 'sql', name), 'utf8'));
}

const fragments = new Map<string, { params: string[]; text: string }>();

function fragment(name: string): { params: string[]; text: string } {
  let f = fragments.get(name);
  if (!f) {
    const text = fs.readFileSync(path.join(inlineDir, `${name}.sql`), 'utf8').replace(/^--.*\n/gm, '');
    const params = ['from_at', 'to_at', 'categories', 'statuses', 'sources', 'area_code', 'scope_code'];
    f = { params, text };
    fragments.set(name, f);
  }
  return f;
}

/**
 * Replaces each `incident_filtered(a1, …, a7)` in a query (the arguments: `$n` or NULL) by the
 * subquery of server/db/inline/incident_filtered.sql with those arguments: the filter the
 * function of migration 007 applies, inline, so that a Citus coordinator can plan it (and route
 * it to one district's shard) and a plain PostGIS plans it as it did the inlined function.
 */
export function inlineFragments(sql: string): string {
  return sql.replace(/\bincident_filtered\(([^()]*)\)/g, (call, argText: string) => {
    const args = argText.split(',').map((a) => a.trim());
    const f = fragment('incident_filtered');
    if (args.length !== f.params.length || !args.every((a) => /^(\$\d+|NULL)$/i.test(a))) return call;
    return f.text.trim().replace(/:([a-z_]+)/g, (m, p: string) => {
      const at = f.params.indexOf(p);
      return at < 0 ? m : args[at]!;
    });
  });
}
