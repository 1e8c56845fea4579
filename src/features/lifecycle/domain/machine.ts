import { formatDate } from '../../../shared/dates.ts';
import { organisationRoles, type OrganisationRole } from '../../../shared/current-user.ts';
import type { ApprovalStage, LifecycleEvent, LifecycleState } from '../../../shared/lifecycle-states.ts';

/**
 * The statutory process of one edition as a table: one row per transition, with the states it
 * may start from, where it leads, who may do it, its statutory basis and its guards. Pure:
 * everything the guards look at comes in as `facts` (and the step's own `input`).
 */

/** Who is acting: their roles in the body, `admin` for an administrator, `service` for the daily job. */
export type ActorRole = OrganisationRole | 'admin' | 'service';
export const actorRoles: readonly ActorRole[] = [...organisationRoles, 'admin', 'service'];

export const preIssueStates = [
  'drafting',
  'chief_constable_consulted',
  'sent_to_panel',
  'panel_report_received',
  'response_given',
  'response_published',
] as const satisfies readonly LifecycleState[];
export const terminalStates = ['superseded', 'expired', 'withdrawn'] as const satisfies readonly LifecycleState[];
/** The main path drawn for users, in order. */
export const mainPath = [
  'drafting',
  'chief_constable_consulted',
  'sent_to_panel',
  'panel_report_received',
  'response_given',
  'response_published',
  'issued',
  'in_force',
] as const satisfies readonly LifecycleState[];

export const isPreIssue = (state: LifecycleState) => (preIssueStates as readonly LifecycleState[]).includes(state);
export const isTerminal = (state: LifecycleState) => (terminalStates as readonly LifecycleState[]).includes(state);

export const stateLabels: Record<LifecycleState, string> = {
  drafting: 'Drafting',
  chief_constable_consulted: 'Chief constable consulted',
  sent_to_panel: 'Sent to the panel',
  panel_report_received: 'Panel report received',
  response_given: 'Response given to the panel',
  response_published: 'Response published',
  issued: 'Issued',
  in_force: 'In force',
  superseded: 'Superseded',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
};

/** What the guards know about the edition, its history and the body's settings. */
export type Facts = {
  today: string;
  /** A consultation of the chief constable has been recorded on this edition (s.5(6)(b)). */
  chiefConstableConsulted: boolean;
  lastConsultedOn: string | null;
  /** The statutory completeness check, and the names of what it found missing. */
  isComplete: boolean;
  missing: readonly string[];
  /** The body's internal approval steps, each with whether it is recorded for the current draft. */
  approvals: readonly { name: string; requiredBefore: ApprovalStage; isRecorded: boolean }[];
  hasPanel: boolean;
  /** References of recommendations on the edition still without a response (s.5(6)(e)). */
  unanswered: readonly string[];
  /** The current draft's dates, when they exist. */
  draftSentOn: string | null;
  reportReceivedOn: string | null;
  lastRespondedOn: string | null;
  responsePublishedOn: string | null;
  /** The edition differs (principal changes) from the draft the panel last saw. */
  changedSincePanelSaw: boolean;
  /** A re-consultation of the chief constable was recorded on the edition exactly as it now stands. */
  reconsultedOnCurrentText: boolean;
  planStartsOn: string;
  planEndsOn: string;
};

/** What the person entered for this step; absent when only previewing which steps are open. */
export type StepInput = {
  happenedOn: string;
  reviewWindowEndsOn?: string;
  waiverReason?: string;
  recommendationCount?: number;
  noRecommendations?: boolean;
  pointCount?: number;
  approvalStep?: string | null;
};

export type Reason = { code: string; message: string; field?: string };
type Guard = (facts: Facts, input: StepInput | undefined) => Reason | Reason[] | null;

