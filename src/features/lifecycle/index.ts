export { lifecycleRoutes } from './lifecycle.routes.ts';
export { isSharedBeyondOffice, isWithPanel } from './domain/sharing.ts';
export { stateLabels as lifecycleStateLabels } from './domain/machine.ts';
export { advanceEditionsByDate } from './lifecycle.service.ts';
