import { eq, lt } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { sessions } from '../../features/accounts/accounts.tables.ts';

import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';

type Callback = Parameters<SessionStore['set']>[2];
type SessionCallback = Parameters<SessionStore['get']>[1];

/**
 * Sessions kept in the database, so any number of processes can serve the same user.
 * A row past its expiry is treated as absent (the idle timeout).
 */
export class DatabaseSessionStore implements SessionStore {
  constructor(
    private readonly db: Database,
    private readonly idleMilliseconds: number,
    private readonly now: () => Date,
  ) {}

  set(sessionId: string, session: Session, callback: Callback): void {
    const expiresAt = new Date(this.now().getTime() + this.idleMilliseconds);
    const data = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
    this.db
      .insert(sessions)
      .values({ id: sessionId, data, expiresAt, updatedAt: this.now() })
      .onConflictDoUpdate({ target: sessions.id, set: { data, expiresAt, updatedAt: this.now() } })
      .then(() => callback(), (error: unknown) => callback(error));
  }

  get(sessionId: string, callback: SessionCallback): void {
    this.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, sessionId))
      .then(([row]) => {
        if (!row || row.expiresAt.getTime() <= this.now().getTime()) return callback(null, null);
        callback(null, row.data as Session);
      }, (error: unknown) => callback(error, null));
  }

  destroy(sessionId: string, callback: Callback): void {
    this.db
      .delete(sessions)
      .where(eq(sessions.id, sessionId))
      .then(() => callback(), (error: unknown) => callback(error));
  }

  /** Removes expired rows; run at start-up and then periodically. */
  async sweep(): Promise<void> {
    await this.db.delete(sessions).where(lt(sessions.expiresAt, this.now()));
  }
}