export type Transition = {
  event: LifecycleEvent;
  from: readonly LifecycleState[];
  /** `self`: the step is recorded but the edition stays where it is. */
  to: LifecycleState | 'self';
  roles: readonly ActorRole[];
  basis: string;
  label: string;
  explanation: string;
  /** Said when someone else did the same step a moment before. */
  alreadyDone: string;
  guards: readonly Guard[];
};

const office: readonly ActorRole[] = ['commissioner', 'officer', 'admin'];
const officeAndPanel: readonly ActorRole[] = ['commissioner', 'officer', 'admin', 'panel_officer'];
const service: readonly ActorRole[] = ['service'];

const on = (iso: string | null) => (iso ? formatDate(iso) : '');

// ---- Guards. Each says exactly what is missing.

const notInFuture: Guard = (facts, input) =>
  input && input.happenedOn > facts.today
    ? { code: 'date_in_future', field: 'happenedOn', message: 'The date must be today or in the past' }
    : null;

const notBefore =
  (what: string, earlier: (f: Facts) => string | null, code: string): Guard =>
  (facts, input) => {
    const limit = earlier(facts);
    return input && limit && input.happenedOn < limit
      ? { code, field: 'happenedOn', message: `The date must be on or after ${what} (${on(limit)})` }
      : null;
  };

const consulted: Guard = (facts) =>
  facts.chiefConstableConsulted
    ? null
    : {
        code: 'not_consulted',
        message:
          'Record the consultation of the chief constable first: the draft must be prepared in consultation with them (PRSRA 2011 s.5(6)(b))',
      };

const completeOrWaived: Guard = (facts, input) => {
  if (facts.isComplete) return null;
  if (input === undefined) return null; // A waiver reason can be given on the form.
  if ((input.waiverReason ?? '').trim()) return null;
  const missing = facts.missing.slice(0, 5).join('; ');
  return {
    code: 'incomplete',
    field: 'waiverReason',
    message: `The completeness check does not pass (${facts.missing.length} missing${missing ? `: ${missing}` : ''}). Complete the plan, or give the reason for sending it as it is`,
  };
};

const approvalsBefore =
  (stage: ApprovalStage): Guard =>
  (facts) =>
    facts.approvals
      .filter((a) => a.requiredBefore === stage && !a.isRecorded)
      .map((a) => ({ code: 'approval_missing', message: `Record the internal approval “${a.name}” for this draft first` }));

const hasPanel: Guard = (facts) =>
  facts.hasPanel
    ? null
    : { code: 'no_panel', message: 'Record the body’s Police and Crime Panel first: there is nobody to send the draft to' };

const windowAfterSending: Guard = (_facts, input) =>
  input?.reviewWindowEndsOn && input.reviewWindowEndsOn < input.happenedOn
    ? { code: 'window_before_sent', field: 'reviewWindowEndsOn', message: 'The end of the review window must be on or after the date sent' }
    : null;

const recommendationsOrNone: Guard = (_facts, input) => {
  if (!input) return null;
  const count = input.recommendationCount ?? 0;
  if (count > 0 && input.noRecommendations)
    return { code: 'both', field: 'recommendations', message: 'Either list the recommendations or tick “no recommendations”, not both' };
  if (count === 0 && !input.noRecommendations)
    return {
      code: 'no_recommendations_given',
      field: 'recommendations',
      message: 'Enter the panel’s recommendations, one on each line, or tick “The panel made no recommendations”',
    };
  return null;
};

const hasPoints: Guard = (_facts, input) =>
  input && (input.pointCount ?? 0) === 0
    ? {
        code: 'no_points',
        field: 'points',
        message: 'Enter what the panel asked to be addressed in the further draft, one point on each line',
      }
    : null;

const allAnswered: Guard = (facts) =>
  facts.unanswered.length
    ? {
        code: 'unanswered',
        message: `Respond to every recommendation first (s.5(6)(e)): ${facts.unanswered.join(', ')} ${facts.unanswered.length === 1 ? 'has' : 'have'} no response`,
      }
    : null;

