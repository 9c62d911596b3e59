/**
 * The code list of /areas: search the bundled national list and add a district or a whole city;
 * upload the bureau's own list (checked row by row, then added all or nothing); and the current
 * hierarchy city → district → street → community with its outline state and live grids, where a
 * street or community is added, renamed or retired (confirmed first; refusals in the UI language).
 */
import { useEffect, useMemo, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError, loadRefusalCatalogue, problemText } from '../api/client';
import { useApi } from '../api/useApi';
import { ErrorMessage } from '../app/ErrorMessage';
import { EmptyState, useHierarchyRoot, useReloadHierarchyRoot, useWholeName } from '../app/EmptyState';
import { describeError } from '../i18n/describe-error';
import './code-list.css';
import {
  addArea,
  addNational,
  commitCodeList,
  fetchHierarchy,
  previewCodeList,
  previewNational,
  renameArea,
  retireArea,
  searchNational,
  type AddSummary,
  type CodeListPreview,
  type HierarchyArea,
} from './code-list-api';
import { FileButton } from '../imports-ui/FileButton';

function summaryText(t: TFunction, s: Pick<AddSummary, 'added' | 'renamed' | 'unchanged'>): string {
  let text = t('areas.codeList.counts', s.added);
  if (s.renamed || s.unchanged) text += t('areas.codeList.summaryMore', { renamed: s.renamed, unchanged: s.unchanged });
  return text;
}

export function CodeListSection() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const reloadRoot = useReloadHierarchyRoot();
  const changed = () => {
    setVersion((n) => n + 1);
    reloadRoot();
  };
  return (
    <section className="areas-section code-list" aria-labelledby="code-list-title">
      <h2 id="code-list-title">{t('areas.codeList.title')}</h2>
      <p className="areas-section__intro">{t('areas.codeList.intro')}</p>
      <EmptyState needs={['areas', 'outlines']} reloadKey={version} />
      <div className="code-list__add">
        <NationalSearch onAdded={changed} version={version} />
        <OwnListUpload onAdded={changed} />
      </div>
      <HierarchyTable version={version} onChanged={changed} />
    </section>
  );
}

