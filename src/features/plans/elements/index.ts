import type { AnyElementSpec } from './element-spec.ts';
import { commitmentSpec } from './commitments.ts';
import { fundingYearSpec } from './funding-years.ts';
import { grantSpec } from './grants.ts';
import { measureSpec } from './measures.ts';
import { objectiveSpec } from './objectives.ts';
import { prioritySpec } from './priorities.ts';

/** Every ordered element an edition's editor can add, change, remove and move. */
export const elementSpecs: readonly AnyElementSpec[] = [
  prioritySpec,
  objectiveSpec,
  commitmentSpec,
  measureSpec,
  fundingYearSpec,
  grantSpec,
];
export { registerElementRoutes } from './element.routes.ts';
export { listFundingYears } from './funding-years.ts';
export { listGrants } from './grants.ts';
