/**
 * The password rule. The server alone judges it (the /account page only shows its answer):
 * - at least 8 characters from at least 3 of the 4 classes (lower case, upper case, digits, symbols);
 * - not one of the most common passwords;
 * - strong enough by zxcvbn-ts's estimate (score ≥ 3, about 10⁸ guesses), with its common and
 *   English dictionaries, a short list of pinyin words (there is no zxcvbn-ts Chinese package)
 *   and the user's own name and the product's name as words an attacker tries first;
 * - not containing the username;
 * - not the current password nor one of the last PASSWORD_HISTORY ones (checked by the route,
 *   which holds the hashes).
 * Demo accounts (server/demo/accounts.ts) are set directly and do not pass through here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RefusalCode } from '../../shared/refusals.js';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';

const here = path.dirname(fileURLToPath(import.meta.url));
const wordList = (file: string) =>
  fs.readFileSync(path.join(here, file), 'utf8').split('\n').map((line) => line.trim().toLowerCase()).filter(Boolean);

const COMMON = new Set(wordList('common-passwords.txt'));

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary, pinyin: wordList('pinyin-words.txt') },
  graphs: zxcvbnCommon.adjacencyGraphs,
  translations: zxcvbnEnglish.translations,
});

export const MIN_PASSWORD_LENGTH = 8;
/** zxcvbn's score 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_STRENGTH_SCORE = 3;
/** How many previous passwords a change refuses (besides the current one). */
export const PASSWORD_HISTORY = 5;

/** Words about the account that an attacker tries first. */
export interface PasswordContext {
  username?: string;
  displayName?: string;
}

/** The refusal phrase (refusals.ts) of a problem `passwordProblem` gave, for a reader of either language. */
export function passwordProblemPhrase(problem: string): { code: RefusalCode; params: Record<string, number> } | null {
  if (problem.startsWith('the password must have at least')) return { code: 'password.tooShort', params: { min: MIN_PASSWORD_LENGTH } };
  const codes: Record<string, RefusalCode> = {
    'the password may have at most 256 characters': 'password.tooLong',
    'the password must mix at least 3 of: lower-case letters, upper-case letters, digits, symbols': 'password.classes',
    'the password is one of the most common passwords': 'password.common',
    'the password must not contain the username': 'password.containsUsername',
    'the password is too easy to guess (repeats, sequences, dates, names or common words)': 'password.guessable',
  };
  return codes[problem] ? { code: codes[problem]!, params: {} } : null;
}

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 256) return 'the password may have at most 256 characters';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'the password must mix at least 3 of: lower-case letters, upper-case letters, digits, symbols';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'the password is one of the most common passwords';
  if (context.username && context.username.length >= 3 && lower.includes(context.username.toLowerCase())) {
    return 'the password must not contain the username';
  }
  const userInputs = ['wangge', '网格', context.username, context.displayName].filter((word): word is string => !!word);
  const { score } = zxcvbn.check(password.slice(0, 100), userInputs);
  if (score < MIN_STRENGTH_SCORE) return 'the password is too easy to guess (repeats, sequences, dates, names or common words)';
  return null;
}
