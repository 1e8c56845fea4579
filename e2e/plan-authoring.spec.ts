import { expect, test, type Page } from '@playwright/test';
import mammoth from 'mammoth';
import { AccessibilityAudit } from './support/accessibility.ts';
import { setupUrlFor, smtp } from './support/environment.ts';
import { mailTo } from './support/mailbox.ts';
import { password, people } from './support/people.ts';

/**
 * An officer of the commissioner's office writes a plan: Devon and Cornwall's 2017–20 plan, with
 * its five priorities, objectives, owned commitments and the four kinds of performance indicator,
 * puts right what the statutory completeness check finds missing, records funding and a grant,
 * reads the plan on a page, the full plan and the Word export, then refreshes the plan through a
 * review board and reads the principal changes. Runs in both projects, with and without JavaScript.
 *
 * The set-up link works once per server, so this spec signs in as the administrator the journey
 * spec (which runs first in each project) created, or creates that administrator itself when it
 * runs alone. Everything else it needs it makes itself: a new body, a partner and an officer.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;
let audit: AccessibilityAudit;

// A web address name of its own, so the spec never collides with another body on the same server.
const slug = `devon-and-cornwall-${Date.now().toString(36)}`;
const bodyName = 'Police and Crime Commissioner for Devon and Cornwall';
const partnerName = 'Plymouth Community Safety Partnership';
const planTitle = 'Police and Crime Plan 2017–20';

const priorities = [
  { title: 'Connecting communities and policing', objective: 'Keep neighbourhood policing visible and accessible in every community' },
  { title: 'Preventing and deterring crime', objective: 'Reduce repeat offending through early intervention' },
  { title: 'Protecting people at risk of abuse and those who are vulnerable', objective: 'Reduce repeat victimisation of domestic abuse' },
  {
    title: 'Supporting victims and witnesses to get the best outcome',
    objective: 'Give every victim the support set out in the Victims’ Code',
  },
  { title: 'Getting the best out of the police', objective: 'Make the force efficient, effective and legitimate' },
] as const;

const commitments = {
  retired: 'We will open a police front desk in every district council area',
  amended: 'We will fund community safety partnerships to run youth diversion schemes',
  amendedTo: 'We will fund community safety partnerships to run youth diversion and restorative justice schemes',
  kept: 'We will commission an independent victim care service',
} as const;
const newObjective = 'Tackle serious violence with partners';

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

async function signIn(email: string, name: string) {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await audit.check();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${name}` })).toBeVisible();
  await audit.check();
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await audit.check();
}

/** Follows a link or button to a form page, checks it, and returns once its heading shows. */
async function open(name: string | RegExp, heading: string | RegExp, role: 'link' | 'button' = 'link') {
  await page.getByRole(role, { name, exact: typeof name === 'string' }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await audit.check();
}

/** Saves an element form and waits for the editor to confirm it. */
async function saveElement(noun: string) {
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: planTitle })).toBeVisible();
  await expect(page.getByText(`${noun} saved.`)).toBeVisible();
  await audit.check();
}

async function fillDate(group: string, day: string, month: string, year: string) {
  const fieldset = page.getByRole('group', { name: group, exact: true });
  await fieldset.getByLabel('Day').fill(day);
  await fieldset.getByLabel('Month').fill(month);
  await fieldset.getByLabel('Year').fill(year);
}

function requirement(title: string) {
  return page.getByRole('listitem').filter({ has: page.getByText(title, { exact: true }) });
}

async function openCompletenessCheck() {
  await open('Check the plan has everything the law requires', 'Statutory completeness check');
}

