import { expect, test, type Page } from '@playwright/test';
import { AccessibilityAudit } from './support/accessibility.ts';
import { cast, Journey, roles } from './support/journey.ts';
import { currentPlanPeriod, devonAndCornwallPlanJson, editionLabel } from './support/plan-fixture.ts';

/**
 * The Devon and Cornwall story of seed 004: the commissioner's office consults the chief
 * constable and sends the draft plan to the Police and Crime Panel; at a formal public meeting
 * the panel welcomes its direction but asks for a further draft addressing its concerns; the
 * office changes the plan, consults the chief constable again and sends draft 2; the panel
 * reports with recommendations; the office responds to each and publishes the responses; the
 * commissioner (and nobody else: PRSRA 2011 s.18) issues the plan with a decision record; and
 * the body's public site shows the plan in force, the responses and the meeting's minutes and
 * resolution. Everyone signs in as themselves, after accepting an e-mailed invitation. Runs in
 * both projects, with and without JavaScript, and checks every page with axe.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;
let audit: AccessibilityAudit;
let journey: Journey;

const slug = `devon-and-cornwall-process-${Date.now().toString(36)}`;
const bodyName = 'Police and Crime Commissioner for Devon and Cornwall';
const panelName = 'Devon and Cornwall Police and Crime Panel';
const period = currentPlanPeriod();
const edition1 = editionLabel(period, 1);
const meetingTitle = 'Police and Crime Panel';
const agendaPurpose = 'The Panel will review the new Police and Crime Commissioner’s Police and Crime Plan.';
const minutes =
  'The Panel received a report from the Police and Crime Commissioner entitled ‘Development of the Police and Crime Plan’. ' +
  'The Chair pointed out that whilst the Plan was comprehensive, it was extremely difficult to navigate through and it needed to be streamlined greatly before being made public.';
const resolution =
  'That the Police and Crime Commissioner produces a further draft of the Police and Crime Plan for consideration by the Panel, addressing the concerns raised by the Panel.';
// The panel's concerns, as minuted (seed 004, resolution (2)).
const concerns = [
  'Greater prominence for the peninsular strategic assessment',
  'Clearer delineation between the strategic, operational and partner responsibilities throughout the Plan',
  'More explicit emphasis around the ICT strategy',
  'Clearer measures around the priorities',
];
const recommendations = [
  'Publish the Plan in an easier to read format when it is launched',
  'Report to the Panel on the delayed charging and diversion scheme within a year',
];
const ictObjective = 'Deliver the ICT strategy with Dorset Police: converged systems, digital forensics and body-worn video';
const decisionReference = 'DN 2016/017';

const project = () => test.info().project.name;
const everyone = () => cast(project(), slug);

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

async function openEdition(who: 'office' | 'panel') {
  await journey.openBody(bodyName);
  await journey.open('Police and Crime Plans', 'Police and Crime Plans');
  await journey.open(period.title, period.title);
  await journey.open(edition1, period.title);
  if (who === 'office') await expect(page.getByRole('link', { name: /^Statutory process: / })).toBeVisible();
}

test('the administrator adds the body and its panel, and invites the commissioner, an officer and the panel’s officer', async ({
  baseURL,
}) => {
  await journey.signInAsAdministrator(baseURL, project());
  await journey.addBodyWithPanel({ name: bodyName, slug, panelName });
  const { commissioner, officer, panelOfficer } = everyone();
  await journey.invite([
    { person: commissioner, role: roles.commissioner },
    { person: officer, role: roles.officer },
    { person: panelOfficer, role: roles.panelOfficer },
  ]);
  await journey.signOut();
});

test('each of them accepts the invitation from the e-mail', async () => {
  const { commissioner, officer, panelOfficer } = everyone();
  for (const person of [commissioner, officer, panelOfficer]) {
    await journey.acceptInvitation(person);
    await journey.signOut();
  }
});

test('the officer imports the draft plan; it cannot go to the panel before the chief constable is consulted', async () => {
  await journey.signIn(everyone().officer);
  await journey.openBody(bodyName);
  await journey.importPlan(period.title, devonAndCornwallPlanJson(period));
  await journey.open('Check the plan has everything the law requires', 'Statutory completeness check');
  await expect(page.getByText(/Not met/)).toHaveCount(0);
  await journey.follow(page.getByRole('link', { name: 'Back to the edition' }));
  await journey.expectHeading(period.title);
  await journey.check();

  await journey.openProcess();
  await expect(journey.currentState()).toHaveText('Drafting');
  const send = page.getByRole('listitem').filter({ hasText: 'Send the draft to the panel' });
  await expect(send).toContainText('Not yet');
  await expect(send).toContainText('Record the consultation of the chief constable first');
  await expect(send.getByRole('link')).toHaveCount(0);
});

test('the officer records the consultation of the chief constable and sends the draft to the panel', async () => {
  await journey.takeStep('Record the consultation of the chief constable', async () => {
    await page
      .getByLabel('How the chief constable was consulted')
      .fill('Meeting of the chief constable and chief officers with the commissioner');
    await page
      .getByLabel('Summary of the chief constable’s views')
      .fill('The chief constable supports the priorities and asks that the plan say who is responsible for each part of it.');
  });
  await expect(journey.currentState()).toHaveText('Chief constable consulted');

  await journey.takeStep('Send the draft to the panel', async () => {
    await expect(page.getByText('The completeness check passes')).toBeVisible();
  });
  await expect(journey.currentState()).toHaveText('Sent to the panel');
  await journey.signOut();
});

test('the panel officer records the formal public meeting, its agenda item, minutes and resolution', async () => {
  await journey.signIn(everyone().panelOfficer);
  await journey.openBody(bodyName);
  await journey.recordMeeting({
    panelName,
    title: meetingTitle,
    item: 'Police and Crime Plan',
    purpose: agendaPurpose,
    edition: `${period.title}: ${edition1}`,
    minutes,
    resolution,
    vote: 'Agreed without a vote',
  });
  await expect(page.getByText('it needed to be streamlined greatly')).toBeVisible();
});

test('the panel officer records the panel’s request for a further draft, with its concerns', async () => {
  await journey.follow(page.getByRole('link', { name: `${period.title}: ${edition1}` }));
  await journey.expectHeading(period.title);
  await journey.check('the shared draft, as the panel sees it');
  await journey.openProcess();
  await journey.takeStep('Record that the panel asked for a further draft', async () => {
    await page.getByLabel('Summary of what the panel said').fill('The Panel welcomed the sentiment and strategic direction of the Plan.');
    await page.getByLabel('What the panel asked the further draft to address').fill(concerns.join('\n'));
    await page.getByLabel('The panel’s resolution (optional)').fill(resolution);
  });
  await expect(journey.currentState()).toHaveText('Drafting');
  await expect(page.getByText('draft 2', { exact: false }).first()).toBeVisible();
  const register = page.getByRole('table', { name: 'Recommendations and responses' });
  for (const concern of concerns) await expect(register.getByRole('row').filter({ hasText: concern })).toContainText('No response yet');
  await journey.signOut();
});

test('the officer writes the second draft, consults the chief constable again and sends it to the panel', async () => {
  await journey.signIn(everyone().officer);
  await openEdition('office');
  await journey.open('Add an objective to priority 5', 'Add an objective');
  await page.getByLabel('Objective', { exact: true }).fill(ictObjective);
  await journey.follow(page.getByRole('button', { name: 'Save' }));
  await journey.expectHeading(period.title);
  await expect(page.getByRole('heading', { level: 4, name: `5.2 ${ictObjective}` })).toBeVisible();
  await journey.check('draft 2 with the ICT objective');

  await journey.openProcess();
  await journey.takeStep('Record the consultation of the chief constable', async () => {
    await page.getByLabel('How the chief constable was consulted').fill('Meeting with the chief constable on the further draft');
    await page
      .getByLabel('Summary of the chief constable’s views')
      .fill('The chief constable supports the further draft and the ICT strategy.');
  });
  await journey.takeStep('Send the draft to the panel', async () => {});
  await expect(journey.currentState()).toHaveText('Sent to the panel');
  await journey.signOut();
});

test('the panel officer records the panel’s report on draft 2, with its recommendations', async () => {
  await journey.signIn(everyone().panelOfficer);
  await openEdition('panel');
  await journey.openProcess();
  await journey.takeStep('Record the panel’s report', async () => {
    await page.getByLabel('Summary of the panel’s report').fill('The Panel reviewed the further draft and welcomed the changes it made.');
    await page.getByLabel('The panel’s recommendations').fill(recommendations.join('\n'));
    await page.getByLabel('The vote was unanimous').check();
  });
  await expect(journey.currentState()).toHaveText('Panel report received');
  await journey.signOut();
});

test('the officer responds to each recommendation and publishes the response, but cannot issue the plan', async () => {
  await journey.signIn(everyone().officer);
  await openEdition('office');
  await journey.openProcess();
  const label = 'Give the response to the panel';
  await journey.open(label, label);
  await page
    .getByLabel('The commissioner’s response to the panel’s report')
    .fill('The commissioner thanks the Panel and has changed the Plan as set out below.');
  const items = [...concerns, ...recommendations];
  const headings = page.getByRole('heading', { level: 2, name: /^Recommendation R\d+$/ });
  await expect(headings).toHaveCount(items.length);
  for (const [i, heading] of (await headings.allTextContents()).entries()) {
    const reference = heading.replace('Recommendation ', '');
    const status = i === 1 ? 'Partly accepted' : 'Accepted';
    await page
      .getByRole('group', { name: `Response to ${reference}` })
      .getByLabel(status, { exact: true })
      .check();
    await page
      .getByLabel(`What the commissioner says about ${reference}`)
      .fill(i === 1 ? 'Responsibilities are now shown for each commitment; partners own their own strategies.' : 'Done in the plan.');
  }
  await journey.submit(label, 'Statutory process');
  await expect(journey.currentState()).toHaveText('Response given to the panel');

  await journey.takeStep('Publish the response', async () => {});
  await expect(journey.currentState()).toHaveText('Response published');

  // Issuing is the commissioner's alone: the officer is refused, with the reason.
  const refusal = await page.goto(`${new URL(page.url()).pathname}/issue`);
  expect(refusal?.status()).toBe(403);
  await journey.expectHeading('You do not have permission to view this page');
  await expect(page.getByText('Only the commissioner can issue the plan')).toContainText('PRSRA 2011 s.18');
  await journey.check('issuing refused to the officer');
  await journey.signOut();
});

test('the commissioner issues the plan with a decision record', async () => {
  await journey.signIn(everyone().commissioner);
  await openEdition('office');
  await journey.openProcess();
  await journey.takeStep('Issue the plan', async () => {
    await page.getByLabel('Decision record reference').fill(decisionReference);
    await expect(page.getByLabel('Decided by')).toHaveValue('Alison Hernandez, Police and Crime Commissioner');
  });
  await expect(journey.currentState()).toHaveText('In force');
  const history = page.getByRole('heading', { level: 3, name: /^Issue the plan/ });
  await expect(history).toBeVisible();
  await expect(page.getByText(decisionReference, { exact: true })).toBeVisible();
  await journey.signOut();
});

test('the public site shows the plan in force, the published responses, and the meeting with its minutes and resolution', async () => {
  await journey.visit(`/${slug}`, 'Police and crime plan');
  await expect(page.getByRole('heading', { level: 2, name: period.title })).toBeVisible();
  await journey.open('Read the full plan', new RegExp(period.title));
  await expect(page.getByText(ictObjective).first()).toBeVisible();

  await journey.visit(`/${slug}/recommendations`, 'The panel’s recommendations and the responses');
  for (const item of [...concerns, ...recommendations]) await expect(page.getByText(item).first()).toBeVisible();
  await expect(page.getByText('Partly accepted').first()).toBeVisible();
  await expect(page.getByText('Responsibilities are now shown for each commitment').first()).toBeVisible();

  await journey.visit(`/${slug}/meetings`, 'Police and Crime Panel meetings');
  await journey.open(meetingTitle, new RegExp(`^${meetingTitle}$`));
  await expect(page.getByText('Police and Crime Plan').first()).toBeVisible();
  await expect(page.getByText('it needed to be streamlined greatly')).toBeVisible();
  await expect(page.getByText(resolution)).toBeVisible();
});

test('every page visited was checked with axe', () => {
  audit.expectEveryPageChecked();
});
