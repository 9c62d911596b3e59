/** The preview's warning that the points look like GCJ-02/BD-09 read as WGS84, with the fix one click away. */
import './imports.css';
import { useTranslation } from 'react-i18next';

export interface CrsHint {
  suggested: 'gcj02' | 'bd09';
  medianAsRead: number;
  medianSuggested: number;
  shareNearer: number;
  shiftMeters: number;
}

export function CrsHintNotice({ hint, onUse }: { hint: CrsHint | null | undefined; onUse(system: 'gcj02' | 'bd09'): void }) {
  const { t } = useTranslation();
  if (!hint) return null;
  const system = t(`imports.hintSystems.${hint.suggested}`);
  return (
    <div className="crs-hint" role="alert">
      <p>{t('imports.hint', { system, asRead: hint.medianAsRead, suggested: hint.medianSuggested, share: Math.round(hint.shareNearer * 100), shift: hint.shiftMeters })}</p>
      <button type="button" className="button button--small" onClick={() => onUse(hint.suggested)}>{t('imports.useSuggested', { system })}</button>
    </div>
  );
}
