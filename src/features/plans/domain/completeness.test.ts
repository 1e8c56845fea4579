import { describe, expect, it } from 'vitest';
import { checkCompleteness, isComplete } from './completeness.ts';
import { dutyKinds, statutorySectionKinds, type EditionTree } from './plan-tree.ts';
import { commitment, edition, measure, objective, priority } from './test-editions.ts';

const threats = [
  { id: 'spr-terrorism', title: 'Terrorism' },
  { id: 'spr-cyber', title: 'Cyber' },
];

function completeEdition(): EditionTree {
  return edition({
    priorities: [priority('p1', [objective('o1', [commitment('c1')])], { frameworkItemIds: ['spr-terrorism'] })],
    measures: [measure('m1', { kind: 'objective', lineageId: 'o1' })],
    statutorySections: statutorySectionKinds.map((kind) => ({ lineageId: `s-${kind}`, kind, narrative: `About ${kind}` })),
    fundingYears: [{ lineageId: 'f1', financialYear: '2025/26', precept: 100, governmentGrant: 200, other: 0 }],
    dutyStatements: dutyKinds.map((duty) => ({ lineageId: `d-${duty}`, duty, statement: 'We had regard to it', elementLineageIds: [] })),
    sprExplanations: [{ frameworkItemId: 'spr-cyber', explanation: 'Delivered regionally' }],
  });
}

const unmet = (e: EditionTree) =>
  checkCompleteness(e, threats)
    .filter((r) => !r.isMet)
    .map((r) => r.id);

describe('the statutory completeness check', () => {
  it('passes a plan with every s.7(1) item, owned commitments, SPR threats and duties covered', () => {
    const requirements = checkCompleteness(completeEdition(), threats);
    expect(isComplete(requirements)).toBe(true);
    expect(requirements.map((r) => r.id)).toEqual([
      'contents.objectives',
      'contents.policing_provided',
      'contents.resources',
      'contents.reporting',
      'contents.performance',
      'contents.grants_and_victims',
      'priority.p1',
      'commitments.owned',
      'spr.spr-terrorism',
      'spr.spr-cyber',
      'duty.strategic_policing_requirement',
      'duty.responsible_authorities',
      'duty.victims_and_public_views',
      'duty.safeguarding_children',
      'duty.equality',
    ]);
  });

  it('lists every requirement of an empty edition as not met, except commitments', () => {
    expect(unmet(edition())).toEqual([
      'contents.objectives',
      ...statutorySectionKinds.map((k) => `contents.${k}`),
      'spr.spr-terrorism',
      'spr.spr-cyber',
      ...dutyKinds.map((d) => `duty.${d}`),
    ]);
  });

  it('treats whitespace as empty and needs funding years and measures where the law implies them', () => {
    const e = completeEdition();
    e.statutorySections = e.statutorySections.map((s) => (s.kind === 'reporting' ? { ...s, narrative: '   ' } : s));
    e.fundingYears = [];
    expect(unmet(e)).toEqual(['contents.resources', 'contents.reporting']);
    const resources = checkCompleteness(e, threats).find((r) => r.id === 'contents.resources');
    expect(resources?.fix).toEqual({ kind: 'funding' });
  });

  it('needs an objective and a measure for every priority', () => {
    const e = completeEdition();
    e.priorities.push(priority('p2'));
    const requirement = checkCompleteness(e, threats).find((r) => r.id === 'priority.p2');
    expect(requirement).toMatchObject({
      isMet: false,
      reason: 'Fix this: it has no objectives and it has no measures',
      fix: { kind: 'priority', lineageId: 'p2' },
    });
  });

  it('names each commitment without an owner, a partner or a role', () => {
    const e = completeEdition();
    e.priorities[0]!.objectives[0]!.commitments.push(
      commitment('c2', { ownerKind: null }),
      commitment('c3', { ownerKind: 'partners', partnerIds: [] }),
      commitment('c4', { ownerRole: null }),
    );
    const requirements = checkCompleteness(e, threats).filter((r) => r.group === 'commitments');
    expect(requirements.map((r) => [r.id, r.reason])).toEqual([
      ['commitment.c2', 'Say who owns it'],
      ['commitment.c3', 'Say which partners own it'],
      ['commitment.c4', 'Say whether the owner controls or only influences it'],
    ]);
  });

  it('accepts an SPR threat addressed by a commitment or explained, and refuses one neither', () => {
    const e = completeEdition();
    e.priorities[0]!.frameworkItemIds = [];
    e.priorities[0]!.objectives[0]!.commitments[0]!.frameworkItemIds = ['spr-terrorism'];
    expect(unmet(e)).toEqual([]);
    e.sprExplanations = [{ frameworkItemId: 'spr-cyber', explanation: ' ' }];
    expect(unmet(e)).toEqual(['spr.spr-cyber']);
  });
});
