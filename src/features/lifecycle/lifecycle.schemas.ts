import { z } from 'zod';
import { isoDateFromParts } from '../../shared/dates.ts';
import type { LifecycleEvent } from '../../shared/lifecycle-states.ts';
import type { RecommendationRow } from '../scrutiny/index.ts';

/** What each step's form gives, by event. Dates are ISO strings. */
export type Votes = { votesFor: number | null; votesAgainst: number | null; abstentions: number | null; unanimous: boolean };
export type ResponseAnswer = { id: string; version: number; status: 'accepted' | 'partly_accepted' | 'not_accepted'; text: string };

export type StepForm =
  | { event: 'consult_chief_constable' | 'reconsult_chief_constable'; happenedOn: string; how: string; views: string }
  | { event: 'send_to_panel'; happenedOn: string; reviewWindowEndsOn: string | null; waiverReason: string }
  | ({
      event: 'record_panel_report';
      happenedOn: string;
      summary: string;
      recommendations: string[];
      noRecommendations: boolean;
      resolution: string;
    } & Votes)
  | ({ event: 'request_further_draft'; happenedOn: string; summary: string; points: string[]; resolution: string } & Votes)
  | { event: 'give_response'; happenedOn: string; response: string; answers: ResponseAnswer[] }
  | { event: 'publish_response'; happenedOn: string; url: string }
  | { event: 'record_internal_approval'; happenedOn: string; step: string; approvedBy: string; notes: string }
  | ({ event: 'record_endorsement'; happenedOn: string; resolution: string } & Votes)
  | { event: 'issue'; happenedOn: string; reference: string; decidedBy: string }
  | { event: 'withdraw'; happenedOn: string; reason: string };

export type FormEvent = StepForm['event'];

/** URL segments of the steps people take; the date-driven ones are the service's alone. */
export const stepSlugs: Record<FormEvent, string> = {
  consult_chief_constable: 'consult-chief-constable',
  send_to_panel: 'send-to-panel',
  record_panel_report: 'record-panel-report',
  request_further_draft: 'request-further-draft',
  give_response: 'give-response',
  publish_response: 'publish-response',
  reconsult_chief_constable: 'reconsult-chief-constable',
  record_internal_approval: 'record-internal-approval',
  record_endorsement: 'record-endorsement',
  issue: 'issue',
  withdraw: 'withdraw',
};
export const eventForSlug = (slug: string): FormEvent | undefined =>
  (Object.entries(stepSlugs) as [FormEvent, string][]).find(([, s]) => s === slug)?.[0];
export const isFormEvent = (event: LifecycleEvent): event is FormEvent => event in stepSlugs;

export const dateLabels: Record<FormEvent, string> = {
  consult_chief_constable: 'date the chief constable was consulted',
  reconsult_chief_constable: 'date the chief constable was consulted again',
  send_to_panel: 'date the draft was sent to the panel',
  record_panel_report: 'date of the panel’s report',
  request_further_draft: 'date the panel asked for a further draft',
  give_response: 'date the response was given',
  publish_response: 'date the response was published',
  record_internal_approval: 'date of the approval',
  record_endorsement: 'date of the panel’s vote',
  issue: 'date of the decision',
  withdraw: 'date of the decision to withdraw',
};

type Errors = Record<string, string>;
type Values = Record<string, string>;

function readDate(values: Values, name: string, label: string, errors: Errors, isRequired = true): string | null {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => (values[`${name}-${part}`] ?? '').trim()) as [string, string, string];
  if (!day && !month && !year) {
    if (isRequired) errors[name] = `Enter the ${label}`;
    return null;
  }
  const iso = isoDateFromParts(day, month, year);
  if (!iso) errors[name] = `The ${label} must be a real date, like 14 2 2026`;
  return iso;
}

const text = (values: Values, name: string, label: string, max: number, errors: Errors, isRequired: boolean) => {
  const value = (values[name] ?? '').trim();
  if (isRequired && !value) errors[name] = `Enter ${label}`;
  else if (value.length > max)
    errors[name] = `${label.charAt(0).toUpperCase()}${label.slice(1).replace(/^(the|a|an) /i, '')} must be ${max} characters or fewer`;
  return value;
};

const count = (values: Values, name: string, label: string, errors: Errors): number | null => {
  const value = (values[name] ?? '').trim();
  if (!value) return null;
  if (!/^\d{1,4}$/.test(value)) {
    errors[name] = `The number of ${label} must be a whole number, like 7`;
    return null;
  }
  return Number(value);
};

const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-•*]|\(?\d+[.)]|\([a-z]\))\s*/i, '').trim())
    .filter(Boolean);

function votes(values: Values, errors: Errors): Votes {
  const result = {
    votesFor: count(values, 'votesFor', 'votes for', errors),
    votesAgainst: count(values, 'votesAgainst', 'votes against', errors),
    abstentions: count(values, 'abstentions', 'abstentions', errors),
    unanimous: values.unanimous === 'yes',
  };
  if (result.unanimous && (result.votesAgainst ?? 0) > 0) errors.votesAgainst = 'A unanimous vote cannot have votes against';
  return result;
}