test('the administrator adds a body with a partner, and invites an officer of the commissioner’s office', async ({ baseURL }) => {
  const { admin, officer } = people(test.info().project.name);
  // The journey spec normally used the set-up link already; if this spec runs alone, it claims the instance.
  const setup = await page.goto(setupUrlFor(baseURL));
  if (setup?.status() === 404) {
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await audit.check('set-up link already used');
    await signIn(admin.email, admin.name);
  } else {
    await expect(page.getByRole('heading', { level: 1, name: 'Set up this service' })).toBeVisible();
    await audit.check();
    await page.getByLabel('Full name').fill(admin.name);
    await page.getByLabel('Email address').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    await page.getByRole('button', { name: 'Create administrator account' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
    await audit.check();
  }

  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Organisations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
  await audit.check();
  await open('Add a policing body', 'Add a policing body', 'button');
  await page.getByLabel('Police and crime commissioner (PCC)').check();
  await page.getByLabel('Name of the body').fill(bodyName);
  await page.getByLabel('Web address name (optional)').fill(slug);
  await page.getByLabel('Force area').selectOption({ label: 'Devon & Cornwall Police' });
  await page.getByLabel('Name of the holder').fill('Alison Hernandez');
  await page.getByLabel('Holder’s title').fill('Police and Crime Commissioner');
  await fillDate('Start of the term of office', '12', '5', '2016');
  await fillDate('End of the term of office', '12', '5', '2021');
  await page.getByRole('group', { name: 'Is the plan published in Welsh as well as English?' }).getByLabel('No').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: bodyName })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(`/bodies/${slug}`);
  await audit.check();

  await open('Add a partner organisation', 'Add a partner organisation', 'button');
  await page.getByLabel('Name', { exact: true }).fill(partnerName);
  await page.getByLabel('Community safety partnership').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('cell', { name: partnerName, exact: true })).toBeVisible();
  await audit.check();

  await open('See and invite the people who work on this body’s plan', 'People');
  await open('Invite someone', 'Invite someone', 'button');
  await page.getByLabel('Full name').fill(officer.name);
  await page.getByLabel('Email address').fill(officer.email);
  await page.getByLabel('Office of the commissioner (staff)').check();
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Invitation sent' })).toBeVisible();
  await audit.check();
  await signOut();
});

