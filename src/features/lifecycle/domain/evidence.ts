import { formatDate } from '../../../shared/dates.ts';

/** How each piece of a step's evidence is named for people; keys not listed are not shown. */
const labels: Record<string, string> = {
  how: 'How',
  views: 'The chief constable’s views',
  draftNumber: 'Draft',
  reviewWindowEndsOn: 'Review window ends',
  completenessWaiver: 'Sent although incomplete, because',
  summary: 'Summary',
  recommendations: 'Recommendations',
  noRecommendations: 'No recommendations',
  resolution: 'Resolution',
  votesFor: 'For',
  votesAgainst: 'Against',
  abstentions: 'Abstentions',
  unanimous: 'Unanimous',
  responseDueOn: 'Responses due',
  response: 'Response',
  answered: 'Recommendations answered',
  url: 'Published at',
  responsesPublished: 'Responses published',
  step: 'Approval step',
  approvedBy: 'Approved by',
  notes: 'Notes',
  reference: 'Decision reference',
  decidedBy: 'Decided by',
  reason: 'Reason',
  supersededBy: 'Superseded by edition',
  planStartsOn: 'Plan period starts',
  planEndsOn: 'Plan period ended',
  planHash: 'Plan fingerprint',
};

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A step's evidence as label/value pairs, in a fixed order, leaving out what is empty. */
export function describeEvidence(evidence: Record<string, unknown>): { label: string; value: string }[] {
  return Object.keys(labels).flatMap((key) => {
    const value = evidence[key];
    if (value === null || value === undefined || value === '' || value === false) return [];
    if (Array.isArray(value) && value.length === 0) return [];
    const text =
      value === true
        ? 'Yes'
        : Array.isArray(value)
          ? value.join(', ')
          : typeof value === 'string' && isoDate.test(value)
            ? formatDate(value)
            : key === 'planHash'
              ? String(value).slice(0, 12)
              : String(value);
    return [{ label: labels[key]!, value: text }];
  });
}
