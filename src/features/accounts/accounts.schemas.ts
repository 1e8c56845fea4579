import { z } from 'zod';
import { organisationRoles } from '../../shared/current-user.ts';
import { passwordProblem } from './domain/passwords.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const emailField = z
  .string({ error: 'Enter an email address' })
  .trim()
  .min(1, 'Enter an email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .regex(EMAIL, 'Enter an email address in the correct format, like name@example.com');

export const displayNameField = z
  .string({ error: 'Enter their full name' })
  .trim()
  .min(1, 'Enter the full name')
  .max(200, 'Full name must be 200 characters or fewer');

/** Checks a new password and its confirmation against the password rules. */
function checkNewPassword(value: { password: string; confirmPassword: string }, email: string, context: z.RefinementCtx): void {
  const problem = passwordProblem(value.password, email);
  if (problem) context.addIssue({ code: 'custom', path: ['password'], message: problem });
  else if (value.password !== value.confirmPassword) {
    context.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords do not match' });
  }
}

const newPasswordFields = { password: z.string().default(''), confirmPassword: z.string().default('') };

export const setupSchema = z
  .object({ token: z.string().default(''), displayName: displayNameField, email: emailField, ...newPasswordFields })
  .superRefine((value, context) => checkNewPassword(value, value.email, context));

export const acceptInvitationSchema = (email: string) =>
  z.object(newPasswordFields).superRefine((value, context) => checkNewPassword(value, email, context));

export const signInSchema = z.object({
  email: emailField,
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(256, 'Enter your password'),
  returnTo: z.string().default(''),
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password'),
    newPassword: z.string().default(''),
    confirmPassword: z.string().default(''),
  })
  .superRefine((value, context) => {
    const problem = passwordProblem(value.newPassword, '');
    if (problem)
      context.addIssue({
        code: 'custom',
        path: ['newPassword'],
        message: problem.replace(/^Password/, 'New password').replace('Enter a password', 'Enter a new password'),
      });
    else if (value.newPassword === value.currentPassword) {
      context.addIssue({ code: 'custom', path: ['newPassword'], message: 'New password must be different from your current password' });
    } else if (value.newPassword !== value.confirmPassword) {
      context.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords do not match' });
    }
  });

export const inviteAdministratorSchema = z.object({ displayName: displayNameField, email: emailField });

export const inviteMemberSchema = z
  .object({
    displayName: displayNameField,
    email: emailField,
    role: z.enum(organisationRoles, { error: 'Select their role' }),
    partnerId: z.string().default(''),
  })
  .superRefine((value, context) => {
    if (value.role === 'partner' && !value.partnerId) {
      context.addIssue({ code: 'custom', path: ['partnerId'], message: 'Select the partner organisation they work for' });
    }
  });

/**
 * Only paths on this site, never another origin (`//evil.example` is protocol-relative).
 * Browsers drop tabs and line breaks from URLs and read a backslash as `/`, so `/<tab>/evil.example`
 * would become `//evil.example`: any control character or backslash is refused.
 */
export function safeReturnPath(value: string | undefined): string | null {
  // eslint-disable-next-line no-control-regex
  if (!value || !value.startsWith('/') || value.startsWith('//') || /[\u0000-\u001f\u007f\\]/.test(value)) return null;
  return value;
}
