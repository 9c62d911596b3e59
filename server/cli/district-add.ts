/**
 * `npm run district:add -- --code 410105` adds a district (or, with a 4-digit code, a city with
 * all its districts) with its streets and communities from the bundled national list;
 * `npm run district:add -- --codes FILE` adds the bureau's own list (CSV/Excel: level, code, name,
 * parent), all or nothing. Works on the database `npm start` uses, whether Wangge runs or not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HttpError } from '../shared/errors.js';
import { createAuditRepository } from '../modules/audit/audit-repository.js';
import { createCodeListService, describeSummary } from '../modules/areas/code-list-service.js';
import { openDatabase, runCli } from './open-database.js';

const USAGE = 'usage: npm run district:add -- --code 410105 (a district, or a 4-digit city) | --codes FILE.csv|.xlsx';

await runCli(async () => {
  const { values } = parseArgs({ options: { code: { type: 'string' }, codes: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.code === !values.codes) throw new Error(`give exactly one of --code or --codes; ${USAGE}`);
  let bytes: Buffer | null = null;
  if (values.codes) {
    if (!fs.existsSync(values.codes)) throw new Error(`file ${values.codes} does not exist`);
    bytes = fs.readFileSync(values.codes);
  } else if (!/^[0-9]{4}([0-9]{2})?$/.test(values.code!)) {
    throw new Error(`--code ${values.code}: give a 6-digit district/county code or a 4-digit city code`);
  }
  const db = await openDatabase();
  try {
    const service = createCodeListService(db.pool, createAuditRepository(db.pool));
    const actor = { userId: null, username: 'command line', ip: null };
    try {
      const summary = values.code ? await service.addNational(values.code, actor) : await service.commitOwnList(bytes!, path.basename(values.codes!), actor);
      console.log(describeSummary(summary));
    } catch (error) {
      if (error instanceof HttpError && Array.isArray(error.details)) {
        const lines = (error.details as { rowNumber: number; column: string | null; message: string }[])
          .slice(0, 20)
          .map((e) => `  row ${e.rowNumber}${e.column ? `, column ${e.column}` : ''}: ${e.message}`);
        throw new Error([error.message, ...lines].join('\n'));
      }
      throw error;
    }
  } finally {
    await db.close();
  }
});
