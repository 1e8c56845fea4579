type DatabaseError = { code?: string; constraint?: string; cause?: unknown; message?: string };

/** The name of the unique constraint a write broke, or null if the error was something else. */
export function violatedUniqueConstraint(error: unknown): string | null {
  for (let current = error as DatabaseError | undefined; current; current = current.cause as DatabaseError | undefined) {
    if (current.code === '23505') {
      return current.constraint ?? /unique constraint "([^"]+)"/.exec(current.message ?? '')?.[1] ?? 'unknown';
    }
  }
  return null;
}
