/**
 * Below the map: the closed-loop indicators of the period, the trend by month and by category
 * (plain SVG bars), the grids and communities with most incidents, and the comparison with the
 * previous period.
 */
import { useTranslation } from 'react-i18next';
import { categoryNameOf, type CategoryInfo, type CompareReply, type IndicatorsReply, type SummaryReply } from './api';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const signed = (v: number | null, digits = 1) => (v === null ? '—' : `${v > 0 ? '+' : ''}${v.toFixed(digits)}`);

export function Insights({ summary, indicators, compare, categories }: { summary: SummaryReply | null; indicators: IndicatorsReply | null; compare: CompareReply | null; categories: CategoryInfo[] }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const categoryName = (code: string) => categoryNameOf(categories, code, en);
  const row = indicators?.rows[0] ?? null;
  const c = row?.current;
  const maxMonth = Math.max(1, ...(summary?.byMonth ?? []).map((m) => m.count));
  const maxCategory = Math.max(1, ...(summary?.byCategory ?? []).map((m) => m.count));

  return (
    <div className="insights">
      <section className="insights__card insights__kpis" aria-labelledby="kpi-title">
        <h2 id="kpi-title">
          {t('incidents.indicators')}
          {row ? ` · ${row.name}` : ''}
        </h2>
        {c ? (
          <dl className="kpis">
            <div>
              <dt>{t('incidents.reported')}</dt>
              <dd>{c.reported}</dd>
              <dd className="small muted">
                {t('incidents.momChange')} {row!.reportedMonthOnMonth === null ? '—' : `${signed(row!.reportedMonthOnMonth * 100)}%`} · {t('incidents.yoyChange')}{' '}
                {row!.reportedYearOnYear === null ? '—' : `${signed(row!.reportedYearOnYear * 100)}%`}
              </dd>
            </div>
            <div>
              <dt>{t('incidents.closureRate')}</dt>
              <dd>{pct(c.closureRate)}</dd>
              <dd className="small muted">
                {c.closed}/{c.due} · {t('incidents.momChange')} {t('incidents.points', { value: signed(row!.closureRateMonthOnMonthPoints) })}
              </dd>
            </div>
            <div>
              <dt>{t('incidents.onTimeRate')}</dt>
              <dd>{pct(c.onTimeClosureRate)}</dd>
              <dd className="small muted">
                {c.closedOnTime}/{c.due} ·{' '}
                <span title={t('incidents.overdueDueOpenHint')} data-testid="overdue-due-open">
                  {t('incidents.overdueDueOpen', { count: c.overdueOpen })}
                </span>
              </dd>
            </div>
            <div>
              <dt>{t('incidents.meanHandling')}</dt>
              <dd>{c.meanHandlingHours === null ? '—' : t('incidents.hours', { value: c.meanHandlingHours.toFixed(1) })}</dd>
            </div>
          </dl>
        ) : (
          <p className="muted">{t('incidents.loading')}</p>
        )}
      </section>

      <section className="insights__card" aria-labelledby="trend-title">
        <h2 id="trend-title">{t('incidents.trendByMonth')}</h2>
        <svg className="bar-chart" viewBox={`0 0 ${Math.max(1, summary?.byMonth.length ?? 1) * 28} 120`} role="img" aria-label={t('incidents.trendByMonth')}>
          {(summary?.byMonth ?? []).map((m, k) => {
            const h = (m.count / maxMonth) * 96;
            return (
              <g key={m.month}>
                <rect x={k * 28 + 4} y={100 - h} width={20} height={h} className="bar-chart__bar">
                  <title>{`${m.month}: ${m.count}`}</title>
                </rect>
                <text x={k * 28 + 14} y={114} textAnchor="middle" className="bar-chart__label">
                  {m.month.slice(5)}
                </text>
              </g>
            );
          })}
        </svg>
      </section>

      <section className="insights__card" aria-labelledby="category-title">
        <h2 id="category-title">{t('incidents.byCategory')}</h2>
        <ul className="hbars">
          {(summary?.byCategory ?? []).map((b) => (
            <li key={b.category}>
              <span className="hbars__label">{categoryName(b.category)}</span>
              <span className="hbars__bar" style={{ width: `${(b.count / maxCategory) * 100}%` }} />
              <span className="hbars__value">{b.count}</span>
            </li>
          ))}
        </ul>
      </section>

      <RankTable title={t('incidents.topGrids')} rows={summary?.topGrids ?? []} />
      <RankTable title={t('incidents.topCommunities')} rows={summary?.topCommunities ?? []} />

      <section className="insights__card" aria-labelledby="compare-title">
        <h2 id="compare-title">{t('incidents.compare')}</h2>
        <div className="compare">
          {(['rose', 'fell'] as const).map((k) => (
            <table key={k} className="data-table">
              <caption>{t(`incidents.${k}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('incidents.name')}</th>
                  <th scope="col">{t('incidents.change')}</th>
                </tr>
              </thead>
              <tbody>
                {(compare?.[k] ?? []).map((r) => (
                  <tr key={r.code}>
                    <td>{r.name}</td>
                    <td className={k === 'rose' ? 'up' : 'down'}>
                      {r.before} → {r.after} ({signed(r.change, 0)})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </div>
      </section>
    </div>
  );
}

function RankTable({ title, rows }: { title: string; rows: SummaryReply['topGrids'] }) {
  const { t } = useTranslation();
  return (
    <section className="insights__card">
      <table className="data-table">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('incidents.name')}</th>
            <th scope="col">{t('incidents.count')}</th>
            <th scope="col">{t('incidents.overdue')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code}>
              <td title={r.code}>{r.name}</td>
              <td>{r.count}</td>
              <td>{r.overdue}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
