/**
 * The analyst's weekly report against a fixture worked out by hand (the week of Monday 6 October
 * 2025, China time, with incidents exactly on its boundaries), the workbook read back with
 * exceljs, the two overdue counts and what each counts, the incident list's filters and sort,
 * and the refusals (area outside the caller's scope).
 */
import ExcelJS from 'exceljs';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { insertIncident, loadGridFixture, readFixture } from '../fixtures/incidents/load-fixture.js';
import { ReportReply } from '../../server/modules/incidents/report-schemas.js';
import { IncidentList, SummaryReply } from '../../server/modules/incidents/schemas.js';

type FixtureIncident = { key: string; grid: string; category: string; status: string; reportedAt: string; closedAt: string | null; description?: string; reporter?: { name: string; phone: string } };

let t: TestApp;
let analyst: string;
const ids = new Map<string, number>();
const WEEK = 'from=2025-10-06&to=2025-10-13';
const COMMUNITY = '610402001001';

beforeAll(async () => {
  t = await createTestApp({ template: 'empty' });
  await loadGridFixture(t.db.pool);
  analyst = await t.loginAs('analyst');
  for (const i of readFixture<{ incidents: FixtureIncident[] }>('report-week-2025-10-06-known-answer.json').incidents) {
    const id = await insertIncident(t.db.pool, i);
    ids.set(i.key, id);
    if (i.description) await t.db.pool.query(`UPDATE incident SET description = $2 WHERE id = $1`, [id, i.description]);
    if (i.reporter) await t.db.pool.query(`INSERT INTO incident_reporter (district_code, incident_id, name, phone) SELECT district_code, id, $2, $3 FROM incident WHERE id = $1`, [id, i.reporter.name, i.reporter.phone]);
  }
});
afterAll(async () => t?.close());

const get = (url: string, cookie = analyst) => t.app.inject({ method: 'GET', url, headers: { cookie } });

