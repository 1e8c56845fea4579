import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lifecycleEvents, lifecycleStates, type LifecycleEvent, type LifecycleState } from '../../../shared/lifecycle-states.ts';
import {
  actorRoles,
  addDays,
  decide,
  factsFromHistory,
  isTerminal,
  transitions,
  type ActorRole,
  type Facts,
  type HistoryEntry,
} from './machine.ts';

/** Every guard satisfied: what is left to decide is the role and the state. */
const satisfied: Facts = {
  today: '2026-11-23',
  chiefConstableConsulted: true,
  lastConsultedOn: '2026-01-10',
  isComplete: true,
  missing: [],
  approvals: [{ name: 'Business Coordination Board', requiredBefore: 'issue', isRecorded: true }],
  hasPanel: true,
  unanswered: [],
  draftSentOn: '2026-02-01',
  reportReceivedOn: '2026-03-01',
  lastRespondedOn: '2026-03-10',
  responsePublishedOn: '2026-03-12',
  changedSincePanelSaw: false,
  reconsultedOnCurrentText: false,
  planStartsOn: '2026-04-01',
  planEndsOn: '2026-05-01',
};
const goodInput = {
  happenedOn: '2026-11-20',
  recommendationCount: 2,
  pointCount: 3,
  approvalStep: 'Business Coordination Board',
};

// Written out by hand from domain.md §3, not read from the table under test.
const office = ['commissioner', 'officer', 'admin'];
const officeAndPanel = [...office, 'panel_officer'];
const preIssue = [
  'drafting',
  'chief_constable_consulted',
  'sent_to_panel',
  'panel_report_received',
  'response_given',
  'response_published',
];
const expected: Record<LifecycleEvent, { from: string[]; to: string; roles: string[] }> = {
  consult_chief_constable: { from: ['drafting'], to: 'chief_constable_consulted', roles: office },
  send_to_panel: { from: ['drafting', 'chief_constable_consulted'], to: 'sent_to_panel', roles: office },
  record_panel_report: { from: ['sent_to_panel'], to: 'panel_report_received', roles: officeAndPanel },
  request_further_draft: { from: ['sent_to_panel'], to: 'drafting', roles: officeAndPanel },
  give_response: { from: ['panel_report_received'], to: 'response_given', roles: office },
  publish_response: { from: ['response_given'], to: 'response_published', roles: office },
  reconsult_chief_constable: { from: ['panel_report_received', 'response_given', 'response_published'], to: 'self', roles: office },
  record_internal_approval: { from: preIssue, to: 'self', roles: office },
  record_endorsement: {
    from: ['sent_to_panel', 'panel_report_received', 'response_given', 'response_published'],
    to: 'self',
    roles: officeAndPanel,
  },
  issue: { from: ['response_published'], to: 'issued', roles: ['commissioner'] },
  bring_into_force: { from: ['issued'], to: 'in_force', roles: ['service'] },
  supersede: { from: ['issued', 'in_force'], to: 'superseded', roles: ['service'] },
  expire: { from: ['issued', 'in_force'], to: 'expired', roles: ['service'] },
  withdraw: { from: preIssue, to: 'withdrawn', roles: office },
};
// The date-driven steps need the facts of their day.
const factsFor = (event: LifecycleEvent): Facts =>
  event === 'expire' ? { ...satisfied, planEndsOn: '2026-05-01' } : { ...satisfied, planStartsOn: '2026-04-01', planEndsOn: '2030-03-31' };

describe('the lifecycle table: every state × every event × every role', () => {
  for (const state of lifecycleStates)
    for (const event of lifecycleEvents)
      it(`${event} from ${state}`, () => {
        for (const role of actorRoles) {
          const decision = decide({ state, event, roles: [role], facts: factsFor(event), input: goodInput });
          const row = expected[event];
          const allowedRole = row.roles.includes(role);
          const allowedState = row.from.includes(state);
          if (allowedRole && allowedState) expect([role, decision]).toEqual([role, { ok: true, to: row.to === 'self' ? state : row.to }]);
          else expect([role, decision.ok ? 'ok' : decision.kind]).toEqual([role, allowedRole ? 'wrong_state' : 'forbidden']);
        }
      });

  it('has one row per event, each with a statutory basis, label and explanation', () => {
    expect(transitions.map((t) => t.event).sort()).toEqual([...lifecycleEvents].sort());
    for (const t of transitions) {
      expect(t.basis).not.toBe('');
      expect(t.label).not.toBe('');
      expect(t.explanation).not.toBe('');
    }
  });
});

