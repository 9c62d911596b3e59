/**
 * Every refusal the server can send carries a stable code with Chinese and English text: this walks
 * the server's source for each `badRequest(` / `conflict(` / `forbidden(` / `notFound(` /
 * `unauthorized(` / `unprocessable(` / `refuse(` / `new HttpError(` and checks its first argument is
 * a catalogue code (server/shared/refusals.ts) whose zh and en templates name the same parameters.
 *
 * The whole server is held to it: no refusal without a code anywhere under server/. The refusals no
 * route throws (Fastify's body, media-type and JSON errors, multipart limits, rate limits, unknown
 * routes) are mapped in shared/request-refusals.ts and app.ts, and tested by the API tests
 * (tests/api/refusal-codes.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFUSALS, isRefusalCode, renderTemplate } from '../../server/shared/refusals.js';
import { REFUSAL_STRINGS } from '../../web/src/api/refusal-text.js';

const serverRoot = path.resolve(import.meta.dirname, '../../server');

const CALL = /\b(badRequest|conflict|forbidden|notFound|unauthorized|unprocessable|refuse|new HttpError)\(/g;

interface Call { file: string; line: number; helper: string; firstArgument: string }

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function refusalCalls(): Call[] {
  const calls: Call[] = [];
  for (const file of sourceFiles(serverRoot)) {
    const relative = path.relative(serverRoot, file).split(path.sep).join('/');
    if (relative === 'shared/errors.ts') continue; // the helpers themselves
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(CALL)) {
      const before = text.slice(Math.max(0, match.index - 40), match.index);
      if (/(function|const|=>)\s*$/.test(before) || /\bexport const $/.test(before)) continue; // a definition
      let rest = text.slice(match.index + match[0].length).trimStart();
      if (match[1] === 'refuse' || match[1] === 'new HttpError') rest = rest.replace(/^[^,]+,\s*/, ''); // skip the status
      calls.push({
        file: relative,
        line: text.slice(0, match.index).split('\n').length,
        helper: match[1]!,
        firstArgument: rest.slice(0, 80),
      });
    }
  }
  return calls;
}

/** The code a call names, or null when its first argument is a plain message. */
function codeOf(call: Call): string | null {
  if (call.firstArgument.startsWith(')') && ['forbidden', 'unauthorized'].includes(call.helper)) return call.helper === 'forbidden' ? 'auth.roleMayNot' : 'auth.loginRequired';
  const literal = /^'([\w.]+)'/.exec(call.firstArgument)?.[1];
  if (literal && isRefusalCode(literal)) return literal;
  // A constant holding a code (`unauthorized(WRONG_CREDENTIALS)`), checked by the type system.
  if (/^[A-Z_]+[,)]/.test(call.firstArgument)) return 'constant';
  // A code carried by a typed result (`refuse(check.status, check.code, check.params)`).
  if (/^\w+\.code[,)]/.test(call.firstArgument)) return 'typed';
  return null;
}

const placeholders = (template: string) => [...template.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('the refusal catalogue', () => {
  const calls = refusalCalls();

  it('finds the refusals of the server (the walk works)', () => {
    expect(calls.length).toBeGreaterThan(200);
    expect(calls.some((c) => c.file === 'modules/grids/grid-store.ts' && codeOf(c) === 'grids.overlap')).toBe(true);
  });

  it('has, for every code, Chinese and English text naming the same parameters, loaded into the web', () => {
    for (const [code, entry] of Object.entries(REFUSALS)) {
      expect(entry.zh, code).toMatch(/\S/);
      expect(entry.en, code).toMatch(/\S/);
      // Chinese may leave out an English detail (who/when of a stale read), never invent one.
      expect(placeholders(entry.en), code).toEqual(expect.arrayContaining(placeholders(entry.zh)));
      const [group, key] = code.split('.') as [string, string];
      expect(REFUSAL_STRINGS['zh-CN'][group]?.[key], code).toBe(entry.zh);
      expect(REFUSAL_STRINGS.en[group]?.[key], code).toBe(entry.en);
      // The Chinese text is Chinese: no English words but units, formats and product names.
      const words = entry.zh.replace(/\{\{[^}]+\}\}/g, '').match(/[A-Za-z]{4,}/g) ?? [];
      expect(words.filter((w) => !['Polygon', 'MultiPolygon', 'multipart', 'form', 'data', 'file', 'households', 'xlsx', 'WGS84', 'JSON', 'JPEG', 'WebP', 'MBTiles', 'PMTiles', 'SQLite', 'GDAL', 'CGCS', 'auto', 'EPSG', 'GeoJSON', 'Shapefile', 'GeoPackage'].includes(w)), code).toEqual([]);
    }
  });

  it('gives every refusal of the server a code', () => {
    expect(calls.some((c) => c.file.startsWith('modules/ogc/')), 'the walk sees the OGC module').toBe(true);
    expect(calls.some((c) => c.file.startsWith('modules/exports/')), 'the walk sees the exports').toBe(true);
    const missing = calls
      .filter((c) => codeOf(c) === null)
      .map((c) => `${c.file}:${c.line} ${c.helper}(${c.firstArgument}`);
    expect(missing).toEqual([]);
  });

  it('says the overlap of the observed case fully in Chinese with the figures formatted', () => {
    const lookup = (c: string) => (isRefusalCode(c) ? REFUSALS[c].zh : undefined);
    const text = renderTemplate(REFUSALS['grids.overlap'].zh, {
      subject: { code: 'subject.grid', params: { grid: '610402001012007' } },
      overlaps: [{ code: 'subject.overlapWith', params: { grid: '610402001012003', name: '中宏社区第3网格', areaSquareMeters: 2817.4 } }],
    }, 'zh-CN', lookup);
    expect(text).toBe('网格 610402001012007 与网格 610402001012003（中宏社区第3网格）重叠 2,817 平方米；网格可以相邻但不能重叠');
    const english = renderTemplate(REFUSALS['grids.overlap'].en, {
      subject: { code: 'subject.grid', params: { grid: '610402001012007' } },
      overlaps: [{ code: 'subject.overlapWith', params: { grid: '610402001012003', name: 'x', areaSquareMeters: 2817.4 } }],
    }, 'en-US', (c) => (isRefusalCode(c) ? REFUSALS[c].en : undefined));
    expect(english).toBe('grid 610402001012007 would overlap grid 610402001012003 (x) by 2,817 m²; grids may touch but not overlap');
  });
});
