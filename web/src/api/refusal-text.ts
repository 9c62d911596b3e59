/**
 * A server refusal in the UI's language: the code's `refusal.*` template (loaded into i18next from
 * the server's catalogue, server/shared/refusals.ts) with its parameters, figures formatted with
 * the UI locale. Undefined for a code this build does not know, so the caller keeps the message.
 *
 * A schema refusal points at a field by its path (`body/displayName`): the web names the field
 * the way the form does (`refusal.field.displayName`, 姓名) when the catalogue has a name for it.
 * The catalogue (every code in both languages) is a chunk of its own, fetched with the first
 * refusal (`apiErrorFrom`), not with every page.
 */
import i18n from 'i18next';
import { refusalResources, renderTemplate, type RefusalParams } from '../../../server/shared/refusals';

/** The `refusal.*` strings of each UI language. */
export const REFUSAL_STRINGS = { 'zh-CN': refusalResources('zh'), en: refusalResources('en') };

let added = false;
/** Deep-merged under `refusal`, beside each language's other strings (English ones may come later). */
function addRefusalStrings() {
  if (added) return;
  for (const [language, strings] of Object.entries(REFUSAL_STRINGS)) i18n.addResourceBundle(language, 'translation', { refusal: strings }, true, true);
  added = true;
}

export function renderRefusalText(code: string, params: RefusalParams): string | undefined {
  addRefusalStrings();
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const lookup = (c: string) => {
    const value = i18n.getResource(language, 'translation', `refusal.${c}`);
    return typeof value === 'string' ? value : undefined;
  };
  const template = lookup(code);
  if (template === undefined) return undefined;
  const field = typeof params.field === 'string' && code.startsWith('validation.') ? fieldName(params.field, lookup) : undefined;
  const text = renderTemplate(template, field === undefined ? params : { ...params, field }, language, lookup);
  // Chinese puts no space after a field's Chinese name (the templates leave one after a path).
  return field !== undefined && language === 'zh-CN' ? text.replace(`${field} `, field) : text;
}

/** The name of the field a path ends in (`body/displayName` → 姓名), or undefined when it has none. */
function fieldName(path: string, lookup: (code: string) => string | undefined): string | undefined {
  const last = path.split('/').filter((segment) => segment !== '' && !/^\d+$/.test(segment)).at(-1);
  return last === undefined || !/^\w+$/.test(last) ? undefined : lookup(`field.${last}`);
}