describe('the weekly report, by hand', () => {
  let report: ReportReply;
  beforeAll(async () => {
    const res = await get(`/api/incidents/report?${WEEK}&area=${COMMUNITY}`);
    expect(res.statusCode, res.body).toBe(200);
    report = res.json();
    expect(Value.Check(ReportReply, report)).toBe(true);
  });

  it('is a week report with the previous week and the same week a year before, in China time', () => {
    expect(report.kind).toBe('week');
    expect(report.period).toEqual({ from: '2025-10-05T16:00:00.000Z', to: '2025-10-12T16:00:00.000Z' });
    expect(report.previous).toEqual({ from: '2025-09-28T16:00:00.000Z', to: '2025-10-05T16:00:00.000Z' });
    expect(report.yearAgo).toEqual({ from: '2024-10-05T16:00:00.000Z', to: '2024-10-12T16:00:00.000Z' });
    expect(report.area).toEqual({ code: COMMUNITY, name: '测试社区', level: 'community' });
    expect(report.childLevel).toBe('grid');
    expect(report.asOf).toBe('2025-10-12T16:00:00.000Z');
  });

  it('counts the closure indicators of the week with 环比 and 同比', () => {
    // Reported in the week: W1 (00:00 on the first day), W2, W3, W4 (23:59 on the last day), W5 = 5;
    // B1 (23:59 the day before) and A1 (00:00 the day after) are not.
    // Due in the week, not returned: W1, W2, W3, B1 (reported the week before), P1 (closed the week before) = 5.
    // Closed of those: W1, W2, B1, P1 = 4 → 结案率 0.8; on time: W1, B1, P1 = 3 → 按期结案率 0.6 (W2 a day late).
    // Closed in the week: W1 10 h, W2 96 h, B1 8 h → 38 h (W4 closed after the week, P1 before it).
    const c = report.total.current;
    expect(c).toMatchObject({ reported: 5, due: 5, closed: 4, closedOnTime: 3, closureRate: 0.8, onTimeClosureRate: 0.6, overdueOpen: 1 });
    expect(c.meanHandlingHours).toBeCloseTo(38, 9);
    // The week before: reported P2 (00:00 on its first day), P1, B1 = 3; due P2 only, closed late → 1.0 / 0.0; closed: P2 36 h, P1 48 h → 42 h.
    expect(report.total.previous).toMatchObject({ reported: 3, due: 1, closed: 1, closedOnTime: 0, closureRate: 1, onTimeClosureRate: 0 });
    expect(report.total.previous.meanHandlingHours).toBeCloseTo(42, 9);
    // A year before: reported Y1 = 1; due Y1, Y2 (reported the day before) → both closed, Y2 late; closed: 12 h and 120 h → 66 h.
    expect(report.total.yearAgo).toMatchObject({ reported: 1, due: 2, closed: 2, closedOnTime: 1, closureRate: 1, onTimeClosureRate: 0.5 });
    expect(report.total.yearAgo.meanHandlingHours).toBeCloseTo(66, 9);
    expect(report.total.reportedMonthOnMonth).toBeCloseTo(2 / 3, 12);
    expect(report.total.reportedYearOnYear).toBe(4);
    expect(report.total.closureRateMonthOnMonthPoints).toBeCloseTo(-20, 9);
    expect(report.total.closureRateYearOnYearPoints).toBeCloseTo(-20, 9);
  });

  it('by category, by grid, and the top grids', () => {
    const cat = (code: string) => report.byCategory.find((r) => r.code === code)!;
    expect(report.byCategory.map((r) => r.code).sort()).toEqual(['dispute', 'livelihood', 'public_order', 'safety_hazard', 'sanitation', 'street_order']);
    // public_order: reported W1, W3, W5; due W1, W3, B1; closed W1, B1, both on time.
    expect(cat('public_order').current).toMatchObject({ reported: 3, due: 3, closed: 2, closedOnTime: 2, overdueOpen: 1 });
    expect(cat('public_order').name).toBe('治安');
    // sanitation: reported W2, W4; due W2, closed late. dispute: none reported, P1 due and closed on time.
    expect(cat('sanitation').current).toMatchObject({ reported: 2, due: 1, closed: 1, closedOnTime: 0 });
    expect(cat('dispute').current).toMatchObject({ reported: 0, due: 1, closed: 1, closedOnTime: 1, onTimeClosureRate: 1 });
    expect(cat('livelihood').current).toMatchObject({ reported: 0, due: 0, closureRate: null });
    // Grid 001: reported W1, W2; due W1, W2, B1, P1, all closed, W2 late.
    const grid = (code: string) => report.byArea.find((r) => r.code === code)!;
    expect(report.byArea).toHaveLength(9);
    expect(grid('610402001001001').current).toMatchObject({ reported: 2, due: 4, closed: 4, closedOnTime: 3, closureRate: 1, onTimeClosureRate: 0.75 });
    expect(grid('610402001001002').current).toMatchObject({ reported: 2, due: 1, closed: 0, overdueOpen: 1 });
    expect(report.topGrids.map((g) => [g.code, g.current.reported])).toEqual([
      ['610402001001001', 2],
      ['610402001001002', 2],
      ['610402001001003', 1],
    ]);
  });

  it('charts every day of the week and draws every grid', () => {
    expect(report.trend.unit).toBe('day');
    expect(report.trend.buckets).toEqual([
      { bucket: '2025-10-06', reported: 1, closed: 2 },
      { bucket: '2025-10-07', reported: 0, closed: 0 },
      { bucket: '2025-10-08', reported: 1, closed: 0 },
      { bucket: '2025-10-09', reported: 1, closed: 0 },
      { bucket: '2025-10-10', reported: 1, closed: 0 },
      { bucket: '2025-10-11', reported: 0, closed: 0 },
      { bucket: '2025-10-12', reported: 1, closed: 1 },
    ]);
    expect(report.hotspots.grids).toHaveLength(9);
    expect(report.hotspots.grids.find((g) => g.code === '610402001001001')!.count).toBe(2);
    expect((report.hotspots.grids[0]!.geometry as { type: string }).type).toMatch(/Polygon/);
  });

  it('lists every open incident past its deadline at the end of the week, longest overdue first, with no personal data', () => {
    // O1 (due 8 Sep 08:00, still dispatched) and W3 (due 11 Oct 08:00, handling); not W5 (returned), A1 (not yet due).
    expect(report.overdue.total).toBe(2);
    expect(report.overdue.incidents.map((i) => i.id)).toEqual([ids.get('O1'), ids.get('W3')]);
    expect(report.overdue.incidents[0]!.overdueHours).toBeCloseTo(34 * 24 + 16, 9);
    expect(report.overdue.incidents[1]).toMatchObject({ overdueHours: 40, gridName: '第2网格', communityName: '测试社区', streetName: '测试街道', status: 'handling' });
    const text = JSON.stringify(report);
    for (const personal of ['王小明', '李四海', '13812345678', '13987654321', '138****5678']) expect(text).not.toContain(personal);
  });

  it('takes the whole district by default, a month as a month report', async () => {
    const admin = await t.loginAs('admin');
    const res = await get('/api/incidents/report?from=2025-10-01&to=2025-11-01', admin);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as ReportReply;
    expect(body.kind).toBe('month');
    expect(body.area).toEqual({ code: '610402', name: '测试区', level: 'district' });
    expect(body.childLevel).toBe('street');
    expect(body.previous.from).toBe('2025-08-31T16:00:00.000Z');
    // Reported in October (China time): W1–W5, B1 (23:59 on 5 October) and A1.
    expect(body.total.current.reported).toBe(7);
    expect(body.byArea.map((r) => [r.code, r.current.reported])).toEqual([['610402001', 7]]);
  });
});

