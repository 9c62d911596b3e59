import { useTranslation } from 'react-i18next';
import type { SourceCrs } from '../../../server/shared/coordinates';

/** The coordinate systems an upload may be in, as the server's imports take them. */
export const SOURCE_CRS_OPTIONS: readonly SourceCrs[] = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'];

/** The `<option>`s of a coordinate-system select, named in the UI's language. */
export function CrsOptions() {
  const { t } = useTranslation();
  return (
    <>
      {SOURCE_CRS_OPTIONS.map((c) => (
        <option key={c} value={c}>
          {t(`coverage.siting.crsNames.${c}`)}
        </option>
      ))}
    </>
  );
}