const approvalStepChosen: Guard = (facts, input) => {
  if (facts.approvals.length === 0)
    return { code: 'no_steps', message: 'This body has no internal approval steps. Add them in the process settings first' };
  if (input && !facts.approvals.some((a) => a.name === input.approvalStep))
    return { code: 'no_step', field: 'approvalStep', message: 'Select the approval step' };
  return null;
};

// PRSRA 2011 s.5(8): if the plan to be issued differs from the draft the panel saw, the chief
// constable must be consulted again — on the text as it now stands.
const reconsultedIfChanged: Guard = (facts) =>
  facts.changedSincePanelSaw && !facts.reconsultedOnCurrentText
    ? {
        code: 'reconsult_needed',
        message:
          'The plan has changed since the panel saw the draft: record a re-consultation of the chief constable on the plan as it now stands first (PRSRA 2011 s.5(8))',
      }
    : null;

const periodStarted: Guard = (facts) =>
  facts.planStartsOn <= facts.today ? null : { code: 'not_started', message: `The plan period starts on ${on(facts.planStartsOn)}` };

const periodEnded: Guard = (facts) =>
  facts.planEndsOn < facts.today ? null : { code: 'not_ended', message: `The plan period runs until ${on(facts.planEndsOn)}` };

// ---- The table.

