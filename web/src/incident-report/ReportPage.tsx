/**
 * `/incidents/report` (analyst, admin): the weekly / monthly report the political-legal commission
 * files, for a period and an area, laid out as A4 pages. The period and area live in the address
 * (from, to exclusive, area), so a report can be linked and printed as is. Printing the page is how
 * the PDF is made (the browser's own "Save as PDF", Chromium's page.pdf() in the tests): the print
 * stylesheet hides the controls, sets A4 margins and starts each section where it fits.
 */
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { fetchAreas } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { describeError } from '../i18n/describe-error';
import { fetchCommunitiesOf } from '../incidents/api';
import type { IndicatorRow } from '../../../server/modules/incidents/schemas';
import { fetchReport, workbookUrl, type ReportReply } from './api';
import { HotspotMap } from './HotspotMap';
import { addDays, chinaToday, lastWholeMonth, monthOf, weekOf, type ReportKind } from './periods';
import { TrendChart } from './TrendChart';
import './report.css';

const OVERDUE_ON_PAGE = 100;

export function IncidentReportPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const locale = en ? 'en-GB' : 'zh-CN';
  const [params, setParams] = useSearchParams();
  const fallback = lastWholeMonth();
  const from = params.get('from') ?? fallback.from;
  const to = params.get('to') ?? fallback.to;
  const kind = (params.get('kind') as ReportKind | null) ?? 'month';
  const area = params.get('area');
  const street = area ? area.slice(0, 9) : '';
  const set = (next: Record<string, string | null>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === null || v === '') merged.delete(k);
      else merged.set(k, v);
    }
    setParams(merged, { replace: true });
  };

  const streets = useApi((s) => fetchAreas('street', s, { withoutOutline: true }), []);
  const communities = useApi((s) => fetchCommunitiesOf(street, s), [street], street !== '');
  const report = useApi((s) => fetchReport({ from, to, area }, s), [from, to, area]);

  const numbers = useMemo(() => new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }), [locale]);
  const integer = useMemo(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }), [locale]);
  // China time as 2026-10-04 21:16 in both languages, like the period's dates.
  const dateTime = useMemo(() => ({ format: (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') }), []);
  const day = (iso: string, exclusiveEnd = false) => new Date(Date.parse(iso) + 8 * 3_600_000 - (exclusiveEnd ? 1 : 0)).toISOString().slice(0, 10);
  const range = (p: { from: string; to: string }) => `${day(p.from)} – ${day(p.to, true)}`;

  const onKind = (k: ReportKind) => {
    if (k === 'week') set({ kind: k, ...weekOf(addDays(chinaToday(), -7)) });
    else if (k === 'month') set({ kind: k, ...lastWholeMonth() });
    else set({ kind: k });
  };

  const r = report.data;
  const title = r ? t('incidentReport.titleOf', { area: r.area.name, kind: t(`incidentReport.kinds.${r.kind}`) }) : t('incidentReport.title');
  // The document's title names the printed PDF (and the browser's suggested file name).
  const fileTitle = r ? `${title} ${day(r.period.from)}–${day(r.period.to, true)}` : title;
  useEffect(() => {
    const before = document.title;
    document.title = fileTitle;
    return () => {
      document.title = before;
    };
  }, [fileTitle]);

  return (
    <div className="report-page">
      <form className="report-controls no-print" aria-label={t('incidentReport.controls')} onSubmit={(e) => e.preventDefault()}>
        <Link to="/incidents">{t('incidentReport.back')}</Link>
        <label>
          {t('incidentReport.kind')}{' '}
          <select value={kind} onChange={(e) => onKind(e.target.value as ReportKind)}>
            <option value="week">{t('incidentReport.kindWeek')}</option>
            <option value="month">{t('incidentReport.kindMonth')}</option>
            <option value="custom">{t('incidentReport.kindCustom')}</option>
          </select>
        </label>
        {kind === 'week' ? (
          <label>
            {t('incidentReport.weekOf')} <input type="date" value={from} onChange={(e) => e.target.value && set(weekOf(e.target.value))} />
          </label>
        ) : kind === 'month' ? (
          <label>
            {t('incidentReport.month')} <input type="month" value={from.slice(0, 7)} onChange={(e) => e.target.value && set(monthOf(e.target.value))} />
          </label>
        ) : (
          <>
            <label>
              {t('incidentReport.from')} <input type="date" value={from} max={addDays(to, -1)} onChange={(e) => e.target.value && set({ from: e.target.value })} />
            </label>
            <label>
              {t('incidentReport.toInclusive')}{' '}
              <input type="date" value={addDays(to, -1)} min={from} onChange={(e) => e.target.value && set({ to: addDays(e.target.value, 1) })} />
            </label>
          </>
        )}
        <label>
          {t('incidentReport.street')}{' '}
          <select value={street} onChange={(e) => set({ area: e.target.value })}>
            <option value="">{t('incidentReport.whole')}</option>
            {(streets.data?.features ?? []).map((f) => (
              <option key={f.properties.code} value={f.properties.code}>
                {f.properties.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('incidentReport.community')}{' '}
          <select value={area && area.length === 12 ? area : ''} disabled={!street} onChange={(e) => set({ area: e.target.value || street })}>
            <option value="">{t('incidentReport.allCommunities')}</option>
            {(street ? (communities.data?.features ?? []) : []).map((f) => (
              <option key={f.properties.code} value={f.properties.code}>
                {f.properties.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={() => window.print()} disabled={!r}>
          {t('incidentReport.print')}
        </button>
        <a className="button" href={workbookUrl({ from, to, area })} download>
          {t('incidentReport.workbook')}
        </a>
        <p className="small muted">{t('incidentReport.printHint')}</p>
      </form>

      {report.error ? (
        <p className="form-error" role="alert">
          {describeError(report.error, t)}
        </p>
      ) : null}
      {!r ? (
        <p className="muted">{t('incidentReport.loading')}</p>
      ) : (
        <article className="report-sheet" aria-labelledby="report-title">
          <header className="report-cover">
            <h1 id="report-title">{title}</h1>
            <dl>
              <dt>{t('incidentReport.area')}</dt>
              <dd>
                {r.area.name}（{r.area.code}）
              </dd>
              <dt>{t('incidentReport.period')}</dt>
              <dd data-testid="report-period">{range(r.period)}</dd>
              <dt>{t('incidentReport.previous')}</dt>
              <dd>{range(r.previous)}</dd>
              <dt>{t('incidentReport.yearAgo')}</dt>
              <dd>{range(r.yearAgo)}</dd>
              <dt>{t('incidentReport.asOf')}</dt>
              <dd>{dateTime.format(new Date(r.asOf))}</dd>
              <dt>{t('incidentReport.generatedAt')}</dt>
              <dd>{dateTime.format(new Date(r.generatedAt))}</dd>
            </dl>
            <p className="small muted">{t('incidentReport.timeNote')}</p>
          </header>

          <section className="report-section">
            <h2>{t('incidentReport.summary')}</h2>
            <SummaryTable row={r.total} numbers={numbers} integer={integer} />
            <p className="small">{t('incidentReport.definitions')}</p>
          </section>

          <section className="report-section report-section--keep">
            <h2>{t('incidentReport.trend')}</h2>
            <TrendChart
              trend={r.trend}
              numberFormat={integer}
              caption={t('incidentReport.trendCaption', { from: day(r.period.from), to: day(r.period.to, true), unit: t(r.trend.unit === 'day' ? 'incidentReport.unitDay' : 'incidentReport.unitMonth') })}
            />
          </section>

          <section className="report-section">
            <h2>{t('incidentReport.byCategory')}</h2>
            <IndicatorTable lead={t('incidentReport.category')} rows={r.byCategory} name={(row) => (en ? (r.categoryNames[row.code]?.en ?? row.name) : row.name)} numbers={numbers} integer={integer} />
          </section>

          <section className="report-section">
            <h2>{t('incidentReport.byArea', { level: t(`incidentReport.levels.${r.childLevel}`) })}</h2>
            <IndicatorTable lead={t(`incidentReport.levelHeads.${r.childLevel}`)} rows={r.byArea} name={(row) => row.name} numbers={numbers} integer={integer} />
          </section>

          <section className="report-section">
            <h2>{t('incidentReport.topGrids')}</h2>
            <IndicatorTable
              lead={t('incidentReport.grid')}
              rows={r.topGrids}
              name={(row) => row.name}
              numbers={numbers}
              integer={integer}
              rank
              hotspot={(row) => {
                const cls = (row as ReportReply['topGrids'][number]).hotspotClass;
                return cls === 0 ? t('incidentReport.notSignificant') : t(cls > 0 ? 'incidentReport.hot' : 'incidentReport.cold', { level: [0, 90, 95, 99][Math.abs(cls)] });
              }}
            />
          </section>

          <section className="report-section report-section--keep report-section--page">
            <h2>{t('incidentReport.hotspotMap')}</h2>
            <HotspotMap
              hotspots={r.hotspots}
              caption={t('incidentReport.mapCaption', { units: r.hotspots.method.units, from: day(r.period.from), to: day(r.period.to, true) })}
              dateLine={t('incidentReport.mapDate', { from: day(r.period.from), to: day(r.period.to, true), made: dateTime.format(new Date(r.generatedAt)) })}
            />
          </section>

          <section className="report-section report-section--page">
            <h2>{t('incidentReport.overdueList')}</h2>
            <p className="small" data-testid="overdue-note">
              {t('incidentReport.overdueNote', { asOf: dateTime.format(new Date(r.asOf)), total: integer.format(r.overdue.total) })}
              {r.overdue.incidents.length > OVERDUE_ON_PAGE ? ` ${t('incidentReport.overdueMore', { shown: OVERDUE_ON_PAGE })}` : ''}
            </p>
            {r.overdue.incidents.length === 0 ? (
              <p>{t('incidentReport.none')}</p>
            ) : (
              <table className="report-table report-table--dense">
                <thead>
                  <tr>
                    <th scope="col">{t('incidentReport.ticket')}</th>
                    <th scope="col">{t('incidentReport.category')}</th>
                    <th scope="col">{t('incidentReport.status')}</th>
                    <th scope="col">{t('incidentReport.place')}</th>
                    <th scope="col">{t('incidentReport.reportedAt')}</th>
                    <th scope="col">{t('incidentReport.dueAt')}</th>
                    <th scope="col" className="num">
                      {t('incidentReport.overdueDays')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.overdue.incidents.slice(0, OVERDUE_ON_PAGE).map((i) => {
                    const names = r.categoryNames[i.subCategory ?? i.category];
                    return (
                      <tr key={i.id}>
                        <td className="nowrap">{i.externalId ?? `#${i.id}`}</td>
                        <td className="category">{names ? (en ? names.en : names.zh) : i.category}</td>
                        <td className="nowrap">{t(`incidents.statuses.${i.status}`)}</td>
                        <td className="place">{[i.streetName, i.communityName, i.gridName].filter(Boolean).join(' · ')}</td>
                        <td className="nowrap">{dateTime.format(new Date(i.reportedAt))}</td>
                        <td className="nowrap">{dateTime.format(new Date(i.dueAt))}</td>
                        <td className="num">{numbers.format(i.overdueHours / 24)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
        </article>
      )}
    </div>
  );
}

type Formats = { numbers: Intl.NumberFormat; integer: Intl.NumberFormat };

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const signedPct = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
const signedPoints = (a: number | null, b: number | null) => (a === null || b === null ? '—' : `${a - b > 0 ? '+' : ''}${((a - b) * 100).toFixed(1)}`);
const relative = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : (a - b) / b);

function SummaryTable({ row, numbers, integer }: { row: IndicatorRow } & Formats) {
  const { t } = useTranslation();
  const c = row.current;
  const p = row.previous;
  const y = row.yearAgo;
  const hours = (v: number | null) => (v === null ? '—' : numbers.format(v));
  const lines: { label: string; now: string; prev: string; ago: string; mom: string; yoy: string }[] = [
    { label: t('incidentReport.reported'), now: integer.format(c.reported), prev: integer.format(p.reported), ago: integer.format(y.reported), mom: signedPct(row.reportedMonthOnMonth), yoy: signedPct(row.reportedYearOnYear) },
    { label: t('incidentReport.due'), now: integer.format(c.due), prev: integer.format(p.due), ago: integer.format(y.due), mom: signedPct(relative(c.due, p.due)), yoy: signedPct(relative(c.due, y.due)) },
    { label: t('incidentReport.closed'), now: integer.format(c.closed), prev: integer.format(p.closed), ago: integer.format(y.closed), mom: signedPct(relative(c.closed, p.closed)), yoy: signedPct(relative(c.closed, y.closed)) },
    { label: t('incidentReport.closureRate'), now: pct(c.closureRate), prev: pct(p.closureRate), ago: pct(y.closureRate), mom: signedPoints(c.closureRate, p.closureRate), yoy: signedPoints(c.closureRate, y.closureRate) },
    { label: t('incidentReport.onTimeRate'), now: pct(c.onTimeClosureRate), prev: pct(p.onTimeClosureRate), ago: pct(y.onTimeClosureRate), mom: signedPoints(c.onTimeClosureRate, p.onTimeClosureRate), yoy: signedPoints(c.onTimeClosureRate, y.onTimeClosureRate) },
    { label: t('incidentReport.meanHours'), now: hours(c.meanHandlingHours), prev: hours(p.meanHandlingHours), ago: hours(y.meanHandlingHours), mom: signedPct(relative(c.meanHandlingHours, p.meanHandlingHours)), yoy: signedPct(relative(c.meanHandlingHours, y.meanHandlingHours)) },
    { label: t('incidentReport.overdueOpen'), now: integer.format(c.overdueOpen), prev: integer.format(p.overdueOpen), ago: integer.format(y.overdueOpen), mom: signedPct(relative(c.overdueOpen, p.overdueOpen)), yoy: signedPct(relative(c.overdueOpen, y.overdueOpen)) },
  ];
  return (
    <table className="report-table" data-testid="report-summary">
      <thead>
        <tr>
          <th scope="col">{t('incidentReport.indicator')}</th>
          <th scope="col" className="num">{t('incidentReport.current')}</th>
          <th scope="col" className="num">{t('incidentReport.previousValue')}</th>
          <th scope="col" className="num">{t('incidentReport.yearAgoValue')}</th>
          <th scope="col" className="num">{t('incidentReport.mom')}</th>
          <th scope="col" className="num">{t('incidentReport.yoy')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.label}>
            <th scope="row">{l.label}</th>
            <td className="num">{l.now}</td>
            <td className="num">{l.prev}</td>
            <td className="num">{l.ago}</td>
            <td className="num">{l.mom}</td>
            <td className="num">{l.yoy}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function IndicatorTable({
  lead, rows, name, numbers, integer, rank = false, hotspot,
}: { lead: string; rows: IndicatorRow[]; name: (r: IndicatorRow) => string; rank?: boolean; hotspot?: (r: IndicatorRow) => string } & Formats) {
  const { t } = useTranslation();
  return (
    <table className="report-table report-table--dense">
      <thead>
        <tr>
          {rank ? <th scope="col" className="nowrap">{t('incidentReport.rank')}</th> : null}
          <th scope="col">{lead}</th>
          <th scope="col" className="num">{t('incidentReport.reported')}</th>
          <th scope="col" className="num">{t('incidentReport.mom')}</th>
          <th scope="col" className="num">{t('incidentReport.yoy')}</th>
          <th scope="col" className="num">{t('incidentReport.closureRate')}</th>
          <th scope="col" className="num">{t('incidentReport.onTimeRate')}</th>
          <th scope="col" className="num">{t('incidentReport.meanHours')}</th>
          <th scope="col" className="num">{t('incidentReport.overdueOpen')}</th>
          {hotspot ? <th scope="col">{t('incidentReport.hotspot')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, k) => (
          <tr key={r.code}>
            {rank ? <td className="num">{k + 1}</td> : null}
            <th scope="row">{name(r)}</th>
            <td className="num">{integer.format(r.current.reported)}</td>
            <td className="num">{signedPct(r.reportedMonthOnMonth)}</td>
            <td className="num">{signedPct(r.reportedYearOnYear)}</td>
            <td className="num">{pct(r.current.closureRate)}</td>
            <td className="num">{pct(r.current.onTimeClosureRate)}</td>
            <td className="num">{r.current.meanHandlingHours === null ? '—' : numbers.format(r.current.meanHandlingHours)}</td>
            <td className="num">{integer.format(r.current.overdueOpen)}</td>
            {hotspot ? <td className="nowrap">{hotspot(r)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
