/** The outline import's calls: preview, commit as a job, and the job's progress. */
import type { OutlineImportPreview } from '../../../server/modules/areas/outline-import';
import type { OutlineImportJob } from '../../../server/modules/areas/outline-import-schemas';
import type { SourceCrs } from '../../../server/shared/coordinates';
import { api, formWithFile } from '../api/client';

export type { OutlineImportJob, OutlineImportPreview };
export type OutlineRow = OutlineImportPreview['rows'][number];
export type OutlineLevelChoice = 'auto' | 'district' | 'street' | 'community';
export type CrsChoice = 'auto' | SourceCrs;
export type EncodingChoice = 'auto' | 'utf-8' | 'gbk' | 'gb18030';

export interface OutlineImportOptions {
  level: OutlineLevelChoice;
  crs: CrsChoice;
  encoding: EncodingChoice;
  /** Feature number → area code, as the planner chose. */
  matches: Record<number, string>;
  skips: number[];
}

const form = (file: File, options: OutlineImportOptions, extra: Record<string, string> = {}) =>
  formWithFile(file, {
    level: options.level === 'auto' ? undefined : options.level,
    crs: options.crs,
    encoding: options.encoding,
    matches: Object.keys(options.matches).length ? JSON.stringify(options.matches) : undefined,
    skips: options.skips.length ? JSON.stringify(options.skips) : undefined,
    ...extra,
  });

export const previewOutlineImport = (file: File, options: OutlineImportOptions, signal?: AbortSignal) =>
  api.post<OutlineImportPreview>('/api/area-import/preview', form(file, options), { signal });

export const startOutlineImport = (file: File, options: OutlineImportOptions) =>
  api.post<OutlineImportJob>('/api/area-import/commit', form(file, options, { async: 'true' }));

export const fetchOutlineImportJob = (id: string, signal?: AbortSignal) => api.get<OutlineImportJob>(`/api/area-import/jobs/${id}`, { signal });
