/**
 * The report's trend as an SVG image: accepted incidents as bars and closed ones as a line per
 * day (or month), with a y axis, a legend and the period it shows, so the printed chart reads on
 * its own.
 */
import { useTranslation } from 'react-i18next';
import type { ReportReply } from './api';

const W = 680;
const H = 240;
const LEFT = 44;
const RIGHT = 12;
const TOP = 34;
const BOTTOM = 40;

function niceMax(v: number): number {
  if (v <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function TrendChart({ trend, caption, numberFormat }: { trend: ReportReply['trend']; caption: string; numberFormat: Intl.NumberFormat }) {
  const { t } = useTranslation();
  const buckets = trend.buckets;
  const max = niceMax(Math.max(1, ...buckets.map((b) => Math.max(b.reported, b.closed))));
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const step = plotW / Math.max(1, buckets.length);
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  const labelEvery = Math.ceil(buckets.length / 16);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const line = buckets.map((b, k) => `${k === 0 ? 'M' : 'L'}${(LEFT + step * (k + 0.5)).toFixed(1)},${y(b.closed).toFixed(1)}`).join(' ');
  return (
    <svg className="report-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${t('incidentReport.trend')} · ${caption}`}>
      <text x={LEFT} y={14} className="report-chart__caption">
        {caption}
      </text>
      <g transform={`translate(${W - RIGHT - 190}, 6)`} className="report-chart__legend">
        <rect x={0} y={2} width={14} height={10} className="report-chart__bar" />
        <text x={20} y={11}>
          {t('incidentReport.legendReported')}
        </text>
        <line x1={90} x2={110} y1={7} y2={7} className="report-chart__line" />
        <circle cx={100} cy={7} r={2.5} className="report-chart__dot" />
        <text x={116} y={11}>
          {t('incidentReport.legendClosed')}
        </text>
      </g>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={LEFT} x2={W - RIGHT} y1={y(v)} y2={y(v)} className="report-chart__grid" />
          <text x={LEFT - 6} y={y(v) + 4} textAnchor="end" className="report-chart__tick">
            {numberFormat.format(v)}
          </text>
        </g>
      ))}
      {buckets.map((b, k) => {
        const x = LEFT + step * k;
        return (
          <g key={b.bucket}>
            <rect x={x + step * 0.15} y={y(b.reported)} width={step * 0.7} height={TOP + plotH - y(b.reported)} className="report-chart__bar">
              <title>{`${b.bucket}: ${b.reported} / ${b.closed}`}</title>
            </rect>
            {k % labelEvery === 0 ? (
              <text x={x + step / 2} y={H - BOTTOM + 16} textAnchor="middle" className="report-chart__tick">
                {trend.unit === 'day' ? b.bucket.slice(5) : b.bucket}
              </text>
            ) : null}
          </g>
        );
      })}
      <path d={line} className="report-chart__line" fill="none" />
      {buckets.map((b, k) => (
        <circle key={b.bucket} cx={LEFT + step * (k + 0.5)} cy={y(b.closed)} r={2.5} className="report-chart__dot" />
      ))}
      <line x1={LEFT} x2={W - RIGHT} y1={TOP + plotH} y2={TOP + plotH} className="report-chart__axis" />
    </svg>
  );
}
