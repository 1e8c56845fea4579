import { eq, lt } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { sessions } from '../../features/accounts/accounts.tables.ts';

import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';

type Callback = Parameters<SessionStore['set']>[2];

const REWRITE_AFTER_MILLISECONDS = 60_000;
const MAXIMUM_REMEMBERED = 10_000;

/** The session's own data; the cookie part changes on every response and is not content. */
function contentOf(data: Record<string, unknown>): string {
  const { cookie: _cookie, ...rest } = data;
  return JSON.stringify(rest);
}
type SessionCallback = Parameters<SessionStore['get']>[1];

/**
 * Sessions kept in the database, so any number of processes can serve the same user.
 * A row past its expiry is treated as absent (the idle timeout).
 */
export class DatabaseSessionStore implements SessionStore {
  /**
   * What this process last read or wrote per session (content without the cookie, and expiry), so
   * that a request which changes nothing does not rewrite the row: rolling sessions would
   * otherwise cost a database write on every page view.
   */
  private readonly known = new Map<string, { content: string; expiresAt: number }>();

  constructor(
    private readonly db: Database,
    private readonly idleMilliseconds: number,
    private readonly now: () => Date,
  ) {}

  set(sessionId: string, session: Session, callback: Callback): void {
    const expiresAt = new Date(this.now().getTime() + this.idleMilliseconds);
    const data = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
    const content = contentOf(data);
    const known = this.known.get(sessionId);
    // Unchanged and extended by under a minute: skip the write (the idle timeout is kept to the minute).
    if (known && known.content === content && expiresAt.getTime() - known.expiresAt < REWRITE_AFTER_MILLISECONDS) {
      callback();
      return;
    }
    this.remember(sessionId, content, expiresAt.getTime());
    this.db
      .insert(sessions)
      .values({ id: sessionId, data, expiresAt, updatedAt: this.now() })
      .onConflictDoUpdate({ target: sessions.id, set: { data, expiresAt, updatedAt: this.now() } })
      .then(
        () => callback(),
        (error: unknown) => callback(error),
      );
  }

  get(sessionId: string, callback: SessionCallback): void {
    this.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, sessionId))
      .then(
        ([row]) => {
          if (!row || row.expiresAt.getTime() <= this.now().getTime()) {
            this.known.delete(sessionId);
            return callback(null, null);
          }
          this.remember(sessionId, contentOf(row.data as Record<string, unknown>), row.expiresAt.getTime());
          callback(null, row.data as Session);
        },
        (error: unknown) => callback(error, null),
      );
  }

  destroy(sessionId: string, callback: Callback): void {
    this.known.delete(sessionId);
    this.db
      .delete(sessions)
      .where(eq(sessions.id, sessionId))
      .then(
        () => callback(),
        (error: unknown) => callback(error),
      );
  }

  private remember(sessionId: string, content: string, expiresAt: number): void {
    this.known.delete(sessionId);
    this.known.set(sessionId, { content, expiresAt });
    // Forget the oldest entries beyond a bound: this is only an optimisation.
    if (this.known.size > MAXIMUM_REMEMBERED) this.known.delete(this.known.keys().next().value!);
  }

  /** Removes expired rows; run at start-up and then periodically. */
  async sweep(): Promise<void> {
    await this.db.delete(sessions).where(lt(sessions.expiresAt, this.now()));
  }
}
