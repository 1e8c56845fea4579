/**
 * The states and events of an edition's statutory lifecycle (PRSRA 2011 s.5(6), s.28(3), s.18).
 * The transition table itself is in `machine.ts`; these lists are shared with the database checks.
 */
export const lifecycleStates = [
  'drafting',
  'chief_constable_consulted',
  'sent_to_panel',
  'panel_report_received',
  'response_given',
  'response_published',
  'issued',
  'in_force',
  'superseded',
  'expired',
  'withdrawn',
] as const;
export type LifecycleState = (typeof lifecycleStates)[number];

export const lifecycleEvents = [
  'consult_chief_constable',
  'send_to_panel',
  'record_panel_report',
  'request_further_draft',
  'give_response',
  'publish_response',
  'reconsult_chief_constable',
  'record_internal_approval',
  'record_endorsement',
  'issue',
  'bring_into_force',
  'supersede',
  'expire',
  'withdraw',
] as const;
export type LifecycleEvent = (typeof lifecycleEvents)[number];

/** Internal approval steps (as the board in seed 003) are required before one of these events. */
export const approvalStages = ['send_to_panel', 'issue'] as const;
export type ApprovalStage = (typeof approvalStages)[number];
