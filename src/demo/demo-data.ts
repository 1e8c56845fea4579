import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '../platform/db/database.ts';
import { forceAreas } from '../features/organisations/organisations.tables.ts';
import * as organisations from '../features/organisations/organisations.service.ts';
import * as accounts from '../features/accounts/accounts.service.ts';
import { insertUser, loadCurrentUser } from '../features/accounts/accounts.repository.ts';
import { roleLabels, type CurrentUser, type OrganisationRole } from '../shared/current-user.ts';
import type { Mailer, MailMessage } from '../platform/mail/mailer.ts';
import { eq } from 'drizzle-orm';
import * as plans from '../features/plans/plans.service.ts';
import { insertEditionTree } from '../features/plans/plans.repository.ts';
import { dutyStatements, editions, statutorySections } from '../features/plans/plans.tables.ts';
import { isoDateInLondon } from '../features/calendar/domain/deadlines.ts';
import { demoPlanTree } from './demo-plan.ts';
import { seedingClock, seedProcess, type DemoPeople } from './demo-process.ts';

/**
 * A fictional policing body for `npm run demo`: Northmoor is not a real force area, and every
 * person and organisation here is invented. Everything is created through the same services
 * the pages use, so the audit log shows a realistic history.
 */
export type DemoAccount = { role: string; email: string; password: string };

const DOMAIN = 'northmoor.example';

export async function seedDemo(database: DatabaseHandle, now: Date): Promise<DemoAccount[]> {
  const db = database.db;
  // Every record is made a little after the one before, ending at `now`, so histories keep their order.
  const clock = seedingClock(now);
  const password = randomBytes(12).toString('base64url');
  const accountsMade: DemoAccount[] = [];

  await db
    .insert(forceAreas)
    .values({ id: 'northmoor', name: 'Northmoor Police (fictional)', nation: 'England', governanceModel: 'PCC', isFictional: true });

  const adminRow = await insertUser(db, {
    email: `admin@${DOMAIN}`,
    displayName: 'Demo Administrator',
    passwordHash: await accounts.hashPassword(password),
    isAdmin: true,
  });
  accountsMade.push({ role: 'Administrator', email: adminRow.email, password });
  const admin: CurrentUser = { id: adminRow.id, email: adminRow.email, displayName: adminRow.displayName, isAdmin: true, memberships: [] };

  const body = unwrap(
    await organisations.createBody(
      db,
      admin,
      {
        kind: 'pcc',
        name: 'Police and Crime Commissioner for Northmoor',
        slug: 'northmoor',
        forceAreaId: 'northmoor',
        holderName: 'Sam Okafor',
        holderTitle: 'Police and Crime Commissioner',
        termStartsOn: '2024-05-13',
        termEndsOn: '2028-05-12',
        publishesInWelsh: false,
      },
      clock(),
    ),
  );
  const panel = unwrap(
    await organisations.saveScrutinyBody(
      db,
      admin,
      body.id,
      { kind: 'police_and_crime_panel', name: 'Northmoor Police and Crime Panel', hostAuthority: 'Northmoor County Council' },
      null,
      clock(),
    ),
  );
  const partnership = unwrap(
    await organisations.savePartner(
      db,
      admin,
      body.id,
      { kind: 'community_safety_partnership', name: 'Northmoor Community Safety Partnership', website: null },
      null,
      clock(),
    ),
  );
  const health = unwrap(
    await organisations.savePartner(
      db,
      admin,
      body.id,
      { kind: 'health', name: 'Northmoor Integrated Care Board', website: null },
      null,
      clock(),
    ),
  );

  // A plan in draft, so every plan page has something to show (edition 1: incomplete on purpose, the equality statement is missing).
  const { plan, edition } = await plans.createPlan(
    db,
    admin,
    body.id,
    { title: 'Police and Crime Plan 2024–29', vision: '', periodStartsOn: '2024-07-01', periodEndsOn: '2029-03-31' },
    clock(),
  );
  await db.transaction(async (tx) => {
    await tx.delete(statutorySections).where(eq(statutorySections.editionId, edition.id));
    await tx.delete(dutyStatements).where(eq(dutyStatements.editionId, edition.id));
    const tree = demoPlanTree({ partnership: partnership.id, health: health.id });
    await tx.update(editions).set({ vision: tree.vision }).where(eq(editions.id, edition.id));
    await insertEditionTree(tx, edition.id, tree);
  });

  const people: { role: OrganisationRole; name: string; local: string }[] = [
    { role: 'commissioner', name: 'Sam Okafor', local: 'commissioner' },
    { role: 'officer', name: 'Priya Lawson', local: 'officer' },
    { role: 'force', name: 'Chief Constable Dana Whitfield', local: 'force' },
    { role: 'partner', name: 'Morgan Reilly', local: 'partner' },
    { role: 'panel_member', name: 'Councillor Jo Pritchard', local: 'panel.member' },
    { role: 'panel_officer', name: 'Chris Ahmed', local: 'panel.officer' },
  ];
  const usersByRole = new Map<OrganisationRole, CurrentUser>();
  const invitations: MailMessage[] = [];
  const mailer: Mailer = { description: 'demo', send: async (message) => void invitations.push(message) };
  for (const person of people) {
    const invited = unwrap(
      await accounts.invitePerson(
        db,
        mailer,
        admin,
        {
          invitee: { email: `${person.local}@${DOMAIN}`, displayName: person.name },
          grant: {
            policingBodyId: body.id,
            policingBodyName: body.name,
            role: person.role,
            partnerId: person.role === 'partner' ? partnership.id : null,
            scrutinyBodyId: person.role === 'panel_member' || person.role === 'panel_officer' ? panel.id : null,
          },
          publicUrl: 'http://localhost',
        },
        clock(),
      ),
    );
    const token = invited.invitationUrl?.split('/invitations/')[1];
    if (!token) throw new Error(`demo: no invitation for ${person.local}`);
    const user = unwrap(await accounts.acceptInvitation(db, decodeURIComponent(token), password, clock()));
    usersByRole.set(person.role, (await loadCurrentUser(db, user.id))!);
    accountsMade.push({ role: roleLabels[person.role], email: `${person.local}@${DOMAIN}`, password });
  }

  // Issue 4: an earlier plan issued and in force, this draft with the panel, the panel's scrutiny and the calendar.
  const person = (role: OrganisationRole) => usersByRole.get(role)!;
  const cast: DemoPeople = {
    admin,
    commissioner: person('commissioner'),
    officer: person('officer'),
    force: person('force'),
    partner: person('partner'),
    panelMember: person('panel_member'),
    panelOfficer: person('panel_officer'),
  };
  await seedProcess(database, {
    people: cast,
    body: { id: body.id, slug: body.slug },
    panelId: panel.id,
    partnerIds: { partnership: partnership.id, health: health.id },
    clock,
    today: isoDateInLondon(now),
    draftPlanId: plan.id,
  });
  return accountsMade;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`demo data could not be created: ${JSON.stringify(result.error)}`);
  return result.value;
}
