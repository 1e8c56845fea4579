import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import mammoth from 'mammoth';
import { AccessibilityAudit } from './support/accessibility.ts';
import { cast, Journey, roles } from './support/journey.ts';
import { devonAndCornwallPlanJson, type PlanPeriod } from './support/plan-fixture.ts';
import { countStreetFile, policeUkFile, policeUkZip } from './support/police-data.ts';

/**
 * Monitoring delivery, in the browser, with real open police data: the office of the Dyfed-Powys
 * commissioner imports its plan, imports data.police.uk street-level crime (January 2019 for four
 * other forces and five months of its own, January as the zip data.police.uk gives), explores it,
 * computes a measure from it, records survey results with their confidence intervals, grades and
 * explains them, and generates the quarterly performance report for the panel as HTML and Word.
 * The service's figures are checked against counts this test makes from the files itself. Runs
 * with and without JavaScript, and checks every page with axe.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;
let audit: AccessibilityAudit;
let journey: Journey;

const slug = `dyfed-powys-performance-${Date.now().toString(36)}`;
const bodyName = 'Police and Crime Commissioner for Dyfed-Powys';
const panelName = 'Dyfed-Powys Police and Crime Panel';
const forceName = 'Dyfed-Powys Police';
// The plan in force when the files were published, so the quarter they fall in can be reported on.
const period: PlanPeriod = { title: 'Police and Crime Plan 2017–21', startsOn: '2017-04-01', endsOn: '2021-03-31' };
const dashboardHeading = `Delivery of ${period.title}`;

const derivedMeasure = 'Violence and sexual offences recorded each month';
const surveyMeasure = 'Victims satisfied with the whole experience';
const violence = 'Violence and sexual offences';
const planJson = () =>
  devonAndCornwallPlanJson(period, {
    measureChanges: { [surveyMeasure]: { frequency: 'quarterly', targetValue: 80, owner: 'OPCC victims’ services team' } },
    extraMeasures: [
      {
        priority: 2,
        name: derivedMeasure,
        evidenceSource: 'performance_metric',
        unit: 'crimes',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        targetValue: 1000,
        owner: 'Chief Constable',
      },
    ],
  });

const otherForces = ['avon-and-somerset', 'cambridgeshire', 'devon-and-cornwall', 'leicestershire'];
const dyfedPowysMonths = ['2018-10', '2018-11', '2018-12', '2019-01', '2019-02'];
const dyfedPowysFile = (month: string) => `${month}-dyfed-powys-street.csv`;
const january = dyfedPowysFile('2019-01');

const monthName = (month: string) =>
  new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
const count = (n: number) => new Intl.NumberFormat('en-GB').format(n);

const project = () => test.info().project.name;
const everyone = () => cast(project(), slug, 'Dafydd Llywelyn');

test.beforeAll(async ({ browser, javaScriptEnabled }) => {
  const context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  audit = new AccessibilityAudit(page, javaScriptEnabled);
  journey = new Journey(page, audit);
});

test.afterAll(async () => {
  await audit.close();
  await page.context().close();
});

/** A GOV.UK summary list's value for a key, as text. */
function summaryValue(list: Locator, key: string): Locator {
  return list
    .locator('.govuk-summary-list__row')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^\\s*${key}\\s*$`) }) })
    .locator('dd')
    .first();
}

/** The per-file report on an import's page, for the file whose name ends with `name`. */
function fileReport(name: string): Locator {
  return page.locator('h3', { hasText: name }).locator('xpath=following-sibling::dl[1]');
}

async function expectFileImported(name: string, force: string, month: string): Promise<void> {
  const rows = countStreetFile(name).rows;
  const report = fileReport(name);
  await expect(summaryValue(report, 'Status')).toHaveText('Imported');
  await expect(summaryValue(report, 'Force area')).toHaveText(force);
  await expect(summaryValue(report, 'Month')).toHaveText(monthName(month));
  await expect(summaryValue(report, 'Rows read')).toHaveText(count(rows));
  await expect(summaryValue(report, 'Rows imported')).toHaveText(count(rows));
  await expect(summaryValue(report, 'Rows rejected')).toHaveText('0');
}

/** Waits for a download the action starts, and returns its contents. */
async function download(action: () => Promise<void>): Promise<{ name: string; contents: Buffer }> {
  const started = page.waitForEvent('download');
  await action();
  const file = await started;
  return { name: file.suggestedFilename(), contents: await readFile((await file.path())!) };
}

/** From the home page: the body, its plans, the plan and its performance dashboard. */
async function openDashboard(): Promise<void> {
  await journey.openBody(bodyName);
  await journey.open('Police and Crime Plans', 'Police and Crime Plans');
  await journey.open(period.title, period.title);
  await journey.open('Performance dashboard: measures, grades and reports', dashboardHeading);
}

test('the administrator adds the Dyfed-Powys body with its force area and panel, and invites an officer, who accepts', async ({
  baseURL,
}) => {
  await journey.signInAsAdministrator(baseURL, project());
  await journey.addBodyWithPanel({
    name: bodyName,
    slug,
    panelName,
    forceArea: `${forceName} (Wales)`,
    holderName: 'Dafydd Llywelyn',
    hostAuthority: 'Ceredigion County Council',
  });
  const { officer } = everyone();
  await journey.invite([{ person: officer, role: roles.officer }]);
  await journey.signOut();
  await journey.acceptInvitation(officer);
});

test('the officer imports the plan, and its dashboard shows every measure, ungraded for want of data', async () => {
  await journey.openBody(bodyName);
  await journey.importPlan(period.title, planJson());
  await openDashboard();
  await expect(page.locator('#measure-count')).toHaveText('Showing 6 of 6 measures.');
  for (const name of [derivedMeasure, surveyMeasure]) {
    const row = page.locator('tr', { has: page.getByRole('link', { name, exact: true }) });
    await expect(row).toContainText('No values yet');
    await expect(row).toContainText('Ungraded');
  }
});

test('the officer imports January 2019 for five forces as a data.police.uk zip, and four more Dyfed-Powys months one by one', async () => {
  test.setTimeout(900_000);
  await journey.visit(`/bodies/${slug}/police-data`, 'Open police data');
  await expect(page.getByText(`No months of data are held for ${forceName} yet.`)).toBeVisible();

  // January 2019 as data.police.uk gives a custom download: one folder per month, several forces.
  const januaryFiles = [...otherForces.map((force) => `2019-01-${force}-street.csv`), january];
  await journey.importPoliceData('police-uk-2019-01.zip', await policeUkZip(januaryFiles));
  await expect(summaryValue(page.locator('dl').first(), 'Status')).toHaveText('Imported');
  await expectFileImported(january, forceName, '2019-01');
  const forceNames: Record<string, string> = {
    'avon-and-somerset': 'Avon and Somerset Constabulary',
    cambridgeshire: 'Cambridgeshire Constabulary',
    'devon-and-cornwall': 'Devon & Cornwall Police',
    leicestershire: 'Leicestershire Police',
  };
  for (const force of otherForces) await expectFileImported(`2019-01-${force}-street.csv`, forceNames[force]!, '2019-01');

  for (const month of dyfedPowysMonths.filter((m) => m !== '2019-01')) {
    await journey.open('Back to open police data', 'Open police data');
    await journey.importPoliceData(dyfedPowysFile(month), policeUkFile(dyfedPowysFile(month)));
    await expectFileImported(dyfedPowysFile(month), forceName, month);
  }

  // The body's page lists every month held for its own force, with its rows.
  await journey.open('Back to open police data', 'Open police data');
  const held = page.getByRole('table', { name: 'Months held, newest first' });
  for (const month of dyfedPowysMonths) {
    const rows = countStreetFile(dyfedPowysFile(month)).rows;
    await expect(
      held
        .getByRole('row', { name: new RegExp(`^${monthName(month)} `) })
        .locator('td')
        .nth(1),
    ).toHaveText(count(rows));
  }
});

test('the crime data explorer counts January 2019 by crime type as the file does, drills down to an area, and downloads the counts', async () => {
  const expected = countStreetFile(january);
  await openDashboard();
  await journey.open('Crime data explorer', 'Crime data');
  await page.getByLabel('From month').fill('2019-01');
  await page.getByLabel('To month').fill('2019-01');
  await page.getByLabel('Crime type', { exact: true }).selectOption({ label: 'All crime types' });
  await journey.submit('Show', 'Crime data');
  await expect(page.getByRole('heading', { level: 2, name: 'All crime types, January 2019' })).toBeVisible();

  await expect(page.locator('main figure svg')).toBeVisible();
  const table = page.getByRole('table', { name: 'Crimes by month and crime type' });
  const shown = [];
  for (const row of await table.locator('tbody tr').all()) {
    // A crime type links to its areas; the link ends with words only a screen reader hears.
    const type = (await row.locator('th').textContent())!.replace(/:\s*areas\s*$/, '').trim();
    const cells = (await row.locator('td').allTextContents()).map((cell) => cell.replace(/\s+/g, ' ').trim());
    shown.push({ type, january: cells[0]!.split(' ')[0]!, total: cells.at(-1)! });
  }
  const byType = Object.fromEntries(shown.filter((row) => row.type !== 'All crime types').map((row) => [row.type, row.january]));
  expect(byType).toEqual(Object.fromEntries([...expected.byCrimeType].map(([type, n]) => [type, count(n)])));
  expect(shown.find((row) => row.type === 'All crime types')?.total).toBe(count(expected.rows));

  // The counts as CSV, the same figures.
  const csv = await download(() => page.getByRole('link', { name: 'Download these counts (CSV)' }).click());
  expect(csv.name).toMatch(/\.csv$/);
  const csvRows = parse(csv.contents, { columns: true, bom: true }) as Record<string, string>[];
  expect(Object.fromEntries(csvRows.map((row) => [row['Crime type'], Number(row.Crimes)]))).toEqual(
    Object.fromEntries(expected.byCrimeType),
  );
  expect(new Set(csvRows.map((row) => row.Month))).toEqual(new Set(['2019-01']));

  // Drill down: violence in January 2019, by area, then the area with the most.
  const violenceCount = expected.byCrimeType.get(violence)!;
  await journey.open(`${count(violenceCount)} ${violence}, January 2019: areas`, 'Areas with the most crime');
  await expect(page.getByRole('heading', { level: 2, name: `${violence}, January 2019` })).toBeVisible();
  const top = page
    .getByRole('table', { name: /^Areas by number of crimes/ })
    .locator('tbody tr')
    .first();
  const topCode = (await top.locator('.govuk-hint').textContent())!.trim();
  const topName = (await top.getByRole('link').textContent())!.trim();
  const inTopArea = countStreetFile(january, (row) => row['LSOA code'] === topCode && row['Crime type'] === violence).rows;
  await expect(top.locator('td').nth(1)).toHaveText(count(inTopArea));
  const mostInAnyArea = Math.max(...countStreetFile(january, (row) => row['Crime type'] === violence).byLsoa.values());
  expect(inTopArea).toBe(mostInAnyArea);
  await journey.open(topName, topName);
  await expect(page.getByText(`Lower layer super output area ${topCode}.`)).toBeVisible();
  const areaTable = page.getByRole('table', { name: `Crimes in ${topName} by month and crime type` });
  await expect(areaTable.getByRole('row', { name: new RegExp(`^${violence}`) })).toContainText(count(inTopArea));
});

test('the officer defines a measure as violence and sexual offences per month, and its page charts the months imported', async () => {
  await journey.open('Back to areas', 'Areas with the most crime');
  await journey.open('Back to crime data', 'Crime data');
  await openDashboard();
  await journey.open(derivedMeasure, derivedMeasure);
  await expect(page.locator('#no-values')).toHaveText('No values have been recorded yet.');
  await journey.open('Define as a derived measure', 'Compute from open police data');
  await expect(page.getByText(`Street-level crime loaded for ${forceName}: Oct 2018 to Feb 2019 (5 months).`)).toBeVisible();
  await page.getByRole('group', { name: 'Which crimes to count' }).getByLabel(violence, { exact: true }).check();
  await page.getByRole('group', { name: 'What to compute' }).getByLabel('Number of crimes', { exact: true }).check();
  await journey.submit('Save and compute', 'Compute from open police data');
  await expect(page.getByText(`${derivedMeasure} is now computed from data.police.uk: 5 values recorded.`)).toBeVisible();

  await journey.open('Back to the measure', derivedMeasure);
  await expect(page.locator('figure.app-chart svg')).toBeVisible();
  const values = page.getByRole('table', { name: 'The values in the chart' });
  for (const month of dyfedPowysMonths) {
    const crimes = countStreetFile(dyfedPowysFile(month)).byCrimeType.get(violence)!;
    const row = values.getByRole('row', { name: new RegExp(`^${monthName(month)}`) });
    await expect(row.locator('td').first()).toContainText(count(crimes));
    await expect(row).toContainText('Computed from open police data');
  }

  // Graded against the plan's target of 1,000 a month: February's figure is well over it.
  await journey.open('Change how it is graded', 'How the measure is graded');
  await page.getByLabel('Against the target').check();
  await page.getByLabel('Amber margin').fill('5');
  await journey.submit('Save', derivedMeasure);
  await expect(page.getByText('Grading settings saved.')).toBeVisible();
  await expect(page.locator('#grade-explanation')).toContainText(
    count(countStreetFile(dyfedPowysFile('2019-02')).byCrimeType.get(violence)!),
  );
  await expect(page.locator('.govuk-summary-list').first()).toContainText('Red: off track');
});

const surveyValues = [
  {
    quarter: 'Quarter 3 (October to December)',
    label: 'Quarter 3 2018/19 (October to December 2018)',
    value: '78.5',
    lower: '75.1',
    upper: '81.9',
  },
  {
    quarter: 'Quarter 4 (January to March)',
    label: 'Quarter 4 2018/19 (January to March 2019)',
    value: '84.2',
    lower: '81.0',
    upper: '87.4',
  },
];
const commentary = {
  happening: 'Satisfaction rose after the victims’ hub began calling every victim within two days of the crime being reported.',
  done: 'The hub will extend its hours to evenings and weekends from April 2019.',
};

test('the officer records survey results with confidence intervals, grades them against the target, and explains the latest quarter', async () => {
  await journey.open('Back to the dashboard', dashboardHeading);
  await journey.open(surveyMeasure, surveyMeasure);
  for (const survey of surveyValues) {
    await journey.open('Record a value', 'Record a value', 'button');
    await page.getByLabel('Quarter', { exact: true }).selectOption({ label: survey.quarter });
    await page.getByLabel('Financial year').selectOption({ label: '2018/19' });
    await page.getByLabel('Value', { exact: true }).fill(survey.value);
    await page.getByText('Numerator, confidence interval and comparison (optional)').click();
    await page.getByLabel('Lower end').fill(survey.lower);
    await page.getByLabel('Upper end').fill(survey.upper);
    await page.getByLabel('Source (optional)').fill('Dyfed-Powys victim satisfaction survey');
    await journey.submit('Record the value', surveyMeasure);
    await expect(page.getByText(`Value for ${survey.label} recorded.`)).toBeVisible();
  }
  const values = page.getByRole('table', { name: 'The values in the chart' });
  for (const survey of surveyValues) {
    await expect(values.getByRole('row', { name: new RegExp(`^${survey.label.replace(/[()]/g, '\\$&')}`) })).toContainText(
      `${survey.lower}% to ${survey.upper}%`.replace('81.0%', '81%'),
    );
  }

  await journey.open('Change how it is graded', 'How the measure is graded');
  await page.getByLabel('Against the target').check();
  await journey.submit('Save', surveyMeasure);
  await expect(page.locator('.govuk-summary-list').first()).toContainText('Green: content');
  await expect(page.locator('#grade-explanation')).toContainText('the whole interval meets the target');

  const latest = surveyValues.at(-1)!;
  await journey.open(`Write commentary for ${latest.label}`, `Commentary for ${latest.label}`);
  await page.getByLabel('What is happening').fill(commentary.happening);
  await page.getByLabel('What is being done (optional)').fill(commentary.done);
  await journey.submit('Save commentary', surveyMeasure);
  await expect(page.getByText(`Commentary for ${latest.label} saved.`)).toBeVisible();
  await expect(page.locator('#commentary')).toBeVisible();
  await expect(page.getByText(commentary.happening)).toBeVisible();

  await journey.open('Back to the dashboard', dashboardHeading);
  const row = page.locator('tr', { has: page.getByRole('link', { name: surveyMeasure, exact: true }) });
  await expect(row).toContainText('Green: content');
  await expect(row).toContainText(latest.label);
  const derivedRow = page.locator('tr', { has: page.getByRole('link', { name: derivedMeasure, exact: true }) });
  await expect(derivedRow).toContainText('Red: off track');
  await expect(derivedRow).toContainText('February 2019');
});

test('the officer generates the quarterly report for January to March 2019: exceptions first, every measure graded, and as Word', async () => {
  await journey.open('Quarterly performance reports', 'Performance reports');
  await page.getByLabel('Quarterly performance report for the panel').check();
  await page.getByLabel('Quarter', { exact: true }).selectOption({ label: surveyValues[1]!.label });
  await journey.submit('Generate report', `Performance report: ${surveyValues[1]!.label}`);

  // Exceptions come first: the red measure, then the four without data.
  const exceptions = page.getByRole('table', { name: 'Red and ungraded measures' }).locator('tbody tr');
  await expect(exceptions).toHaveCount(5);
  await expect(exceptions.first()).toContainText(derivedMeasure);
  await expect(exceptions.first()).toContainText('Red: off track');
  for (const row of await exceptions.all().then((rows) => rows.slice(1))) await expect(row).toContainText('Ungraded');
  const headings = await page.getByRole('heading', { level: 2 }).allTextContents();
  const exceptionsAt = headings.indexOf('Exceptions');
  expect(exceptionsAt).toBeGreaterThanOrEqual(0);
  expect(exceptionsAt).toBeLessThan(headings.findIndex((h) => /^1\. /.test(h)));

  const survey = page.getByRole('heading', { level: 3, name: surveyMeasure });
  await expect(survey).toBeVisible();
  await expect(page.getByRole('table', { name: `Values of ${surveyMeasure}` })).toContainText('84.2');
  await expect(page.getByText(commentary.happening)).toBeVisible();
  await expect(page.getByRole('table', { name: `Values of ${derivedMeasure}` })).toContainText(
    String(countStreetFile(dyfedPowysFile('2019-02')).byCrimeType.get(violence)!),
  );

  const docx = await download(() => page.getByRole('link', { name: 'Download as a Word document (.docx)' }).click());
  expect(docx.name).toMatch(/\.docx$/);
  const { value: html } = await mammoth.convertToHtml({ buffer: docx.contents });
  const headingsInWord = [...html.matchAll(/<h([1-3])>(.*?)<\/h\1>/g)].map((match) => match[2]);
  expect(headingsInWord[0]).toBe('Exceptions');
  expect(headingsInWord).toContain('2. Preventing and deterring crime');
  // Exceptions first: the red measure, then the four without data, as on the page.
  const exceptionRows = [
    ...html
      .split('<h1>Exceptions</h1>')[1]!
      .split('<h1>')[0]!
      .matchAll(/<tr>(.*?)<\/tr>/g),
  ].map((row) => row[1]!);
  expect(exceptionRows).toHaveLength(6);
  expect(exceptionRows[1]).toContain(derivedMeasure);
  expect(exceptionRows[1]).toContain('Red: off track');
  for (const row of exceptionRows.slice(2)) expect(row).toContain('Ungraded');
  const surveyInWord = html.split(`<h2>${surveyMeasure}</h2>`)[1]!.split(/<h[12]>/)[0]!;
  expect(surveyInWord).toContain('Green: content');
  expect(surveyInWord).toContain(commentary.happening);
  const { value: text } = await mammoth.extractRawText({ buffer: docx.contents });
  expect(text).toContain(surveyValues[1]!.label);
});

test('every page visited was checked with axe', () => {
  audit.expectEveryPageChecked();
});
