import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../platform/db/database.ts';
import type { CurrentUser } from '../shared/current-user.ts';
import type { StepForm } from '../features/lifecycle/lifecycle.schemas.ts';
import { applyTransition } from '../features/lifecycle/lifecycle.service.ts';
import { listTransitions } from '../features/lifecycle/lifecycle.repository.ts';
import { findBodyBySlug } from '../features/organisations/organisations.repository.ts';
import * as plans from '../features/plans/plans.service.ts';
import { findEdition, findPlan, insertEditionTree, loadEditionTree } from '../features/plans/plans.repository.ts';
import { dutyStatements, editions, statutorySections } from '../features/plans/plans.tables.ts';
import { listForEdition } from '../features/scrutiny/recommendations.repository.ts';
import * as scrutiny from '../features/scrutiny/scrutiny.service.ts';
import * as comments from '../features/comments/comments.service.ts';
import { commentableElements } from '../features/comments/domain/threads.ts';
import * as calendar from '../features/calendar/calendar.service.ts';
import { addDays } from '../features/calendar/domain/deadlines.ts';
import { demoPlanTree } from './demo-plan.ts';
import { seedPerformance } from './demo-performance.ts';

/**
 * The statutory process of Northmoor's plans, its panel's scrutiny and its calendar, for
 * `npm run demo`. Every step goes through the service function its page uses, so the history
 * of each edition, the registers and the audit log read as if people had done it.
 */

export type DemoPeople = {
  admin: CurrentUser;
  commissioner: CurrentUser;
  officer: CurrentUser;
  force: CurrentUser;
  partner: CurrentUser;
  panelMember: CurrentUser;
  panelOfficer: CurrentUser;
};

type Seeding = {
  database: DatabaseHandle;
  people: DemoPeople;
  body: { id: string; slug: string };
  panelId: string;
  partnerIds: { partnership: string; health: string };
  /** Each call is a little later, so records made in one run keep their order (histories sort by time). */
  clock: () => Date;
  today: string;
};

const PUBLIC_URL = 'http://localhost:3000';

/** A clock that starts half an hour before `now` and moves on two seconds at every call. */
export function seedingClock(now: Date): () => Date {
  let at = now.getTime() - 30 * 60_000;
  return () => {
    at = Math.min(at + 2_000, now.getTime());
    return new Date(at);
  };
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error?: unknown; kind?: unknown }, what: string): T {
  if (!result.ok) throw new Error(`demo data could not be created (${what}): ${JSON.stringify(result)}`);
  return result.value;
}

async function editionContext(s: Seeding, planId: string) {
  const db = s.database.db;
  const body = (await findBodyBySlug(db, s.body.slug))!;
  const plan = (await findPlan(db, body.id, planId))!;
  const edition = (await findEdition(db, plan.id, 1))!;
  return { body, plan, edition };
}

/** One step of the statutory process, as the process page takes it. */
async function step(s: Seeding, user: CurrentUser, planId: string, form: StepForm) {
  const context = await editionContext(s, planId);
  const history = await listTransitions(s.database.db, context.edition.id);
  const result = await applyTransition(s.database.db, {
    user,
    context,
    seen: { state: context.edition.lifecycleState, count: history.length },
    form,
    now: s.clock(),
    publicUrl: PUBLIC_URL,
  });
  if (!result.ok) throw new Error(`demo: ${form.event} refused: ${JSON.stringify(result.error)}`);
  return result.value;
}

async function createPlanWithTree(
  s: Seeding,
  input: { title: string; periodStartsOn: string; periodEndsOn: string },
  era: 'current' | 'earlier',
) {
  const db = s.database.db;
  const { plan, edition } = await plans.createPlan(db, s.people.officer, s.body.id, { ...input, vision: '' }, s.clock());
  await db.transaction(async (tx) => {
    await tx.delete(statutorySections).where(eq(statutorySections.editionId, edition.id));
    await tx.delete(dutyStatements).where(eq(dutyStatements.editionId, edition.id));
    const tree = demoPlanTree(s.partnerIds, era);
    await tx.update(editions).set({ vision: tree.vision }).where(eq(editions.id, edition.id));
    await insertEditionTree(tx, edition.id, tree);
  });
  return { plan, edition };
}

/**
 * The plan Northmoor issued after the 2021 election (postponed from 2020), taken through every
 * step of PRSRA 2011 s.5(6) to issue (s.5(1), s.18), so the public site has a plan in force and
 * the panel's recommendations with their published responses.
 */
