/**
 * Masking of reporters' personal data. Everything the API sends about a reporter goes through
 * here unless the caller's role may unmask (and the unmask is audited).
 *
 * - phone: keep the first 3 and last 4 digits: 13812345678 → 138****5678; a landline keeps its
 *   area code and last 4 digits: 029-33123456 → 029-****3456; shorter numbers keep the last 2.
 * - ID number (居民身份证号): keep the first 6 (region) and last 4: 610402199001011234 →
 *   610402********1234.
 * - name: keep the family name (first character) and, for names of 3+ characters, the last:
 *   张三 → 张*, 欧阳明 → 欧*明.
 */
import type { Role } from '../auth/roles.js';

/**
 * Roles that may see reporters unmasked. Only admin: the commission's analysis (heatmaps,
 * hotspots, indicators) needs no one's identity, and the Personal Information Protection Law's
 * "minimum necessary" rule (PIPL art. 6) argues for the smallest circle. An admin unmasks on
 * behalf of whoever must call a resident back, and every unmask is audited.
 */
export const ROLES_MAY_UNMASK: readonly Role[] = ['admin'];

export const mayUnmask = (role: Role) => ROLES_MAY_UNMASK.includes(role);

export function maskPhone(phone: string | null): string | null {
  if (phone === null || phone === '') return phone;
  const digits = phone.replace(/\D/g, '');
  const mobile = /^1\d{10}$/.test(digits) && /^[\d\s+-]*$/.test(phone);
  if (mobile) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  const landline = /^(0\d{2,3})-(\d{7,8})$/.exec(phone);
  if (landline) return `${landline[1]}-****${landline[2]!.slice(-4)}`;
  if (phone.length <= 4) return '*'.repeat(phone.length);
  if (phone.length < 8) return '*'.repeat(phone.length - 2) + phone.slice(-2);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

export function maskIdNumber(id: string | null): string | null {
  if (id === null || id === '') return id;
  if (id.length <= 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

export function maskName(name: string | null): string | null {
  if (name === null || name === '') return name;
  const chars = Array.from(name);
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

export interface Reporter {
  name: string | null;
  phone: string | null;
  idNumber: string | null;
}

export function maskReporter(r: Reporter): Reporter {
  return { name: maskName(r.name), phone: maskPhone(r.phone), idNumber: maskIdNumber(r.idNumber) };
}
