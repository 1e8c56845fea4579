import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { isValidIsoDate } from '../../../shared/dates.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import { patterns, PLAN_SCHEMA_PATH, PLAN_SCHEMA_VERSION, planSchema } from './plan-schema.ts';
import {
  dutyKinds,
  statutorySectionKinds,
  type DeliveryStatus,
  type DutyKind,
  type EditionKind,
  type EditionTree,
  type EvidenceSource,
  type OwnerKind,
  type OwnerRole,
  type Polarity,
  type ReportingFrequency,
  type StatutorySectionKind,
  type Timescale,
} from './plan-tree.ts';

/**
 * An edition as the open plan-v1 JSON document, and back. Partners travel by name and framework
 * items by framework slug and code, because ids are internal to one installation; lineage ids
 * travel as they are, so exports compare and an imported draft stays comparable with its source.
 */
export type FrameworkRef = { framework: string; code: string };

export type JsonCommitment = {
  lineageId: string;
  text: string;
  ownerKind: OwnerKind | null;
  partners: string[];
  ownerRole: OwnerRole | null;
  timescale: Timescale | null;
  targetDate: string | null;
  status: DeliveryStatus;
  frameworkItems: FrameworkRef[];
};

export type JsonObjective = {
  lineageId: string;
  title: string;
  description: string;
  intendedOutcome: string;
  frameworkItems: FrameworkRef[];
  commitments: JsonCommitment[];
};

export type JsonPriority = {
  lineageId: string;
  title: string;
  aim: string;
  summary: string;
  frameworkItems: FrameworkRef[];
  objectives: JsonObjective[];
};

