import { wholeMinutes } from '../i18n/format-number';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FacilityFeature, FacilityTypeCode, NearestFeature, ServiceAreaFeature } from '../api/endpoints';
import { FACILITY_COLOURS } from './facility-colours';

/** Walking speed behind "15 minutes ≈ 1,000 m" (GB 50180-2018), as the server uses. */
const WALKING_METERS_PER_MINUTE = 1000 / 15;

export interface FacilityDetailProps {
  facility: FacilityFeature;
  /** False while only what the map's tile carries is known (name, type, services): the rest is on its way. */
  complete: boolean;
  /** Why the rest could not be loaded. */
  loadError: string | null;
  /** The same facility as a nearest result, when it was reached from one: its distance. */
  nearestResult: NearestFeature | null;
  serviceArea: ServiceAreaFeature | null;
  serviceAreaLoading: boolean;
  serviceAreaError: string | null;
  onToggleServiceArea(): void;
  onShowOnMap(): void;
  onBack(): void;
  typeName(code: FacilityTypeCode): string;
}

export function FacilityDetail(props: FacilityDetailProps) {
  const { t, i18n } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const p = props.facility.properties;
  const number = (value: number, digits = 0) => value.toLocaleString(i18n.language, { maximumFractionDigits: digits });

  // Move focus to the newly opened facility so keyboard and screen-reader users land on it.
  useEffect(() => headingRef.current?.focus(), [p.id]);

  const notProvided = <span className="muted">{t('detail.notProvided')}</span>;
  const loading = <span className="muted">{t('detail.loading')}</span>;
  /** A field the tile does not carry: shown once the facility has been fetched. */
  const later = (value: ReactNode) => (props.complete ? value : props.loadError ? notProvided : loading);
  return (
    <article className="panel-section facility-detail" aria-labelledby={`facility-${p.id}-name`}>
      <button type="button" className="button button--quiet back-button" onClick={props.onBack}>
        ← {t('detail.back')}
      </button>
      <h2 id={`facility-${p.id}-name`} ref={headingRef} tabIndex={-1} className="facility-detail__name">
        {p.name}
      </h2>
      <dl className="facility-detail__fields">
        <dt>{t('detail.type')}</dt>
        <dd>
          <span className="swatch swatch--round" style={{ background: FACILITY_COLOURS[p.facilityType] }} aria-hidden="true" />
          {props.typeName(p.facilityType)}
        </dd>
        <dt>{t('detail.address')}</dt>
        <dd>{later(p.address || notProvided)}</dd>
        <dt>{t('detail.services')}</dt>
        <dd>
          {p.services.length > 0 ? (
            <ul className="chips">
              {p.services.map((service) => (
                <li key={service} className="chip">
                  {service}
                </li>
              ))}
            </ul>
          ) : (
            notProvided
          )}
        </dd>
        <dt>{t('detail.openingHours')}</dt>
        <dd>{later(p.openingHours ?? notProvided)}</dd>
        <dt>{t('detail.phone')}</dt>
        <dd>{later(p.phone ? <a href={`tel:${p.phone.replace(/[^0-9+]/g, '')}`}>{p.phone}</a> : notProvided)}</dd>
      </dl>
      {props.loadError && (
        <p className="error" role="alert">
          {props.loadError}
        </p>
      )}
      {props.nearestResult && (
        <p className="muted">
          {t('detail.fromChosenPoint', {
            distance: number(props.nearestResult.properties.distanceMeters),
            minutes: wholeMinutes(props.nearestResult.properties.walkingMinutes),
          })}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="button button--primary" aria-pressed={props.serviceArea !== null} onClick={props.onToggleServiceArea} disabled={props.serviceAreaLoading}>
          {t('detail.showServiceArea')}
        </button>
        <button type="button" className="button" onClick={props.onShowOnMap}>
          {t('detail.showOnMap')}
        </button>
      </div>
      <div aria-live="polite">
        {props.serviceAreaLoading && <p className="muted">{t('detail.serviceAreaLoading')}</p>}
        {props.serviceArea && (
          <p className="service-area-note">
            <span className="swatch swatch--service-area" aria-hidden="true" />
            {props.serviceArea.properties.method === 'network'
              ? t('detail.walkAreaShown', { minutes: wholeMinutes(props.serviceArea.properties.walkMinutes ?? 0), meters: number(props.serviceArea.properties.radiusMeters) })
              : t('detail.serviceAreaShown', {
                radius: number(props.serviceArea.properties.radiusMeters),
                minutes: wholeMinutes(props.serviceArea.properties.radiusMeters / WALKING_METERS_PER_MINUTE),
              })}
          </p>
        )}
      </div>
      {props.serviceAreaError && (
        <p className="error" role="alert">
          {props.serviceAreaError}
        </p>
      )}
    </article>
  );
}
