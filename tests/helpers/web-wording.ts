/**
 * A refusal or an import problem as the web says it: the code's template from the strings the web
 * loads (web/src/api/refusal-text.ts), rendered with its parameters in Chinese or English — the
 * same renderer the web uses, without a browser.
 */
import { renderTemplate, type RefusalParams } from '../../server/shared/refusals.js';
import { REFUSAL_STRINGS } from '../../web/src/api/refusal-text.js';

export function asTheWebSays(problem: { code: string; params?: unknown }, language: 'zh' | 'en' = 'zh'): string {
  const resources = (language === 'zh' ? REFUSAL_STRINGS['zh-CN'] : REFUSAL_STRINGS.en) as Record<string, Record<string, string>>;
  const lookup = (code: string) => {
    const [group, key] = code.split('.') as [string, string];
    return resources[group]?.[key];
  };
  const template = lookup(problem.code);
  if (template === undefined) throw new Error(`the web does not know ${problem.code}`);
  return renderTemplate(template, (problem.params ?? {}) as RefusalParams, language === 'zh' ? 'zh-CN' : 'en-US', lookup);
}
