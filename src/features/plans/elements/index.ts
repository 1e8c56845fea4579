import type { AnyElementSpec } from './element-spec.ts';
import { commitmentSpec } from './commitments.ts';
import { measureSpec } from './measures.ts';
import { objectiveSpec } from './objectives.ts';
import { prioritySpec } from './priorities.ts';

/** Every ordered element an edition's editor can add, change, remove and move. */
export const elementSpecs: readonly AnyElementSpec[] = [prioritySpec, objectiveSpec, commitmentSpec, measureSpec];
export { registerElementRoutes } from './element.routes.ts';