export type JsonMeasure = {
  lineageId: string;
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

export type PlanJson = {
  schema: string;
  schemaVersion: typeof PLAN_SCHEMA_VERSION;
  plan: { id?: string; title: string; periodStartsOn: string; periodEndsOn: string };
  edition: { id?: string; number: number; label: string; kind: EditionKind; isFrozen: boolean };
  body: { name: string; forceAreaId: string };
  vision: string;
  priorities: JsonPriority[];
  measures: JsonMeasure[];
  statutorySections: { lineageId: string; kind: StatutorySectionKind; narrative: string }[];
  fundingYears: { lineageId: string; financialYear: string; precept: number; governmentGrant: number; other: number }[];
  grants: {
    lineageId: string;
    recipient: string;
    amount: number;
    startsOn: string | null;
    endsOn: string | null;
    purpose: string;
    conditions: string;
    priorityLineageIds: string[];
  }[];
  dutyStatements: { lineageId: string; duty: DutyKind; statement: string; elementLineageIds: string[] }[];
  sprExplanations: (FrameworkRef & { explanation: string })[];
};

/** What the document says about the plan, edition and body around the tree. */
export type PlanJsonHeader = {
  plan: { id: string; title: string; periodStartsOn: string; periodEndsOn: string };
  edition: { id: string; number: number; label: string; kind: EditionKind; isFrozen: boolean };
  body: { name: string; forceAreaId: string };
};

export type ExportLookups = {
  partnerName(partnerId: string): string | undefined;
  frameworkItem(frameworkItemId: string): FrameworkRef | undefined;
};

/** A problem with an imported document, at a JSON path such as `$.priorities[0].title`. */
export type Problem = { path: string; message: string };

const byRef = (a: FrameworkRef, b: FrameworkRef) =>
  a.framework.localeCompare(b.framework) || a.code.localeCompare(b.code, 'en', { numeric: true });
const sorted = (values: readonly string[]) => [...values].sort();

/** The tree as a plan-v1 document. Sets come out sorted so the same edition always gives the same bytes. */
export function editionToPlanJson(schemaUrl: string, header: PlanJsonHeader, tree: EditionTree, lookups: ExportLookups): PlanJson {
  const refs = (ids: readonly string[]) =>
    ids
      .map((id) => lookups.frameworkItem(id))
      .filter((ref): ref is FrameworkRef => ref !== undefined)
      .sort(byRef);
  const rank =
    <T extends string>(order: readonly T[]) =>
    (a: { value: T }, b: { value: T }) =>
      order.indexOf(a.value) - order.indexOf(b.value);
  return {
    schema: schemaUrl,
    schemaVersion: PLAN_SCHEMA_VERSION,
    plan: { ...header.plan },
    edition: { ...header.edition },
    body: { ...header.body },
    vision: tree.vision,
    priorities: tree.priorities.map((p) => ({
      lineageId: p.lineageId,
      title: p.title,
      aim: p.aim,
      summary: p.summary,
      frameworkItems: refs(p.frameworkItemIds),
      objectives: p.objectives.map((o) => ({
        lineageId: o.lineageId,
        title: o.title,
        description: o.description,
        intendedOutcome: o.intendedOutcome,
        frameworkItems: refs(o.frameworkItemIds),
        commitments: o.commitments.map((c) => ({
          lineageId: c.lineageId,
          text: c.text,
          ownerKind: c.ownerKind,
          partners: c.partnerIds
            .map((id) => lookups.partnerName(id))
            .filter((name): name is string => name !== undefined)
            .sort((a, b) => a.localeCompare(b)),
          ownerRole: c.ownerRole,
          timescale: c.timescale,
          targetDate: c.targetDate,
          status: c.status,
          frameworkItems: refs(c.frameworkItemIds),
        })),
      })),
    })),
    measures: tree.measures.map((m) => ({
      lineageId: m.lineageId,
      attachedTo: { kind: m.attachedTo.kind, lineageId: m.attachedTo.lineageId },
      name: m.name,
      description: m.description,
      evidenceSource: m.evidenceSource,
      unit: m.unit,
      polarity: m.polarity,
      baselineValue: m.baselineValue,
      baselinePeriod: m.baselinePeriod,
      targetValue: m.targetValue,
      frequency: m.frequency,
      owner: m.owner,
    })),
    statutorySections: tree.statutorySections
      .map((s) => ({ value: s.kind, s }))
      .sort(rank(statutorySectionKinds))
      .map(({ s }) => ({ lineageId: s.lineageId, kind: s.kind, narrative: s.narrative })),
    fundingYears: [...tree.fundingYears]
      .sort((a, b) => a.financialYear.localeCompare(b.financialYear))
      .map((f) => ({
        lineageId: f.lineageId,
        financialYear: f.financialYear,
        precept: f.precept,
        governmentGrant: f.governmentGrant,
        other: f.other,
      })),
    grants: tree.grants.map((g) => ({
      lineageId: g.lineageId,
      recipient: g.recipient,
      amount: g.amount,
      startsOn: g.startsOn,
      endsOn: g.endsOn,
      purpose: g.purpose,
      conditions: g.conditions,
      priorityLineageIds: sorted(g.priorityLineageIds),
    })),
    dutyStatements: tree.dutyStatements
      .map((d) => ({ value: d.duty, d }))
      .sort(rank(dutyKinds))
      .map(({ d }) => ({ lineageId: d.lineageId, duty: d.duty, statement: d.statement, elementLineageIds: sorted(d.elementLineageIds) })),
    sprExplanations: tree.sprExplanations
      .flatMap((e) => {
        const ref = lookups.frameworkItem(e.frameworkItemId);
        return ref ? [{ ...ref, explanation: e.explanation }] : [];
      })
      .sort(byRef),
  };
}

export type ImportLookups = {
  /** The body's partner with this name, ignoring case and surrounding spaces. */
  partnerIdByName(name: string): string | undefined;
  frameworkItemId(ref: FrameworkRef): string | undefined;
};

export type ImportedPlan = { plan: { title: string; periodStartsOn: string; periodEndsOn: string }; tree: EditionTree };

export type ImportRefusal = { problems: Problem[]; missingPartners: string[] };

/**
 * Checks what the schema cannot (lineage ids unique and pointing at elements of this document,
 * real dates, each statutory part once, partners and framework items known to this body) and
 * maps a schema-valid document to a tree ready for `insertEditionTree`. All problems at once.
 */
export function planJsonToTree(document: PlanJson, lookups: ImportLookups): Result<ImportedPlan, ImportRefusal> {
  const problems: Problem[] = [];
  const missingPartners = new Map<string, string>();
  const problem = (path: string, message: string) => problems.push({ path, message });

  const seenLineages = new Map<string, string>();
  const claimLineage = (lineageId: string, path: string) => {
    const key = lineageId.toLowerCase();
    const earlier = seenLineages.get(key);
    if (earlier) problem(`${path}.lineageId`, `Lineage id ${lineageId} is already used at ${earlier}: every element needs its own`);
    else seenLineages.set(key, path);
  };
  const realDate = (value: string | null, path: string) => {
    if (value !== null && !isValidIsoDate(value)) problem(path, `${value} is not a real date`);
  };
  const frameworkIds = (refs: readonly FrameworkRef[], path: string) =>
    refs.flatMap((ref, i) => {
      const id = lookups.frameworkItemId(ref);
      if (!id) problem(`${path}.frameworkItems[${i}]`, `Framework item ${ref.code} of ${ref.framework} is not known to this service`);
      return id ? [id] : [];
    });

  const { plan } = document;
  realDate(plan.periodStartsOn, '$.plan.periodStartsOn');
  realDate(plan.periodEndsOn, '$.plan.periodEndsOn');
  if (plan.periodEndsOn <= plan.periodStartsOn) problem('$.plan.periodEndsOn', 'The end of the plan period must be after its start');

  const priorityLineages = new Set<string>();
  const objectiveLineages = new Set<string>();
  const tree: EditionTree = {
    vision: document.vision,
    priorities: document.priorities.map((p, i) => {
      const pPath = `$.priorities[${i}]`;
      claimLineage(p.lineageId, pPath);
      priorityLineages.add(p.lineageId);
      return {
        id: '',
        lineageId: p.lineageId,
        title: p.title,
        aim: p.aim,
        summary: p.summary,
        frameworkItemIds: frameworkIds(p.frameworkItems, pPath),
        objectives: p.objectives.map((o, j) => {
          const oPath = `${pPath}.objectives[${j}]`;
          claimLineage(o.lineageId, oPath);
          objectiveLineages.add(o.lineageId);
          return {
            id: '',
            lineageId: o.lineageId,
            title: o.title,
            description: o.description,
            intendedOutcome: o.intendedOutcome,
            frameworkItemIds: frameworkIds(o.frameworkItems, oPath),
            commitments: o.commitments.map((c, k) => {
              const cPath = `${oPath}.commitments[${k}]`;
              claimLineage(c.lineageId, cPath);
              realDate(c.targetDate, `${cPath}.targetDate`);
              if (c.timescale === 'by_date' && c.targetDate === null)
                problem(`${cPath}.targetDate`, 'A commitment with the timescale by_date needs a target date');
              if (c.timescale !== null && c.timescale !== 'by_date' && c.targetDate !== null)
                problem(`${cPath}.targetDate`, `A target date is only given when the timescale is by_date, not ${c.timescale}`);
              const partnerIds = c.partners.flatMap((name, n) => {
                const id = lookups.partnerIdByName(name);
                if (!id) {
                  missingPartners.set(name.trim().toLowerCase(), name.trim());
                  problem(`${cPath}.partners[${n}]`, `${name} is not one of this body’s partner organisations`);
                }
                return id ? [id] : [];
              });
              return {
                id: '',
                lineageId: c.lineageId,
                text: c.text,
                ownerKind: c.ownerKind,
                partnerIds: [...new Set(partnerIds)],
                ownerRole: c.ownerRole,
                timescale: c.timescale,
                targetDate: c.targetDate,
                status: c.status,
                frameworkItemIds: frameworkIds(c.frameworkItems, cPath),
              };
            }),
          };
        }),
      };
    }),
    measures: document.measures.map((m, i) => {
      const path = `$.measures[${i}]`;
      claimLineage(m.lineageId, path);
      const parents = m.attachedTo.kind === 'priority' ? priorityLineages : objectiveLineages;
      if (!parents.has(m.attachedTo.lineageId))
        problem(
          `${path}.attachedTo.lineageId`,
          `There is no ${m.attachedTo.kind} with lineage id ${m.attachedTo.lineageId} in this document`,
        );
      return { id: '', ...m, attachedTo: { ...m.attachedTo } };
    }),
    statutorySections: document.statutorySections.map((s, i) => {
      claimLineage(s.lineageId, `$.statutorySections[${i}]`);
      return { ...s };
    }),
    fundingYears: document.fundingYears.map((f, i) => {
      claimLineage(f.lineageId, `$.fundingYears[${i}]`);
      return { ...f };
    }),
    grants: document.grants.map((g, i) => {
      const path = `$.grants[${i}]`;
      claimLineage(g.lineageId, path);
      realDate(g.startsOn, `${path}.startsOn`);
      realDate(g.endsOn, `${path}.endsOn`);
      if (g.startsOn && g.endsOn && g.endsOn < g.startsOn) problem(`${path}.endsOn`, 'A grant must end on or after the day it starts');
      g.priorityLineageIds.forEach((id, n) => {
        if (!priorityLineages.has(id))
          problem(`${path}.priorityLineageIds[${n}]`, `There is no priority with lineage id ${id} in this document`);
      });
      return { ...g, priorityLineageIds: [...g.priorityLineageIds] };
    }),
    dutyStatements: document.dutyStatements.map((d, i) => {
      const path = `$.dutyStatements[${i}]`;
      claimLineage(d.lineageId, path);
      d.elementLineageIds.forEach((id, n) => {
        if (!priorityLineages.has(id) && !objectiveLineages.has(id))
          problem(`${path}.elementLineageIds[${n}]`, `There is no priority or objective with lineage id ${id} in this document`);
      });
      return { ...d, elementLineageIds: [...d.elementLineageIds] };
    }),
    sprExplanations: document.sprExplanations.flatMap((e, i) => {
      const id = lookups.frameworkItemId(e);
      if (!id) problem(`$.sprExplanations[${i}]`, `Framework item ${e.code} of ${e.framework} is not known to this service`);
      return id ? [{ frameworkItemId: id, explanation: e.explanation }] : [];
    }),
  };
  onlyOnce(document.statutorySections, (s) => s.kind, '$.statutorySections', 'kind', 'section', problem);
  onlyOnce(document.dutyStatements, (d) => d.duty, '$.dutyStatements', 'duty', 'duty', problem);
  onlyOnce(document.fundingYears, (f) => f.financialYear, '$.fundingYears', 'financialYear', 'financial year', problem);
  onlyOnce(document.sprExplanations, (e) => `${e.framework} ${e.code}`, '$.sprExplanations', 'code', 'threat', problem);

  if (problems.length) return fail({ problems, missingPartners: [...missingPartners.values()].sort((a, b) => a.localeCompare(b)) });
  return ok({ plan: { title: plan.title, periodStartsOn: plan.periodStartsOn, periodEndsOn: plan.periodEndsOn }, tree });
}

function onlyOnce<T>(
  items: readonly T[],
  key: (item: T) => string,
  path: string,
  field: string,
  what: string,
  problem: (path: string, message: string) => void,
) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const value = key(item);
    if (seen.has(value)) problem(`${path}[${i}].${field}`, `The ${what} ${value} appears more than once`);
    seen.add(value);
  });
}

