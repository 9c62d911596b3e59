/**
 * The parts of the server's password rule (server/modules/auth/password-policy.ts) that the page
 * can check as the user types. The server checks again, and alone judges common and easily guessed passwords and the history.
 */
export const MIN_PASSWORD_LENGTH = 8;
export const MIN_CHARACTER_CLASSES = 3;

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];

export function passwordChecks(password: string) {
  // UTF-16 length, as the server counts.
  const length = password.length;
  const classes = CLASSES.filter((re) => re.test(password)).length;
  return {
    length,
    classes,
    longEnough: length >= MIN_PASSWORD_LENGTH,
    enoughClasses: classes >= MIN_CHARACTER_CLASSES,
  };
}

/** The server's reasons for refusing a new password (password-policy.ts and the password route). */
const SERVER_REASONS = [
  { pattern: /at least \d+ characters/, key: 'tooShort' },
  { pattern: /at most \d+ characters/, key: 'tooLong' },
  { pattern: /at least 3 of/, key: 'classes' },
  { pattern: /most common/, key: 'common' },
  { pattern: /different from the current/, key: 'same' },
  { pattern: /must not contain the username/, key: 'username' },
  { pattern: /too easy to guess/, key: 'weak' },
  { pattern: /different from your last \d+ passwords/, key: 'history' },
] as const;

export type PasswordProblem = (typeof SERVER_REASONS)[number]['key'];

/** Which rule a 400 reply's message names, so the page can say it in the user's language. */
export function passwordProblemOf(serverMessage: string): PasswordProblem | null {
  return SERVER_REASONS.find((reason) => reason.pattern.test(serverMessage))?.key ?? null;
}

/** The server's message without its leading field path ("body/newPassword: "). */
export function withoutFieldPath(serverMessage: string): string {
  return serverMessage.replace(/^body\/\w+: /, '');
}