describe('the workbook', () => {
  it('has a cover and one sheet per table with Chinese headers, China-time dates and number formats', async () => {
    const res = await get(`/api/incidents/report/workbook?${WEEK}&area=${COMMUNITY}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('测试社区事件周报-2025-10-06至2025-10-12.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as never);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['封面', '总体指标', '分类指标', '分网格指标', '网格排名', '趋势', '热点网格', '超期清单']);

    const cover = workbook.getWorksheet('封面')!;
    const coverRows = new Map<string, unknown>();
    cover.eachRow((row) => coverRows.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(cover.getCell('A1').value).toBe('测试社区事件办理周报');
    expect(coverRows.get('报告期')).toBe('2025-10-06 至 2025-10-12');
    expect(coverRows.get('环比期（上期）')).toBe('2025-09-29 至 2025-10-05');
    expect(coverRows.get('同比期（上年同期）')).toBe('2024-10-06 至 2024-10-12');
    // 数据截至: the end of the week, 13 Oct 00:00 China time, as an Excel date of that wall clock.
    expect((coverRows.get('数据截至') as Date).toISOString()).toBe('2025-10-13T00:00:00.000Z');

    const total = workbook.getWorksheet('总体指标')!;
    const headers = (total.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 9)).toEqual(['区域', '受理（件）', '应结案（件）', '结案（件）', '按期结案（件）', '结案率', '按期结案率', '平均处置时长（小时）', '期内到期未结（件）']);
    const values = (total.getRow(2).values as unknown[]).slice(1);
    expect(values.slice(0, 9)).toEqual(['测试社区', 5, 5, 4, 3, 0.8, 0.6, 38, 1]);
    expect(total.getRow(2).getCell(6).numFmt).toBe('0.0%');
    expect(values[9]).toBeCloseTo(2 / 3, 12);

    const trend = workbook.getWorksheet('趋势')!;
    expect(trend.rowCount).toBe(8);
    expect((trend.getRow(2).getCell(1).value as Date).toISOString()).toBe('2025-10-06T00:00:00.000Z');
    expect(trend.getRow(2).getCell(1).numFmt).toBe('yyyy-mm-dd');

    const overdue = workbook.getWorksheet('超期清单')!;
    expect((overdue.getRow(1).values as unknown[]).slice(1)).toEqual(['事件编号', '工单号', '类别', '子类', '来源', '状态', '街道', '社区', '网格', '上报时间', '办理期限', '超期（天）']);
    expect(overdue.rowCount).toBe(3);
    const w3 = overdue.getRow(3);
    expect(w3.getCell(1).value).toBe(ids.get('W3'));
    expect(w3.getCell(3).value).toBe('治安');
    expect(w3.getCell(6).value).toBe('处置中');
    // Reported 10 Oct 08:00 China time, due 11 Oct 08:00: the wall clock in the cells.
    expect((w3.getCell(10).value as Date).toISOString()).toBe('2025-10-10T08:00:00.000Z');
    expect((w3.getCell(11).value as Date).toISOString()).toBe('2025-10-11T08:00:00.000Z');
    expect(w3.getCell(12).value).toBeCloseTo(40 / 24, 12);
    // No personal data anywhere in the workbook.
    const cells: string[] = [];
    for (const sheet of workbook.worksheets) sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
    for (const personal of ['王小明', '李四海', '13812345678', '13987654321']) expect(cells.join('\n')).not.toContain(personal);
  });
});

describe('the two overdue counts', () => {
  it('name different things: overdue among the incidents reported in the period, and due in the period and still open', async () => {
    const summary = (await get(`/api/incidents/summary?${WEEK}`)).json() as SummaryReply;
    // Reported in the week and overdue (closed after the deadline, or open past it): W2 (closed a day late), W3 (open).
    expect(summary.overdue).toBe(2);
    const indicators = (await get(`/api/incidents/indicators?${WEEK}&level=community&area=${COMMUNITY}`)).json();
    // Due in the week and still open: W3 only (W2 was closed, late).
    expect(indicators.rows[0].current.overdueOpen).toBe(1);
    // The list's overdue filter gives the first: the same incidents.
    const list = (await get(`/api/incidents?${WEEK}&overdue=true`)).json() as IncidentList;
    expect(list.incidents.map((i) => i.id).sort()).toEqual([ids.get('W2'), ids.get('W3')].sort());
  });
});

describe('the incident list', () => {
  it('filters by overdue, text, status and category, and sorts', async () => {
    const all = (await get(`/api/incidents?${WEEK}`)).json() as IncidentList;
    expect(Value.Check(IncidentList, all)).toBe(true);
    expect(all.total).toBe(5);
    // Newest first by default.
    expect(all.incidents.map((i) => i.id)).toEqual(['W4', 'W3', 'W5', 'W2', 'W1'].map((k) => ids.get(k)));
    const notOverdue = (await get(`/api/incidents?${WEEK}&overdue=false`)).json() as IncidentList;
    // W1, W4 and W5 (returned: never overdue).
    expect(notOverdue.total).toBe(3);
    const text = (await get(`/api/incidents?${WEEK}&q=${encodeURIComponent('杂物')}`)).json() as IncidentList;
    expect(text.incidents.map((i) => i.id)).toEqual([ids.get('W3')]);
    const byGrid = (await get(`/api/incidents?${WEEK}&q=${encodeURIComponent('第1网格')}`)).json() as IncidentList;
    expect(byGrid.total).toBe(2);
    const dueAsc = (await get(`/api/incidents?${WEEK}&sort=dueAt&order=asc&category=public_order,sanitation&status=closed,handling`)).json() as IncidentList;
    // W1 due 7 Oct 00:00, W3 11 Oct 08:00, W2 11 Oct 09:00, W4 15 Oct 23:59.
    expect(dueAsc.incidents.map((i) => i.id)).toEqual(['W1', 'W3', 'W2', 'W4'].map((k) => ids.get(k)));
    const wildcard = (await get(`/api/incidents?${WEEK}&q=${encodeURIComponent('%')}`)).json() as IncidentList;
    expect(wildcard.total).toBe(0);
    // The drill-down path answers the same.
    expect((await get(`/api/incidents/list?${WEEK}&sort=dueAt&order=asc`)).json().incidents.map((i: { id: number }) => i.id)).toEqual(
      ['W1', 'W5', 'W3', 'W2', 'W4'].map((k) => ids.get(k)),
    );
  });

  it('refuses a bad sort with a clear 400', async () => {
    const res = await get(`/api/incidents?${WEEK}&sort=password`);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/sort/);
  });
});

describe('refusals', () => {
  it('refuses an unknown area, a reversed period, and grid workers', async () => {
    const admin = await t.loginAs('admin');
    const unknown = await get(`/api/incidents/report?${WEEK}&area=610402999`, admin);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/querystring\/area: there is no area 610402999/);
    const reversed = await get('/api/incidents/report?from=2025-10-13&to=2025-10-06', admin);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().message).toMatch(/querystring\/to/);
    const worker = await t.loginAs('grid_worker');
    expect((await get(`/api/incidents/report?${WEEK}`, worker)).statusCode).toBe(403);
    expect((await get(`/api/incidents/report/workbook?${WEEK}`, worker)).statusCode).toBe(403);
  });

  it('keeps a scoped analyst inside the scope', async () => {
    await t.db.pool.query(`UPDATE app_user SET scope_area_code = '610402001' WHERE username = 'analyst'`);
    try {
      const scoped = await t.loginAs('analyst');
      const outside = await get(`/api/incidents/report?${WEEK}&area=610402`, scoped);
      expect(outside.statusCode).toBe(403);
      expect(outside.json().message).toMatch(/outside your area 610402001/);
      const own = await get(`/api/incidents/report?${WEEK}`, scoped);
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json().area).toEqual({ code: '610402001', name: '测试街道', level: 'street' });
    } finally {
      await t.db.pool.query(`UPDATE app_user SET scope_area_code = NULL WHERE username = 'analyst'`);
    }
  });
});
