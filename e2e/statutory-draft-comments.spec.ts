import { expect, test, type Page } from '@playwright/test';
import { AccessibilityAudit } from './support/accessibility.ts';
import { cast, Journey, roles } from './support/journey.ts';
import { currentPlanPeriod, devonAndCornwallPlanJson, editionLabel, priorities } from './support/plan-fixture.ts';

/**
 * Comments on a shared draft: once the office sends the draft to the panel, a panel member
 * comments on one of its priorities; the office replies and marks the comment addressed; the
 * panel asks for a further draft, and on draft 2 the comment, its reply and its status are still
 * on the same priority (comments follow the element's lineage). Before the draft is shared there
 * is nothing to comment on. Runs with and without JavaScript, and checks every page with axe.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;
let audit: AccessibilityAudit;
let journey: Journey;

const slug = `devon-and-cornwall-comments-${Date.now().toString(36)}`;
const bodyName = 'Police and Crime Commissioner for Devon and Cornwall';
const panelName = 'Devon and Cornwall Police and Crime Panel';
const period = currentPlanPeriod();
const edition1 = editionLabel(period, 1);
const element = `Priority 5: ${priorities[4]}`;
const comment = 'The plan should put more explicit emphasis on the ICT strategy: converging systems with Dorset, and body-worn video.';
const reply = 'The further draft adds an objective on the ICT strategy under this priority.';

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

async function openComments(draft: number) {
  await journey.openBody(bodyName);
  await journey.open('Police and Crime Plans', 'Police and Crime Plans');
  await journey.open(period.title, period.title);
  await journey.open(edition1, period.title);
  await journey.open('Comments on this draft', 'Comments on this draft');
  if (draft > 1) await expect(page.getByText(`${period.title}, ${edition1}, draft ${draft}`)).toBeVisible();
}

function thread() {
  return page.locator('section.govuk-summary-card').filter({ hasText: comment });
}

test('the administrator adds the body and its panel, and invites an officer and a panel member, who accept', async ({ baseURL }) => {
  await journey.signInAsAdministrator(baseURL, project());
  await journey.addBodyWithPanel({ name: bodyName, slug, panelName });
  const { officer, panelMember } = everyone();
  await journey.invite([
    { person: officer, role: roles.officer },
    { person: panelMember, role: roles.panelMember },
  ]);
  await journey.signOut();
  for (const person of [officer, panelMember]) {
    await journey.acceptInvitation(person);
    await journey.signOut();
  }
});

test('the officer imports the draft; nobody can comment until it is sent to the panel, and then it is sent', async () => {
  await journey.signIn(everyone().officer);
  await journey.openBody(bodyName);
  await journey.importPlan(period.title, devonAndCornwallPlanJson(period));
  await journey.open('Comments on this draft', 'Comments on this draft');
  await expect(page.getByText('This draft has not been sent to the panel yet.')).toBeVisible();
  await journey.open(element, element);
  await expect(page.getByText('Comments can be made once this draft has been sent to the panel.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add the comment' })).toHaveCount(0);
  await journey.open('Back to all comments on this draft', 'Comments on this draft');
  await journey.open(`Back to ${edition1}`, period.title);

  await journey.openProcess();
  await journey.takeStep('Record the consultation of the chief constable', async () => {
    await page.getByLabel('How the chief constable was consulted').fill('Meeting of the chief constable with the commissioner');
    await page.getByLabel('Summary of the chief constable’s views').fill('The chief constable supports the draft.');
  });
  await journey.takeStep('Send the draft to the panel', async () => {});
  await journey.signOut();
});

test('a panel member comments on a priority of the shared draft', async () => {
  await journey.signIn(everyone().panelMember);
  await openComments(1);
  await journey.open(element, element);
  await page.getByLabel(`Your comment on ${element}`).fill(comment);
  await journey.submit('Add the comment', element);
  await expect(page.getByText('Your comment has been added.')).toBeVisible();
  await expect(thread().getByRole('heading', { level: 3 })).toContainText(`Comment by ${everyone().panelMember.name}`);
  await expect(thread().getByRole('heading', { level: 3 })).toContainText('Open');
  await journey.signOut();
});

test('the officer replies and marks the comment addressed', async () => {
  await journey.signIn(everyone().officer);
  await openComments(1);
  await expect(page.locator('#comment-totals')).toHaveText('1 thread: 1 open, 0 addressed, 0 noted.');
  await journey.open(element, element);
  await thread().getByRole('group', { name: 'Status (the commissioner’s office)' }).getByLabel('Addressed').check();
  await thread().getByLabel('The office’s reply (optional)').fill(reply);
  await journey.submit('Save the status', element);
  await expect(page.getByText('The comment is now marked addressed.')).toBeVisible();
  await expect(thread().getByRole('heading', { level: 3 })).toContainText('Addressed');
  await expect(thread()).toContainText(reply);
});

test('the panel asks for a further draft; the officer changes the priority and sends draft 2', async () => {
  await journey.open(/^Back to all comments/, 'Comments on this draft');
  await journey.open(`Back to ${edition1}`, period.title);
  await journey.openProcess();
  await journey.takeStep('Record that the panel asked for a further draft', async () => {
    await page.getByLabel('Summary of what the panel said').fill('The Panel welcomed the direction of the Plan.');
    await page.getByLabel('What the panel asked the further draft to address').fill('More explicit emphasis around the ICT strategy');
  });
  await expect(journey.currentState()).toHaveText('Drafting');

  await journey.follow(page.getByRole('link', { name: 'Back to the edition' }));
  await journey.expectHeading(period.title);
  await journey.check('draft 2');
  await journey.open('Add an objective to priority 5', 'Add an objective');
  await page.getByLabel('Objective', { exact: true }).fill('Deliver the ICT strategy with Dorset Police');
  await journey.follow(page.getByRole('button', { name: 'Save' }));
  await journey.expectHeading(period.title);
  await journey.check('draft 2 with the ICT objective');

  await journey.openProcess();
  await journey.takeStep('Record the consultation of the chief constable', async () => {
    await page.getByLabel('How the chief constable was consulted').fill('Meeting with the chief constable on the further draft');
    await page.getByLabel('Summary of the chief constable’s views').fill('The chief constable supports the further draft.');
  });
  await journey.takeStep('Send the draft to the panel', async () => {});
  await expect(journey.currentState()).toHaveText('Sent to the panel');
  await journey.signOut();
});

test('on draft 2 the panel member finds the comment, the reply and its status on the same priority', async () => {
  await journey.signIn(everyone().panelMember);
  await openComments(2);
  await expect(page.locator('#comment-totals')).toHaveText('1 thread: 0 open, 1 addressed, 0 noted.');
  await journey.open(element, element);
  await expect(page.getByText(`${period.title}, ${edition1}, draft 2`)).toBeVisible();
  await expect(thread()).toContainText(`on ${edition1}, draft 1`);
  await expect(thread()).toContainText(reply);
  await expect(thread().getByRole('heading', { level: 3 })).toContainText('Addressed');
  // The thread stays open to further discussion on the new draft.
  await expect(page.getByRole('button', { name: 'Add the comment' })).toBeVisible();
  await journey.signOut();
});

test('every page visited was checked with axe', () => {
  audit.expectEveryPageChecked();
});
