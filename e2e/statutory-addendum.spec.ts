import { expect, test, type Page } from '@playwright/test';
import { AccessibilityAudit } from './support/accessibility.ts';
import { cast, Journey, roles } from './support/journey.ts';
import { currentPlanPeriod, devonAndCornwallPlanJson, editionLabel } from './support/plan-fixture.ts';

/**
 * The addendum of seed 001: the elections were postponed (Coronavirus Act 2020), so the
 * commissioner's term ran a year longer and an addendum carried the issued plan on. The addendum
 * is a new edition of the plan that goes through the same statutory process; the panel endorses
 * it by a unanimous vote (recorded, never required: the panel has no veto), the commissioner
 * issues it, and the public site shows it in force with the principal changes from the plan it
 * extends. The first edition is issued quickly at the start. Runs with and without JavaScript,
 * and checks every page with axe.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;
let audit: AccessibilityAudit;
let journey: Journey;

const slug = `leicestershire-addendum-${Date.now().toString(36)}`;
const bodyName = 'Police and Crime Commissioner for Leicester, Leicestershire and Rutland';
const panelName = 'Leicester, Leicestershire and Rutland Police and Crime Panel';
const period = currentPlanPeriod();
const edition1 = editionLabel(period, 1);
const edition2 = `${editionLabel(period, 2)} (addendum)`;
// The addendum carries the plan on for a further year (seed 001: elections postponed a year).
const extendedEnd = { day: '31', month: '3', year: String(Number(period.endsOn.slice(0, 4)) + 1) };
const extendedEndText = `31 March ${extendedEnd.year}`;
const originalEndText = `31 March ${period.endsOn.slice(0, 4)}`;
const addendumVision =
  'Safe, resilient and connected communities. This addendum carries the plan on for a further year, because the elections ' +
  'due in May 2020 were postponed to May 2021 and the commissioner’s term of office was extended.';
const endorsement = 'That the Panel approves and supports in full the revisions to the Police and Crime Plan and Addendum.';
const minutes =
  'The Police and Crime Panel considered a report setting out the principal changes to the Police and Crime Plan in the form of an addendum. ' +
  'The Commissioner explained how the Covid 19 crisis had led to the postponement of the elections until May 2021.';

const project = () => test.info().project.name;
const everyone = () => cast(project(), slug, 'Lord Bach');

test.beforeAll(async ({ browser, javaScriptEnabled }) => {
  const context = await browser.newContext();
  page = await context.newPage();
  audit = new AccessibilityAudit(page, javaScriptEnabled);
  journey = new Journey(page, audit);
});

test.afterAll(async () => {
  await audit.close();
  await page.context().close();
});

async function openEdition(label: string) {
  await journey.openBody(bodyName);
  await journey.open('Police and Crime Plans', 'Police and Crime Plans');
  await journey.open(period.title, period.title);
  await journey.open(label, period.title);
}

/** As the office, on the process page of a draft: consult the chief constable and send it to the panel. */
async function consultAndSend(views: string) {
  await journey.takeStep('Record the consultation of the chief constable', async () => {
    await page.getByLabel('How the chief constable was consulted').fill('Meeting of the chief constable with the commissioner');
    await page.getByLabel('Summary of the chief constable’s views').fill(views);
  });
  await journey.takeStep('Send the draft to the panel', async () => {
    await expect(page.getByText('The completeness check passes')).toBeVisible();
  });
  await expect(journey.currentState()).toHaveText('Sent to the panel');
}

/** As the office, on the process page after the panel's report: respond (no recommendations) and publish. */
async function respondAndPublish() {
  await journey.takeStep('Give the response to the panel', async () => {
    await page.getByLabel('The commissioner’s response to the panel’s report').fill('The commissioner thanks the Panel for its report.');
  });
  await journey.takeStep('Publish the response', async () => {});
  await expect(journey.currentState()).toHaveText('Response published');
}

async function issue(reference: string) {
  await journey.takeStep('Issue the plan', async () => {
    await page.getByLabel('Decision record reference').fill(reference);
  });
  await expect(journey.currentState()).toHaveText('In force');
}

test('the administrator adds the body and its panel, and invites the commissioner, an officer and the panel’s officer', async ({
  baseURL,
}) => {
  await journey.signInAsAdministrator(baseURL, project());
  await journey.addBodyWithPanel({
    name: bodyName,
    slug,
    panelName,
    forceArea: 'Leicestershire Police',
    holderName: 'Lord Bach',
    hostAuthority: 'Leicestershire County Council',
  });
  const { commissioner, officer, panelOfficer } = everyone();
  await journey.invite([
    { person: commissioner, role: roles.commissioner },
    { person: officer, role: roles.officer },
    { person: panelOfficer, role: roles.panelOfficer },
  ]);
  await journey.signOut();
  for (const person of [commissioner, officer, panelOfficer]) {
    await journey.acceptInvitation(person);
    await journey.signOut();
  }
});