export type Parsed = { ok: true; value: StepForm } | { ok: false; errors: Errors };

/**
 * Reads one step's form. `unanswered` are the recommendations the response form asks about.
 * Field errors come in page order; the date-order rules are the machine's (machine.ts).
 */
export function parseStep(event: FormEvent, values: Values, unanswered: readonly RecommendationRow[] = []): Parsed {
  const errors: Errors = {};
  const happenedOn = readDate(values, 'happenedOn', dateLabels[event], errors);
  let value: StepForm | undefined;
  switch (event) {
    case 'consult_chief_constable':
    case 'reconsult_chief_constable': {
      const how = text(values, 'how', 'how the chief constable was consulted', 500, errors, true);
      const views = text(values, 'views', 'a summary of the chief constable’s views', 10000, errors, true);
      value = { event, happenedOn: happenedOn!, how, views };
      break;
    }
    case 'send_to_panel': {
      const reviewWindowEndsOn = readDate(values, 'reviewWindowEndsOn', 'end of the panel’s review window', errors, false);
      const waiverReason = text(values, 'waiverReason', 'the reason', 2000, errors, false);
      value = { event, happenedOn: happenedOn!, reviewWindowEndsOn, waiverReason };
      break;
    }
    case 'record_panel_report': {
      const summary = text(values, 'summary', 'a summary of the panel’s report', 10000, errors, true);
      const recommendations = lines(text(values, 'recommendations', 'the recommendations', 20000, errors, false));
      const resolution = text(values, 'resolution', 'the resolution', 5000, errors, false);
      value = {
        event,
        happenedOn: happenedOn!,
        summary,
        recommendations,
        noRecommendations: values.noRecommendations === 'yes',
        resolution,
        ...votes(values, errors),
      };
      break;
    }
    case 'request_further_draft': {
      const summary = text(values, 'summary', 'a summary of what the panel said', 10000, errors, true);
      const points = lines(text(values, 'points', 'the points', 20000, errors, false));
      const resolution = text(values, 'resolution', 'the resolution', 5000, errors, false);
      value = { event, happenedOn: happenedOn!, summary, points, resolution, ...votes(values, errors) };
      break;
    }
    case 'give_response': {
      const response = text(values, 'response', 'the response to the panel’s report', 20000, errors, true);
      const answers = unanswered.map((r) => {
        const status = values[`status-${r.id}`] ?? '';
        if (!['accepted', 'partly_accepted', 'not_accepted'].includes(status))
          errors[`status-${r.id}`] = `Select whether recommendation ${r.reference} is accepted, partly accepted or not accepted`;
        const answer = text(values, `text-${r.id}`, `the response to recommendation ${r.reference}`, 10000, errors, true);
        return { id: r.id, version: Number(values[`version-${r.id}`]) || 0, status: status as ResponseAnswer['status'], text: answer };
      });
      value = { event, happenedOn: happenedOn!, response, answers };
      break;
    }
    case 'publish_response': {
      const url = text(values, 'url', 'the web address', 2000, errors, false);
      if (url && !/^https?:\/\/[^\s]+\.[^\s]+$/i.test(url)) errors.url = 'Enter a web address that starts with https://, or leave it empty';
      value = { event, happenedOn: happenedOn!, url };
      break;
    }
    case 'record_internal_approval': {
      const step = (values.step ?? '').trim();
      if (!step) errors.step = 'Select the approval step';
      const approvedBy = text(values, 'approvedBy', 'who approved it', 300, errors, true);
      const notes = text(values, 'notes', 'the notes', 5000, errors, false);
      value = { event, happenedOn: happenedOn!, step, approvedBy, notes };
      break;
    }
    case 'record_endorsement': {
      const resolution = text(values, 'resolution', 'the resolution the panel agreed', 5000, errors, true);
      value = { event, happenedOn: happenedOn!, resolution, ...votes(values, errors) };
      break;
    }
    case 'issue': {
      const reference = text(values, 'reference', 'the reference of the decision record', 200, errors, true);
      const decidedBy = text(values, 'decidedBy', 'who made the decision', 300, errors, true);
      value = { event, happenedOn: happenedOn!, reference, decidedBy };
      break;
    }
    case 'withdraw': {
      const reason = text(values, 'reason', 'the reason for withdrawing the edition', 5000, errors, true);
      value = { event, happenedOn: happenedOn!, reason };
      break;
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: value! };
}

const whole = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${label} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${label} must be between ${min} and ${max}`);

export const settingsSchema = z.object({
  panelReviewDays: whole('The panel’s review time', 1, 365),
  responseDueDays: whole('The time to respond to recommendations', 1, 365),
  actionReminderDays: whole('The reminder time', 0, 90),
  annualReportMonth: whole('The month', 1, 12),
  quarterlyReportLagDays: whole('The time after each quarter', 0, 180),
});
export type SettingsInput = z.infer<typeof settingsSchema>;

export const approvalStepSchema = z.object({
  name: z.string().trim().min(1, 'Enter the name of the approval step').max(200, 'The name must be 200 characters or fewer'),
  requiredBefore: z.enum(['send_to_panel', 'issue'], { error: 'Select when the approval is needed' }),
});
