import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The locale to write dates in: the interface language, with the browser's own English variant
 * (en-GB, en-US…) when the interface is English.
 */
function localeFor(language: string): string {
  if (language !== 'en') return 'zh-CN';
  const browserEnglish = typeof navigator !== 'undefined' ? navigator.languages?.find((l) => l.toLowerCase().startsWith('en')) : undefined;
  return browserEnglish ?? 'en';
}

/** Formats ISO timestamps as readable local date and time in the user's language and time zone. */
export function useDateTimeFormat(): { format(iso: string): string; timeZone: string } {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const formatter = new Intl.DateTimeFormat(localeFor(i18n.language), { dateStyle: 'medium', timeStyle: 'medium' });
    return { format: (iso: string) => formatter.format(new Date(iso)), timeZone: formatter.resolvedOptions().timeZone };
  }, [i18n.language]);
}
