export const organisationRoles = ['commissioner', 'officer', 'force', 'partner', 'panel_member', 'panel_officer'] as const;
export type OrganisationRole = (typeof organisationRoles)[number];

export const roleLabels: Record<OrganisationRole, string> = {
  commissioner: 'Commissioner',
  officer: 'Office of the commissioner (staff)',
  force: 'Chief constable’s office (force)',
  partner: 'Partner organisation',
  panel_member: 'Panel member',
  panel_officer: 'Panel support officer',
};

export type Membership = {
  policingBodyId: string;
  role: OrganisationRole;
  scrutinyBodyId: string | null;
  partnerId: string | null;
};

/** The signed-in person, as every permission check sees them. */
export type CurrentUser = {
  id: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  memberships: readonly Membership[];
};

export function rolesIn(user: CurrentUser, policingBodyId: string): OrganisationRole[] {
  return user.memberships.filter((m) => m.policingBodyId === policingBodyId).map((m) => m.role);
}

export function hasRoleIn(user: CurrentUser, policingBodyId: string, roles: readonly OrganisationRole[]): boolean {
  return user.memberships.some((m) => m.policingBodyId === policingBodyId && roles.includes(m.role));
}