test('the plan is issued: consulted, sent, reported on without recommendations, responded to and issued by the commissioner', async () => {
  await journey.signIn(everyone().officer);
  await journey.openBody(bodyName);
  await journey.importPlan(period.title, devonAndCornwallPlanJson(period));
  await journey.openProcess();
  await consultAndSend('The chief constable supports the plan.');
  await journey.takeStep('Record the panel’s report', async () => {
    await page.getByLabel('Summary of the panel’s report').fill('The Panel supported the plan.');
    await page.getByLabel('The panel made no recommendations').check();
  });
  await respondAndPublish();
  await journey.signOut();

  await journey.signIn(everyone().commissioner);
  await openEdition(edition1);
  await journey.openProcess();
  await issue('DN 2017/01');
  await journey.signOut();
});

test('the officer makes an addendum extending the plan after the postponed elections, and sends it to the panel', async () => {
  await journey.signIn(everyone().officer);
  await openEdition(edition1);
  await journey.open(/^Make a new edition from this one/, /^Make a new edition from/);
  await page.getByLabel('Addendum').check();
  await journey.submit('Make the new edition', period.title, 'the addendum, a draft');
  await expect(page.getByText(`${edition2} has been made from ${edition1}`)).toBeVisible();

  await journey.open('Change the vision', 'Vision');
  await page.getByLabel('The commissioner’s vision').fill(addendumVision);
  await journey.submit('Save', period.title);
  await expect(page.getByText(addendumVision)).toBeVisible();

  await journey.open('Change the plan period (for example, to extend it)', 'Change the plan period');
  await journey.fillDate('New end of the plan period', extendedEnd.day, extendedEnd.month, extendedEnd.year);
  await journey.submit('Save the new end date', period.title);
  await expect(page.getByText(`This edition changes the plan period to end on ${extendedEndText}.`)).toBeVisible();

  await journey.openProcess();
  await expect(journey.currentState()).toHaveText('Drafting');
  await consultAndSend('The chief constable supports carrying the plan on for the extra year.');
  await journey.signOut();
});

test('the panel endorses the addendum at a formal public meeting, and its officer records the endorsement and the report', async () => {
  await journey.signIn(everyone().panelOfficer);
  await journey.openBody(bodyName);
  await journey.recordMeeting({
    panelName,
    title: 'Police and Crime Panel',
    item: 'The Police and Crime Plan addendum',
    purpose: 'Members to receive a report presenting the draft addendum to the Police and Crime Plan for approval by the Panel.',
    edition: `${period.title}: ${edition2}`,
    minutes,
    resolution: endorsement,
    vote: 'Unanimously',
    isEndorsement: true,
  });
  await expect(page.getByText('Endorsement of the plan')).toBeVisible();

  await journey.follow(page.getByRole('link', { name: `${period.title}: ${edition2}` }));
  await journey.expectHeading(period.title);
  await journey.check('the addendum, as the panel sees it');
  await journey.openProcess();
  await journey.takeStep('Record the panel’s endorsement', async () => {
    await page.getByLabel('The resolution the panel agreed').fill(endorsement);
    await page.getByLabel('The vote was unanimous').check();
  });
  // An endorsement is recorded without moving the edition on.
  await expect(journey.currentState()).toHaveText('Sent to the panel');
  await expect(page.getByRole('heading', { level: 3, name: /^Record the panel’s endorsement/ })).toBeVisible();

  await journey.takeStep('Record the panel’s report', async () => {
    await page.getByLabel('Summary of the panel’s report').fill('The Panel approved the addendum unanimously.');
    await page.getByLabel('The panel made no recommendations').check();
    await page.getByLabel('The panel’s resolution (optional)').fill(endorsement);
  });
  await expect(journey.currentState()).toHaveText('Panel report received');
  await journey.signOut();
});

test('the office responds and publishes, and the commissioner issues the addendum', async () => {
  await journey.signIn(everyone().officer);
  await openEdition(edition2);
  await journey.openProcess();
  await respondAndPublish();
  await journey.signOut();

  await journey.signIn(everyone().commissioner);
  await openEdition(edition2);
  await journey.openProcess();
  await issue('DN 2020/07');
  await journey.signOut();
});

test('the public site shows the addendum in force, and the principal changes show what it changed', async () => {
  await journey.visit(`/${slug}`, 'Police and crime plan');
  await expect(page.getByRole('heading', { level: 2, name: period.title })).toBeVisible();
  await expect(page.getByText(edition2)).toBeVisible();
  // The plan in force now runs a year longer; the archive keeps the first edition's own period.
  await expect(page.getByText(`to ${extendedEndText}`).first()).toBeVisible();

  await journey.open('Every published edition', 'Every published edition');
  await expect(page.getByRole('row').filter({ hasText: edition1 })).toContainText(`to ${originalEndText}`);
  await expect(page.getByRole('row').filter({ hasText: edition2 })).toContainText(`to ${extendedEndText}`);

  await journey.visit(`/${slug}/changes`, 'Principal changes between editions');
  await expect(page.getByText('Vision').first()).toBeVisible();
  await expect(page.getByText(/postponed to May 2021/).first()).toBeVisible();
});

test('every page visited was checked with axe', () => {
  audit.expectEveryPageChecked();
});
