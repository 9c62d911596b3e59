/**
 * Import of grid leaders and grid managers from a table (CSV or Excel): preview every row with
 * its problems (row and column), see each grid's staff before and after, then import all or
 * nothing. The file replaces the staff of every grid it names.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/describe-error';
import { loadRefusalCatalogue, problemText } from '../api/client';
import { FileButton } from '../imports-ui/FileButton';
import { commitStaffImport, previewStaffImport, type StaffImportPreview } from './staff-api';

/** Rows listed in the preview table (the problems are all listed). */
const MAX_LISTED_ROWS = 200;

export function StaffImportPanel({ onImported }: { onImported(): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<StaffImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  const run = async (step: 'preview' | 'commit') => {
    if (!file) return;
    setBusy(true);
    setMessage(null);
    try {
      if (step === 'preview') {
        const checked = await previewStaffImport(file);
        // Row problems are said in the UI's language from their codes: the catalogue first.
        if (checked.errors.length > 0) await loadRefusalCatalogue();
        setPreview(checked);
      }
      else {
        const result = await commitStaffImport(file, reason);
        setPreview(null);
        setMessage({ kind: 'info', text: t('gridStaff.import.done', { ...result }) });
        onImported();
      }
    } catch (failure) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  const rowsWithErrors = new Set(preview?.errors.map((e) => e.row));
  return (
    <section className="plan-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="plan-section__title">{t('gridStaff.import.title')}</h2>
      <p className="plan-muted">{t('gridStaff.import.intro')}</p>
      <FileButton label={t('gridStaff.import.file')} accept=".xlsx,.xls,.ods,.csv" file={file}
        onChange={(f) => { setFile(f); setPreview(null); setMessage(null); }} />
      {preview && preview.errors.length === 0 && (
        <label className="plan-field" htmlFor={`${id}-reason`}>
          <span>{t('gridStaff.import.reason')}</span>
          <input id={`${id}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      <div className="button-row">
        <button type="button" className="button" disabled={!file || busy} onClick={() => run('preview')}>{t('gridStaff.import.preview')}</button>
        {preview && (
          <button type="button" className="button button--primary" disabled={preview.errors.length > 0 || busy} onClick={() => run('commit')}>
            {t('gridStaff.import.commit', { count: preview.grids.length })}
          </button>
        )}
      </div>
      {preview && (
        <div className="plan-import-summary" role="status">
          <p>{t('gridStaff.import.summary', { rows: preview.rows.length, grids: preview.grids.length, errors: preview.errors.length })}</p>
          {preview.errors.length > 0 && (
            <>
              <p className="error-box">{t('gridStaff.import.blocked')}</p>
              <h3 className="plan-subtitle">{t('gridStaff.import.errorsTitle')}</h3>
              <ul className="plan-import-errors">
                {preview.errors.map((e, i) => <li key={i}>{t('gridStaff.import.error', { row: e.row, column: e.column, message: problemText(e) })}</li>)}
              </ul>
            </>
          )}
          {preview.grids.length > 0 && (
            <>
              <h3 className="plan-subtitle">{t('gridStaff.import.gridsTitle')}</h3>
              <table className="plan-table">
                <thead>
                  <tr>
                    <th scope="col">{t('gridStaff.import.gridColumns.grid')}</th>
                    <th scope="col">{t('gridStaff.import.gridColumns.before')}</th>
                    <th scope="col">{t('gridStaff.import.gridColumns.after')}</th>
                    <th scope="col">{t('gridStaff.import.gridColumns.accounts')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.grids.map((g) => (
                    <tr key={g.code}>
                      <td>{g.code}<br /><span className="plan-muted">{g.name}</span></td>
                      <td>{t('gridStaff.import.staffCount', { leaders: g.currentLeaders, managers: g.currentManagers })}</td>
                      <td>{t('gridStaff.import.staffCount', { leaders: g.leaders, managers: g.managers })}</td>
                      <td>{g.linkedAccounts}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h3 className="plan-subtitle">{t('gridStaff.import.rowsTitle')}</h3>
          <table className="plan-table">
            <thead>
              <tr>
                <th scope="col">{t('gridStaff.import.columns.row')}</th>
                <th scope="col">{t('gridStaff.import.columns.grid')}</th>
                <th scope="col">{t('gridStaff.import.columns.name')}</th>
                <th scope="col">{t('gridStaff.import.columns.phone')}</th>
                <th scope="col">{t('gridStaff.import.columns.role')}</th>
                <th scope="col">{t('gridStaff.import.columns.username')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.slice(0, MAX_LISTED_ROWS).map((r) => (
                <tr key={r.row} className={rowsWithErrors.has(r.row) ? 'is-error' : undefined}>
                  <td>{r.row}</td>
                  <td>{r.gridCode}</td>
                  <td>{r.name}</td>
                  <td>{r.phone ?? ''}</td>
                  <td>{r.role ? t(`gridStaff.import.roles.${r.role}`) : ''}</td>
                  <td>{r.username ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.rows.length > MAX_LISTED_ROWS && <p className="plan-muted">{t('gridStaff.import.moreRows', { count: preview.rows.length - MAX_LISTED_ROWS })}</p>}
        </div>
      )}
      {message && <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
    </section>
  );
}
