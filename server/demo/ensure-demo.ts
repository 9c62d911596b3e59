import type pg from 'pg';
import { generateDemoDistrict } from './generate.js';
import { isDemoLoaded, loadDemoDataset } from './load.js';

/** The UTC day the demo's 24 months of incidents end on: the day of the first load. */
export function todayUtc(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Generates and loads the demo district unless it is already loaded. */
export async function ensureDemoLoaded(pool: pg.Pool, log: (line: string) => void, anchorDate = todayUtc()): Promise<boolean> {
  if (await isDemoLoaded(pool)) return false;
  log('Generating the Qindu demo district…');
  const started = Date.now();
  const data = generateDemoDistrict({ anchorDate });
  log(
    `  ${data.areas.length} areas, ${data.grids.length} grids, ${data.buildings.length} buildings, ` +
      `${data.facilities.length} facilities, ${data.incidents.length} incidents (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  log('Loading it into the database…');
  const loadStarted = Date.now();
  await loadDemoDataset(pool, data);
  log(`  loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);
  return true;
}
