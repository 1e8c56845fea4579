import type {
  EditionKind,
  DeliveryStatus,
  EvidenceSource,
  OwnerKind,
  OwnerRole,
  Polarity,
  ReportingFrequency,
  StatutorySectionKind,
  Timescale,
} from './plan-tree.ts';

/** How each value is shown to people, in one place for pages and exports. */
export const ownerKindLabels: Record<OwnerKind, string> = {
  pcc: 'The commissioner',
  chief_constable: 'The chief constable',
  partners: 'Named partner organisations',
};

export const ownerRoleLabels: Record<OwnerRole, string> = {
  control: 'Controls it: the owner delivers it',
  influence: 'Influences it: the owner persuades others to deliver it',
};

export const timescaleLabels: Record<Timescale, string> = {
  short: 'Short term (within a year)',
  medium: 'Medium term (1 to 3 years)',
  long: 'Long term (over the whole plan)',
  by_date: 'By a target date',
};

export const statusLabels: Record<DeliveryStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  at_risk: 'At risk',
  complete: 'Complete',
  stopped: 'Stopped',
};

export const evidenceSourceLabels: Record<EvidenceSource, string> = {
  public_survey: 'Public survey',
  victim_survey: 'Victim survey',
  performance_metric: 'Performance metric',
  service_standard: 'Service standard',
  hmicfrs_inspection: 'HMICFRS inspection',
  national_measure: 'National Crime and Policing Measure',
};

export const polarityLabels: Record<Polarity, string> = {
  higher_is_better: 'Higher is better',
  lower_is_better: 'Lower is better',
};

export const frequencyLabels: Record<ReportingFrequency, string> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  annually: 'Annually',
};

export const sectionLabels: Record<StatutorySectionKind, string> = {
  policing_provided: 'The policing the chief constable will provide',
  resources: 'Resources provided to the chief constable',
  reporting: 'How the chief constable reports to the commissioner',
  performance: 'How the chief constable’s performance is measured',
  grants_and_victims: 'Crime and disorder reduction grants and services for victims',
};

export const editionKindLabels: Record<EditionKind, string> = {
  new_plan: 'New plan',
  refresh: 'Refresh',
  variation: 'Variation',
  addendum: 'Addendum',
};

/** What each kind of new edition is for (domain.md §2.6). */
export const editionKindHints: Record<Exclude<EditionKind, 'new_plan'>, string> = {
  refresh: 'Keeps the priorities and rewords objectives after a new needs assessment or national strategy.',
  variation: 'Any change to the plan. It goes through the same statutory steps as a new plan (PRSRA 2011 s.5(6)).',
  addendum: 'Adds to the plan, for example when a term is extended or the context changes.',
};
