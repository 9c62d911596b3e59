/**
 * The searchable, sortable list of facilities beside the map on `/facilities`: name, type,
 * community and status; a row selects the facility (the page flies to it and opens its form).
 * The export links hand the same filter to `GET /api/facilities/export`.
 */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { buildUrl } from '../api/client';
import { fetchFacilities, type FacilityFeature, type FacilityTypeCode } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { FACILITY_COLOURS } from '../public-map/facility-colours';
import { useDebouncedValue } from '../public-map/useDebouncedValue';
import { formatCount } from '../i18n/format-number';

type SortKey = 'name' | 'type' | 'community' | 'status';
const EXPORT_FORMATS = [
  { format: 'xlsx', label: 'Excel' },
  { format: 'geojson', label: 'GeoJSON' },
  { format: 'shp', label: 'Shapefile' },
  { format: 'gpkg', label: 'GeoPackage' },
] as const;

interface Props {
  /** The types the map shows (the list follows the same filter). */
  types: readonly FacilityTypeCode[] | null;
  typeName(code: FacilityTypeCode): string;
  selectedId: number | null;
  /** Changes after every edit, so that the list reloads. */
  revision: number;
  onSelect(feature: FacilityFeature): void;
}

export function FacilityList({ types, typeName, selectedId, revision, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [query, setQuery] = useState('');
  // The list holds every facility of the shown types, so the search filters it as one types
  // (the same test as the server's `q`: a part of the name or the address); the export links
  // carry the text once typing pauses.
  const search = query.trim();
  const q = useDebouncedValue(search, 250);
  const [sort, setSort] = useState<{ key: SortKey; ascending: boolean }>({ key: 'name', ascending: true });
  const typeKey = types ? [...types].sort().join(',') : '';
  const list = useApi((signal) => fetchFacilities({ types: types ?? undefined }, signal), [typeKey, revision]);
  const collator = useMemo(() => new Intl.Collator(i18n.language === 'en' ? 'en' : 'zh-CN'), [i18n.language]);

  const rows = useMemo(() => {
    const features = (list.data?.features ?? []).filter((f) => !search || f.properties.name.includes(search) || f.properties.address.includes(search));
    const value = (f: FacilityFeature): string => {
      const p = f.properties;
      if (sort.key === 'type') return typeName(p.facilityType);
      if (sort.key === 'community') return p.communityName ?? '\uffff';
      if (sort.key === 'status') return p.isPublic === false ? '1' : '0';
      return p.name;
    };
    const sorted = [...features].sort((a, b) => collator.compare(value(a), value(b)) || collator.compare(a.properties.name, b.properties.name));
    return sort.ascending ? sorted : sorted.reverse();
  }, [list.data, search, sort, typeName, collator]);

  const header = (key: SortKey) => {
    const column = t(`coverage.facilities.list.columns.${key}`);
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="fa-list__sort" title={t('coverage.facilities.list.sortBy', { column })}
          onClick={() => setSort({ key, ascending: active ? !sort.ascending : true })}>
          {column}
          <span aria-hidden="true">{active ? (sort.ascending ? ' ▲' : ' ▼') : ''}</span>
        </button>
      </th>
    );
  };
  const exportQuery = { q: q || undefined, type: types && types.length ? types.join(',') : undefined };

  return (
    <section className="coverage-section fa-list" aria-label={t('coverage.facilities.list.label')}>
      <h2 className="coverage-section__title">{t('coverage.facilities.list.title')}</h2>
      <div className="fa-list__search">
        <input id={`${id}-q`} type="search" aria-label={t('coverage.facilities.search')} placeholder={t('coverage.facilities.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <p className="coverage-muted" role="status">
        {list.loading && !list.data ? t('coverage.facilities.list.loading') : t('coverage.facilities.list.shown', { count: rows.length, formatted: formatCount(rows.length) })}
      </p>
      <div className="fa-list__scroll">
        <table className="fa-list__table">
          <thead>
            <tr>{header('name')}{header('type')}{header('community')}{header('status')}</tr>
          </thead>
          <tbody>
            {rows.map((f) => (
              <tr key={f.properties.id} className={f.properties.id === selectedId ? 'is-selected' : undefined} aria-selected={f.properties.id === selectedId}
                onClick={() => onSelect(f)}>
                <td>
                  <button type="button" className="fa-list__name" onClick={(e) => (e.stopPropagation(), onSelect(f))}>{f.properties.name}</button>
                </td>
                <td><i className="fa-swatch" style={{ background: FACILITY_COLOURS[f.properties.facilityType] }} aria-hidden="true" /> {typeName(f.properties.facilityType)}</td>
                <td>{f.properties.communityName ?? t('coverage.facilities.list.noCommunity')}</td>
                <td>{f.properties.isPublic === false ? t('coverage.facilities.list.hidden') : t('coverage.facilities.list.public')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data && rows.length === 0 && <p className="coverage-muted">{t('coverage.facilities.list.none')}</p>}
      </div>
      <p className="fa-list__export">
        {t('coverage.facilities.list.export')}
        {EXPORT_FORMATS.map(({ format, label }) => (
          <a key={format} href={buildUrl('/api/facilities/export', { format, ...exportQuery })} download aria-label={t('coverage.facilities.list.exportLabel', { format: label })}>{label}</a>
        ))}
      </p>
    </section>
  );
}
