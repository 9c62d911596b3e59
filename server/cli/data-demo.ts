/**
 * `npm run data:demo [-- --seed S --anchor YYYY-MM-DD --out DIR]`: generates the Qindu demo
 * district (deterministic: the same seed and anchor date give byte-identical files) and writes
 * it as GeoJSON and CSV to data/demo/ (git-ignored), with a summary and a SHA-256 of the whole.
 * `npm start` loads the same generator's output into the database on first run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoDistrict } from '../demo/generate.js';
import { todayUtc } from '../demo/ensure-demo.js';
import { dataDir } from '../paths.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    anchor: { type: 'string' },
    out: { type: 'string', default: path.join(dataDir, 'demo') },
  },
});
const anchorDate = values.anchor ? new Date(`${values.anchor}T00:00:00Z`) : todayUtc();
if (Number.isNaN(anchorDate.getTime())) {
  console.error(`--anchor must be a date like 2026-11-01, not ${values.anchor}`);
  process.exit(2);
}

const started = Date.now();
const data = generateDemoDistrict({ seed: values.seed, anchorDate });
const out = values.out!;
fs.mkdirSync(out, { recursive: true });

const collection = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const csvCell = (v: unknown) => {
  const s = v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
const files: Record<string, string> = {
  'areas.geojson': collection(data.areas.map(({ geometry, ...p }) => ({ type: 'Feature', geometry, properties: p }))),
  'grids.geojson': collection(data.grids.map(({ geometry, staff, ...p }) => ({ type: 'Feature', geometry, properties: { ...p, managerCount: staff.filter((s) => s.role === 'manager').length } }))),
  'grid-staff.csv': ['grid_code,role,name,phone', ...data.grids.flatMap((g) => g.staff.map((s) => [g.code, s.role, s.name, s.phone].map(csvCell).join(',')))].join('\n'),
  'buildings.geojson': collection(data.buildings.map(({ geometry, ...p }) => ({ type: 'Feature', geometry, properties: p }))),
  'facilities.geojson': collection(data.facilities.map(({ geometry, ...p }) => ({ type: 'Feature', geometry, properties: p }))),
  'incidents.csv': [
    'external_id,category,sub_category,source,status,occurred_at,reported_at,closed_at,lon,lat,description,reporter_name,reporter_phone',
    ...data.incidents.map((i) =>
      [i.externalId, i.category, i.subCategory, i.source, i.status, i.occurredAt, i.reportedAt, i.closedAt, i.geometry.coordinates[0], i.geometry.coordinates[1], i.description, i.reporterName, i.reporterPhone]
        .map(csvCell)
        .join(','),
    ),
  ].join('\n'),
};
const hash = crypto.createHash('sha256');
for (const [name, content] of Object.entries(files)) {
  fs.writeFileSync(path.join(out, name), content);
  hash.update(name).update(content);
}
const sum = (key: 'residents' | 'residents60Plus' | 'households') => data.buildings.reduce((s, b) => s + b[key], 0);
const summary = {
  seed: data.seed,
  anchorDate: anchorDate.toISOString().slice(0, 10),
  streets: data.areas.filter((a) => a.level === 'street').length,
  communities: data.areas.filter((a) => a.level === 'community').length,
  grids: data.grids.length,
  gridManagers: data.grids.reduce((s, g) => s + g.staff.filter((m) => m.role === 'manager').length, 0),
  buildings: data.buildings.length,
  households: sum('households'),
  residents: sum('residents'),
  residents60PlusShare: Math.round((sum('residents60Plus') / sum('residents')) * 1000) / 1000,
  facilities: data.facilities.length,
  incidents: data.incidents.length,
  sha256: hash.digest('hex'),
};
fs.writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
console.log(`Written to ${path.relative(process.cwd(), out) || out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
