/**
 * The offline basemap section of the admin page: what is installed (name, format, zooms, bounds
 * from the file's own metadata), installing an MBTiles/PMTiles file with upload progress, and
 * removing it. Tiles and the style's use of it are the server's and `map/basemap.ts`'s.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiErrorFrom } from '../api/client';
import { fetchClientConfig } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { describeError } from '../i18n/describe-error';
import { FileButton } from '../imports-ui/FileButton';

interface BasemapInfo {
  name: string;
  fileName: string;
  format: 'mbtiles' | 'pmtiles';
  tileType: 'vector' | 'raster';
  bounds: number[];
  minzoom: number;
  maxzoom: number;
  bytes: number;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Uploads with progress (fetch cannot report upload progress). */
function uploadBasemap(file: File, onProgress: (fraction: number) => void): Promise<BasemapInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/basemap');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onerror = () => reject(new Error(xhr.statusText || 'network error'));
    xhr.onload = async () => {
      const response = new Response(xhr.responseText, { status: xhr.status, headers: { 'Content-Type': 'application/json' } });
      if (xhr.status >= 400) reject(await apiErrorFrom(response));
      else resolve((await response.json()) as BasemapInfo);
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export function BasemapSection() {
  const { t } = useTranslation();
  const config = useApi((signal) => fetchClientConfig(signal), []);
  const tiandituConfigured = Boolean(config.data?.basemap.tiandituKey);
  const current = useApi((signal) => api.get<{ installed: BasemapInfo | null; maxBytes: number }>('/api/basemap', { signal }), []);
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const installed = current.data?.installed ?? null;

  const install = async () => {
    const file = input.current?.files?.[0];
    if (!file) return;
    setMessage(null);
    setProgress(0);
    try {
      const info = await uploadBasemap(file, setProgress);
      setMessage({ text: t('admin.basemap.done', { name: info.name }) });
      if (input.current) input.current.value = '';
    } catch (failure) {
      setMessage({ text: t('admin.basemap.failed', { message: describeError(failure, t) }), error: true });
    } finally {
      setProgress(null);
      current.reload();
      void fetchClientConfig(undefined, { fresh: true }).catch(() => {});
    }
  };

  const remove = async () => {
    setMessage(null);
    try {
      await api.delete('/api/basemap');
      setMessage({ text: t('admin.basemap.removed') });
    } catch (failure) {
      setMessage({ text: t('admin.basemap.failed', { message: describeError(failure, t) }), error: true });
    } finally {
      current.reload();
      void fetchClientConfig(undefined, { fresh: true }).catch(() => {});
    }
  };

  return (
    <section className="admin-basemap" aria-labelledby="admin-basemap-title">
      <h2 id="admin-basemap-title">{t('admin.basemap.title')}</h2>
      <p className="muted">{t('admin.basemap.intro')}</p>
      {installed ? (
        <p className="admin-basemap__installed">
          {t('admin.basemap.installed', {
            name: installed.name,
            format: installed.format === 'mbtiles' ? 'MBTiles' : 'PMTiles',
            tileType: t(`admin.basemap.${installed.tileType}`),
            minzoom: installed.minzoom,
            maxzoom: installed.maxzoom,
            bounds: installed.bounds.map((n) => n.toFixed(3)).join(', '),
            size: formatSize(installed.bytes),
          })}{' '}
          <button type="button" className="button button--small" onClick={remove} disabled={progress !== null}>
            {t('admin.basemap.remove')}
          </button>
        </p>
      ) : (
        current.data && <p>{t('admin.basemap.none', { tianditu: tiandituConfigured ? t('admin.basemap.tianditu') : '' })}</p>
      )}
      <FileButton className="admin-basemap__file" label={t('admin.basemap.choose', { max: formatSize(current.data?.maxBytes ?? 0) })}
        inputRef={input} accept=".mbtiles,.pmtiles" disabled={progress !== null} />
      <button type="button" className="button button--primary" onClick={install} disabled={progress !== null}>
        {t('admin.basemap.upload')}
      </button>
      {progress !== null && (
        <p role="status">
          <progress max={1} value={progress} /> {progress < 1 ? t('admin.basemap.uploading', { percent: Math.round(progress * 100) }) : t('admin.basemap.checking')}
        </p>
      )}
      <p role="status" className={message?.error ? 'error' : 'success'}>
        {message?.text ?? ''}
      </p>
    </section>
  );
}