export async function seedEarlierPlan(s: Seeding): Promise<{ planId: string }> {
  const { officer, panelOfficer, commissioner } = s.people;
  // The plan has effect until its successor is issued. The demo runs on today's clock, and the
  // 2024–29 draft is still with the panel, so its period is taken to the end of this financial
  // year (the extension an addendum would make, as in seed 001); otherwise the daily job would
  // expire it and the public site would have no plan in force.
  const fyEnd = `${Number(s.today.slice(0, 4)) + (s.today.slice(5) > '03-31' ? 1 : 0)}-03-31`;
  const { plan } = await createPlanWithTree(
    s,
    {
      title: 'Safer Northmoor: Police and Crime Plan',
      periodStartsOn: '2021-07-01',
      periodEndsOn: fyEnd > '2025-03-31' ? fyEnd : '2025-03-31',
    },
    'earlier',
  );
  const id = plan.id;
  await step(s, officer, id, {
    event: 'consult_chief_constable',
    happenedOn: '2021-06-14',
    how: 'Meeting of the Commissioner and the Chief Constable at force headquarters, followed by written comments on the draft.',
    views:
      'The Chief Constable supported the five priorities and asked that the measure on 101 waiting times be reported by district, not only force-wide.',
  });
  await step(s, officer, id, {
    event: 'send_to_panel',
    happenedOn: '2021-06-28',
    reviewWindowEndsOn: '2021-07-26',
    waiverReason:
      'The Strategic Policing Requirement is answered in the Chief Constable’s own assessment, sent to the panel with the draft.',
  });
  await step(s, panelOfficer, id, {
    event: 'record_panel_report',
    happenedOn: '2021-07-22',
    summary:
      'The panel reviewed the draft plan at its meeting of 22 July 2021, heard from the Commissioner and the Chief Constable, and supports its priorities with two recommendations.',
    recommendations: [
      'Set a target for the measure on violence with injury, so the panel can judge progress against it.',
      'Say which commitments the Commissioner controls and which depend on partners, so residents know who is responsible.',
    ],
    noRecommendations: false,
    resolution: 'That the report and its recommendations be sent to the Commissioner.',
    votesFor: 8,
    votesAgainst: 0,
    abstentions: 1,
    unanimous: false,
  });
  const [first, second] = await listForEdition(s.database.db, (await editionContext(s, id)).edition.id);
  await step(s, officer, id, {
    event: 'give_response',
    happenedOn: '2021-08-12',
    response: 'The Commissioner thanks the panel for its careful review and responds to each recommendation below.',
    answers: [
      {
        id: first!.id,
        version: first!.version,
        status: 'partly_accepted',
        text: 'A target will be set once a year of post-pandemic figures is available; until then the trend is reported to every panel meeting.',
      },
      {
        id: second!.id,
        version: second!.version,
        status: 'accepted',
        text: 'Accepted. Every commitment now says whether the Commissioner controls it or influences partners, and names the partner.',
      },
    ],
  });
  await step(s, officer, id, { event: 'publish_response', happenedOn: '2021-08-16', url: `${PUBLIC_URL}/${s.body.slug}/recommendations` });
  // PRSRA 2011 s.18(7): issuing the plan is the commissioner's alone.
  await step(s, commissioner, id, {
    event: 'issue',
    happenedOn: '2021-08-31',
    reference: 'PCC/DR/2021/014',
    decidedBy: 'Sam Okafor, Police and Crime Commissioner',
  });
  return { planId: id };
}

/** The 2024–29 draft: the chief constable consulted, then sent to the panel (with the reason it goes incomplete). */
export async function seedDraftProcess(s: Seeding, planId: string) {
  const { officer } = s.people;
  await step(s, officer, planId, {
    event: 'consult_chief_constable',
    happenedOn: addDays(s.today, -49),
    how: 'Draft sent to the Chief Constable; discussed at the Commissioner’s accountability board.',
    views:
      'The Chief Constable welcomed the focus on neighbourhood policing and asked for the vehicle replacement commitment to allow for supply delays.',
  });
  await step(s, officer, planId, {
    event: 'send_to_panel',
    happenedOn: addDays(s.today, -35),
    reviewWindowEndsOn: addDays(s.today, 7),
    waiverReason:
      'The equality impact assessment is being finished with the councils’ equality leads; the statement will be added before the plan is issued.',
  });
}

/** A panel member's question on a priority of the shared draft, and the office's reply. */
export async function seedCommentThread(s: Seeding, planId: string) {
  const db = s.database.db;
  const context = await editionContext(s, planId);
  const tree = await loadEditionTree(db, context.edition.id, context.edition.vision);
  const priority = tree.priorities.find((p) => p.title === 'Preventing and deterring crime')!;
  const element = commentableElements(tree, context.plan.id).find((e) => e.lineageId === priority.lineageId)!;
  const thread = await comments.addComment(
    db,
    s.people.panelMember,
    context,
    element,
    'The measure on violence with injury has no target. How will the panel know whether this priority is being met?',
    null,
    s.clock(),
  );
  unwrap(
    await comments.setStatus(
      db,
      s.people.officer,
      context,
      element,
      thread,
      thread.version,
      'addressed',
      'Thank you. The next draft sets a target of a 10% reduction by 2027, agreed with the force’s analysts, and reports it quarterly.',
      s.clock(),
    ),
    'comment reply',
  );
}

