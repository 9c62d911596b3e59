/**
 * The coordinate system of an upload. Vector files: "as the file says" by default, since most
 * state theirs (a file that does not is refused and the form then asks). Tables: no default —
 * a table never says, so the user chooses before the preview. A projected system is given by
 * its EPSG code (Gauss-Krüger zones of CGCS2000), reprojected by the server.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

export type CrsValue = '' | 'auto' | 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09' | `EPSG:${string}`;

export interface CrsChoiceProps {
  value: CrsValue;
  onChange(value: CrsValue): void;
  /** 'vector': auto and EPSG codes offered; 'table': a named system must be chosen. */
  kind: 'vector' | 'table';
  /** The server asked for a choice: the select is marked and says why. */
  needed?: boolean;
  className?: string;
  /** The field's label when the form names it more precisely than "坐标系". */
  label?: string;
}

const NAMED = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;

export function CrsChoice({ value, onChange, kind, needed, className, label }: CrsChoiceProps) {
  const { t } = useTranslation();
  const id = useId();
  const isEpsg = value.startsWith('EPSG:');
  const select = isEpsg ? 'epsg' : value;
  return (
    <div className={className ?? 'plan-field'}>
      <label htmlFor={id}>{label ?? t('imports.crs')}</label>
      <select
        id={id}
        value={select}
        aria-invalid={needed || undefined}
        aria-describedby={needed ? `${id}-needed` : undefined}
        onChange={(e) => onChange(e.target.value === 'epsg' ? 'EPSG:' : (e.target.value as CrsValue))}
      >
        {kind === 'vector' ? <option value="auto">{t('imports.crsOptions.auto')}</option> : <option value="" disabled>{t('imports.crsOptions.choose')}</option>}
        {NAMED.map((c) => <option key={c} value={c}>{t(`imports.crsOptions.${c}`)}</option>)}
        {kind === 'vector' && <option value="epsg">{t('imports.crsOptions.epsg')}</option>}
      </select>
      {isEpsg && (
        <>
          <label htmlFor={`${id}-epsg`}>{t('imports.epsg')}</label>
          <input id={`${id}-epsg`} inputMode="numeric" pattern="[0-9]{4,6}" value={value.slice(5)} placeholder="4527"
            aria-describedby={`${id}-epsg-help`} onChange={(e) => onChange(`EPSG:${e.target.value.replace(/\D/g, '')}`)} />
          <span className="file-button__help" id={`${id}-epsg-help`}>{t('imports.epsgHelp')}</span>
        </>
      )}
      {needed && <span className="crs-needed" id={`${id}-needed`} role="alert">{t(kind === 'vector' ? 'imports.needsCrs' : 'imports.tableCrs')}</span>}
    </div>
  );
}

/** Whether a server error asked for the coordinate system (details.needsCrs). */
export function asksForCrs(failure: unknown): boolean {
  const details = (failure as { details?: unknown } | null)?.details;
  return typeof details === 'object' && details !== null && (details as { needsCrs?: unknown }).needsCrs === true;
}
