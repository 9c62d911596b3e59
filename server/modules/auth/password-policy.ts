/**
 * The password rule: at least 8 characters from at least 3 of the 4 classes (lower case, upper
 * case, digits, symbols), and not one of the most common passwords.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMON = new Set(
  fs
    .readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'common-passwords.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter(Boolean),
);

export const MIN_PASSWORD_LENGTH = 8;

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 256) return 'the password may have at most 256 characters';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'the password must mix at least 3 of: lower-case letters, upper-case letters, digits, symbols';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'the password is one of the most common passwords';
  return null;
}
