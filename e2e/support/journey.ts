import { expect, type Locator, type Page } from '@playwright/test';
import { AccessibilityAudit } from './accessibility.ts';
import { setupUrlFor, smtp } from './environment.ts';
import { mailTo } from './mailbox.ts';
import { password, people } from './people.ts';

export type Person = { name: string; email: string };

/**
 * The steps every statutory-process journey repeats, on one page, with axe run on every page it
 * lands on: signing in and out, claiming the instance (or signing in as the administrator an
 * earlier spec created), setting up a body with its panel, inviting people by e-mail and
 * accepting those invitations through the real mailbox, and the statutory process's step forms.
 */
export class Journey {
  constructor(
    readonly page: Page,
    readonly audit: AccessibilityAudit,
  ) {}

  /** Checks the page as it is now with axe. */
  check(state = ''): Promise<void> {
    return this.audit.check(state);
  }

  async expectHeading(heading: string | RegExp): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }

  /** Goes to an address, waits for its heading and checks it. */
  async visit(url: string, heading: string | RegExp, state = ''): Promise<void> {
    await this.page.goto(url);
    await this.expectHeading(heading);
    await this.check(state);
  }

  /** Follows a link or button, waits for the heading of the page it leads to and checks it. */
  async open(name: string | RegExp, heading: string | RegExp, role: 'link' | 'button' = 'link'): Promise<void> {
    await this.follow(this.page.getByRole(role, { name, exact: typeof name === 'string' }).first());
    await this.expectHeading(heading);
    await this.check();
  }

  /** Presses a form's button and checks the page it leads to, once its heading shows. */
  async submit(button: string, heading: string | RegExp, state = ''): Promise<void> {
    await this.follow(this.page.getByRole('button', { name: button, exact: true }));
    await this.expectHeading(heading);
    await this.check(state);
  }

  /**
   * Clicks a link or button and waits until the next page has loaded, so a heading the two pages
   * share (the edition's page and the next draft's, say) is never read from the page being left.
   */
  async follow(target: Locator): Promise<void> {
    const loaded = this.page.waitForEvent('load');
    await target.click();
    await loaded;
  }

  async fillDate(group: string | RegExp, day: string, month: string, year: string): Promise<void> {
    const fieldset = this.page.getByRole('group', { name: group, exact: typeof group === 'string' });
    await fieldset.getByLabel('Day').fill(day);
    await fieldset.getByLabel('Month').fill(month);
    await fieldset.getByLabel('Year').fill(year);
  }

  async signIn(person: Person): Promise<void> {
    await this.visit('/sign-in', 'Sign in');
    await this.page.getByLabel('Email address').fill(person.email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.follow(this.page.getByRole('button', { name: 'Sign in' }));
    await this.expectHeading(`Welcome, ${person.name}`);
    await this.check();
  }

  async signOut(): Promise<void> {
    await this.follow(this.page.getByRole('button', { name: 'Sign out' }));
    await this.expectHeading('Sign in');
    await this.check();
  }

  /**
   * Signs in as the administrator. The set-up link works once per server: the journey spec
   * normally used it already, so this signs in as that administrator; alone, it claims the instance.
   * Playwright runs spec files in name order and journey.spec.ts expects an unclaimed instance,
   * so the specs using this are named to sort after it (statutory-*.spec.ts).
   */
  async signInAsAdministrator(baseURL: string | undefined, project: string): Promise<void> {
    const { admin } = people(project);
    const setup = await this.page.goto(setupUrlFor(baseURL));
    if (setup?.status() === 404) {
      await this.expectHeading('Page not found');
      await this.check('set-up link already used');
      await this.signIn(admin);
      return;
    }
    await this.expectHeading('Set up this service');
    await this.check();
    await this.page.getByLabel('Full name').fill(admin.name);
    await this.page.getByLabel('Email address').fill(admin.email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByLabel('Confirm password').fill(password);
    await this.follow(this.page.getByRole('button', { name: 'Create administrator account' }));
    await this.expectHeading('Organisations');
    await this.check();
  }

  /** As an administrator: a PCC body at its own web address (Devon and Cornwall unless told), with its Police and Crime Panel. */
  async addBodyWithPanel(body: {
    name: string;
    slug: string;
    panelName: string;
    forceArea?: string;
    holderName?: string;
    hostAuthority?: string;
  }): Promise<void> {
    const { page } = this;
    await this.follow(page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Organisations' }));
    await this.expectHeading('Organisations');
    await this.check();
    await this.open('Add a policing body', 'Add a policing body', 'button');
    await page.getByLabel('Police and crime commissioner (PCC)').check();
    await page.getByLabel('Name of the body').fill(body.name);
    await page.getByLabel('Web address name (optional)').fill(body.slug);
    await page.getByLabel('Force area').selectOption({ label: body.forceArea ?? 'Devon & Cornwall Police' });
    await page.getByLabel('Name of the holder').fill(body.holderName ?? 'Alison Hernandez');
    await page.getByLabel('Holder’s title').fill('Police and Crime Commissioner');
    await this.fillDate('Start of the term of office', '12', '5', '2016');
    await this.fillDate('End of the term of office', '12', '5', '2030');
    await page.getByRole('group', { name: 'Is the plan published in Welsh as well as English?' }).getByLabel('No').check();
    await this.submit('Save', body.name);
    expect(new URL(page.url()).pathname).toBe(`/bodies/${body.slug}`);

    await this.open('Add the Police and Crime Panel', 'Add the Police and Crime Panel', 'button');
    await page.getByLabel('Name', { exact: true }).fill(body.panelName);
    await page.getByLabel('Host authority').fill(body.hostAuthority ?? 'Plymouth City Council');
    await this.follow(page.getByRole('button', { name: 'Save' }));
    await expect(page.getByRole('heading', { level: 2, name: body.panelName })).toBeVisible();
    await this.check();
  }

  /** As an administrator on the body's page: invites each person in the role with that label. */
  async invite(invitations: { person: Person; role: string }[]): Promise<void> {
    await this.open('See and invite the people who work on this body’s plan', 'People');
    for (const { person, role } of invitations) {
      await this.open('Invite someone', 'Invite someone', 'button');
      await this.page.getByLabel('Full name').fill(person.name);
      await this.page.getByLabel('Email address').fill(person.email);
      await this.page.getByRole('group', { name: 'Role' }).getByLabel(role, { exact: true }).check();
      await this.submit('Send invitation', 'Invitation sent');
      await this.open('Return to the list', 'People');
    }
  }

  /** Follows the link in the person's invitation e-mail, chooses a password, and is signed in. */
  async acceptInvitation(person: Person): Promise<void> {
    const [invitation] = await mailTo(smtp.mailFile, person.email);
    const link = /https?:\/\/\S+\/invitations\/\S+/.exec(invitation?.text ?? '')?.[0];
    expect(link, `an invitation link for ${person.email} in:\n${invitation?.text}`).toBeTruthy();
    await this.page.goto(link!);
    await this.expectHeading('Choose your password');
    await this.check();
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByLabel('Confirm password').fill(password);
    await this.submit('Create account', `Welcome, ${person.name}`);
  }

  /** From the home page after signing in: the body, its plans, a plan and its latest edition. */
  async openBody(bodyName: string): Promise<void> {
    await this.follow(this.page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Organisations' }));
    await this.expectHeading('Organisations');
    await this.check();
    await this.open(bodyName, bodyName);
  }

  /** Imports a plan-v1 JSON document as a new plan, from the body's plans page. */
  async importPlan(title: string, json: string): Promise<void> {
    await this.open('Police and Crime Plans', 'Police and Crime Plans');
    await this.open(/Import a plan from JSON/, 'Import a plan from JSON');
    await this.page.getByLabel('JSON file').setInputFiles({ name: 'plan.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await this.submit('Import plan', title);
  }

  /** From an edition's page: the statutory process page. */
  async openProcess(): Promise<void> {
    await this.open(/^Statutory process: /, 'Statutory process');
  }

  /** From the process page: a step's form, filled by `fill`, sent, and back on the process page with its message. */
  async takeStep(label: string, fill: () => Promise<void>, confirmation?: string | RegExp): Promise<void> {
    await this.open(label, label);
    await fill();
    await this.submit(label, 'Statutory process');
    if (confirmation) await expect(this.page.getByText(confirmation).first()).toBeVisible();
  }

  /**
   * As the panel's officer, from the body's page: a formal public meeting held today with one
   * agenda item about a shared edition, its minutes and one resolution. Ends on the meeting's page.
   */
  async recordMeeting(meeting: {
    panelName: string;
    title: string;
    item: string;
    purpose: string;
    edition: string;
    minutes: string;
    resolution: string;
    vote: 'Agreed without a vote' | 'Unanimously';
    isEndorsement?: boolean;
  }): Promise<void> {
    const { page } = this;
    await this.open('Police and Crime Panel scrutiny', meeting.panelName);
    await this.open('Meetings', 'Meetings');
    await this.open('Add a meeting', 'Add a meeting', 'button');
    await page.getByLabel('Formal public meeting').check();
    await page.getByLabel('Title', { exact: true }).fill(meeting.title);
    await this.fillDate('Date', ...todayParts());
    await page.getByLabel('Start time (optional)').fill('10:30');
    await page.getByLabel('Place', { exact: true }).fill('Council Chamber');
    await this.submit('Save', meeting.title);

    await this.open('Add an agenda item', 'Add an agenda item', 'button');
    await page.getByLabel('Title', { exact: true }).fill(meeting.item);
    await page.getByLabel('Purpose (optional)').fill(meeting.purpose);
    await page.getByLabel('Plan edition (optional)').selectOption({ label: meeting.edition });
    await this.submit('Save', meeting.title);
    await expect(page.getByRole('heading', { level: 3, name: `1. ${meeting.item}` })).toBeVisible();

    await this.open(/^Record the minutes/, /^Minutes of item 1/);
    await page.getByLabel('Minutes', { exact: true }).fill(meeting.minutes);
    await this.submit('Save minutes', meeting.title);
    await expect(page.getByText(meeting.minutes)).toBeVisible();

    await this.open(/^Record a resolution/, 'Record a resolution');
    await page.getByLabel('What the panel resolved').fill(meeting.resolution);
    await page.getByLabel(meeting.vote).check();
    if (meeting.isEndorsement) await page.getByLabel('This resolution endorses the plan').check();
    await this.submit('Save', meeting.title);
    await expect(page.getByText(meeting.resolution)).toBeVisible();
  }

  /**
   * On a body's open police data page: uploads one data.police.uk CSV or zip file, waits on the
   * import's page until the background job has finished, and checks the finished page.
   */
  async importPoliceData(fileName: string, contents: Buffer): Promise<void> {
    const mimeType = fileName.endsWith('.zip') ? 'application/zip' : 'text/csv';
    await this.page.getByLabel('CSV or zip file').setInputFiles({ name: fileName, mimeType, buffer: contents });
    await this.follow(this.page.getByRole('button', { name: 'Upload and import' }));
    await this.expectHeading(`Import of ${fileName}`);
    await this.waitForPoliceDataImport();
  }

  /**
   * Waits on an import's page until it has finished. With JavaScript the page polls and reloads
   * itself; without, the user follows its Refresh link until the report shows.
   */
  async waitForPoliceDataImport(timeout = 300_000): Promise<void> {
    const { page } = this;
    const unfinished = /Waiting to start|Importing/;
    const status = page.locator('#import-status');
    if (this.audit.isJavaScriptEnabled) {
      await expect(status).not.toHaveText(unfinished, { timeout });
    } else {
      const refresh = page.getByRole('link', { name: 'Refresh', exact: true });
      await expect(async () => {
        if (await refresh.isVisible()) await this.follow(refresh);
        await expect(status).not.toHaveText(unfinished, { timeout: 1_000 });
      }).toPass({ timeout, intervals: [1_000] });
    }
    await expect(page.getByRole('link', { name: 'Refresh', exact: true })).toHaveCount(0);
    await this.check('import finished');
  }

  /** The state the process page says the edition is in. */
  currentState() {
    return this.page.locator('#current-state');
  }
}

/** Everyone a statutory-process journey needs, with addresses of their own in this project and body. */
export function cast(project: string, slug: string, commissionerName = 'Alison Hernandez') {
  const at = (name: string) => `${name}.${project}.${slug}@example.org`;
  return {
    commissioner: { name: commissionerName, email: at('commissioner') },
    officer: { name: 'Olu Officer', email: at('olu') },
    panelOfficer: { name: 'Penny Panel-Officer', email: at('penny') },
    panelMember: { name: 'Pat Panel-Member', email: at('pat') },
  };
}

export const roles = {
  commissioner: 'Commissioner',
  officer: 'Office of the commissioner (staff)',
  panelOfficer: 'Panel support officer',
  panelMember: 'Panel member',
};

/** Today's date, in the parts of a GOV.UK date input. */
export function todayParts(): [string, string, string] {
  const now = new Date();
  return [String(now.getDate()), String(now.getMonth() + 1), String(now.getFullYear())];
}
