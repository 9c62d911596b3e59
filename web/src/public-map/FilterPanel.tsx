import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { FacilityTypeCode, FacilityTypeInfo } from '../api/endpoints';
import { FACILITY_COLOURS } from './facility-colours';

export interface FilterPanelProps {
  types: readonly FacilityTypeInfo[];
  /** Types the user has switched off; empty means every type is shown. */
  hiddenTypes: ReadonlySet<FacilityTypeCode>;
  onHiddenTypesChange(hidden: ReadonlySet<FacilityTypeCode>): void;
  services: readonly string[];
  service: string;
  onServiceChange(service: string): void;
  typeName(code: FacilityTypeCode): string;
  /** Facilities per type in the whole (unfiltered) data, shown beside each checkbox. */
  countsByType: ReadonlyMap<FacilityTypeCode, number>;
}

export function FilterPanel(props: FilterPanelProps) {
  const { t } = useTranslation();
  const serviceId = useId();
  const toggle = (code: FacilityTypeCode, shown: boolean) => {
    const next = new Set(props.hiddenTypes);
    if (shown) next.delete(code);
    else next.add(code);
    props.onHiddenTypesChange(next);
  };
  return (
    <section className="panel-section filter-panel">
      <h2 className="section-title">{t('filters.title')}</h2>
      <fieldset className="type-filter">
        <legend className="field-label">{t('filters.types')}</legend>
        <div className="type-filter__actions">
          <button type="button" className="button button--small" onClick={() => props.onHiddenTypesChange(new Set())}>
            {t('filters.all')}
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => props.onHiddenTypesChange(new Set(props.types.map((type) => type.code)))}
          >
            {t('filters.none')}
          </button>
        </div>
        <ul className="type-filter__list">
          {props.types.map((type) => (
            <li key={type.code}>
              <label className="checkbox">
                <input type="checkbox" checked={!props.hiddenTypes.has(type.code)} onChange={(event) => toggle(type.code, event.target.checked)} />
                <span className="swatch" style={{ background: FACILITY_COLOURS[type.code] }} aria-hidden="true" />
                <span className="checkbox__label">{props.typeName(type.code)}</span>
                <span className="checkbox__count" aria-hidden="true">
                  {props.countsByType.get(type.code) ?? 0}
                </span>
              </label>
            </li>
          ))}
        </ul>
        {props.types.length > 0 && props.hiddenTypes.size >= props.types.length && (
          <p className="muted" role="status">
            {t('filters.noneSelected')}
          </p>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={serviceId} className="field-label">
          {t('filters.service')}
        </label>
        <select id={serviceId} value={props.service} onChange={(event) => props.onServiceChange(event.target.value)}>
          <option value="">{t('filters.anyService')}</option>
          {props.services.map((service) => (
            <option key={service} value={service}>
              {service}
            </option>
          ))}
        </select>
      </div>
    </section>
  );
}
