import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAXIMUM_PASSWORD_LENGTH, MINIMUM_PASSWORD_LENGTH, passwordProblem } from './passwords.ts';

const EMAIL = 'alex.jones@example.org';

describe('passwordProblem', () => {
  it.each([
    ['', 'Enter a password'],
    ['short', 'Password must be 12 characters or more'],
    ['a'.repeat(MINIMUM_PASSWORD_LENGTH - 1), 'Password must be 12 characters or more'],
    ['x'.repeat(MAXIMUM_PASSWORD_LENGTH + 1), 'Password must be 256 characters or fewer'],
    ['password1234', 'Password is too easy to guess. Try three random words'],
    ['PassWord1234', 'Password is too easy to guess. Try three random words'],
    ['commissioner', 'Password is too easy to guess. Try three random words'],
    ['zzzzzzzzzzzzzzzz', 'Password is too easy to guess. Try three random words'],
    ['my alex.jones secret', 'Password must not contain your e-mail address'],
    ['MY ALEX.JONES SECRET', 'Password must not contain your e-mail address'],
  ])('refuses %j with %j', (password, problem) => {
    expect(passwordProblem(password, EMAIL)).toBe(problem);
  });

  it.each([
    'correct horse battery staple',
    'a'.repeat(MINIMUM_PASSWORD_LENGTH - 1) + 'b',
    'ab'.repeat(MAXIMUM_PASSWORD_LENGTH / 2),
    // A local part shorter than four characters is too common a string to forbid.
    'bob likes long walks',
  ])('accepts %j', (password) => {
    expect(passwordProblem(password, password.startsWith('bob') ? 'bob@example.org' : EMAIL)).toBeNull();
  });

  it('does not check the e-mail address when none is given', () => {
    expect(passwordProblem('alex.jones is here', '')).toBeNull();
  });

  it('accepts every long enough password made of two different characters that avoids the e-mail', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: MINIMUM_PASSWORD_LENGTH, maxLength: 60, unit: fc.constantFrom('q', 'w', '7', ' ') }),
        (password) => {
          fc.pre(new Set(password).size > 1);
          expect(passwordProblem(password, EMAIL)).toBeNull();
        },
      ),
    );
  });

  it('refuses every password shorter than the minimum', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: MINIMUM_PASSWORD_LENGTH - 1 }), (password) => {
        fc.pre(password.length < MINIMUM_PASSWORD_LENGTH);
        expect(passwordProblem(password, EMAIL)).toBe('Password must be 12 characters or more');
      }),
    );
  });
});
