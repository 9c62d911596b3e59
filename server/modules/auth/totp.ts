/** Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30-second steps) with otpauth. */
import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Wangge';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, username: string): string {
  return totpFor(secretBase32, username).toString();
}

function totpFor(secretBase32: string, username = '') {
  return new TOTP({ issuer: ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

/**
 * The 30-second step a code is valid for (±1 step of clock drift), or null. Callers refuse a
 * step not later than the last accepted one, so a code works once.
 */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 30_000) + delta;
}

/** The current code (for tests and for showing the enrolment works). */
export function totpCode(secretBase32: string, now = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: now });
}
