/**
 * `npm run areas:import -- FILE [--level district|street|community] [--crs wgs84|cgcs2000|gcj02|bd09|EPSG:n]
 *   [--encoding utf-8|gbk|gb18030] [--code-field F] [--name-field F] [--match FEATURE=CODE]… [--skip FEATURE]…
 *   [--commit]`
 *
 * Imports district, street or community outlines from a file, as the /areas page does: without
 * --commit it prints the match table (one line per feature) and imports nothing; with --commit it
 * applies all of it or nothing. Exits non-zero with the reasons when it cannot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SOURCE_CRS } from '../shared/coordinates.js';
import { HttpError } from '../shared/errors.js';
import { createOutlineImport, type OutlineImportPreview, type OutlineImportRequest } from '../modules/areas/outline-import.js';
import { OUTLINE_LEVELS, type OutlineLevel } from '../modules/areas/outline-matching.js';
import { ensureGdalInstalled } from '../modules/imports/gdal.js';
import { normalizeChosenCrs } from '../modules/imports/source-crs.js';
import { SOURCE_ENCODINGS, type SourceEncoding } from '../modules/imports/text-encoding.js';
import { openDatabase, runCli } from './open-database.js';

const USAGE = 'usage: npm run areas:import -- FILE [--level district|street|community] [--crs wgs84|cgcs2000|gcj02|bd09|EPSG:n] [--encoding utf-8|gbk|gb18030] [--code-field F] [--name-field F] [--match FEATURE=CODE]... [--skip FEATURE]... [--commit]';

const STATUS_ZH = { matched: '已匹配', unmatched: '未匹配', ambiguous: '有歧义', skipped: '跳过' } as const;
const BY = { code: 'by code', name: 'by name', 'name-without-suffix': 'by name without suffix', override: 'chosen' } as const;

function printTable(preview: OutlineImportPreview) {
  const { summary } = preview;
  console.log(`${preview.fileName}: ${preview.featureCount} features (${preview.format}${preview.sourceCrs.reprojected ? `, reprojected from ${preview.sourceCrs.name}` : `, ${preview.sourceCrs.name}`}${preview.encoding ? `, ${preview.encoding.name}` : ''}), level ${preview.level}; code field ${preview.fields.codeField ?? '—'}, name field ${preview.fields.nameField ?? '—'}`);
  for (const row of preview.rows) {
    const what = row.name ?? row.codeValue ?? '(no name)';
    let detail = '';
    if (row.status === 'matched') detail = `→ ${row.areaCode} ${row.areaName} (${BY[row.by!]})`;
    else if (row.status === 'ambiguous') detail = `→ one of ${row.candidates.map((c) => `${c.code} ${c.name}${c.parentName ? `/${c.parentName}` : ''}`).join(', ')}`;
    else if (row.status === 'unmatched') detail = `(${row.note})`;
    console.log(`  ${String(row.feature).padStart(4)}  ${row.status.padEnd(9)} ${STATUS_ZH[row.status]}  ${what} ${detail}`);
  }
  for (const f of preview.findings.filter((x) => x.kind !== 'unmatched' && x.kind !== 'ambiguous')) console.log(`  ${f.severity}: ${f.message}`);
  console.log(`${summary.matched} matched, ${summary.unmatched} unmatched, ${summary.ambiguous} ambiguous, ${summary.skipped} skipped.`);
}

await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      level: { type: 'string' },
      crs: { type: 'string' },
      encoding: { type: 'string' },
      'code-field': { type: 'string' },
      'name-field': { type: 'string' },
      match: { type: 'string', multiple: true },
      skip: { type: 'string', multiple: true },
      reason: { type: 'string' },
      commit: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new Error(USAGE);
  const file = positionals[0]!;
  if (values.level && !(OUTLINE_LEVELS as readonly string[]).includes(values.level)) throw new Error(`--level: one of ${OUTLINE_LEVELS.join(', ')}`);
  const crs = values.crs ? normalizeChosenCrs(values.crs) : undefined;
  if (values.crs && !crs) throw new Error(`--crs: one of ${SOURCE_CRS.join(', ')} or EPSG:n (e.g. EPSG:4527)`);
  if (values.encoding && !(SOURCE_ENCODINGS as readonly string[]).includes(values.encoding)) throw new Error(`--encoding: one of ${SOURCE_ENCODINGS.join(', ')}`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const matches: Record<string, string> = {};
  for (const m of values.match ?? []) {
    const [feature, code] = m.split('=');
    if (!feature || !code) throw new Error(`--match ${m}: write FEATURE=CODE, e.g. --match 3=410105001003`);
    matches[feature] = code;
  }
  const request: OutlineImportRequest = {
    bytes,
    fileName: path.basename(file),
    level: values.level as OutlineLevel | undefined,
    crs: crs ?? undefined,
    encoding: (values.encoding ?? 'auto') as SourceEncoding,
    codeField: values['code-field'],
    nameField: values['name-field'],
    matches,
    skips: (values.skip ?? []).map(Number),
    reason: values.reason ?? 'command-line import',
  };

  // The file is read with GDAL: installed here as root on Debian, else the command is named.
  ensureGdalInstalled((line) => console.log(line));
  const db = await openDatabase();
  try {
    const outlineImport = createOutlineImport(db.pool);
    // The command line acts as an unrestricted administrator; it is audited as such.
    const actor = { user: { id: null, username: 'command line', scopeAreaCode: null }, ip: null };
    const preview = await outlineImport.preview(actor, request);
    printTable(preview);
    if (!values.commit) {
      console.log(preview.canCommit ? 'Nothing imported (a preview). Run again with --commit to import it.' : 'Nothing imported: fix the problems above (--match FEATURE=CODE, --skip FEATURE) first.');
      if (!preview.canCommit) process.exitCode = 1;
      return;
    }
    const result = await outlineImport.commit(actor, request);
    console.log(`Imported the outlines of ${result.imported} ${result.level === 'community' ? 'communities' : result.level === 'street' ? 'streets' : 'districts'}${result.skipped ? `, ${result.skipped} feature${result.skipped === 1 ? '' : 's'} skipped` : ''}.`);
  } catch (error) {
    if (error instanceof HttpError) throw new Error(error.message);
    throw error;
  } finally {
    await db.close();
  }
});
