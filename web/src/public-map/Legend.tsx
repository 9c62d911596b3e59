import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FacilityTypeCode, FacilityTypeInfo } from '../api/endpoints';
import { FACILITY_COLOURS } from './facility-colours';

/** The map legend: one swatch per facility type and the boundaries. Folded on small screens. */
export function Legend({ types, typeName }: { types: readonly FacilityTypeInfo[]; typeName(code: FacilityTypeCode): string }) {
  const { t } = useTranslation();
  // Open only where it leaves the map room enough; elsewhere it is one tap away.
  const [open] = useState(() => window.matchMedia('(min-width: 1000px) and (min-height: 880px)').matches);
  return (
    <details className="map-legend" open={open}>
      <summary>{t('legend.title')}</summary>
      <ul>
        {types.map((type) => (
          <li key={type.code}>
            <span className="swatch swatch--round" style={{ background: FACILITY_COLOURS[type.code] }} aria-hidden="true" />
            {typeName(type.code)}
          </li>
        ))}
        <li>
          <span className="swatch swatch--street" aria-hidden="true" />
          {t('legend.street')}
        </li>
        <li>
          <span className="swatch swatch--community" aria-hidden="true" />
          {t('legend.community')}
        </li>
      </ul>
    </details>
  );
}
