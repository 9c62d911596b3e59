/**
 * The one number formatter of the web app: Intl.NumberFormat in the UI's locale, so that 11908
 * reads "11,908" and figures never show false precision. i18next templates use the same through
 * `{{value, number}}`.
 */
import i18n from 'i18next';

const cache = new Map<string, Intl.NumberFormat>();

function formatter(maximumFractionDigits: number): Intl.NumberFormat {
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const key = `${locale}:${maximumFractionDigits}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, { maximumFractionDigits })));
  return f;
}

/** A count or whole figure with thousands separators ("11,908"). */
export const formatCount = (value: number): string => formatter(0).format(value);

/** A figure with at most `digits` decimals ("2,817.5"). */
export const formatNumber = (value: number, digits = 1): string => formatter(digits).format(value);

/** Walking minutes as a whole minute, at least 1 ("步行约 7 分钟", not 6.9). */
export const wholeMinutes = (minutes: number): number => Math.max(1, Math.round(minutes));
