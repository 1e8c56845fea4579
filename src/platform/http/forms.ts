import type { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type ErrorSummaryItem = { text: string; href: string };

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/**
 * Parses a submitted form with a zod schema; on failure returns one message per field,
 * the first issue for each field winning, in the order the fields appear on the page.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The items for govukErrorSummary, each linking to its field (GOV.UK error summary pattern). */
export function errorSummary(errors: FieldErrors, fieldIds: Record<string, string> = {}): ErrorSummaryItem[] {
  const ids: Record<string, string> = { form: 'saved-by-someone-else', ...fieldIds };
  return Object.entries(errors).map(([field, text]) => ({ text, href: `#${ids[field] ?? field}` }));
}

/** Form bodies arrive as strings; a missing field is treated as an empty string. */
export function formValues(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>)
      .filter(([key]) => key !== '_csrf')
      .map(([key, value]) => [key, Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '')]),
  );
}