const refusal = (args: { state: LifecycleState; event: LifecycleEvent; roles?: ActorRole[]; facts?: Partial<Facts>; input?: object }) => {
  const decision = decide({
    state: args.state,
    event: args.event,
    roles: args.roles ?? ['officer'],
    facts: { ...satisfied, ...args.facts },
    input: args.input === undefined ? goodInput : { ...goodInput, ...args.input },
  });
  return decision.ok ? [] : decision.reasons;
};

describe('guards say exactly what is missing', () => {
  it('s.18: issuing is the commissioner’s alone, not officers or administrators', () => {
    for (const roles of [['officer'], ['admin'], ['officer', 'admin']] as ActorRole[][]) {
      const decision = decide({ state: 'response_published', event: 'issue', roles, facts: satisfied, input: goodInput });
      expect(decision).toMatchObject({ ok: false, kind: 'forbidden' });
      expect(!decision.ok && decision.reasons[0]!.message).toContain('s.18');
    }
    expect(
      decide({ state: 'response_published', event: 'issue', roles: ['admin', 'commissioner'], facts: satisfied, input: goodInput }).ok,
    ).toBe(true);
  });

  it('s.5(6)(b): no sending without a consultation of the chief constable', () => {
    const reasons = refusal({
      state: 'drafting',
      event: 'send_to_panel',
      facts: { chiefConstableConsulted: false, lastConsultedOn: null },
    });
    expect(reasons.map((r) => r.code)).toEqual(['not_consulted']);
    expect(reasons[0]!.message).toContain('s.5(6)(b)');
  });

  it('an incomplete plan goes to the panel only with a waiver reason; the reasons name what is missing', () => {
    const facts = { isComplete: false, missing: ['Resources given to the chief constable', 'Funding'] };
    const reasons = refusal({ state: 'chief_constable_consulted', event: 'send_to_panel', facts, input: { waiverReason: ' ' } });
    expect(reasons).toEqual([expect.objectContaining({ code: 'incomplete', field: 'waiverReason' })]);
    expect(reasons[0]!.message).toContain('Resources given to the chief constable; Funding');
    expect(
      refusal({
        state: 'chief_constable_consulted',
        event: 'send_to_panel',
        facts,
        input: { waiverReason: 'Funding follows the precept' },
      }),
    ).toEqual([]);
  });

  it('internal approvals are required before the stage the body chose, for the current draft', () => {
    const approvals = [
      { name: 'Business Coordination Board', requiredBefore: 'send_to_panel' as const, isRecorded: false },
      { name: 'Chief executive', requiredBefore: 'issue' as const, isRecorded: false },
    ];
    expect(refusal({ state: 'chief_constable_consulted', event: 'send_to_panel', facts: { approvals } }).map((r) => r.message)).toEqual([
      'Record the internal approval “Business Coordination Board” for this draft first',
    ]);
    expect(
      refusal({ state: 'response_published', event: 'issue', roles: ['commissioner'], facts: { approvals } }).map((r) => r.message),
    ).toEqual(['Record the internal approval “Chief executive” for this draft first']);
  });

  it('every recommendation must be answered before the response is given', () => {
    const reasons = refusal({ state: 'panel_report_received', event: 'give_response', facts: { unanswered: ['R2', 'R3'] } });
    expect(reasons.map((r) => r.message)).toEqual(['Respond to every recommendation first (s.5(6)(e)): R2, R3 have no response']);
  });

  it('s.5(8): a changed plan is issued only after re-consulting the chief constable on the text as it stands', () => {
    const changed = { changedSincePanelSaw: true, reconsultedOnCurrentText: false };
    const reasons = refusal({ state: 'response_published', event: 'issue', roles: ['commissioner'], facts: changed });
    expect(reasons.map((r) => r.code)).toEqual(['reconsult_needed']);
    expect(reasons[0]!.message).toContain('s.5(8)');
    expect(
      refusal({
        state: 'response_published',
        event: 'issue',
        roles: ['commissioner'],
        facts: { ...changed, reconsultedOnCurrentText: true },
      }),
    ).toEqual([]);
  });

  it('dates in the wrong order are refused on the date field', () => {
    expect(refusal({ state: 'sent_to_panel', event: 'record_panel_report', input: { happenedOn: '2026-01-31' } })).toEqual([
      {
        code: 'report_before_sent',
        field: 'happenedOn',
        message: 'The date must be on or after the draft was sent to the panel (1 February 2026)',
      },
    ]);
    expect(refusal({ state: 'panel_report_received', event: 'give_response', input: { happenedOn: '2026-02-28' } })[0]).toMatchObject({
      code: 'response_before_report',
      field: 'happenedOn',
    });
    expect(refusal({ state: 'drafting', event: 'consult_chief_constable', input: { happenedOn: '2026-11-24' } })[0]).toMatchObject({
      code: 'date_in_future',
    });
    expect(
      refusal({
        state: 'chief_constable_consulted',
        event: 'send_to_panel',
        input: { happenedOn: '2026-11-20', reviewWindowEndsOn: '2026-11-19' },
      }),
    ).toEqual([expect.objectContaining({ field: 'reviewWindowEndsOn' })]);
  });

  it('a panel report lists recommendations or says there are none, not both and not neither', () => {
    expect(refusal({ state: 'sent_to_panel', event: 'record_panel_report', input: { recommendationCount: 0 } })[0]!.code).toBe(
      'no_recommendations_given',
    );
    expect(
      refusal({ state: 'sent_to_panel', event: 'record_panel_report', input: { recommendationCount: 0, noRecommendations: true } }),
    ).toEqual([]);
    expect(
      refusal({ state: 'sent_to_panel', event: 'record_panel_report', input: { recommendationCount: 1, noRecommendations: true } })[0]!
        .code,
    ).toBe('both');
    expect(refusal({ state: 'sent_to_panel', event: 'request_further_draft', input: { pointCount: 0 } })[0]!.code).toBe('no_points');
  });

  it('previewing (no input) skips only the checks of what the form asks for', () => {
    const decision = decide({
      state: 'chief_constable_consulted',
      event: 'send_to_panel',
      roles: ['officer'],
      facts: { ...satisfied, isComplete: false },
    });
    expect(decision.ok).toBe(true);
    const blocked = decide({
      state: 'drafting',
      event: 'send_to_panel',
      roles: ['officer'],
      facts: { ...satisfied, chiefConstableConsulted: false },
    });
    expect(blocked.ok).toBe(false);
  });

  it('the service brings a plan into force once its period starts, and expires it after it ends', () => {
    const facts = { ...satisfied, today: '2026-03-31', planStartsOn: '2026-04-01', planEndsOn: '2030-03-31' };
    expect(decide({ state: 'issued', event: 'bring_into_force', roles: ['service'], facts }).ok).toBe(false);
    expect(decide({ state: 'issued', event: 'bring_into_force', roles: ['service'], facts: { ...facts, today: '2026-04-01' } }).ok).toBe(
      true,
    );
    expect(decide({ state: 'in_force', event: 'expire', roles: ['service'], facts: { ...facts, today: '2030-03-31' } }).ok).toBe(false);
    expect(decide({ state: 'in_force', event: 'expire', roles: ['service'], facts: { ...facts, today: '2030-04-01' } }).ok).toBe(true);
  });
});

