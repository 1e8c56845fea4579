import { describe, expect, it } from 'vitest';
import { parseForm } from '../../platform/http/forms.ts';
import { changePasswordSchema, inviteMemberSchema, safeReturnPath, setupSchema, signInSchema } from './accounts.schemas.ts';

describe('safeReturnPath', () => {
  it.each(['/', '/bodies', '/bodies/some-body/members?page=2', '/account#top'])('keeps the local path %j', (value) => {
    expect(safeReturnPath(value)).toBe(value);
  });

  it.each([
    undefined,
    '',
    'bodies',
    'https://evil.example/',
    '//evil.example',
    '//evil.example/path',
    '/\\evil.example',
    // Browsers drop tabs and line breaks from URLs, so these become //evil.example.
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    // …and treat a backslash like a slash.
    '/\\/evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
  ])('refuses %j', (value) => {
    expect(safeReturnPath(value)).toBeNull();
  });
});

describe('setupSchema', () => {
  const valid = {
    token: 't',
    displayName: ' Alex Admin ',
    email: ' alex@example.org ',
    password: 'correct horse battery staple',
    confirmPassword: 'correct horse battery staple',
  };

  it('trims the name and e-mail', () => {
    expect(parseForm(setupSchema, valid)).toEqual({ ok: true, value: { ...valid, displayName: 'Alex Admin', email: 'alex@example.org' } });
  });

  it('names each problem against its field', () => {
    expect(parseForm(setupSchema, { token: 't', displayName: '', email: 'not-an-email', password: 'short', confirmPassword: '' })).toEqual({
      ok: false,
      errors: {
        displayName: 'Enter the full name',
        email: 'Enter an email address in the correct format, like name@example.com',
        password: 'Password must be 12 characters or more',
      },
    });
  });

  it('refuses a password containing the e-mail address being set up', () => {
    const form = parseForm(setupSchema, { ...valid, password: 'alex is the best admin', confirmPassword: 'alex is the best admin' });
    // 'alex' is only four characters: long enough to count.
    expect(form).toEqual({ ok: false, errors: { password: 'Password must not contain your e-mail address' } });
  });

  it('asks for a matching confirmation only once the password itself is acceptable', () => {
    expect(parseForm(setupSchema, { ...valid, confirmPassword: 'something else entirely' })).toEqual({
      ok: false,
      errors: { confirmPassword: 'Passwords do not match' },
    });
  });
});

describe('signInSchema', () => {
  it('asks for both fields', () => {
    expect(parseForm(signInSchema, {})).toEqual({
      ok: false,
      errors: { email: 'Enter an email address', password: 'Enter your password' },
    });
  });
});

describe('changePasswordSchema', () => {
  const current = 'correct horse battery staple';

  it.each([
    [
      { currentPassword: '', newPassword: 'another long passphrase', confirmPassword: 'another long passphrase' },
      { currentPassword: 'Enter your current password' },
    ],
    [{ currentPassword: current, newPassword: '', confirmPassword: '' }, { newPassword: 'Enter a new password' }],
    [
      { currentPassword: current, newPassword: 'short', confirmPassword: 'short' },
      { newPassword: 'New password must be 12 characters or more' },
    ],
    [
      { currentPassword: current, newPassword: current, confirmPassword: current },
      { newPassword: 'New password must be different from your current password' },
    ],
    [
      { currentPassword: current, newPassword: 'another long passphrase', confirmPassword: 'another long passphrasE' },
      { confirmPassword: 'Passwords do not match' },
    ],
  ])('%j → %j', (values, errors) => {
    expect(parseForm(changePasswordSchema, values)).toEqual({ ok: false, errors });
  });
});

describe('inviteMemberSchema', () => {
  it('needs a role, and a partner organisation for the partner role', () => {
    expect(parseForm(inviteMemberSchema, { displayName: 'P', email: 'p@example.org' })).toEqual({
      ok: false,
      errors: { role: 'Select their role' },
    });
    expect(parseForm(inviteMemberSchema, { displayName: 'P', email: 'p@example.org', role: 'partner' })).toEqual({
      ok: false,
      errors: { partnerId: 'Select the partner organisation they work for' },
    });
    expect(parseForm(inviteMemberSchema, { displayName: 'P', email: 'p@example.org', role: 'chief' })).toMatchObject({
      ok: false,
      errors: { role: 'Select their role' },
    });
  });
});