/** Northmoor's panel: members, a formal meeting on the draft, a workshop with its link-member report, and actions. */
export async function seedScrutiny(s: Seeding, draftEditionId: string) {
  const db = s.database.db;
  const context = () => ({
    db,
    actor: s.people.panelOfficer,
    panel: { policingBodyId: s.body.id, scrutinyBodyId: s.panelId },
    now: s.clock(),
  });
  const member = async (input: Parameters<typeof scrutiny.savePanelMember>[1]) =>
    unwrap(await scrutiny.savePanelMember(context(), input, null), `member ${input.name}`);
  const base = { linkThemes: '', email: null, startsOn: '2024-06-20', endsOn: null };
  const chair = await member({
    ...base,
    name: 'Councillor Jo Pritchard',
    kind: 'councillor',
    council: 'Northmoor County Council',
    party: 'Labour',
    role: 'chair',
    email: 'panel.member@northmoor.example',
  });
  const vice = await member({
    ...base,
    name: 'Councillor Alun Berridge',
    kind: 'councillor',
    council: 'Eastfell District Council',
    party: 'Conservative',
    role: 'vice_chair',
  });
  const third = await member({
    ...base,
    name: 'Councillor Nadia Farooq',
    kind: 'councillor',
    council: 'Kingsholm City Council',
    party: 'Liberal Democrat',
    role: 'member',
  });
  const fourth = await member({
    ...base,
    name: 'Councillor Gareth Lowe',
    kind: 'councillor',
    council: 'Westmarsh Borough Council',
    party: 'Green Party',
    role: 'member',
  });
  const coopted = await member({
    ...base,
    name: 'Helen Marsh',
    kind: 'independent',
    council: '',
    party: '',
    role: 'member',
    linkThemes: 'Police and Crime Plan; victims and witnesses',
    startsOn: '2022-09-01',
  });

  // A workshop on the draft, before it was formally sent, and the link member's report of it (as seed 000).
  const workshopOn = addDays(s.today, -42);
  const workshop = unwrap(
    await scrutiny.saveMeeting(
      context(),
      {
        kind: 'workshop',
        title: 'Police and Crime Plan workshop',
        heldOn: workshopOn,
        startsAt: '10:00',
        place: 'Committee Room 2, County Hall, Northmoor',
        onlineLink: null,
      },
      null,
    ),
    'workshop',
  );
  const report = unwrap(
    await scrutiny.saveLinkMemberReport(
      context(),
      {
        panelMemberId: coopted.id,
        title: 'Link member report – development of the Police and Crime Plan 2024–29',
        meetingId: workshop.id,
        eventOn: workshopOn,
        highlights: [
          'The Commissioner’s office set out its aims and the group discussed each of the five proposed priorities in turn.',
          '- Serious violence and county lines need a clearer place in the plan, with the Serious Violence Duty named.',
          '- Several measures have no target yet; members asked for targets, or a date by which they will be set.',
          '- Wording should make clear which commitments the Commissioner controls and which depend on partners.',
          '- Members want more on how victims are kept informed, and on rural crime.',
        ].join('\n'),
        nextSteps: [
          '- Circulate the outputs of the day to all members.',
          '- The office to send the first draft to the panel for its formal review.',
          '- Panel to consider the draft at its next public meeting; report to the Commissioner within the review window.',
        ].join('\n'),
      },
      null,
    ),
    'link-member report',
  );

  // The formal public meeting that considered the draft (PRSRA 2011 s.28(3)).
  const meetingOn = addDays(s.today, -14);
  let meeting = unwrap(
    await scrutiny.saveMeeting(
      context(),
      {
        kind: 'formal_public',
        title: 'Northmoor Police and Crime Panel',
        heldOn: meetingOn,
        startsAt: '14:00',
        place: 'Council Chamber, County Hall, Northmoor',
        onlineLink: null,
      },
      null,
    ),
    'meeting',
  );
  meeting = unwrap(
    await scrutiny.recordAttendance(context(), meeting, meeting.version, [
      { panelMemberId: chair.id, attendance: 'present', declarationOfInterest: '' },
      { panelMemberId: vice.id, attendance: 'present', declarationOfInterest: '' },
      {
        panelMemberId: third.id,
        attendance: 'present',
        declarationOfInterest: 'A trustee of Kingsholm Women’s Aid, which receives a grant from the Commissioner (item 2).',
      },
      { panelMemberId: fourth.id, attendance: 'apologies', declarationOfInterest: '' },
      { panelMemberId: coopted.id, attendance: 'present', declarationOfInterest: '' },
    ]),
    'attendance',
  );
  const item = async (title: string, purpose: string, editionId: string | null, minutes: string) => {
    const made = unwrap(await scrutiny.saveAgendaItem(context(), meeting, { title, purpose, editionId }, null), title);
    return unwrap(await scrutiny.saveMinutes(context(), meeting, made, made.version, minutes), `${title} minutes`);
  };
  await item(
    'Apologies and declarations of interest',
    '',
    null,
    'Apologies were received from Councillor Gareth Lowe. Councillor Nadia Farooq declared an interest in item 2 as a trustee of Kingsholm Women’s Aid and took no part in the vote.',
  );
  const planItem = await item(
    'Police and Crime Plan 2024–29: draft',
    'To review the Commissioner’s draft Police and Crime Plan and make a report to the Commissioner (PRSRA 2011 s.28(3)).',
    draftEditionId,
    [
      'The Commissioner introduced the draft plan and the Chief Constable described how the force would deliver it.',
      'Members welcomed the five priorities and the commitment to a named neighbourhood officer for every ward.',
      'Members were concerned that several measures, including violence with injury, had no target, and that the equality statement was not yet written.',
      'The Commissioner agreed to send the equality impact assessment to members before the plan is issued.',
    ].join('\n\n'),
  );
  await item(
    'Work programme',
    'To agree the panel’s work programme for the year.',
    null,
    'The work programme was agreed, with the precept meeting in February.',
  );
  unwrap(
    await scrutiny.saveResolution(
      context(),
      planItem,
      {
        text: 'That the panel supports the priorities of the draft plan and asks the Commissioner to set targets for every measure before the plan is issued; the chair to write to the Commissioner with the panel’s report.',
        votesFor: 3,
        votesAgainst: 0,
        abstentions: 1,
        unanimous: false,
        isEndorsement: false,
      },
      null,
    ),
    'resolution',
  );

  // Two actions: one from the meeting now overdue, one from the workshop still in progress.
  unwrap(
    await scrutiny.saveAction(
      context(),
      {
        description: 'Send members the baseline figures for 101 waiting times by district.',
        ownerName: 'Priya Lawson, Office of the Commissioner',
        ownerUserId: s.people.officer.id,
        dueOn: addDays(s.today, -7),
        status: 'open',
        completedOn: null,
        update: '',
      },
      { meetingId: meeting.id, agendaItemId: planItem.id, linkMemberReportId: null },
      null,
    ),
    'overdue action',
  );
  unwrap(
    await scrutiny.saveAction(
      context(),
      {
        description: 'Circulate the outputs of the workshop to every member of the panel.',
        ownerName: 'Chris Ahmed, panel officer',
        ownerUserId: s.people.panelOfficer.id,
        dueOn: addDays(s.today, 21),
        status: 'in_progress',
        completedOn: null,
        update: 'Notes typed up; waiting for the office’s slides.',
      },
      { meetingId: workshop.id, agendaItemId: null, linkMemberReportId: report.id },
      null,
    ),
    'action',
  );
}

