export { accountsRoutes } from './accounts.routes.ts';
export { loadCurrentUser } from './accounts.repository.ts';
export { resolveSessionSecret, prepareFirstRun, hashPassword } from './accounts.service.ts';
export { can as canManageAccounts } from './accounts.permissions.ts';
export { listMembersOfBody, listMembershipsWithNames, listUsers } from './accounts.repository.ts';
