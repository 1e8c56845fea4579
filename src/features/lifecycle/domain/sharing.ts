import type { LifecycleState } from '../../../shared/lifecycle-states.ts';

/**
 * A draft belongs to the commissioner's office until it is first sent to the panel
 * (s.5(6)(c)); from then on the panel, the force and the body's named partners may read it and
 * comment on it, including later drafts the panel asked for.
 */
export function isSharedBeyondOffice(edition: { lifecycleState: LifecycleState; draftNumber: number }): boolean {
  return edition.draftNumber > 1 || !(['drafting', 'chief_constable_consulted'] as LifecycleState[]).includes(edition.lifecycleState);
}

/** While the panel has a draft, it must review the text it was sent: the draft cannot change. */
export function isWithPanel(edition: { lifecycleState: LifecycleState }): boolean {
  return edition.lifecycleState === 'sent_to_panel';
}
