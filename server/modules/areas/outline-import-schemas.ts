/** The outline import's replies (the preview is described in outline-import.ts's types). */
import { Type, type Static } from 'typebox';

export const OutlineImportCommitResult = Type.Object({
  level: Type.Enum(['district', 'street', 'community']),
  imported: Type.Integer(),
  skipped: Type.Integer(),
  areaCodes: Type.Array(Type.String()),
  /** Areas whose outline was invalid and repaired without changing its area. */
  repaired: Type.Array(Type.String()),
});
export type OutlineImportCommitResult = Static<typeof OutlineImportCommitResult>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const OutlineImportJob = Type.Object({
  id: Type.String(),
  status: Type.Enum(['running', 'done', 'failed']),
  progress: Type.Object({ stage: Type.String(), done: Type.Integer(), total: Type.Integer() }),
  result: Nullable(OutlineImportCommitResult),
  error: Nullable(Type.String()),
  errorStatus: Nullable(Type.Integer()),
  errorDetails: Type.Unknown(),
  errorCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  errorParams: Type.Optional(Type.Unknown()),
});
export type OutlineImportJob = Static<typeof OutlineImportJob>;