export const transitions: readonly Transition[] = [
  {
    event: 'consult_chief_constable',
    from: ['drafting'],
    to: 'chief_constable_consulted',
    roles: office,
    basis: 'PRSRA 2011 s.5(6)(b)',
    label: 'Record the consultation of the chief constable',
    explanation: 'The draft must be prepared in consultation with the chief constable: record when, how, and their views.',
    alreadyDone: 'Someone has already recorded the consultation of the chief constable on this draft.',
    guards: [notInFuture],
  },
  {
    event: 'send_to_panel',
    from: ['drafting', 'chief_constable_consulted'],
    to: 'sent_to_panel',
    roles: office,
    basis: 'PRSRA 2011 s.5(6)(c), s.5(7)',
    label: 'Send the draft to the panel',
    explanation: 'The draft goes to the Police and Crime Panel, which must be given a reasonable amount of time to review it.',
    alreadyDone: 'Someone has already sent this draft to the panel.',
    guards: [
      consulted,
      hasPanel,
      completeOrWaived,
      approvalsBefore('send_to_panel'),
      notInFuture,
      notBefore('the consultation of the chief constable', (f) => f.lastConsultedOn, 'sent_before_consulted'),
      windowAfterSending,
    ],
  },
  {
    event: 'record_panel_report',
    from: ['sent_to_panel'],
    to: 'panel_report_received',
    roles: officeAndPanel,
    basis: 'PRSRA 2011 s.28(3)',
    label: 'Record the panel’s report',
    explanation: 'The panel reviews the draft and makes a report or recommendations on it.',
    alreadyDone: 'Someone has already recorded the panel’s report on this draft.',
    guards: [notInFuture, notBefore('the draft was sent to the panel', (f) => f.draftSentOn, 'report_before_sent'), recommendationsOrNone],
  },
  {
    event: 'request_further_draft',
    from: ['sent_to_panel'],
    to: 'drafting',
    roles: officeAndPanel,
    basis: 'PRSRA 2011 s.28(3)',
    label: 'Record that the panel asked for a further draft',
    explanation:
      'The panel may ask for a further draft; its points are recorded as recommendations to answer, and the next draft goes to it again.',
    alreadyDone: 'Someone has already recorded the panel’s request for a further draft.',
    guards: [notInFuture, notBefore('the draft was sent to the panel', (f) => f.draftSentOn, 'request_before_sent'), hasPoints],
  },
  {
    event: 'give_response',
    from: ['panel_report_received'],
    to: 'response_given',
    roles: office,
    basis: 'PRSRA 2011 s.5(6)(d)–(e)',
    label: 'Give the response to the panel',
    explanation: 'Having regard to the panel’s report, the commissioner responds to it and to each recommendation.',
    alreadyDone: 'Someone has already given the response to the panel.',
    guards: [notInFuture, notBefore('the panel’s report', (f) => f.reportReceivedOn, 'response_before_report'), allAnswered],
  },
  {
    event: 'publish_response',
    from: ['response_given'],
    to: 'response_published',
    roles: office,
    basis: 'PRSRA 2011 s.5(6)(f)',
    label: 'Publish the response',
    explanation: 'The response to the panel must be published.',
    alreadyDone: 'Someone has already published the response.',
    guards: [notInFuture, notBefore('the response was given', (f) => f.lastRespondedOn, 'published_before_response'), allAnswered],
  },
  {
    event: 'reconsult_chief_constable',
    from: ['panel_report_received', 'response_given', 'response_published'],
    to: 'self',
    roles: office,
    basis: 'PRSRA 2011 s.5(8)',
    label: 'Record a re-consultation of the chief constable',
    explanation: 'If the plan to be issued differs from the draft the panel saw, the chief constable must be consulted again.',
    alreadyDone: 'Someone has just recorded a re-consultation of the chief constable.',
    guards: [notInFuture, notBefore('the draft was sent to the panel', (f) => f.draftSentOn, 'reconsult_before_sent')],
  },
  {
    event: 'record_internal_approval',
    from: preIssueStates,
    to: 'self',
    roles: office,
    basis: 'Local governance (the body’s own approval steps)',
    label: 'Record an internal approval',
    explanation: 'An approval the body requires of itself, such as a business board approving the plan.',
    alreadyDone: 'Someone has just recorded an internal approval.',
    guards: [approvalStepChosen, notInFuture],
  },
  {
    event: 'record_endorsement',
    from: ['sent_to_panel', 'panel_report_received', 'response_given', 'response_published'],
    to: 'self',
    roles: officeAndPanel,
    basis: 'Local practice: the panel has no veto over the plan (PRSRA 2011 s.28)',
    label: 'Record the panel’s endorsement',
    explanation: 'A panel vote to endorse the plan is recorded when it happens; it is never required.',
    alreadyDone: 'Someone has just recorded the panel’s endorsement.',
    guards: [notInFuture],
  },
  {
    event: 'issue',
    from: ['response_published'],
    to: 'issued',
    roles: ['commissioner'],
    basis: 'PRSRA 2011 s.5(1)–(6), s.18',
    label: 'Issue the plan',
    explanation: 'The commissioner issues the plan by a formal decision. This cannot be delegated.',
    alreadyDone: 'Someone has already issued this plan.',
    guards: [
      reconsultedIfChanged,
      approvalsBefore('issue'),
      allAnswered,
      notInFuture,
      notBefore('the response was published', (f) => f.responsePublishedOn, 'issued_before_published'),
    ],
  },
  {
    event: 'bring_into_force',
    from: ['issued'],
    to: 'in_force',
    roles: service,
    basis: 'PRSRA 2011 s.7',
    label: 'Bring into force',
    explanation: 'An issued plan has effect from the start of its plan period.',
    alreadyDone: 'This plan is already in force.',
    guards: [periodStarted],
  },
  {
    event: 'supersede',
    from: ['issued', 'in_force'],
    to: 'superseded',
    roles: service,
    basis: 'PRSRA 2011 s.7',
    label: 'Supersede',
    explanation: 'A plan has effect until a new plan takes effect: issuing another edition supersedes this one.',
    alreadyDone: 'This plan has already been superseded.',
    guards: [],
  },
  {
    event: 'expire',
    from: ['issued', 'in_force'],
    to: 'expired',
    roles: service,
    basis: 'PRSRA 2011 s.7',
    label: 'Expire',
    explanation: 'A plan has effect until its plan period ends.',
    alreadyDone: 'This plan has already expired.',
    guards: [periodEnded],
  },
  {
    event: 'withdraw',
    from: preIssueStates,
    to: 'withdrawn',
    roles: office,
    basis: 'The commissioner’s decision not to go on with this edition',
    label: 'Withdraw this edition',
    explanation: 'The edition will not be issued. It is kept as a record and cannot be changed.',
    alreadyDone: 'Someone has already withdrawn this edition.',
    guards: [notInFuture],
  },
];

