/**
 * The pages' strings are fetched per page (web/src/i18n/pages.ts): each lazily loaded route names
 * the namespaces it needs (`withPageStrings(import('…'), 'ns', …)` in app/App.tsx and
 * incidents/routes.tsx). This bundles each page's module graph (esbuild, no output written), reads
 * the `t('ns.…')` / `'ns.…'` keys of its source files, and checks that every page namespace used is
 * in the route's list — a page would otherwise show bare keys — and that the shell (what main.tsx
 * loads before any page) uses none, since none is loaded with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { PAGE_STRINGS } from '../../web/src/i18n/pages.js';

const webSrc = path.resolve(import.meta.dirname, '../../web/src');
const NAMESPACES = Object.keys(PAGE_STRINGS);
const KEY = new RegExp(`['"\`](${NAMESPACES.join('|')})\\.[A-Za-z]`, 'g');

/** Page namespaces whose keys appear in the source files of a module graph (strings files aside). */
async function namespacesUsedBy(entry: string, { followDynamic }: { followDynamic: boolean }): Promise<Set<string>> {
  const dynamicExternal: Plugin = {
    name: 'dynamic-imports-external',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' && !followDynamic ? { path: args.path, external: true } : undefined));
    },
  };
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    logLevel: 'silent',
    // Libraries and assets are not read: only the app's own files can use the app's keys.
    external: ['maplibre-gl', 'maplibre-gl/*', '@deck.gl/*', 'react', 'react-dom', 'react-dom/*', 'i18next', 'react-i18next', 'react-router', 'exceljs', 'jszip', '*.css'],
    loader: { '.png': 'empty', '.svg': 'empty' },
    plugins: [dynamicExternal],
  });
  const used = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(input);
    if (!file.startsWith(webSrc) || /strings\.ts$/.test(file) || file.includes(`${path.sep}i18n${path.sep}`)) continue;
    for (const match of fs.readFileSync(file, 'utf8').matchAll(KEY)) used.add(match[1]!);
  }
  return used;
}

/** The lazily loaded routes: module path (relative to the file) and the namespaces listed. */
function lazyRoutes(file: string): { module: string; listed: string[] }[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/withPageStrings\(import\('([^']+)'\)((?:,\s*'[A-Za-z]+')*)\)/g)].map((m) => ({
    module: path.resolve(path.dirname(file), m[1]!),
    listed: [...m[2]!.matchAll(/'([A-Za-z]+)'/g)].map((n) => n[1]!),
  }));
}

const ROUTE_FILES = [path.join(webSrc, 'app', 'App.tsx'), path.join(webSrc, 'incidents', 'routes.tsx')];

describe('strings per page', () => {
  const routes = ROUTE_FILES.flatMap(lazyRoutes);

  it('finds the lazily loaded routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(11);
    for (const route of routes) for (const namespace of route.listed) expect(NAMESPACES).toContain(namespace);
  });

  it.each(ROUTE_FILES.flatMap(lazyRoutes).map((r) => [path.relative(webSrc, r.module), r] as const))('%s is loaded with every namespace it uses', async (_name, route) => {
    const entry = ['.tsx', '.ts'].map((ext) => route.module + ext).find((f) => fs.existsSync(f))!;
    const used = await namespacesUsedBy(entry, { followDynamic: true });
    expect([...used].filter((n) => !route.listed.includes(n)).sort()).toEqual([]);
  });

  it('the shell (header, guards, login, public map) uses no page namespace', async () => {
    const used = await namespacesUsedBy(path.join(webSrc, 'main.tsx'), { followDynamic: false });
    const publicMap = await namespacesUsedBy(path.join(webSrc, 'public-map', 'PublicMapPage.tsx'), { followDynamic: true });
    expect([...used, ...publicMap].sort()).toEqual([]);
  });
});
