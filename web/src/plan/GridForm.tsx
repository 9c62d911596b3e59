/**
 * The attribute form of one grid: name, type and dedicated kind, figures (or derived from the
 * buildings inside), grid leader and grid managers. Saves with the version it was read at: a
 * newer version on the server is refused (409) and the message says what changed. The grid leader
 * and each grid manager may be linked to a grid-worker account: that account then reports in the grid.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { describeError } from '../i18n/describe-error';
import { useApi } from '../api/useApi';
import { fetchBuildingFigures, updateGrid, type EditOutcome, type GridFeature } from './plan-api';
import { fetchGridWorkers, type GridWorkerAccount } from './staff-api';
import { enterDoesNotSubmit } from '../app/enter-safe';

const DEDICATED_KINDS = ['party_government', 'industrial_park', 'hospital', 'school', 'enterprise', 'market'] as const;

interface Staff { name: string; phone: string; userId: number | null }

type StaffMember = { name: string; phone: string | null; userId?: number | null };
const toStaff = (m: StaffMember | null | undefined): Staff => ({ name: m?.name ?? '', phone: m?.phone ?? '', userId: m?.userId ?? null });
const toInput = (s: Staff) => ({ name: s.name.trim(), phone: s.phone.trim() || null, userId: s.userId });

export interface GridFormProps {
  grid: GridFeature;
  onSaved(outcome: EditOutcome): void;
  onReload(): void;
}

export function GridForm({ grid, onSaved, onReload }: GridFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const p = grid.properties;
  const [name, setName] = useState(p.name);
  const [gridType, setGridType] = useState(p.gridType);
  const [dedicatedKind, setDedicatedKind] = useState<string>(p.dedicatedKind ?? 'school');
  const [figures, setFigures] = useState({ households: p.households, residents: p.residents, residents60Plus: p.residents60Plus, residents80Plus: p.residents80Plus });
  const [leader, setLeader] = useState<Staff>(toStaff(p.gridLeader));
  const [managers, setManagers] = useState<Staff[]>((p.gridManagers ?? []).map(toStaff));
  const workers = useApi((signal) => fetchGridWorkers(signal), []);
  // Where the figures come from: the sum of the buildings inside (not editable here), or entered.
  const fromBuildings = useApi(() => fetchBuildingFigures(p.id), [p.id, p.version]);
  const buildingCount = fromBuildings.data?.buildings ?? 0;
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string; conflict?: boolean } | null>(null);

  // Another grid, or a newer version of this one: start from what the server has.
  useEffect(() => {
    setName(p.name);
    setGridType(p.gridType);
    setDedicatedKind(p.dedicatedKind ?? 'school');
    setFigures({ households: p.households, residents: p.residents, residents60Plus: p.residents60Plus, residents80Plus: p.residents80Plus });
    setLeader(toStaff(p.gridLeader));
    setManagers((p.gridManagers ?? []).map(toStaff));
    setReason('');
    setMessage(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.id, p.version]);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setMessage(null);
    try {
      const outcome = await updateGrid(p.id, {
        version: p.version,
        name: name.trim(),
        gridType,
        dedicatedKind: gridType === 'dedicated' ? (dedicatedKind as (typeof DEDICATED_KINDS)[number]) : null,
        ...figures,
        gridLeader: leader.name.trim() ? toInput(leader) : null,
        gridManagers: managers.filter((m) => m.name.trim()).map(toInput),
        reason,
      });
      onSaved(outcome);
    } catch (failure) {
      const conflict = failure instanceof ApiError && failure.status === 409;
      setMessage({ kind: 'error', text: conflict ? t('plan.messages.conflict', { message: (failure as ApiError).message }) : describeError(failure, t), conflict });
    } finally {
      setSaving(false);
    }
  };

  const figureField = (key: keyof typeof figures, label: string) => (
    <label className="plan-field" htmlFor={`${id}-${key}`}>
      <span>{label}</span>
      <input id={`${id}-${key}`} type="number" min={0} step={1} value={figures[key]} readOnly={buildingCount > 0} onChange={(e) => setFigures((f) => ({ ...f, [key]: Math.max(0, Math.round(Number(e.target.value) || 0)) }))} />
    </label>
  );

  return (
    <form className="plan-section plan-form" onSubmit={save} onKeyDown={enterDoesNotSubmit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="plan-section__title">{t('plan.form.title', { code: p.code })}</h2>
      <p className="plan-muted">{t('plan.form.version', { version: p.version })}</p>
      <label className="plan-field" htmlFor={`${id}-name`}>
        <span>{t('plan.form.name')}</span>
        <input id={`${id}-name`} value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="plan-grid-2">
        <label className="plan-field" htmlFor={`${id}-type`}>
          <span>{t('plan.form.gridType')}</span>
          <select id={`${id}-type`} value={gridType} onChange={(e) => setGridType(e.target.value as typeof gridType)}>
            <option value="comprehensive">{t('plan.form.gridTypes.comprehensive')}</option>
            <option value="dedicated">{t('plan.form.gridTypes.dedicated')}</option>
          </select>
        </label>
        {gridType === 'dedicated' && (
          <label className="plan-field" htmlFor={`${id}-kind`}>
            <span>{t('plan.form.dedicatedKind')}</span>
            <select id={`${id}-kind`} value={dedicatedKind} onChange={(e) => setDedicatedKind(e.target.value)}>
              {DEDICATED_KINDS.map((k) => <option key={k} value={k}>{t(`plan.form.dedicatedKinds.${k}`)}</option>)}
            </select>
          </label>
        )}
      </div>
      <div className="plan-grid-2">
        {figureField('households', t('plan.form.households'))}
        {figureField('residents', t('plan.form.residents'))}
        {figureField('residents60Plus', t('plan.form.age60'))}
        {figureField('residents80Plus', t('plan.form.age80'))}
      </div>
      <p className="plan-muted" data-testid="figures-source">
        {fromBuildings.data ? (buildingCount > 0 ? t('plan.form.figuresFromBuildings', { buildings: buildingCount }) : t('plan.form.figuresEntered')) : ''}
      </p>

      <fieldset className="plan-fieldset">
        <legend>{t('plan.form.leader')}</legend>
        <div className="plan-grid-2">
          <label className="plan-field" htmlFor={`${id}-leader`}>
            <span>{t('plan.form.leaderName')}</span>
            <input id={`${id}-leader`} value={leader.name} maxLength={50} onChange={(e) => setLeader((l) => ({ ...l, name: e.target.value }))} />
          </label>
          <label className="plan-field" htmlFor={`${id}-leader-phone`}>
            <span>{t('plan.form.leaderPhone')}</span>
            <input id={`${id}-leader-phone`} value={leader.phone} inputMode="tel" pattern="[0-9+\-]{5,20}" onChange={(e) => setLeader((l) => ({ ...l, phone: e.target.value }))} />
          </label>
        </div>
        <AccountSelect
          label={t('gridStaff.leaderAccount')}
          value={leader.userId}
          workers={workers.data}
          onChange={(userId, account) => setLeader((l) => ({ ...l, userId, name: l.name || account?.displayName || '' }))}
        />
      </fieldset>
      <fieldset className="plan-fieldset">
        <legend>{t('plan.form.managers')}</legend>
        {managers.map((m, i) => (
          <div className="plan-grid-3" key={i}>
            <input aria-label={t('plan.form.managerName', { n: i + 1 })} value={m.name} maxLength={50} onChange={(e) => setManagers((list) => list.map((x, k) => (k === i ? { ...x, name: e.target.value } : x)))} />
            <input aria-label={t('plan.form.managerPhone', { n: i + 1 })} value={m.phone} inputMode="tel" pattern="[0-9+\-]{5,20}" onChange={(e) => setManagers((list) => list.map((x, k) => (k === i ? { ...x, phone: e.target.value } : x)))} />
            <button type="button" className="button button--small button--quiet" aria-label={t('plan.form.removeManager', { n: i + 1 })} onClick={() => setManagers((list) => list.filter((_, k) => k !== i))}>×</button>
            <AccountSelect
              label={t('gridStaff.managerAccount', { n: i + 1 })}
              value={m.userId}
              workers={workers.data}
              onChange={(userId, account) => setManagers((list) => list.map((x, k) => (k === i ? { ...x, userId, name: x.name || account?.displayName || '' } : x)))}
            />
          </div>
        ))}
        <button type="button" className="button button--small" onClick={() => setManagers((list) => [...list, { name: '', phone: '', userId: null }])}>{t('plan.form.addManager')}</button>
        <p className="plan-muted">{t('gridStaff.accountHint')}</p>
      </fieldset>
      <label className="plan-field" htmlFor={`${id}-reason`}>
        <span>{t('plan.tools.reason')}</span>
        <input id={`${id}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>
      {message && (
        <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
          {message.conflict && (
            <button type="button" className="link-button" onClick={onReload}> {t('plan.form.reload')}</button>
          )}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={saving}>{saving ? t('plan.form.saving') : t('plan.form.save')}</button>
    </form>
  );
}

/**
 * The grid-worker account a post is linked to. An account that is no longer linkable (disabled,
 * another role) but still linked stays listed, so that saving does not drop the link unasked.
 */
function AccountSelect({ label, value, workers, onChange }: {
  label: string;
  value: number | null;
  workers: GridWorkerAccount[] | null;
  onChange(userId: number | null, account: GridWorkerAccount | null): void;
}) {
  const { t } = useTranslation();
  const known = workers ?? [];
  const missing = value !== null && !known.some((w) => w.id === value);
  return (
    <select className="plan-staff-account" aria-label={label} value={value ?? ''} onChange={(e) => {
      const userId = e.target.value ? Number(e.target.value) : null;
      onChange(userId, known.find((w) => w.id === userId) ?? null);
    }}>
      <option value="">{t('gridStaff.noAccount')}</option>
      {missing && <option value={value}>#{value}</option>}
      {known.map((w) => <option key={w.id} value={w.id}>{w.displayName}（{w.username}）</option>)}
    </select>
  );
}
