/**
 * A server refusal in the UI's language: the code's `refusal.*` template (loaded into i18next from
 * the server's catalogue, server/shared/refusals.ts) with its parameters, figures formatted with
 * the UI locale. Undefined for a code this build does not know, so the caller keeps the message.
 */
import i18n from 'i18next';
import { renderTemplate, type RefusalParams } from '../../../server/shared/refusals';

export function renderRefusalText(code: string, params: RefusalParams): string | undefined {
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const lookup = (c: string) => {
    const value = i18n.getResource(language, 'translation', `refusal.${c}`);
    return typeof value === 'string' ? value : undefined;
  };
  const template = lookup(code);
  return template === undefined ? undefined : renderTemplate(template, params, language, lookup);
}
