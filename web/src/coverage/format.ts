/** Number formats of the coverage page, in the page's language. */
import i18n from '../i18n';

export const formatCount = (n: number) => n.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN');
export const formatShare = (share: number | null | undefined, digits = 1) => (share === null || share === undefined ? '—' : `${(share * 100).toFixed(digits)}%`);
export const formatSignedCount = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${formatCount(Math.abs(n))}`;
export const formatSignedPoints = (points: number) => `${points > 0 ? '+' : points < 0 ? '−' : '±'}${Math.abs(points).toFixed(1)}`;