/** Elections (2020's postponed to 2021, 2024 held, 2028 next) and the next precept round. */
export async function seedCalendar(s: Seeding) {
  const db = s.database.db;
  const { officer } = s.people;
  const elections = [
    { scheduledOn: '2020-05-07', heldOn: '2021-05-06', note: 'Postponed by the Coronavirus Act 2020 s.60.' },
    { scheduledOn: '2024-05-02', heldOn: '2024-05-02', note: '' },
    { scheduledOn: '2028-05-04', heldOn: null, note: '' },
  ];
  for (const election of elections) await calendar.createElection(db, officer, s.body.id, election, s.clock());
  // The precept round of the coming winter (or of this one, if the demo runs in January or February).
  const year = Number(s.today.slice(0, 4)) + (s.today.slice(5) > '02-22' ? 1 : 0);
  await calendar.addPreceptTimetable(db, officer, s.body.id, s.panelId, year, s.clock());
}

/** Runs every part in order: the earlier plan to issue, then the draft, scrutiny, comments and calendar. */
export async function seedProcess(database: DatabaseHandle, args: Omit<Seeding, 'database'> & { draftPlanId: string }) {
  const s: Seeding = { ...args, database };
  await seedCalendar(s);
  const earlier = await seedEarlierPlan(s);
  await seedPerformance(database, { officer: s.people.officer, slug: s.body.slug, planId: earlier.planId, today: s.today, clock: s.clock });
  await seedDraftProcess(s, args.draftPlanId);
  await seedCommentThread(s, args.draftPlanId);
  const draft = await editionContext(s, args.draftPlanId);
  await seedScrutiny(s, draft.edition.id);
}
