import { wholeMinutes } from '../i18n/format-number';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { FacilityTypeCode, FacilityTypeInfo, NearestFeature } from '../api/endpoints';
import type { LonLat } from '../map/MapView';
import { FACILITY_COLOURS } from './facility-colours';

export interface NearestState {
  origin: 'pick' | 'geolocation';
  point: LonLat;
}

export interface NearestPanelProps {
  types: readonly FacilityTypeInfo[];
  /** '' for any type. */
  nearestType: FacilityTypeCode | '';
  onNearestTypeChange(type: FacilityTypeCode | ''): void;
  picking: boolean;
  onPickingChange(picking: boolean): void;
  locating: boolean;
  onMyLocation(): void;
  nearest: NearestState | null;
  results: readonly NearestFeature[] | null;
  searching: boolean;
  error: string | null;
  onChoose(facility: NearestFeature): void;
  onClear(): void;
  typeName(code: FacilityTypeCode): string;
}

export function NearestPanel(props: NearestPanelProps) {
  const { t, i18n } = useTranslation();
  const typeSelectId = useId();
  const answerRef = useRef<HTMLDivElement>(null);
  // On a phone, bring a new answer into view: the bottom sheet would otherwise hide it.
  useEffect(() => {
    if (!props.results || props.searching || !window.matchMedia('(max-width: 700px)').matches) return;
    answerRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [props.results, props.searching]);
  const number = (value: number, digits = 0) => value.toLocaleString(i18n.language, { maximumFractionDigits: digits });
  return (
    <section className="panel-section nearest-panel">
      <h2 className="section-title">{t('nearest.title')}</h2>
      <div className="field">
        <label htmlFor={typeSelectId} className="field-label">
          {t('nearest.type')}
        </label>
        <select id={typeSelectId} value={props.nearestType} onChange={(event) => props.onNearestTypeChange(event.target.value as FacilityTypeCode | '')}>
          <option value="">{t('nearest.anyType')}</option>
          {props.types.map((type) => (
            <option key={type.code} value={type.code}>
              {props.typeName(type.code)}
            </option>
          ))}
        </select>
      </div>
      <div className="button-row">
        <button type="button" className="button button--primary" onClick={props.onMyLocation} disabled={props.locating}>
          {t('nearest.myLocation')}
        </button>
        <button type="button" className="button" aria-pressed={props.picking} onClick={() => props.onPickingChange(!props.picking)}>
          {props.picking ? t('nearest.cancelPick') : t('nearest.pickPoint')}
        </button>
        {props.nearest && (
          <button type="button" className="button button--quiet" onClick={props.onClear}>
            {t('nearest.clear')}
          </button>
        )}
      </div>
      <div aria-live="polite">
        {props.picking && <p className="hint">{t('nearest.pickHint')}</p>}
        {props.locating && <p className="muted">{t('nearest.locating')}</p>}
        {props.searching && <p className="muted">{t('nearest.searching')}</p>}
      </div>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {props.nearest && props.results && !props.searching && (
        <div ref={answerRef} className="nearest-answer">
          <p className="muted">
            {t(props.nearest.origin === 'geolocation' ? 'nearest.fromMyLocation' : 'nearest.fromPoint', {
              lon: props.nearest.point[0].toFixed(5),
              lat: props.nearest.point[1].toFixed(5),
            })}
          </p>
          {props.results.length === 0 ? (
            <p className="muted">{t('nearest.none')}</p>
          ) : (
            <ol className="facility-list nearest-list" aria-label={t('nearest.results')}>
              {props.results.map((facility, index) => (
                <li key={facility.properties.id}>
                  <button type="button" className="facility-list__item" onClick={() => props.onChoose(facility)}>
                    <span className="rank" style={{ borderColor: FACILITY_COLOURS[facility.properties.facilityType] }} aria-hidden="true">
                      {index + 1}
                    </span>
                    <span className="facility-list__text">
                      <span className="facility-list__name">{facility.properties.name}</span>
                      <span className="facility-list__meta">
                        {props.typeName(facility.properties.facilityType)}
                      </span>
                      <span className="facility-list__distance">
                        <strong>{t('nearest.distance', { distance: number(facility.properties.distanceMeters) })}</strong>
                        {' · '}
                        {facility.properties.distanceMethod === 'network'
                          ? t('nearest.walkingNetwork', { meters: number(facility.properties.walkingMeters), minutes: wholeMinutes(facility.properties.walkingMinutes) })
                          : t('nearest.walking', { minutes: wholeMinutes(facility.properties.walkingMinutes) })}
                        {facility.properties.withinServiceRadius && <span className="badge">{t('nearest.withinCircle')}</span>}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          )}
          <p className="note">{props.results?.some((f) => f.properties.distanceMethod === 'network') ? t('nearest.networkNote') : t('nearest.estimateNote')}</p>
        </div>
      )}
    </section>
  );
}
