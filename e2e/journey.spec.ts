import { expect, test, type Page } from '@playwright/test';
import { AccessibilityAudit } from './support/accessibility.ts';
import { setupUrlFor, smtp } from './support/environment.ts';
import { mailTo } from './support/mailbox.ts';
import { password, people } from './support/people.ts';

/**
 * A fresh instance from its first start to a second person at work: the administrator claims the
 * instance, adds a policing body with its panel and a partner, and invites a panel member by
 * e-mail; the panel member chooses a password, signs in again and is refused the body's edit page.
 * Runs in both projects, with and without JavaScript, each against its own fresh server.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;
let audit: AccessibilityAudit;
let bodyPath = '';

test.beforeAll(async ({ browser, javaScriptEnabled }) => {
  // One page for the whole journey, in a context of our own (axe needs browser.newContext()).
  const context = await browser.newContext();
  page = await context.newPage();
  audit = new AccessibilityAudit(page, javaScriptEnabled);
});

test.afterAll(async () => {
  await audit.close();
  await page.context().close();
});

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await audit.check();
}

test('the set-up link creates the first administrator', async ({ baseURL }) => {
  const { admin } = people(test.info().project.name);
  await page.goto(setupUrlFor(baseURL));
  await expect(page.getByRole('heading', { level: 1, name: 'Set up this service' })).toBeVisible();
  await audit.check();

  await page.getByLabel('Full name').fill(admin.name);
  await page.getByLabel('Email address').fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create administrator account' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await audit.check();
});

test('a form sent with mistakes shows the GOV.UK error summary and keeps the answers', async ({ javaScriptEnabled }) => {
  await page.getByRole('button', { name: 'Add a policing body' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a policing body' })).toBeVisible();
  await audit.check();

  await page.getByLabel('Name of the body').fill('Police and Crime Commissioner for Cheshire');
  const start = page.getByRole('group', { name: 'Start of the term of office' });
  await start.getByLabel('Day').fill('31');
  await start.getByLabel('Month').fill('2');
  await start.getByLabel('Year').fill('2024');
  await page.getByRole('button', { name: 'Save' }).click();

  await expect(page).toHaveTitle(/^Error: /);
  const summary = page.locator('.govuk-error-summary');
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Select the kind of policing body' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'The start of the term of office must be a real date, like 9 5 2024' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Select the force area' })).toBeVisible();
  // Govuk-frontend moves focus to the summary; without JavaScript there is nothing to move it.
  if (javaScriptEnabled) await expect(summary).toBeFocused();
  for (const href of await summary.getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))) {
    expect(href, 'each error links to its field').toMatch(/^#./);
    await expect(page.locator(`[id="${href.slice(1)}"]`), `the field for ${href}`).toHaveCount(1);
  }
  await expect(page.getByLabel('Name of the body')).toHaveValue('Police and Crime Commissioner for Cheshire');
  await expect(start.getByLabel('Day')).toHaveValue('31');
  await audit.check('error summary');
});

test('the administrator adds a policing body, its panel and a partner', async () => {
  await page.getByLabel('Police and crime commissioner (PCC)').check();
  await page.getByLabel('Force area').selectOption({ label: 'Cheshire Constabulary' });
  await page.getByLabel('Name of the holder').fill('Jane Smith');
  await page.getByLabel('Holder’s title').fill('Police and Crime Commissioner');
  const start = page.getByRole('group', { name: 'Start of the term of office' });
  await start.getByLabel('Day').fill('9');
  await start.getByLabel('Month').fill('5');
  await start.getByLabel('Year').fill('2024');
  const end = page.getByRole('group', { name: 'End of the term of office' });
  await end.getByLabel('Day').fill('11');
  await end.getByLabel('Month').fill('5');
  await end.getByLabel('Year').fill('2028');
  await page.getByRole('group', { name: 'Is the plan published in Welsh as well as English?' }).getByLabel('No').check();
  await page.getByRole('button', { name: 'Save' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Police and Crime Commissioner for Cheshire' })).toBeVisible();
  await expect(page.getByText('Jane Smith, Police and Crime Commissioner')).toBeVisible();
  await expect(page.getByText('9 May 2024 to 11 May 2028')).toBeVisible();
  bodyPath = new URL(page.url()).pathname;
  expect(bodyPath).toBe('/bodies/police-and-crime-commissioner-for-cheshire');
  await audit.check();

  await page.getByRole('button', { name: 'Add the Police and Crime Panel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add the Police and Crime Panel' })).toBeVisible();
  await audit.check();
  await expect(page.getByLabel('Police and Crime Panel', { exact: true })).toBeChecked();
  await page.getByLabel('Name', { exact: true }).fill('Cheshire Police and Crime Panel');
  await page.getByLabel('Host authority').fill('Cheshire West and Chester Council');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Cheshire Police and Crime Panel' })).toBeVisible();
  await audit.check();

  await page.getByRole('button', { name: 'Add a partner organisation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a partner organisation' })).toBeVisible();
  await audit.check();
  await page.getByLabel('Name', { exact: true }).fill('Cheshire Community Safety Partnership');
  await page.getByLabel('Community safety partnership').check();
  await page.getByLabel('Website (optional)').fill('https://www.example.org/cheshire-csp');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('link', { name: 'Cheshire Community Safety Partnership', exact: true })).toBeVisible();
  await audit.check();
});

test('the administrator invites a panel member by e-mail', async () => {
  const { panelMember } = people(test.info().project.name);
  await page.getByRole('link', { name: 'See and invite the people who work on this body’s plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();
  await audit.check();

  await page.getByRole('button', { name: 'Invite someone' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Invite someone' })).toBeVisible();
  await audit.check();
  await page.getByLabel('Full name').fill(panelMember.name);
  await page.getByLabel('Email address').fill(panelMember.email);
  await page.getByLabel('Panel member').check();
  await page.getByRole('button', { name: 'Send invitation' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Invitation sent' })).toBeVisible();
  await expect(page.getByText('We have emailed a link for them to choose a password.')).toBeVisible();
  await audit.check();

  await page.getByRole('link', { name: 'Return to the list' }).click();
  await expect(page.getByRole('cell', { name: panelMember.email })).toBeVisible();
  await audit.check();
  await signOut();
});

test('the panel member accepts the invitation, signs in again and cannot change the body', async () => {
  const { panelMember } = people(test.info().project.name);
  const [invitation] = await mailTo(smtp.mailFile, panelMember.email);
  expect(invitation?.subject).toBe('You have been invited to Police and crime plans');
  const link = /https?:\/\/\S+\/invitations\/\S+/.exec(invitation?.text ?? '')?.[0];
  expect(link, `an invitation link in:\n${invitation?.text}`).toBeTruthy();

  await page.goto(link!);
  await expect(page.getByRole('heading', { level: 1, name: 'Choose your password' })).toBeVisible();
  await audit.check();
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${panelMember.name}` })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Police and Crime Commissioner for Cheshire' })).toBeVisible();
  await audit.check();
  await signOut();

  await page.getByLabel('Email address').fill(panelMember.email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${panelMember.name}` })).toBeVisible();
  await audit.check();

  await page.getByRole('link', { name: 'Police and Crime Commissioner for Cheshire' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Police and Crime Commissioner for Cheshire' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Change/ })).toHaveCount(0);
  await audit.check();

  const response = await page.goto(`${bodyPath}/edit`);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'You do not have permission to view this page' })).toBeVisible();
  await audit.check('403');
});

test('the not-found page and the footer pages', async () => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await audit.check('404');

  for (const [link, heading] of [
    ['Accessibility statement', /accessibility/i],
    ['Privacy notice', /privacy/i],
    ['Cookies', 'Cookies'],
  ] as const) {
    await page.getByRole('contentinfo').getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await audit.check();
  }

  await signOut();
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await audit.check('start page, signed out');
});

test('every page visited was checked with axe', () => {
  audit.expectEveryPageChecked();
});