/** Every s.7(1) section and "have regard to" duty exists in a plan, empty if need be, so each has a lineage. */
export function withEveryStatutoryPart(tree: EditionTree, newLineageId: () => string): EditionTree {
  return {
    ...tree,
    statutorySections: [
      ...tree.statutorySections,
      ...statutorySectionKinds
        .filter((kind) => !tree.statutorySections.some((s) => s.kind === kind))
        .map((kind) => ({ lineageId: newLineageId(), kind, narrative: '' })),
    ],
    dutyStatements: [
      ...tree.dutyStatements,
      ...dutyKinds
        .filter((duty) => !tree.dutyStatements.some((d) => d.duty === duty))
        .map((duty) => ({ lineageId: newLineageId(), duty, statement: '', elementLineageIds: [] })),
    ],
  };
}

// Validation against the schema. The `$id` does not change what is valid, so one compiled
// validator serves every deployment; it is compiled on first use.
let compiled: ValidateFunction | undefined;
const validator = () => (compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(planSchema('https://localhost')));

/** At most this many problems are listed; a wholly wrong file would otherwise list thousands. */
export const MAX_PROBLEMS = 50;

/**
 * Checks an already-parsed JSON value against plan-v1 and returns it typed, or the problems
 * with JSON paths. A document of another version gets one problem, not a page of them.
 */
