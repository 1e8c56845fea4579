/**
 * Password rules following NCSC guidance: length matters more than complexity, so we ask for
 * at least 12 characters (three random words work well) and refuse the most guessed passwords.
 */
export const MINIMUM_PASSWORD_LENGTH = 12;
export const MAXIMUM_PASSWORD_LENGTH = 256;

const commonPasswords = new Set([
  'password1234',
  'password12345',
  'password123456',
  '123456789012',
  '1234567890123',
  'qwertyuiopas',
  'qwerty123456',
  'iloveyou1234',
  'welcome12345',
  'letmein12345',
  'administrator',
  'passw0rd1234',
  'changeme1234',
  'police123456',
  'policeandcrime',
  'commissioner',
  'abcdefghijkl',
  '111111111111',
]);

/** The problem with a proposed password, in words for the person choosing it, or null if it is fine. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length === 0) return 'Enter a password';
  if (password.length < MINIMUM_PASSWORD_LENGTH) return `Password must be ${MINIMUM_PASSWORD_LENGTH} characters or more`;
  if (password.length > MAXIMUM_PASSWORD_LENGTH) return `Password must be ${MAXIMUM_PASSWORD_LENGTH} characters or fewer`;
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered) || /^(.)\1+$/.test(password)) return 'Password is too easy to guess. Try three random words';
  const localPart = email.split('@')[0]?.toLowerCase() ?? '';
  if (localPart.length >= 4 && lowered.includes(localPart)) return 'Password must not contain your e-mail address';
  return null;
}