test('the officer accepts the invitation and signs in', async () => {
  const { officer } = people(test.info().project.name);
  const [invitation] = await mailTo(smtp.mailFile, officer.email);
  const link = /https?:\/\/\S+\/invitations\/\S+/.exec(invitation?.text ?? '')?.[0];
  expect(link, `an invitation link in:\n${invitation?.text}`).toBeTruthy();

  await page.goto(link!);
  await expect(page.getByRole('heading', { level: 1, name: 'Choose your password' })).toBeVisible();
  await audit.check();
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${officer.name}` })).toBeVisible();
  await audit.check();
  await signOut();
  await signIn(officer.email, officer.name);
});

test('the officer starts a new plan', async () => {
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Organisations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
  await audit.check();
  await open(bodyName, bodyName);
  await open('Police and Crime Plans', 'Police and Crime Plans');
  await expect(page.getByText('There are no plans yet.')).toBeVisible();
  await open('Start a new plan', 'Start a new Police and Crime Plan', 'button');

  await page.getByLabel('Title', { exact: true }).fill(planTitle);
  await fillDate('Starts', '1', '4', '2017');
  await fillDate('Ends', '31', '3', '2020');
  await page.getByLabel('Vision (optional)').fill('Safe, resilient and connected communities.');
  await page.getByRole('button', { name: 'Create plan' }).click();

  await expect(page.getByRole('heading', { level: 1, name: planTitle })).toBeVisible();
  await expect(page.getByText(`${planTitle} has been created with its first draft edition.`)).toBeVisible();
  await expect(page.getByText('No priorities yet.')).toBeVisible();
  await audit.check('the edition editor, empty');
});

test('the officer adds the five priorities, each with an objective', async () => {
  for (const [index, priority] of priorities.entries()) {
    await open('Add a priority', 'Add a priority', 'button');
    await page.getByLabel('Priority', { exact: true }).fill(priority.title);
    await saveElement('Priority');
    await expect(page.getByRole('heading', { level: 3, name: `${index + 1}. ${priority.title}` })).toBeVisible();
  }
  for (const [index, priority] of priorities.entries()) {
    await open(`Add an objective to priority ${index + 1}`, 'Add an objective');
    await expect(page.getByLabel('Priority', { exact: true })).toHaveValue(/.+/);
    await page.getByLabel('Objective', { exact: true }).fill(priority.objective);
    await saveElement('Objective');
    await expect(page.getByRole('heading', { level: 4, name: `${index + 1}.1 ${priority.objective}` })).toBeVisible();
  }
});

test('the officer adds commitments, each with an owner and a role', async () => {
  const owners = [
    { objective: '1.1', text: commitments.retired, owner: 'The commissioner', role: 'Controls it: the owner delivers it' },
    {
      objective: '2.1',
      text: commitments.amended,
      owner: 'Named partner organisations',
      role: 'Influences it: the owner persuades others to deliver it',
    },
    { objective: '4.1', text: commitments.kept, owner: 'The chief constable', role: 'Controls it: the owner delivers it' },
  ];
  for (const commitment of owners) {
    await open(`Add a commitment to objective ${commitment.objective}`, 'Add a commitment');
    await page.getByLabel('Commitment', { exact: true }).fill(commitment.text);
    const owner = page.getByRole('group', { name: 'Who owns this commitment?' });
    await owner.getByLabel(commitment.owner, { exact: true }).check();
    // The partner checkboxes are revealed with JavaScript, and always there (and sent) without it.
    if (commitment.owner === 'Named partner organisations') await owner.getByLabel(partnerName).check();
    await page.getByRole('group', { name: 'Does the owner control or only influence it?' }).getByLabel(commitment.role).check();
    await page.getByRole('group', { name: 'Timescale' }).getByLabel('Long term (over the whole plan)').check();
    await saveElement('Commitment');
    await expect(page.getByRole('listitem').filter({ hasText: commitment.text }).first()).toBeVisible();
  }
  await expect(page.getByText(`Owner: Named partner organisations (${partnerName}) · influences`)).toBeVisible();
});

test('a measure with a baseline that is not a number shows the error summary, then saves once corrected', async ({ javaScriptEnabled }) => {
  await open('Add a measure to priority 1', 'Add a measure');
  await expect(page.getByLabel('What it measures')).toHaveValue(/^priority:/);
  await page.getByLabel('Name', { exact: true }).fill('Percentage of people who say the police do a good job in their area');
  await page.getByRole('group', { name: 'Source of evidence' }).getByLabel('Public survey').check();
  await page.getByLabel('Unit', { exact: true }).fill('%');
  await page.getByLabel('Higher is better').check();
  await page.getByLabel('Baseline value (optional)').fill('lots');
  await page.getByLabel('Baseline period').fill('2016/17');
  await page.getByRole('button', { name: 'Save' }).click();

  await expect(page).toHaveTitle(/^Error: /);
  const summary = page.locator('.govuk-error-summary');
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Baseline must be a number, like 72.5' })).toBeVisible();
  if (javaScriptEnabled) await expect(summary).toBeFocused();
  await expect(page.getByLabel('Unit', { exact: true })).toHaveValue('%');
  await audit.check('error summary');

  await summary.getByRole('link', { name: 'Baseline must be a number, like 72.5' }).click();
  await expect(page.getByLabel('Baseline value (optional)')).toBeFocused();
  await page.getByLabel('Baseline value (optional)').fill('68');
  await page.getByLabel('Target (optional)').fill('75');
  await saveElement('Measure');
  await expect(page.getByText('(Public survey; %; baseline 68 in 2016/17; target 75)')).toBeVisible();
});

test('the officer adds measures of the other kinds of performance indicator', async () => {
  const measures = [
    {
      priority: 2,
      name: 'Recorded crime per 1,000 people',
      source: 'Performance metric',
      unit: 'crimes per 1,000 people',
      polarity: 'Lower is better',
    },
    { priority: 3, name: 'Victims satisfied with the whole experience', source: 'Victim survey', unit: '%', polarity: 'Higher is better' },
    {
      priority: 4,
      name: '101 calls answered within the service standard',
      source: 'Service standard',
      unit: '%',
      polarity: 'Higher is better',
    },
    { priority: 5, name: 'HMICFRS PEEL grading for efficiency', source: 'HMICFRS inspection', unit: 'grade', polarity: 'Higher is better' },
  ];
  for (const measure of measures) {
    await open(`Add a measure to priority ${measure.priority}`, 'Add a measure');
    await page.getByLabel('Name', { exact: true }).fill(measure.name);
    await page.getByRole('group', { name: 'Source of evidence' }).getByLabel(measure.source).check();
    await page.getByLabel('Unit', { exact: true }).fill(measure.unit);
    await page.getByLabel(measure.polarity).check();
    await page.getByRole('group', { name: 'How often is it reported?' }).getByLabel('Annually').check();
    await saveElement('Measure');
    await expect(page.getByText(`(${measure.source}; ${measure.unit})`)).toBeVisible();
  }
});

test('the completeness check finds what is missing, and each fix makes a requirement met', async () => {
  await openCompletenessCheck();
  await expect(page.getByText(/^\d+ of \d+ requirements met/)).toBeVisible();
  for (const priority of priorities) {
    await expect(requirement(`Priority: ${priority.title}`)).toContainText('Met');
    await expect(requirement(`Priority: ${priority.title}`)).not.toContainText('Not met');
  }

  // A statutory section: written from the fix link, then met.
  const reporting = 'How the chief constable will report to the commissioner';
  await expect(requirement(reporting)).toContainText('Not met');
  await open(reporting, 'How the chief constable reports to the commissioner');
  await page
    .getByLabel('Text', { exact: true })
    .fill('The Chief Constable reports to the commissioner at the monthly accountability board, in public.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: planTitle })).toBeVisible();
  await expect(
    page.getByText('The Chief Constable reports to the commissioner at the monthly accountability board, in public.'),
  ).toBeVisible();
  await audit.check();
  await openCompletenessCheck();
  await expect(requirement(reporting)).not.toContainText('Not met');
  await expect(requirement(reporting)).toContainText('Met');
  await expect(page.getByRole('link', { name: reporting })).toHaveCount(0);

  // A duty the plan must have regard to, linked to the priority that meets it.
  const equality = 'Have regard to: The public sector equality duty';
  await expect(requirement(equality)).toContainText('Not met');
  await open(equality, 'How the plan has regard to the public sector equality duty');
  await page.getByLabel('Text', { exact: true }).fill('The plan was assessed for its effect on people with protected characteristics.');
  await page.getByRole('group', { name: 'Parts of the plan that meet this duty' }).getByLabel(`Priority 3: ${priorities[2].title}`).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: planTitle })).toBeVisible();
  await audit.check();
  await openCompletenessCheck();
  await expect(requirement(equality)).not.toContainText('Not met');

  // Resources: the section is written, and then it needs the funding for a financial year.
  const resources = 'Financial and other resources provided to the chief constable';
  await open(resources, 'Resources provided to the chief constable');
  await page.getByLabel('Text', { exact: true }).fill('The commissioner sets the budget and the precept each year.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: planTitle })).toBeVisible();
  await audit.check();
  await openCompletenessCheck();
  await expect(requirement(resources)).toContainText('Add the funding for at least one financial year');
  await expect(requirement(resources)).toContainText('Not met');
  await open(resources, 'Add a funding year');
  await page.getByLabel('Financial year').fill('2017/18');
  await page.getByLabel('Precept', { exact: true }).fill('98,000,000');
  await page.getByLabel('Government grant').fill('187,000,000');
  await saveElement('Funding year');
  await expect(page.getByRole('rowheader', { name: '2017/18' })).toBeVisible();
  await openCompletenessCheck();
  await expect(requirement(resources)).not.toContainText('Not met');
  await expect(requirement(resources)).toContainText('Met');
  await page.getByRole('link', { name: 'Back to the edition' }).click();
  await expect(page.getByRole('heading', { level: 1, name: planTitle })).toBeVisible();
  await audit.check();
});

test('the officer adds another funding year and a funded initiative to the grants register', async () => {
  await open('Add a funding year', 'Add a funding year', 'button');
  await page.getByLabel('Financial year').fill('2018/19');
  await page.getByLabel('Precept', { exact: true }).fill('104,500,000');
  await page.getByLabel('Government grant').fill('186,000,000');
  await page.getByLabel('Other (optional)').fill('2,500,000');
  await saveElement('Funding year');
  await expect(page.getByRole('rowheader', { name: '2018/19' })).toBeVisible();

  await open('Add a grant', 'Add a grant', 'button');
  await page.getByLabel('Recipient').fill('Victim Care Unit');
  await page.getByLabel('Amount').fill('250,000');
  await fillDate('Start date (optional)', '1', '4', '2017');
  await fillDate('End date (optional)', '31', '3', '2020');
  await page.getByLabel('Purpose (optional)').fill('Independent support for victims of crime');
  await page
    .getByRole('group', { name: /Which priorities does it serve/ })
    .getByLabel(`4. ${priorities[3].title}`)
    .check();
  await saveElement('Grant');
  await expect(page.getByRole('heading', { level: 3, name: /^Victim Care Unit: £250,000/ })).toBeVisible();
});

test('the plan on a page and the full plan show the priorities', async () => {
  await open('Plan on a page', new RegExp(planTitle));
  for (const priority of priorities) await expect(page.getByRole('heading', { name: priority.title }).first()).toBeVisible();

  await open('Read the full plan', new RegExp(planTitle));
  for (const priority of priorities) await expect(page.getByRole('heading', { name: priority.title }).first()).toBeVisible();
  await page.getByRole('link', { name: 'Back to the edition' }).click();
  await expect(page.getByRole('heading', { level: 1, name: planTitle })).toBeVisible();
  await audit.check();
});

test('the edition downloads as a Word document with the priorities as headings', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download this edition as a Word document (DOCX)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.docx$/);
  const { value: html } = await mammoth.convertToHtml({ path: await download.path() });
  const headings = [...html.matchAll(/<h(\d)[^>]*>([\s\S]*?)<\/h\1>/g)].map((match) => match[2]!.replace(/<[^>]+>/g, ''));
  for (const priority of priorities) {
    expect(
      headings.some((heading) => heading.includes(priority.title)),
      `a heading for “${priority.title}” in:\n${headings.join('\n')}`,
    ).toBe(true);
  }
});

test('a refresh through a review board retires, amends and adds, and the principal changes list them', async () => {
  await open(/^Make a new edition from this one/, /^Make a new edition from/);
  await page.getByLabel('Refresh').check();
  await page.getByRole('button', { name: 'Make the new edition' }).click();
  await expect(page.getByRole('heading', { level: 1, name: planTitle })).toBeVisible();
  await expect(page.getByText(/has been made from/)).toBeVisible();
  await audit.check('the new draft edition');

  await open(/^Review board/, 'Set up the review board');
  await page.getByLabel('What was the board?').fill('Stakeholder workshop with panel link members');
  await fillDate('When was it held?', '9', '11', '2018');
  await page.getByRole('button', { name: 'Set up the board' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Stakeholder workshop with panel link members' })).toBeVisible();
  await audit.check();

  await open('Record decision on 1.1.1', commitments.retired);
  await page.getByLabel('Retire it').check();
  await page.getByLabel('Rationale').fill('Achieved: every district now has a front desk.');
  await page.getByRole('button', { name: 'Save decision' }).click();
  await expect(page.getByRole('row').filter({ hasText: commitments.retired })).toContainText('Retire');
  await audit.check();

  await open('Record decision on 2.1.1', commitments.amended);
  await page.getByLabel('Amend it').check();
  // Revealed with JavaScript; always there (and sent) without it.
  await page.getByLabel('New wording').fill(commitments.amendedTo);
  await page.getByLabel('Rationale').fill('Partners asked for restorative justice to be included.');
  await page.getByRole('button', { name: 'Save decision' }).click();
  await expect(page.getByRole('row').filter({ hasText: commitments.amended })).toContainText(`Amend: “${commitments.amendedTo}”`);
  await audit.check();

  await open('Add a new objective or commitment', 'Add a new objective or commitment');
  await page.getByLabel('Where does it go?').selectOption({ label: `New objective under priority 2: ${priorities[1].title}` });
  await page.getByLabel('Wording', { exact: true }).fill(newObjective);
  await page.getByLabel('Rationale').fill('The new serious violence duty.');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByText(`New objective under priority 2: “${newObjective}”`)).toBeVisible();
  await audit.check();

  await page.getByRole('button', { name: 'Apply the decisions to this draft' }).click();
  await expect(page.getByRole('heading', { level: 1, name: planTitle })).toBeVisible();
  await expect(page.getByText(/The board’s decisions have been applied to this draft: 3 changes/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 4, name: `2.2 ${newObjective}` })).toBeVisible();
  await expect(page.getByText(commitments.amendedTo)).toBeVisible();
  await expect(page.getByText(commitments.retired)).toHaveCount(0);
  await audit.check('the draft after the board');

  await open('Back to the plan', planTitle);
  await open('See the principal changes between editions', 'Principal changes');
  const change = (verb: string, text: string) => page.getByRole('listitem').filter({ hasText: text }).filter({ hasText: verb });
  await expect(change('Removed', commitments.retired)).toBeVisible();
  await expect(change('Changed', 'youth diversion')).toBeVisible();
  await expect(change('Added', newObjective)).toBeVisible();
});

test('every page visited was checked with axe', () => {
  audit.expectEveryPageChecked();
});
