import { eq } from 'drizzle-orm';
import type { Session } from 'fastify';
import { expect, it } from 'vitest';
import { describeOnEveryEngine } from '../support/database.ts';
import { DatabaseSessionStore } from '../../src/platform/http/session-store.ts';
import { sessions } from '../../src/features/accounts/accounts.tables.ts';

describeOnEveryEngine('sessions kept in the database', (context) => {
  const IDLE = 30 * 60_000;
  let now = new Date('2026-11-23T10:00:00Z');
  const store = () => new DatabaseSessionStore(context.database.db, IDLE, () => now);
  const call = <T>(run: (callback: (error?: unknown, value?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));
  const set = (s: DatabaseSessionStore, id: string, data: Record<string, unknown>) =>
    call<void>((cb) => s.set(id, data as unknown as Session, cb));
  const get = (s: DatabaseSessionStore, id: string) => call<Session | null>((cb) => s.get(id, cb as never));
  const storedExpiry = async (id: string) =>
    (await context.database.db.select().from(sessions).where(eq(sessions.id, id)))[0]?.expiresAt.getTime();

  it('does not rewrite an unchanged session within a minute, but does when it changes or a minute passes', async () => {
    const s = store();
    await set(s, 'a', { userId: 'u1', cookie: { expires: 1 } });
    const first = await storedExpiry('a');
    expect(first).toBe(now.getTime() + IDLE);

    now = new Date(now.getTime() + 30_000);
    await set(s, 'a', { userId: 'u1', cookie: { expires: 2 } });
    expect(await storedExpiry('a')).toBe(first);

    await set(s, 'a', { userId: 'u1', flash: 'Saved', cookie: { expires: 3 } });
    expect(await storedExpiry('a')).toBe(now.getTime() + IDLE);

    now = new Date(now.getTime() + 61_000);
    await set(s, 'a', { userId: 'u1', flash: 'Saved', cookie: { expires: 4 } });
    expect(await storedExpiry('a')).toBe(now.getTime() + IDLE);
  });

  it('treats an expired row as absent, and another process sees what this one wrote', async () => {
    const writer = store();
    await set(writer, 'b', { userId: 'u2' });
    expect(await get(store(), 'b')).toMatchObject({ userId: 'u2' });
    now = new Date(now.getTime() + IDLE + 1);
    expect(await get(store(), 'b')).toBeNull();
  });
});
