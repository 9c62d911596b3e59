/**
 * 实有人口导入 in /plan: load a resident register, see the match rate and the unmatched addresses
 * (masked: compound and building, never a room or a name), assign an unmatched address to a
 * building by clicking it on the map, then import all or nothing with progress.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, loadRefusalCatalogue, problemText, refusalError } from '../api/client';
import { followJob } from '../api/jobs';
import { describeError } from '../i18n/describe-error';
import type { MapView } from '../map/MapView';
import { fetchCommunityBuildings, fetchRegisterJob, previewRegister, startRegisterCommit, type Assignment, type CommunityBuilding, type RegisterJob, type RegisterSummary } from './api';
import { BuildingPicker } from './building-picker';
import { FileButton } from '../imports-ui/FileButton';

/** A row problem of the register: said in the UI's language from its code and params (problemText). */
interface RowError { row: number; column: string; message: string; code?: string; params?: Record<string, unknown> }

export function RegisterImportPanel({ view, onImported }: { view: MapView | null; onImported(): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [summary, setSummary] = useState<RegisterSummary | null>(null);
  const [assignments, setAssignments] = useState<Assignment[]>([]);
  const [picking, setPicking] = useState<string | null>(null);
  const [hovered, setHovered] = useState<CommunityBuilding | null>(null);
  const [job, setJob] = useState<RegisterJob | null>(null);
  const [rowErrors, setRowErrors] = useState<{ errors: RowError[]; count: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const picker = useRef<BuildingPicker | null>(null);

  useEffect(() => {
    if (!view) return;
    const created = new BuildingPicker(view);
    picker.current = created;
    return () => {
      created.stop();
      picker.current = null;
    };
  }, [view]);

  const fail = async (failure: unknown) => {
    const details = failure instanceof ApiError ? (failure.details as { errors?: RowError[]; errorCount?: number } | undefined) : undefined;
    if (details?.errors) {
      await loadRefusalCatalogue();
      setRowErrors({ errors: details.errors, count: details.errorCount ?? details.errors.length });
    }
    setMessage({ kind: 'error', text: describeError(failure, t) });
  };

  const runPreview = async (next: Assignment[]) => {
    if (!file) return;
    setBusy(true);
    setMessage(null);
    setRowErrors(null);
    try {
      setSummary(await previewRegister(file, next));
    } catch (failure) {
      setSummary(null);
      await fail(failure);
    } finally {
      setBusy(false);
    }
  };

  const assign = async (addressKey: string, communityCode: string, address: string) => {
    if (!picker.current) return;
    try {
      const buildings = await fetchCommunityBuildings(communityCode);
      if (buildings.length === 0) return setMessage({ kind: 'error', text: t('register.noBuildings') });
      setPicking(address);
      picker.current.pick(buildings, (building) => {
        setPicking(null);
        setHovered(null);
        const next = [...assignments.filter((a) => a.addressKey !== addressKey), { addressKey, buildingId: building.id, buildingName: building.name }];
        setAssignments(next);
        void runPreview(next);
      }, setHovered);
    } catch (failure) {
      await fail(failure);
    }
  };

  const undo = (addressKey: string) => {
    const next = assignments.filter((a) => a.addressKey !== addressKey);
    setAssignments(next);
    void runPreview(next);
  };

  const commit = async () => {
    if (!file) return;
    setBusy(true);
    setMessage(null);
    try {
      const current = await followJob(await startRegisterCommit(file, assignments), fetchRegisterJob, setJob);
      if (current.status === 'failed') throw refusalError(current.errorStatus ?? 500, current.error ?? '', current.errorDetails, current.errorCode, current.errorParams);
      const r = current.result!;
      setSummary(null);
      setAssignments([]);
      setMessage({ kind: 'info', text: t('register.done', { residents: r.residents - r.unmatchedResidents, buildings: r.buildingsWithResidents, grids: r.gridsRecounted }) });
      onImported();
    } catch (failure) {
      await fail(failure);
    } finally {
      setJob(null);
      setBusy(false);
    }
  };

  const assignedFor = (key: string) => assignments.find((a) => a.addressKey === key);
  const pendingAssigned = assignments.filter((a) => !summary?.unmatched.some((u) => u.addressKey === a.addressKey));
  return (
    <section className="plan-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="plan-section__title">{t('register.title')}</h2>
      <p className="plan-muted">{t('register.intro')}</p>
      <FileButton className="plan-field" label={t('register.file')} accept=".xlsx,.csv" file={file}
        onChange={(f) => { setFile(f); setSummary(null); setAssignments([]); setRowErrors(null); setMessage(null); }} />
      <div className="button-row">
        <button type="button" className="button" disabled={!file || busy} onClick={() => runPreview(assignments)}>{t('register.preview')}</button>
        {summary && (
          <button type="button" className="button button--primary" disabled={busy} onClick={commit}>
            {t('register.commit', { buildings: summary.buildingsWithResidents })}
          </button>
        )}
      </div>
      {job && <p className="notice" role="status"><progress max={job.progress.total || undefined} value={job.progress.total ? job.progress.done : undefined} /> {t('register.progress', { stage: t(`register.stages.${job.progress.stage}`, { defaultValue: job.progress.stage }), done: job.progress.done || '' })}</p>}
      {summary && (
        <div className="plan-import-summary" role="status" data-testid="register-summary">
          <p>{t('register.summary', {
            residents: summary.residents, rate: (summary.matchRate * 100).toFixed(1), exact: summary.matched.exact,
            normalised: summary.matched.normalised, assigned: summary.matched.assigned, unmatched: summary.unmatchedResidents,
          })}</p>
          <p>{t('register.totals', { households: summary.totals.households, residents: summary.totals.residents, s60: summary.totals.residents60Plus, s80: summary.totals.residents80Plus, emptied: summary.buildingsEmptied })}</p>
          {(summary.unmatched.length > 0 || pendingAssigned.length > 0) && (
            <>
              <h3 className="plan-subtitle">{t('register.unmatchedTitle', { count: summary.unmatchedAddresses })}</h3>
              <p className="plan-muted">{t('register.unmatchedHint')}</p>
              <ul className="plan-import-errors" aria-label={t('register.unmatchedTitle', { count: summary.unmatchedAddresses })}>
                {summary.unmatched.map((u) => (
                  <li key={u.addressKey}>
                    {t('register.unmatchedRow', { address: u.address, residents: u.residents })}{' '}
                    {assignedFor(u.addressKey)
                      ? <>{t('register.assigned', { building: assignedFor(u.addressKey)!.buildingName })} <button type="button" className="button button--small" onClick={() => undo(u.addressKey)}>{t('register.undo')}</button></>
                      : <button type="button" className="button button--small" disabled={busy || !view} onClick={() => assign(u.addressKey, u.communityCode, u.address)}>{t('register.assign')}</button>}
                  </li>
                ))}
              </ul>
            </>
          )}
          {pendingAssigned.length > 0 && (
            <ul>
              {pendingAssigned.map((a) => (
                <li key={a.addressKey}>{t('register.assignedAddress', { compound: a.addressKey.split('|')[1], building: a.addressKey.split('|')[2] })} {t('register.assigned', { building: a.buildingName })} <button type="button" className="button button--small" onClick={() => undo(a.addressKey)}>{t('register.undo')}</button></li>
              ))}
            </ul>
          )}
        </div>
      )}
      {picking && (
        <p className="notice" role="status">
          {t('register.picking', { address: picking })}{' '}
          {hovered && <strong>{t('register.hovered', { building: hovered.name, residents: hovered.residents })}</strong>}{' '}
          <button type="button" className="button button--small" onClick={() => { picker.current?.stop(); setPicking(null); setHovered(null); }}>{t('register.cancelPick')}</button>
        </p>
      )}
      {rowErrors && (
        <>
          <h3 className="plan-subtitle">{t('register.errorsTitle', { count: rowErrors.count })}</h3>
          <ul className="plan-import-errors">
            {rowErrors.errors.map((e, i) => <li key={i}>{t('register.error', { row: e.row, column: e.column, message: problemText(e) })}</li>)}
          </ul>
        </>
      )}
      {message && <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
    </section>
  );
}
