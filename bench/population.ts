/**
 * `npm run bench:population`: a resident register (实有人口) of a city district's size — one
 * million people by default — imported the way a planner imports it (parse, age bands from the ID
 * numbers, addresses matched to buildings, counts per building written, grids re-counted) next to
 * a bare `COPY` of the same rows into a scratch table, in one run. Target: a million rows within
 * 60 s, under 1 GB for the Node process (peak RSS printed).
 *
 * Starts its own PostGIS cluster (or uses DATABASE_URL) with the demo district, and spreads the
 * people over its buildings. The generated register (.xlsx written by streaming, and the same rows
 * as CSV) is invented data in a scratch folder that is removed at the end.
 * Options: --rows N (default 1000000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { copyFrom } from '../server/db/copy.js';
import { createPool } from '../server/db/pool.js';
import { migrate } from '../server/db/migrate.js';
import { ensureDemoLoaded } from '../server/demo/ensure-demo.js';
import { startLocalCluster } from '../server/local-postgres/cluster.js';
import { createAuditRepository } from '../server/modules/audit/audit-repository.js';
import type { SessionUser } from '../server/modules/auth/roles.js';
import { splitBuildingAddress } from '../server/modules/population/address.js';
import { idCheckCharacter } from '../server/modules/population/id-number.js';
import { createRegisterImport } from '../server/modules/population/register-import.js';
import { sqlFile } from '../server/shared/sql.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
const ROWS = Math.max(1000, Number(values.rows));
const TODAY = { year: 2026, month: 12, day: 3 };
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

const cluster = process.env.DATABASE_URL ? null : await startLocalCluster({ name: 'pg-bench-population', preferredPort: 54389, log: console.log });
const pool = createPool(process.env.DATABASE_URL ?? cluster!.connectionString, 4);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-bench-population-'));

try {
  await migrate(pool);
  await ensureDemoLoaded(pool, console.log, new Date(Date.UTC(2026, 10, 1)));
  const { rows: communities } = await pool.query<{ code: string; name: string; street: string }>(
    `SELECT c.code, c.name, s.name AS street FROM admin_area c JOIN admin_area s ON s.code = c.parent_code
     WHERE c.level = 'community' AND c.retired_at IS NULL`);
  const communityByCode = new Map(communities.map((c) => [c.code, c]));
  const sql = sqlFile(new URL('../server/modules/population/register-import.ts', import.meta.url).href, 'buildings-of-communities.sql');
  const { rows: buildings } = await pool.query<{ id: number; name: string; communityCode: string }>(sql, [communities.map((c) => c.code)]);
  console.log(`demo district: ${communities.length} communities, ${buildings.length} buildings`);

  // --- Generate the register: one row per person, spread over the buildings. -----------------
  const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英';
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (s: string) => s[Math.floor(random() * s.length)]!;
  const headers = ['姓名', '公民身份号码', '街道', '社区', '小区', '楼栋', '单元', '房号', '户号'];
  const xlsxFile = path.join(scratch, 'register.xlsx');
  const csvFile = path.join(scratch, 'register.csv');
  const generating = performance.now();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxFile, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('实有人口');
  sheet.addRow(headers).commit();
  const csv = fs.createWriteStream(csvFile);
  csv.write(`${headers.join(',')}\n`);
  let household = 0;
  for (let i = 0; i < ROWS; i++) {
    const b = buildings[i % buildings.length]!;
    const community = communityByCode.get(b.communityCode)!;
    const { compound, building } = splitBuildingAddress(b.name);
    // A third of the rows write the building another way (栋, full-width digits).
    const buildingCell = building ? (i % 3 === 0 ? `${building}栋` : i % 3 === 1 ? `${building.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))}号楼` : `${building}号楼`) : b.name;
    const year = 1930 + Math.floor(random() * 95);
    const birth = `${year}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const first17 = `${b.communityCode.slice(0, 6)}${birth}${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
    if (random() < 0.4) household++;
    const row = [
      pick(SURNAMES) + pick(GIVEN) + pick(GIVEN), first17 + idCheckCharacter(first17), community.street, community.name,
      building ? `${compound}小区` : '', buildingCell, `${1 + (i % 4)}单元`, String(101 + (i % 30)), `H${household}`,
    ];
    sheet.addRow(row).commit();
    if (!csv.write(`${row.join(',')}\n`)) await once(csv, 'drain');
  }
  sheet.commit();
  await workbook.commit();
  csv.end();
  await once(csv, 'finish');
  const mb = (file: string) => (fs.statSync(file).size / 1024 / 1024).toFixed(1);
  console.log(`generated ${ROWS} rows in ${((performance.now() - generating) / 1000).toFixed(1)} s: register.xlsx ${mb(xlsxFile)} MB, register.csv ${mb(csvFile)} MB (peak RSS so far ${peakRssMb()} MB)`);

  const { rows: admins } = await pool.query<{ id: number; username: string }>("SELECT id::int, username FROM app_user WHERE role = 'admin' ORDER BY id LIMIT 1");
  const user: SessionUser = { id: admins[0]!.id, username: admins[0]!.username, displayName: 'bench', role: 'admin', scopeAreaCode: null, mustChangePassword: false, totpEnabled: false, mustEnrolTotp: false };
  const registerImport = createRegisterImport(pool, createAuditRepository(pool));

  const results: Array<{ what: string; seconds: number; rows: number; peakRss: number; note: string }> = [];
  for (const file of [xlsxFile, csvFile]) {
    const bytes = fs.readFileSync(file);
    const started = performance.now();
    const stages: string[] = [];
    let lastStage = '';
    const progress = (stage: string) => {
      if (stage === lastStage) return;
      lastStage = stage;
      stages.push(`${stage} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
    };
    const result = await registerImport.commit({ user, ip: '127.0.0.1' }, { bytes, fileName: path.basename(file), today: TODAY, assignments: [] }, progress);
    console.log(`${path.basename(file)}: ${stages.join(', ')}, done at ${((performance.now() - started) / 1000).toFixed(1)} s`);
    results.push({
      what: `register import (${path.extname(file).slice(1)})`, seconds: (performance.now() - started) / 1000, rows: result.residents, peakRss: peakRssMb(),
      note: `match ${(result.matchRate * 100).toFixed(1)} %, ${result.buildingsWithResidents} buildings, ${result.gridsRecounted} grids re-counted`,
    });
  }

  const client = await pool.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_register_scratch');
    await client.query(`CREATE UNLOGGED TABLE bench_register_scratch (name text, id_number text, street text, community text, compound text, building text, unit text, room text, household text)`);
    const bytes = fs.readFileSync(csvFile);
    const chunks = function* () {
      for (let at = 0; at < bytes.length; at += 1 << 20) yield bytes.subarray(at, at + (1 << 20));
    };
    const started = performance.now();
    const copied = await copyFrom(client, 'COPY bench_register_scratch FROM STDIN (FORMAT csv, HEADER true)', chunks());
    results.push({ what: 'bare COPY (csv) into a scratch table', seconds: (performance.now() - started) / 1000, rows: copied, peakRss: peakRssMb(), note: 'no checks, no matching' });
    await client.query('DROP TABLE bench_register_scratch');
  } finally {
    client.release();
  }

  console.log(`\n${ROWS} register rows, ${buildings.length} buildings (target: 1 M rows < 60 s, peak RSS < 1024 MB)`);
  console.log(`${'what'.padEnd(40)} ${'seconds'.padStart(8)} ${'rows'.padStart(9)} ${'rows/s'.padStart(9)} ${'peak RSS MB'.padStart(12)}  note`);
  for (const r of results) {
    console.log(`${r.what.padEnd(40)} ${r.seconds.toFixed(1).padStart(8)} ${String(r.rows).padStart(9)} ${String(Math.round(r.rows / r.seconds)).padStart(9)} ${String(r.peakRss).padStart(12)}  ${r.note}`);
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
  await pool.end();
  cluster?.stop();
}
