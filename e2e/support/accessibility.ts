import { AxeBuilder } from '@axe-core/playwright';
import { expect, type BrowserContext, type Page } from '@playwright/test';

const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Checks pages with axe and remembers which ones it checked, so a journey can finish by proving
 * that every page the browser landed on was checked, not only the ones someone remembered.
 *
 * axe is JavaScript and needs timers, which a page with JavaScript disabled does not run. For
 * those pages it checks a mirror: the same DOM, with every script removed, served at the same
 * address in a separate context so the real stylesheets load, and the contrast rules see them.
 */
export class AccessibilityAudit {
  private readonly visited = new Set<string>();
  private readonly checked = new Set<string>();
  private mirrorContext: BrowserContext | undefined;

  constructor(
    private readonly page: Page,
    readonly isJavaScriptEnabled: boolean,
  ) {
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.visited.add(withoutQuery(frame.url()));
    });
  }

  /** Runs axe on the page as it is now, and fails listing each violation and the elements involved. */
  async check(state = ''): Promise<void> {
    const url = this.page.url();
    const target = this.isJavaScriptEnabled ? this.page : await this.mirror();
    try {
      const results = await new AxeBuilder({ page: target }).withTags(wcagTags).analyze();
      const violations = withoutKnownGovukFrontendIssues(results.violations);
      const report = violations
        .map(
          (violation) =>
            `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes.map((node) => `    ${node.target.join(' ')}`).join('\n')}`,
        )
        .join('\n');
      expect(violations, `axe found violations on ${url}${state ? ` (${state})` : ''}:\n${report}`).toEqual([]);
    } finally {
      if (target !== this.page) await target.close();
    }
    this.checked.add(withoutQuery(url));
  }

  expectEveryPageChecked(): void {
    const unchecked = [...this.visited].filter((url) => url !== 'about:blank' && !this.checked.has(url));
    expect(unchecked, 'pages visited without an axe check').toEqual([]);
  }

  async close(): Promise<void> {
    await this.mirrorContext?.close();
  }

  private async mirror(): Promise<Page> {
    const url = this.page.url();
    const html = (await this.page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
    this.mirrorContext ??= await this.page.context().browser()!.newContext({ javaScriptEnabled: true });
    const mirror = await this.mirrorContext.newPage();
    await mirror.route(
      (candidate) => candidate.href === url,
      (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await mirror.goto(url);
    return mirror;
  }
}

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/**
 * GOV.UK Frontend's JavaScript puts aria-expanded on a radio that reveals conditional content.
 * ARIA 1.2 does not allow it on role radio, so axe reports aria-allowed-attr, but the Design
 * System keeps it on purpose because screen readers announce it: a documented known issue
 * (https://github.com/alphagov/govuk-frontend/issues/979). Only exactly that is excused: a GOV.UK
 * radio that controls a conditional reveal, whose only disallowed attribute is aria-expanded.
 */
function withoutKnownGovukFrontendIssues(violations: Violation[]): Violation[] {
  const isConditionalRevealRadio = (node: Violation['nodes'][number]) =>
    /class="govuk-radios__input"/.test(node.html) &&
    /aria-controls="conditional-[^"]+"/.test(node.html) &&
    [...node.all, ...node.any, ...node.none].every(
      (check) =>
        check.id !== 'aria-allowed-attr' ||
        (Array.isArray(check.data) && check.data.every((attribute) => /^aria-expanded="(true|false)"$/.test(String(attribute)))),
    );
  return violations
    .map((violation) =>
      violation.id === 'aria-allowed-attr'
        ? { ...violation, nodes: violation.nodes.filter((node) => !isConditionalRevealRadio(node)) }
        : violation,
    )
    .filter((violation) => violation.nodes.length > 0);
}

function withoutQuery(url: string): string {
  return url.split(/[?#]/)[0] ?? url;
}