describe('properties over any sequence of events', () => {
  const step = fc.record({
    event: fc.constantFrom(...lifecycleEvents),
    role: fc.constantFrom(...actorRoles),
    // Everything not derived from the history may be anything at all.
    isComplete: fc.boolean(),
    unanswered: fc.boolean(),
    changed: fc.boolean(),
    reconsulted: fc.boolean(),
    waiver: fc.boolean(),
  });

  type StepValue = typeof step extends fc.Arbitrary<infer T> ? T : never;

  /** Runs the steps from drafting; facts that come from history are derived from what actually happened. */
  function run(steps: StepValue[]) {
    let state: LifecycleState = 'drafting';
    let draftNumber = 1;
    const history: HistoryEntry[] = [];
    const visited: { state: LifecycleState; accepted: LifecycleEvent[] }[] = [];
    let terminalViolation = false;
    for (const s of steps) {
      const fromHistory = factsFromHistory(history, draftNumber);
      const facts: Facts = {
        ...satisfied,
        ...fromHistory,
        approvals: [],
        isComplete: s.isComplete,
        unanswered: s.unanswered ? ['R1'] : [],
        changedSincePanelSaw: s.changed,
        reconsultedOnCurrentText: s.reconsulted,
        planStartsOn: '2026-01-01',
        planEndsOn: '2026-06-01',
      };
      const input = { ...goodInput, happenedOn: '2026-11-23', waiverReason: s.waiver ? 'Reason' : '' };
      const decision = decide({ state, event: s.event, roles: [s.role], facts, input });
      if (isTerminal(state) && decision.ok) terminalViolation = true;
      if (decision.ok) {
        history.push({ event: s.event, draftNumber, happenedOn: '2026-11-23', evidence: {} });
        if (s.event === 'request_further_draft') draftNumber += 1;
        state = decision.to;
        visited.push({ state, accepted: history.map((h) => h.event) });
      }
    }
    return { visited, terminalViolation };
  }

  const inOrder = (events: LifecycleEvent[], required: LifecycleEvent[]) => {
    let at = 0;
    for (const e of events) if (e === required[at]) at += 1;
    return at === required.length;
  };

  it('no sequence reaches “issued” without consult, send, report, response given and response published, in that order', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        for (const v of run(steps).visited)
          if (v.state === 'issued')
            expect(
              inOrder(v.accepted, [
                'consult_chief_constable',
                'send_to_panel',
                'record_panel_report',
                'give_response',
                'publish_response',
                'issue',
              ]),
            ).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('guided towards issue, sequences do reach it (the property above is not vacuous)', () => {
    const path: LifecycleEvent[] = [
      'consult_chief_constable',
      'send_to_panel',
      'record_panel_report',
      'give_response',
      'publish_response',
      'issue',
    ];
    const steps = path.map((event) => ({
      event,
      role: 'commissioner' as const,
      isComplete: true,
      unanswered: false,
      changed: false,
      reconsulted: false,
      waiver: false,
    }));
    expect(run(steps).visited.at(-1)?.state).toBe('issued');
  });

  it('superseded, expired and withdrawn accept no event from anyone', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        expect(run(steps).terminalViolation).toBe(false);
      }),
      { numRuns: 1000 },
    );
    for (const state of ['superseded', 'expired', 'withdrawn'] as const)
      for (const event of lifecycleEvents)
        for (const role of actorRoles) expect(decide({ state, event, roles: [role], facts: satisfied, input: goodInput }).ok).toBe(false);
  });
});

describe('history facts and dates', () => {
  it('counts approvals only for the current draft', () => {
    const history: HistoryEntry[] = [
      { event: 'consult_chief_constable', draftNumber: 1, happenedOn: '2026-01-05', evidence: {} },
      { event: 'record_internal_approval', draftNumber: 1, happenedOn: '2026-01-06', evidence: { step: 'Board' } },
      { event: 'send_to_panel', draftNumber: 1, happenedOn: '2026-01-07', evidence: {} },
    ];
    expect(factsFromHistory(history, 1)).toEqual({
      chiefConstableConsulted: true,
      lastConsultedOn: '2026-01-05',
      draftSentOn: '2026-01-07',
      approvalsRecorded: new Set(['Board']),
    });
    expect(factsFromHistory(history, 2)).toMatchObject({ chiefConstableConsulted: true, draftSentOn: null, approvalsRecorded: new Set() });
  });

  it('adds days across month ends and leap years', () => {
    expect(addDays('2024-02-01', 28)).toBe('2024-02-29');
    expect(addDays('2025-02-01', 28)).toBe('2025-03-01');
    expect(addDays('2026-12-20', 28)).toBe('2027-01-17');
  });
});
