/**
 * The account page's password checks and its reading of the server's refusals must follow the
 * server's rule (server/modules/auth/password-policy.ts): if either side changes, this fails.
 */
import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../../server/modules/auth/password-policy.js';
import { MIN_PASSWORD_LENGTH as PAGE_MIN_LENGTH, passwordChecks, passwordProblemOf, withoutFieldPath } from '../../web/src/account/password-checks.js';

describe('account page password checks', () => {
  it('uses the server’s minimum length', () => expect(PAGE_MIN_LENGTH).toBe(MIN_PASSWORD_LENGTH));

  it.each(['Ab1!', 'abcdefgh', 'abcdefg1', 'ABCDEFG1', 'Qindu-grid-7', 'xian yang 2026 A', '网格Grid2026', 'abc DEF', '12345678!'])(
    'agrees with the server on length and kinds of characters for %s',
    (password) => {
      const checks = passwordChecks(password);
      const server = passwordProblem(password);
      const pageRefuses = !checks.longEnough || !checks.enoughClasses;
      const serverRefusesForTheseRules = server !== null && !/most common|too easy to guess/.test(server);
      expect(pageRefuses).toBe(serverRefusesForTheseRules);
    },
  );

  it.each([
    ['Ab1!', 'tooShort'],
    ['a'.repeat(300), 'tooLong'],
    ['abcdefgh', 'classes'],
    ['Password123!', 'common'],
    ['aaaaaaaaA1', 'weak'],
    ['Wangge-2026', 'weak'],
  ] as const)('names the rule in the server’s refusal of %s', (password, expected) => {
    const message = `body/newPassword: ${passwordProblem(password)}`;
    expect(passwordProblemOf(message)).toBe(expected);
    expect(withoutFieldPath(message)).toBe(passwordProblem(password));
  });

  it('recognises the "same as the current one" refusal and leaves other messages alone', () => {
    expect(passwordProblemOf('body/newPassword: choose a password different from the current one')).toBe('same');
    expect(passwordProblemOf(`body/newPassword: ${passwordProblem('plannerA1!', { username: 'planner' })}`)).toBe('username');
    expect(passwordProblemOf('body/newPassword: choose a password different from your last 5 passwords')).toBe('history');
    expect(passwordProblemOf('The current password is wrong')).toBeNull();
  });
});