export const transitionFor = (event: LifecycleEvent): Transition => transitions.find((t) => t.event === event)!;

const roleNames: Record<ActorRole, string> = {
  commissioner: 'the commissioner',
  officer: 'the commissioner’s office',
  force: 'the force',
  partner: 'partners',
  panel_member: 'panel members',
  panel_officer: 'the panel’s officers',
  admin: 'administrators',
  service: 'the service itself',
};

export type Decision = { ok: true; to: LifecycleState } | { ok: false; kind: 'forbidden' | 'wrong_state' | 'refused'; reasons: Reason[] };

/**
 * Whether `actor` may take `event` now, and where it leads; or every reason it may not. The
 * role is checked first, then the state, then every guard (all reasons at once).
 */
export function decide(args: {
  state: LifecycleState;
  event: LifecycleEvent;
  roles: readonly ActorRole[];
  facts: Facts;
  input?: StepInput;
}): Decision {
  const row = transitionFor(args.event);
  if (!row.roles.some((r) => args.roles.includes(r))) {
    // PRSRA 2011 s.18(7): issuing the plan is one of the functions the commissioner cannot delegate.
    const message =
      row.event === 'issue'
        ? 'Only the commissioner can issue the plan: the law does not allow it to be delegated to staff or anyone else (PRSRA 2011 s.18)'
        : `Only ${row.roles
            .map((r) => roleNames[r])
            .join(', ')
            .replace(/, ([^,]*)$/, ' or $1')} can do this`;
    return { ok: false, kind: 'forbidden', reasons: [{ code: 'role', message }] };
  }
  if (!row.from.includes(args.state)) {
    const from = row.from.map((s) => stateLabels[s].toLowerCase()).join(', ');
    return {
      ok: false,
      kind: 'wrong_state',
      reasons: [
        {
          code: 'state',
          message: `This edition is ${stateLabels[args.state].toLowerCase()}; this step can only be taken when it is: ${from}`,
        },
      ],
    };
  }
  const reasons = row.guards.flatMap((guard) => {
    const result = guard(args.facts, args.input);
    return result === null ? [] : Array.isArray(result) ? result : [result];
  });
  if (reasons.length) return { ok: false, kind: 'refused', reasons };
  return { ok: true, to: row.to === 'self' ? args.state : row.to };
}

/** One recorded step of the edition's history, as the guards need it. */
export type HistoryEntry = { event: LifecycleEvent; draftNumber: number; happenedOn: string; evidence: Record<string, unknown> };

/** The facts that come from the edition's own history of transitions. */
export function factsFromHistory(
  history: readonly HistoryEntry[],
  draftNumber: number,
): Pick<Facts, 'chiefConstableConsulted' | 'lastConsultedOn' | 'draftSentOn'> & { approvalsRecorded: Set<string> } {
  const consultations = history.filter((h) => h.event === 'consult_chief_constable');
  const sent = history.filter((h) => h.event === 'send_to_panel' && h.draftNumber === draftNumber);
  return {
    chiefConstableConsulted: consultations.length > 0,
    lastConsultedOn:
      consultations
        .map((h) => h.happenedOn)
        .sort()
        .at(-1) ?? null,
    draftSentOn:
      sent
        .map((h) => h.happenedOn)
        .sort()
        .at(-1) ?? null,
    approvalsRecorded: new Set(
      history
        .filter((h) => h.event === 'record_internal_approval' && h.draftNumber === draftNumber)
        .map((h) => String(h.evidence.step ?? '')),
    ),
  };
}

/** ISO date `days` after `iso`. */
export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
