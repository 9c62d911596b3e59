/**
 * What the web shows for a coded refusal or problem: the code and params rendered with the web's
 * catalogue (web/src/api/refusal-text.ts REFUSAL_STRINGS) and the one renderer, in either language.
 */
import { renderTemplate, type RefusalParams } from '../../server/shared/refusals.js';
import { REFUSAL_STRINGS } from '../../web/src/api/refusal-text.js';

export function webText(p: { code: string; params?: unknown }, language: 'zh-CN' | 'en' = 'zh-CN'): string {
  const strings = REFUSAL_STRINGS[language] as Record<string, Record<string, string>>;
  const lookup = (code: string) => {
    const [group, key] = code.split('.') as [string, string];
    return strings[group]?.[key];
  };
  const template = lookup(p.code);
  if (template === undefined) throw new Error(`no ${language} text for ${p.code}`);
  return renderTemplate(template, (p.params ?? {}) as RefusalParams, language, lookup);
}
