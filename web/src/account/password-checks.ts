/**
 * The parts of the server's password rule (server/modules/auth/password-policy.ts) that the page
 * can check as the user types. The server checks again, and alone knows the common passwords.
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
