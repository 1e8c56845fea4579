import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditChain } from '../support/organisations-helpers.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { formVersion, startPlan } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { dateFields, minimalPdf, smallDocx, upload } from '../support/scrutiny.ts';
import { editions, measures, priorities } from '../../src/features/plans/plans.tables.ts';
import { agendaDocuments, agendaItemMeasures, meetingAttendance, resolutions } from '../../src/features/scrutiny/scrutiny.tables.ts';
import { listPublicMeetings, findPublicDocument } from '../../src/features/scrutiny/index.ts';

describeOnEveryEngine('panel meetings: attendance, agenda, documents, minutes and resolutions', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let member: Agent;
  let slug: string;
  let bodyId: string;
  let meetingUrl: string;
  let itemUrl: string;
  let editionId: string;
  let measureLineage: string;
  const ids: Record<string, string> = {};
  const db = () => context.database.db;

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, panel } = await createBody(context.database);
    slug = body.slug;
    bodyId = body.id;
    const panelOfficer = await createUser(context.database, {
      memberships: [{ policingBodyId: body.id, role: 'panel_officer', scrutinyBodyId: panel.id }],
    });
    const panelMember = await createUser(context.database, {
      memberships: [{ policingBodyId: body.id, role: 'panel_member', scrutinyBodyId: panel.id }],
    });
    const office = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    officer = new Agent(app);
    member = new Agent(app);
    const commissionerOffice = new Agent(app);
    await officer.signIn(panelOfficer.email, PASSWORD);
    await member.signIn(panelMember.email, PASSWORD);
    await commissionerOffice.signIn(office.email, PASSWORD);

    // A plan edition sent to the panel, with one measure.
    const editionUrl = await startPlan(commissionerOffice, slug, { title: 'Police and Crime Plan 2017–21' });
    const [edition] = await db().select().from(editions);
    editionId = edition!.id;
    await db().update(editions).set({ lifecycleState: 'sent_to_panel' }).where(eq(editions.id, editionId));
    const [priority] = await db()
      .insert(priorities)
      .values({ editionId, position: 1, title: 'Protect the most vulnerable from harm' })
      .returning();
    const [measure] = await db()
      .insert(measures)
      .values({
        editionId,
        priorityId: priority!.id,
        position: 1,
        name: 'Repeat victims of domestic abuse',
        evidenceSource: 'performance_metric',
        unit: 'people',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
      })
      .returning();
    measureLineage = measure!.lineageId;
    expect(editionUrl).toContain('/editions/1');

    for (const [name, startsOn, endsOn] of [
      ['Councillor Asher Craig', '2018-05-01', ''],
      ['Councillor Former Member', '2016-05-01', '2017-05-01'],
    ] as const) {
      const added = await officer.submit(`/bodies/${slug}/scrutiny/members/new`, {
        name,
        kind: 'councillor',
        council: 'Bristol City Council',
        party: 'Labour',
        role: 'member',
        ...dateFields('startsOn', startsOn),
        ...(endsOn ? dateFields('endsOn', endsOn) : {}),
      });
      expect(added.statusCode).toBe(302);
    }
    ids.craig = /members\/([0-9a-f-]{36})\/edit/.exec((await officer.get(`/bodies/${slug}/scrutiny/members`)).body)![1]!;
  });
  afterAll(() => app.close());

  it('adds a workshop, refusing a bad time and a meeting with neither place nor link', async () => {
    const refused = await officer.submit(`/bodies/${slug}/scrutiny/meetings/new`, {
      kind: 'workshop',
      title: 'Police and Crime Plan workshop',
      ...dateFields('heldOn', '2018-11-09'),
      startsAt: '25:00',
    });
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryText(refused.body)).toContain('Enter the time in hours and minutes');
    expect(errorSummaryText(refused.body)).toContain('Enter where the meeting is held, or an online link');
    expect(refused.body).toContain('value="Police and Crime Plan workshop"');

    const made = await officer.submit(`/bodies/${slug}/scrutiny/meetings/new`, {
      kind: 'formal_public',
      title: 'Police and Crime Panel',
      ...dateFields('heldOn', '2018-11-09'),
      startsAt: '9:30',
      place: 'City Hall, Bristol',
      onlineLink: 'https://example.org/live',
    });
    expect(made.statusCode).toBe(302);
    meetingUrl = made.headers.location as string;
    ids.meeting = meetingUrl.split('/').pop()!;
    const page = await member.get(meetingUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Formal public meeting');
    expect(page.body).toContain('09:30');
    expect(page.body).toContain('City Hall, Bristol');
    expect(page.body).not.toContain('Add an agenda item');
  });

  it('records attendance and declarations for members on the panel that day only', async () => {
    const form = await officer.get(`${meetingUrl}/attendance`);
    expect(form.body).toContain('Councillor Asher Craig');
    expect(form.body).not.toContain('Councillor Former Member');
    const version = formVersion(form.body);
    const refused = await officer.post(`${meetingUrl}/attendance`, { version, [`attendance-${ids.craig}`]: 'asleep' });
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryText(refused.body)).toContain('Select whether the member was present');
    const saved = await officer.post(`${meetingUrl}/attendance`, {
      version,
      [`attendance-${ids.craig}`]: 'present',
      [`declaration-${ids.craig}`]: 'Trustee of a victims’ charity funded by the commissioner',
    });
    expect(saved.statusCode).toBe(302);
    const rows = await db().select().from(meetingAttendance);
    expect(rows).toMatchObject([
      { attendance: 'present', declarationOfInterest: 'Trustee of a victims’ charity funded by the commissioner' },
    ]);
    const page = await member.get(meetingUrl);
    expect(page.body).toContain('Trustee of a victims’ charity funded by the commissioner');
    // A second save from the same, now stale, form is a conflict, not a silent overwrite.
    const stale = await officer.post(`${meetingUrl}/attendance`, { version, [`attendance-${ids.craig}`]: 'absent' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Saved by someone else');
    expect((await db().select().from(meetingAttendance))[0]!.attendance).toBe('present');
  });

  it('adds agenda items linked to a shared edition and its measures, in order, and moves them', async () => {
    const refused = await officer.submit(`${meetingUrl}/items/new`, { title: '', editionId: '00000000-0000-4000-8000-000000000000' });
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryText(refused.body)).toContain('Enter the title of the agenda item');
    const form = await officer.get(`${meetingUrl}/items/new`);
    expect(form.body).toContain('Police and Crime Plan 2017–21');
    expect(
      (
        await officer.submit(`${meetingUrl}/items/new`, {
          title: 'Police and Crime Plan refresh',
          purpose: 'To review the draft',
          editionId,
        })
      ).statusCode,
    ).toBe(302);
    expect((await officer.submit(`${meetingUrl}/items/new`, { title: 'Public questions' })).statusCode).toBe(302);
    let page = await officer.get(meetingUrl);
    const itemIds = [...page.body.matchAll(/id="item-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(itemIds).toHaveLength(2);
    ids.item = itemIds[0]!;
    itemUrl = `${meetingUrl}/items/${ids.item}`;
    expect(page.body.indexOf('1. Police and Crime Plan refresh')).toBeLessThan(page.body.indexOf('2. Public questions'));

    await officer.post(`${meetingUrl}/items/${itemIds[1]}/move`, { direction: 'up' });
    page = await officer.get(meetingUrl);
    expect(page.body.indexOf('1. Public questions')).toBeLessThan(page.body.indexOf('2. Police and Crime Plan refresh'));
    await officer.post(`${itemUrl}/move`, { direction: 'up' });

    const measuresForm = await officer.get(`${itemUrl}/measures`);
    expect(measuresForm.body).toContain('Repeat victims of domestic abuse');
    const linked = await officer.post(`${itemUrl}/measures`, { version: formVersion(measuresForm.body), measures: measureLineage });
    expect(linked.statusCode).toBe(302);
    expect(await db().select().from(agendaItemMeasures)).toEqual([{ agendaItemId: ids.item, measureLineageId: measureLineage }]);
    page = await member.get(meetingUrl);
    expect(page.body).toContain('1. Police and Crime Plan refresh');
    expect(page.body).toContain('Repeat victims of domestic abuse');
  });

  it('uploads a real PDF and a real Word document, and serves them as attachments', async () => {
    const pdf = minimalPdf();
    const sent = await upload(
      officer,
      `${itemUrl}/documents/new`,
      { title: 'Report of the Chief Executive' },
      {
        name: 'report.pdf',
        type: 'application/pdf',
        content: pdf,
      },
    );
    expect(sent.statusCode).toBe(302);
    const docx = await smallDocx();
    const word = await upload(
      officer,
      `${itemUrl}/documents/new`,
      { title: 'Draft plan' },
      {
        name: 'Draft plan – refresh',
        type: 'application/octet-stream',
        content: docx,
      },
    );
    expect(word.statusCode).toBe(302);
    const stored = await db().select().from(agendaDocuments);
    expect(stored.map((d) => [d.title, d.mediaType, d.fileName, d.sizeBytes])).toEqual([
      ['Report of the Chief Executive', 'application/pdf', 'report.pdf', pdf.length],
      ['Draft plan', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Draft plan – refresh.docx', docx.length],
    ]);
    const { createHash } = await import('node:crypto');
    expect(stored[0]!.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    ids.pdf = stored[0]!.id;
    ids.docx = stored[1]!.id;

    const download = await member.get(`/bodies/${slug}/scrutiny/documents/${ids.pdf}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.rawPayload.equals(pdf)).toBe(true);
    const wordDownload = await member.get(`/bodies/${slug}/scrutiny/documents/${ids.docx}`);
    expect(wordDownload.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(wordDownload.headers['content-disposition']).toContain(`filename*=UTF-8''Draft%20plan%20%E2%80%93%20refresh.docx`);
    expect(wordDownload.rawPayload.equals(docx)).toBe(true);
    expect((await member.get(meetingUrl)).body).toContain('Report of the Chief Executive</a> (PDF, 1 KB)');
  });

  it('refuses a program renamed .pdf and a file over 10 MB, storing nothing', async () => {
    const before = (await db().select({ id: agendaDocuments.id }).from(agendaDocuments)).length;
    const exe = await upload(
      officer,
      `${itemUrl}/documents/new`,
      { title: 'Totally a report' },
      {
        name: 'report.pdf',
        type: 'application/pdf',
        content: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00'), Buffer.alloc(200, 0)]),
      },
    );
    expect(exe.statusCode).toBe(400);
    expect(errorSummaryText(exe.body)).toContain('The selected file must be a PDF, a Word document (.docx) or an OpenDocument text (.odt)');
    expect(exe.body).toContain('value="Totally a report"');
    const tooBig = await upload(
      officer,
      `${itemUrl}/documents/new`,
      { title: 'Huge appendix' },
      {
        name: 'appendix.pdf',
        type: 'application/pdf',
        content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024, 0x20)]),
      },
    );
    expect(tooBig.statusCode).toBe(413);
    expect(errorSummaryText(tooBig.body)).toContain('The selected file must be smaller than 10 MB');
    expect(tooBig.body).toContain('href="#file"');
    const none = await upload(
      officer,
      `${itemUrl}/documents/new`,
      { title: 'Nothing' },
      { name: '', type: 'application/octet-stream', content: Buffer.alloc(0) },
    );
    expect(none.statusCode).toBe(400);
    expect(errorSummaryText(none.body)).toContain('Select a report document');
    expect((await db().select({ id: agendaDocuments.id }).from(agendaDocuments)).length).toBe(before);
    // Panel members read documents but do not upload them.
    expect((await member.get(`${itemUrl}/documents/new`)).statusCode).toBe(403);
  });

  it('records minutes with optimistic locking', async () => {
    const form = await officer.get(`${itemUrl}/minutes`);
    const version = formVersion(form.body);
    expect(
      (
        await officer.post(`${itemUrl}/minutes`, {
          version,
          minutes: 'The panel discussed the draft.\nMembers asked for clearer measures.',
        })
      ).statusCode,
    ).toBe(302);
    const stale = await officer.post(`${itemUrl}/minutes`, { version, minutes: 'Overwritten' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Members asked for clearer measures.');
    expect((await member.get(meetingUrl)).body).toContain('Members asked for clearer measures.');
  });

  it('records resolutions with votes, refusing a unanimous vote with votes against', async () => {
    const unanimousAgainst = await officer.submit(`${itemUrl}/resolutions/new`, {
      text: 'That the panel endorses the plan',
      voteKind: 'unanimous',
      votesFor: '9',
      votesAgainst: '1',
    });
    expect(unanimousAgainst.statusCode).toBe(400);
    expect(errorSummaryText(unanimousAgainst.body)).toContain('A unanimous resolution has no votes against');
    expect(unanimousAgainst.body).toContain('That the panel endorses the plan');
    const noCount = await officer.submit(`${itemUrl}/resolutions/new`, { text: 'That the panel notes the report', voteKind: 'counted' });
    expect(errorSummaryText(noCount.body)).toContain('Enter the number of votes for');

    for (const fields of [
      { text: 'That the panel recommends clearer measures', voteKind: 'counted', votesFor: '7', votesAgainst: '2', abstentions: '1' },
      { text: 'That the panel endorses the plan', voteKind: 'unanimous', votesFor: '10', isEndorsement: 'yes' },
      { text: 'That the panel notes the report', voteKind: 'without_vote', votesFor: '3' },
    ] as Record<string, string>[]) {
      expect((await officer.submit(`${itemUrl}/resolutions/new`, fields)).statusCode).toBe(302);
    }
    const rows = await db().select().from(resolutions).orderBy(resolutions.position);
    expect(rows.map((r) => [r.position, r.votesFor, r.votesAgainst, r.abstentions, r.unanimous, r.isEndorsement])).toEqual([
      [1, 7, 2, 1, false, false],
      [2, 10, null, null, true, true],
      [3, null, null, null, false, false],
    ]);
    const page = await member.get(meetingUrl);
    expect(page.body).toContain('7 for, 2 against, 1 abstention');
    expect(page.body).toContain('Unanimous (10 for)');
    expect(page.body).toContain('Agreed without a vote');
    expect(page.body).toContain('Endorsement of the plan');

    const edit = await officer.get(`${itemUrl}/resolutions/${rows[0]!.id}/edit`);
    expect(edit.body).toContain('value="7"');
    const changed = await officer.post(`${itemUrl}/resolutions/${rows[0]!.id}/edit`, {
      text: 'That the panel recommends clearer measures',
      voteKind: 'counted',
      votesFor: '8',
      votesAgainst: '1',
      abstentions: '1',
      version: formVersion(edit.body),
    });
    expect(changed.statusCode).toBe(302);
    const stale = await officer.post(`${itemUrl}/resolutions/${rows[0]!.id}/edit`, {
      text: 'Stale',
      voteKind: 'without_vote',
      version: formVersion(edit.body),
    });
    expect(stale.statusCode).toBe(409);
  });

  it('gives the public site formal public meetings with items, minutes, resolutions and document details', async () => {
    await officer.submit(`/bodies/${slug}/scrutiny/meetings/new`, {
      kind: 'private_session',
      title: 'Private briefing',
      ...dateFields('heldOn', '2018-12-01'),
      place: 'Committee Room 1',
    });
    const meetings = await listPublicMeetings(db(), bodyId);
    expect(meetings.map((m) => m.title)).toEqual(['Police and Crime Panel']);
    const [item] = meetings[0]!.items;
    expect(item).toMatchObject({ title: 'Police and Crime Plan refresh', minutes: expect.stringContaining('clearer measures') });
    expect(item!.resolutions).toHaveLength(3);
    expect(item!.documents.map((d) => d.title)).toEqual(['Report of the Chief Executive', 'Draft plan']);
    expect(item!.documents[0]).not.toHaveProperty('content');
    const document = await findPublicDocument(db(), bodyId, ids.pdf!);
    expect(document?.mediaType).toBe('application/pdf');
    expect(await findPublicDocument(db(), bodyId, 'not-an-id')).toBeUndefined();
  });

  it('audits every change', async () => {
    const actions = (await auditChain(context.database)).map((e) => e.action);
    for (const action of [
      'panel_member.created',
      'meeting.created',
      'meeting.attendance_recorded',
      'agenda_item.created',
      'meeting.agenda_reordered',
      'agenda_item.measures_linked',
      'agenda_document.uploaded',
      'agenda_item.minutes_recorded',
      'resolution.created',
      'resolution.updated',
    ]) {
      expect(actions).toContain(action);
    }
  });
});
