/**
 * The figures of one level as a sortable table, largest gap first by default. A row's name
 * frames the area on the map.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AreaRow, Level } from './coverage-api';
import { formatCount, formatShare } from './format';

type SortKey = 'uncovered' | 'share' | 'population' | 'name';
const PAGE = 60;

export function AreaTable({ level, rows, selectedCode, onLocate }: { level: Level; rows: readonly AreaRow[]; selectedCode: string | null; onLocate(code: string): void }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<SortKey>('uncovered');
  const [showAll, setShowAll] = useState(false);
  const sorted = useMemo(() => {
    const copy = [...rows];
    const byShare = (r: AreaRow) => (r.share === null ? 2 : r.share);
    copy.sort((a, b) => {
      if (sort === 'uncovered') return b.uncovered - a.uncovered || a.code.localeCompare(b.code);
      if (sort === 'share') return byShare(a) - byShare(b) || b.uncovered - a.uncovered;
      if (sort === 'population') return b.population - a.population;
      return a.name.localeCompare(b.name, 'zh-CN');
    });
    return copy;
  }, [rows, sort]);
  const shown = showAll ? sorted : sorted.slice(0, PAGE);
  const header = (key: SortKey, label: string, numeric = true) => (
    <th scope="col" aria-sort={sort === key ? (key === 'name' || key === 'share' ? 'ascending' : 'descending') : 'none'} className={numeric ? 'is-numeric' : undefined}>
      <button type="button" className="link-button" onClick={() => setSort(key)} title={t('coverage.table.sortBy')}>
        {label}
        {sort === key ? (key === 'name' || key === 'share' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  const sortLabel = { uncovered: t('coverage.table.uncovered'), share: t('coverage.table.share'), population: t('coverage.table.population'), name: t('coverage.table.name') }[sort];

  return (
    <div className="coverage-table-wrap">
      <table className="coverage-table">
        <caption>{t('coverage.table.caption', { level: t(`coverage.scenario.levels.${level === 'district' ? 'street' : level}`), sort: sortLabel })}</caption>
        <thead>
          <tr>
            {header('name', t('coverage.table.name'), false)}
            {header('population', t('coverage.table.population'))}
            {header('uncovered', t('coverage.table.uncovered'))}
            {header('share', t('coverage.table.share'))}
            <th scope="col" className="is-numeric">{t('coverage.table.target')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.code} className={r.code === selectedCode ? 'is-selected' : undefined}>
              <th scope="row">
                <button type="button" className="link-button" onClick={() => onLocate(r.code)} aria-label={t('coverage.table.locate', { name: r.name })}>
                  {r.name}
                </button>
                {r.kind && <span className={`kind-tag kind-tag--${r.kind}`}>{t(`coverage.table.kinds.${r.kind}`)}</span>}
              </th>
              <td className="is-numeric">{formatCount(r.population)}</td>
              <td className="is-numeric">{formatCount(r.uncovered)}</td>
              <td className="is-numeric">
                <span className="share-bar" aria-hidden="true">
                  <span style={{ width: `${Math.round((r.share ?? 0) * 100)}%` }} />
                </span>
                {r.share === null ? t('coverage.table.noPeople') : formatShare(r.share)}
                {r.estimatedPopulation ? <abbr className="coverage-muted" title={t('coverage.table.estimatedHint', { population: formatCount(r.estimatedPopulation) })}> {t('coverage.table.estimated')}</abbr> : null}
              </td>
              <td className={`is-numeric ${r.meetsTarget === false ? 'is-below' : r.meetsTarget ? 'is-meets' : ''}`}>
                {formatShare(r.target, 0)} {r.meetsTarget === null ? '' : r.meetsTarget ? `✓ ${t('coverage.table.meets')}` : `✗ ${t('coverage.table.below')}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!showAll && sorted.length > PAGE && (
        <button type="button" className="button button--secondary" onClick={() => setShowAll(true)}>
          {t('coverage.table.showAll', { count: sorted.length })}
        </button>
      )}
    </div>
  );
}