export function validatePlanJson(value: unknown): Result<PlanJson, Problem[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail([{ path: '$', message: 'The file must contain one JSON object, a plan exported from this service' }]);
  const version = (value as Record<string, unknown>).schemaVersion;
  if (version !== PLAN_SCHEMA_VERSION) {
    return fail([
      {
        path: '$.schemaVersion',
        message:
          version === undefined
            ? 'The file has no schemaVersion: it is not a plan exported from this service'
            : `The file uses schema version ${JSON.stringify(version)}; this service reads version ${PLAN_SCHEMA_VERSION}`,
      },
    ]);
  }
  const validate = validator();
  if (validate(value)) return ok(value as PlanJson);
  return fail((validate.errors ?? []).map(describeError));
}

function describeError(error: ErrorObject): Problem {
  const path = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${path}.${String(params.missingProperty)}`, message: 'Is missing' };
    case 'additionalProperties':
      return { path: `${path}.${String(params.additionalProperty)}`, message: `Is not part of plan-v1 (${PLAN_SCHEMA_PATH})` };
    case 'maxLength':
      return { path, message: `Must be ${String(params.limit)} characters or fewer` };
    case 'minLength':
      return { path, message: 'Must not be empty' };
    case 'maxItems':
      return { path, message: `Must have ${String(params.limit)} items or fewer` };
    case 'uniqueItems':
      return { path, message: 'Must not list the same value twice' };
    case 'enum':
      return { path, message: `Must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { path, message: `Must be ${JSON.stringify(params.allowedValue)}` };
    case 'type':
      return { path, message: `Must be ${String(params.type).replace(',', ' or ')}` };
    case 'pattern':
      return { path, message: patternMessages[String(params.pattern)] ?? `Must match ${String(params.pattern)}` };
    case 'minimum':
    case 'maximum':
      return { path, message: `Must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}` };
    default:
      return { path, message: error.message ?? 'Is not valid' };
  }
}

const patternMessages: Record<string, string> = {
  [patterns.uuid]: 'Must be a UUID, like 6f1c2a40-93f5-4e33-a8a4-0c7b9d1e2f30',
  [patterns.date]: 'Must be a date written YYYY-MM-DD, like 2025-04-01',
  [patterns.financialYear]: 'Must be a financial year, like 2025/26',
  [patterns.schemaUrl]: `Must be the address of the schema, ending ${PLAN_SCHEMA_PATH}`,
};

/** `/priorities/0/title` → `$.priorities[0].title` (JSON Pointer to the JSONPath people read). */
export function jsonPath(pointer: string): string {
  if (!pointer) return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((token) => (/^\d+$/.test(token) ? `[${token}]` : /^[A-Za-z_$][\w$]*$/.test(token) ? `.${token}` : `[${JSON.stringify(token)}]`))
      .join('')
  );
}

/** "Police and Crime Plan 2025–2029" edition 2 → "police-and-crime-plan-2025-2029-edition-2.json". */
export function exportFileName(planTitle: string, editionNumber: number, extension: 'json' | 'docx'): string {
  const stem = planTitle
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${stem || 'plan'}-edition-${editionNumber}.${extension}`;
}
