import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { FacilityFeature, FacilityTypeCode } from '../api/endpoints';
import { FACILITY_COLOURS } from './facility-colours';

/** At most this many matches are listed; the map shows them all. */
const MAX_LISTED = 30;

export interface SearchBoxProps {
  query: string;
  onQueryChange(query: string): void;
  /** The matches for the current (debounced) query, or null while there is no query. */
  results: readonly FacilityFeature[] | null;
  searching: boolean;
  typeName(code: FacilityTypeCode): string;
  onChoose(facility: FacilityFeature): void;
}

export function SearchBox({ query, onQueryChange, results, searching, typeName, onChoose }: SearchBoxProps) {
  const { t } = useTranslation();
  const inputId = useId();
  const listed = results?.slice(0, MAX_LISTED) ?? [];
  return (
    <section className="panel-section search-box">
      <label htmlFor={inputId} className="field-label">
        {t('search.label')}
      </label>
      <div className="search-box__row">
        <input
          id={inputId}
          type="search"
          value={query}
          placeholder={t('search.placeholder')}
          maxLength={100}
          autoComplete="off"
          onChange={(event) => onQueryChange(event.target.value)}
        />
        {query && (
          <button type="button" className="button button--quiet" onClick={() => onQueryChange('')}>
            {t('search.clear')}
          </button>
        )}
      </div>
      {query.trim() && (
        <div className="search-box__results">
          {searching && (
            <p role="status" className="muted">
              {t('search.searching')}
            </p>
          )}
          {!searching && results && (
            <p role="status" className="muted">
              {results.length === 0 ? t('search.none', { q: query.trim() }) : t('search.count', { count: results.length })}
            </p>
          )}
          {listed.length > 0 && (
            <ul className="facility-list" aria-label={t('search.results')}>
              {listed.map((facility) => (
                <li key={facility.properties.id}>
                  <button type="button" className="facility-list__item" onClick={() => onChoose(facility)}>
                    <span className="swatch" style={{ background: FACILITY_COLOURS[facility.properties.facilityType] }} aria-hidden="true" />
                    <span className="facility-list__text">
                      <span className="facility-list__name">{facility.properties.name}</span>
                      <span className="facility-list__meta">
                        {typeName(facility.properties.facilityType)} · {facility.properties.address}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {results && results.length > MAX_LISTED && <p className="muted">{t('search.more', { shown: MAX_LISTED })}</p>}
        </div>
      )}
    </section>
  );
}
