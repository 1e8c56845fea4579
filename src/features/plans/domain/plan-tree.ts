/**
 * An edition of a Police and Crime Plan as one typed tree. Every view (editor, plan on a page,
 * full plan, DOCX, JSON), the completeness check and the principal-changes diff read this shape.
 * `lineageId` stays the same for "the same" element across editions; `id` is per edition.
 */
export const editionKinds = ['new_plan', 'refresh', 'variation', 'addendum'] as const;
export type EditionKind = (typeof editionKinds)[number];

export const ownerKinds = ['pcc', 'chief_constable', 'partners'] as const;
export type OwnerKind = (typeof ownerKinds)[number];

/** Control: the owner delivers it. Influence: the owner persuades others to (domain.md §2.3). */
export const ownerRoles = ['control', 'influence'] as const;
export type OwnerRole = (typeof ownerRoles)[number];

export const timescales = ['short', 'medium', 'long', 'by_date'] as const;
export type Timescale = (typeof timescales)[number];

export const deliveryStatuses = ['not_started', 'in_progress', 'at_risk', 'complete', 'stopped'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** The four kinds of evidence real plans use (seed 004), plus the national measures. */
export const evidenceSources = [
  'public_survey',
  'victim_survey',
  'performance_metric',
  'service_standard',
  'hmicfrs_inspection',
  'national_measure',
] as const;
export type EvidenceSource = (typeof evidenceSources)[number];

export const polarities = ['higher_is_better', 'lower_is_better'] as const;
export type Polarity = (typeof polarities)[number];

export const reportingFrequencies = ['monthly', 'quarterly', 'annually'] as const;
export type ReportingFrequency = (typeof reportingFrequencies)[number];

/** PRSRA 2011 s.7(1)(b)–(f); item (a), the objectives, comes from the priorities themselves. */
export const statutorySectionKinds = ['policing_provided', 'resources', 'reporting', 'performance', 'grants_and_victims'] as const;
export type StatutorySectionKind = (typeof statutorySectionKinds)[number];

/** Duties the commissioner must "have regard to" when issuing or varying a plan. */
export const dutyKinds = [
  'strategic_policing_requirement',
  'responsible_authorities',
  'victims_and_public_views',
  'safeguarding_children',
  'equality',
] as const;
export type DutyKind = (typeof dutyKinds)[number];

export type Commitment = {
  id: string;
  lineageId: string;
  text: string;
  ownerKind: OwnerKind | null;
  partnerIds: string[];
  ownerRole: OwnerRole | null;
  timescale: Timescale | null;
  targetDate: string | null;
  status: DeliveryStatus;
  frameworkItemIds: string[];
};

export type Objective = {
  id: string;
  lineageId: string;
  title: string;
  description: string;
  intendedOutcome: string;
  frameworkItemIds: string[];
  commitments: Commitment[];
};

export type Measure = {
  id: string;
  lineageId: string;
  /** The priority or objective (by lineage) the measure belongs to. */
  attachedTo: { kind: 'priority' | 'objective'; lineageId: string };
  name: string;
  description: string;
  evidenceSource: EvidenceSource;
  unit: string;
  polarity: Polarity;
  baselineValue: number | null;
  baselinePeriod: string;
  targetValue: number | null;
  frequency: ReportingFrequency;
  owner: string;
};

export type Priority = {
  id: string;
  lineageId: string;
  title: string;
  aim: string;
  summary: string;
  frameworkItemIds: string[];
  objectives: Objective[];
};

export type StatutorySection = { lineageId: string; kind: StatutorySectionKind; narrative: string };

/** Money in whole pence, so sums are exact. */
export type FundingYear = { lineageId: string; financialYear: string; precept: number; governmentGrant: number; other: number };

export type Grant = {
  lineageId: string;
  recipient: string;
  amount: number;
  startsOn: string | null;
  endsOn: string | null;
  purpose: string;
  conditions: string;
  priorityLineageIds: string[];
};

export type DutyStatement = { lineageId: string; duty: DutyKind; statement: string; elementLineageIds: string[] };

export type SprExplanation = { frameworkItemId: string; explanation: string };

export type EditionTree = {
  vision: string;
  priorities: Priority[];
  measures: Measure[];
  statutorySections: StatutorySection[];
  fundingYears: FundingYear[];
  grants: Grant[];
  dutyStatements: DutyStatement[];
  sprExplanations: SprExplanation[];
};

export const emptyEdition = (): EditionTree => ({
  vision: '',
  priorities: [],
  measures: [],
  statutorySections: [],
  fundingYears: [],
  grants: [],
  dutyStatements: [],
  sprExplanations: [],
});
