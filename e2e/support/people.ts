/**
 * The people the journeys create, shared so that a later spec can sign in as the administrator
 * an earlier one set up: the set-up link works once per server, and specs in a project share it.
 */
export const password = 'correct horse battery staple';

export const people = (project: string) => ({
  admin: { name: 'Alex Administrator', email: `admin.${project}@example.org` },
  panelMember: { name: 'Pat Panel-Member', email: `pat.${project}@example.org` },
  officer: { name: 'Olu Officer', email: `olu.${project}@example.org` },
});