function NationalSearch({ onAdded, version }: { onAdded(): void; version: number }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);
  const results = useApi((signal) => searchNational(debounced, signal), [debounced, version], debounced.length > 0);
  const preview = useApi((signal) => previewNational(chosen!, signal), [chosen], chosen !== null);

  async function add(code: string) {
    setBusy(true);
    setError(null);
    try {
      const summary = await addNational(code);
      setDone(`${summary.source}: ${summaryText(t, summary)}`);
      setChosen(null);
      onAdded();
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="code-list__search">
      <label>
        {t('areas.codeList.search.label')}
        <input type="search" value={query} placeholder={t('areas.codeList.search.placeholder')} onChange={(e) => setQuery(e.target.value)} />
      </label>
      {results.error ? <ErrorMessage message={describeError(results.error, t)} /> : null}
      {debounced && results.data && results.data.matches.length === 0 ? <p className="areas-muted">{t('areas.codeList.search.none')}</p> : null}
      {debounced && results.data && results.data.matches.length > 0 ? (
        <ul className="code-list__matches" aria-label={t('areas.codeList.search.label')}>
          {results.data.matches.map((m) => (
            <li key={m.code}>
              <span className="code-list__code">{m.code}</span> <strong>{m.name}</strong>{' '}
              <span className="areas-muted">{m.level === 'city' ? t('areas.codeList.search.city', { count: m.districtCount ?? 0 }) : t('areas.codeList.search.district', { city: m.cityName ?? '' })}</span>{' '}
              {m.present ? (
                <span className="areas-muted">{t('areas.codeList.search.present')}</span>
              ) : (
                <button type="button" onClick={() => setChosen(m.code)} disabled={busy} aria-label={`${t('areas.codeList.search.add')} ${m.name}`}>
                  {t('areas.codeList.search.add')}
                </button>
              )}
              {chosen === m.code && preview.data ? (
                <div className="code-list__confirm">
                  <p>{t('areas.codeList.search.preview', { summary: summaryText(t, preview.data) })}</p>
                  <button type="button" onClick={() => add(m.code)} disabled={busy}>
                    {busy ? t('areas.codeList.search.adding') : t('areas.codeList.search.confirm')}
                  </button>{' '}
                  <button type="button" onClick={() => setChosen(null)} disabled={busy}>
                    {t('areas.codeList.search.cancel')}
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {preview.error ? <ErrorMessage message={describeError(preview.error, t)} /> : null}
      <ErrorMessage message={error} />
      {done ? (
        <p className="areas-ok" role="status">
          {done}
        </p>
      ) : null}
    </div>
  );
}

function OwnListUpload({ onAdded }: { onAdded(): void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CodeListPreview | null>(null);
  const [busy, setBusy] = useState<'check' | 'commit' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function check(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy('check');
    setError(null);
    setDone(null);
    try {
      const result = await previewCodeList(file);
      // Row errors are said in the UI's language from the refusal catalogue.
      if (result.errors.length > 0) await loadRefusalCatalogue();
      setPreview(result);
    } catch (failure) {
      setPreview(null);
      setError(describeError(failure, t));
    } finally {
      setBusy(null);
    }
  }

  async function commit() {
    if (!file) return;
    setBusy('commit');
    setError(null);
    try {
      const summary = await commitCodeList(file);
      setDone(t('areas.codeList.upload.done', { file: file.name, summary: summaryText(t, summary) }));
      setPreview(null);
      onAdded();
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form className="code-list__upload" onSubmit={check}>
      <h3>{t('areas.codeList.upload.title')}</h3>
      <p className="areas-muted">{t('areas.codeList.upload.hint')}</p>
      <FileButton
        label={t('areas.codeList.upload.file')}
        accept=".csv,.xlsx,.txt"
        file={file}
        onChange={(f) => {
          setFile(f);
          setPreview(null);
          setDone(null);
        }} />{' '}
      <button type="submit" disabled={!file || busy !== null}>
        {busy === 'check' ? t('areas.codeList.upload.checking') : t('areas.codeList.upload.preview')}
      </button>
      <ErrorMessage message={error} />
      {done ? (
        <p className="areas-ok" role="status">
          {done}
        </p>
      ) : null}
      {preview ? (
        <div className="code-list__preview">
          {preview.errors.length > 0 ? (
            <>
              <p className="error" role="alert">
                {t('areas.codeList.upload.errors', { count: preview.errors.length })}
              </p>
              <table className="areas-table">
                <tbody>
                  {preview.errors.slice(0, 200).map((e, i) => (
                    <tr key={i}>
                      <td>{t('areas.codeList.upload.row', { row: e.rowNumber })}</td>
                      <td>{e.column ? t('areas.codeList.upload.column', { column: e.column }) : ''}</td>
                      <td>{problemText(e)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <>
              <p>{t('areas.codeList.upload.ok', { summary: summaryText(t, preview) })}</p>
              <button type="button" onClick={commit} disabled={busy !== null}>
                {busy === 'commit' ? t('areas.codeList.upload.committing') : t('areas.codeList.upload.commit')}
              </button>
            </>
          )}
          {preview.changes.length > 0 ? (
            <table className="areas-table">
              <thead>
                <tr>
                  <th>{t('areas.codeList.upload.action')}</th>
                  <th>{t('areas.codeList.hierarchy.level')}</th>
                  <th>{t('areas.codeList.hierarchy.code')}</th>
                  <th>{t('areas.codeList.hierarchy.name')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.changes.slice(0, 500).map((c) => (
                  <tr key={`${c.action}-${c.code}`}>
                    <td>{c.action === 'add' ? t('areas.codeList.upload.actionAdd') : t('areas.codeList.upload.actionRename', { from: c.previousName })}</td>
                    <td>{t(`areas.codeList.levels.${c.level}`)}</td>
                    <td className="code-list__code">{c.code}</td>
                    <td>{c.name}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

const CHILD_DIGITS: Record<string, number> = { city: 6, district: 9, street: 12 };

function HierarchyTable({ version, onChanged }: { version: number; onChanged(): void }) {
  const { t } = useTranslation();
  const whole = useWholeName();
  // Asked again when outlines are imported or derived further down the page (the root is reloaded).
  const hierarchyRoot = useHierarchyRoot();
  const state = useApi((signal) => fetchHierarchy(signal), [version, hierarchyRoot]);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<{ code: string; mode: 'rename' | 'child' } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const children = useMemo(() => {
    const map = new Map<string, HierarchyArea[]>();
    for (const a of state.data?.areas ?? []) {
      const key = a.parentCode ?? '';
      map.set(key, [...(map.get(key) ?? []), a]);
    }
    return map;
  }, [state.data]);

  if (state.error) return <ErrorMessage message={describeError(state.error, t)} />;
  if (!state.data) return null;
  const areas = state.data.areas;
  const root = state.data.root;

  function refusal(failure: unknown, area: HierarchyArea): string {
    if (failure instanceof ApiError && failure.status === 409 && failure.details && typeof failure.details === 'object') {
      const d = failure.details as { grids?: { code: string; name: string }[]; areas?: { code: string; name: string }[] };
      const list = (xs: { code: string; name: string }[]) => xs.slice(0, 10).map((x) => `${x.code} ${x.name}`).join('、') + (xs.length > 10 ? '…' : '');
      const parts: string[] = [];
      if (d.grids?.length) parts.push(t('areas.codeList.hierarchy.refusedGrids', { code: area.code, count: d.grids.length, list: list(d.grids) }));
      if (d.areas?.length) parts.push(t('areas.codeList.hierarchy.refusedAreas', { code: area.code, count: d.areas.length, list: list(d.areas) }));
      if (parts.length) return parts.join(' ');
    }
    return describeError(failure, t);
  }

  async function run(action: () => Promise<string>, area: HierarchyArea) {
    setError(null);
    setDone(null);
    try {
      setDone(await action());
      setEditing(null);
      onChanged();
    } catch (failure) {
      setError(refusal(failure, area));
    }
  }

  const retire = (a: HierarchyArea) => {
    if (!window.confirm(t('areas.codeList.hierarchy.confirmRetire', { code: a.code, name: a.name }))) return;
    void run(async () => {
      await retireArea(a.code, a.version);
      return t('areas.codeList.hierarchy.retired', { code: a.code });
    }, a);
  };

  const rows: ReactElement[] = [];
  const visit = (a: HierarchyArea, depth: number) => {
    const kids = children.get(a.code) ?? [];
    const foldable = a.level === 'street' && kids.length > 0;
    const isOpen = !foldable || open.has(a.code);
    rows.push(
      <tr key={a.code} className={`areas-level-${a.level}`}>
        <td className="code-list__code">{a.code}</td>
        <td style={{ paddingLeft: `${0.5 + depth * 1.25}rem` }}>
          {a.name}{' '}
          {foldable ? (
            <button type="button" className="link-button" onClick={() => setOpen((s) => { const n = new Set(s); if (n.has(a.code)) n.delete(a.code); else n.add(a.code); return n; })}>
              {isOpen ? t('areas.codeList.hierarchy.collapse') : t('areas.codeList.hierarchy.expand', { count: kids.length })}
            </button>
          ) : null}
        </td>
        <td>{t(`areas.codeList.levels.${a.level}`)}</td>
        <td>{a.kind ? t(`areas.codeList.hierarchy.kinds.${a.kind}`) : a.townshipKind ? t(`areas.codeList.hierarchy.kinds.${a.townshipKind}`) : ''}</td>
        <td>{a.hasOutline ? t(`areas.codeList.hierarchy.source.${(a.outlineSource ?? 'import') as 'import'}`) : <span className="areas-muted">{t('areas.codeList.hierarchy.noOutline')}</span>}</td>
        <td className="num">{a.liveGrids}</td>
        <td className="code-list__actions">
          {a.level !== 'community' ? (
            <button type="button" onClick={() => setEditing({ code: a.code, mode: 'child' })}>
              {t('areas.codeList.hierarchy.addChild')}
            </button>
          ) : null}
          <button type="button" onClick={() => setEditing({ code: a.code, mode: 'rename' })}>
            {t('areas.codeList.hierarchy.rename')}
          </button>
          {a.level !== 'city' ? (
            <button type="button" onClick={() => retire(a)}>
              {t('areas.codeList.hierarchy.retire')}
            </button>
          ) : null}
        </td>
      </tr>,
    );
    if (editing?.code === a.code) {
      rows.push(
        <tr key={`${a.code}-edit`} className="code-list__edit">
          <td colSpan={7}>
            <InlineForm
              area={a}
              mode={editing.mode}
              onCancel={() => setEditing(null)}
              onSubmit={(code, name) =>
                run(async () => {
                  if (editing.mode === 'rename') {
                    await renameArea(a.code, name, a.version);
                    return t('areas.codeList.hierarchy.renamed', { name });
                  }
                  await addArea(code, name);
                  return t('areas.codeList.hierarchy.added', { name });
                }, a)
              }
            />
          </td>
        </tr>,
      );
    }
    if (isOpen) for (const k of kids) visit(k, depth + 1);
  };
  const codes = new Set(areas.map((a) => a.code));
  for (const top of areas.filter((a) => !a.parentCode || !codes.has(a.parentCode))) visit(top, 0);

  return (
    <div className="code-list__hierarchy">
      <h3>{t('areas.codeList.hierarchy.title')}</h3>
      {root.level ? <p className="areas-muted">{t('areas.codeList.hierarchy.top', { whole, name: root.name || root.districts.map((d) => d.name).join('、') })}</p> : null}
      <ErrorMessage message={error} />
      {done ? (
        <p className="areas-ok" role="status">
          {done}
        </p>
      ) : null}
      {areas.length === 0 ? (
        <p className="areas-muted">{t('areas.codeList.hierarchy.empty')}</p>
      ) : (
        <table className="areas-table" aria-label={t('areas.codeList.hierarchy.title')}>
          <thead>
            <tr>
              <th>{t('areas.codeList.hierarchy.code')}</th>
              <th>{t('areas.codeList.hierarchy.name')}</th>
              <th>{t('areas.codeList.hierarchy.level')}</th>
              <th>{t('areas.codeList.hierarchy.kind')}</th>
              <th>{t('areas.codeList.hierarchy.outline')}</th>
              <th>{t('areas.codeList.hierarchy.grids')}</th>
              <th>{t('areas.codeList.hierarchy.actions')}</th>
            </tr>
          </thead>
          <tbody>{rows}</tbody>
        </table>
      )}
    </div>
  );
}

function InlineForm({ area, mode, onCancel, onSubmit }: { area: HierarchyArea; mode: 'rename' | 'child'; onCancel(): void; onSubmit(code: string, name: string): Promise<void> }) {
  const { t } = useTranslation();
  const digits = CHILD_DIGITS[area.level] ?? 12;
  const [code, setCode] = useState(mode === 'child' ? area.code : area.code);
  const [name, setName] = useState(mode === 'rename' ? area.name : '');
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="code-list__inline"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await onSubmit(code.trim(), name.trim());
        } finally {
          setBusy(false);
        }
      }}
    >
      {mode === 'child' ? (
        <label>
          {t('areas.codeList.hierarchy.childCode', { digits })}
          <input value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" pattern={`[0-9]{${digits}}`} required />
        </label>
      ) : null}
      <label>
        {t('areas.codeList.hierarchy.childName')}
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
      </label>
      <button type="submit" disabled={busy}>
        {t('areas.codeList.hierarchy.save')}
      </button>
      <button type="button" onClick={onCancel} disabled={busy}>
        {t('areas.codeList.hierarchy.cancel')}
      </button>
    </form>
  );
}
