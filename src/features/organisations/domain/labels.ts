import type { partnerKinds, policingBodyKinds, scrutinyBodyKinds } from '../organisations.tables.ts';

export type PolicingBodyKind = (typeof policingBodyKinds)[number];
export type ScrutinyBodyKind = (typeof scrutinyBodyKinds)[number];
export type PartnerKind = (typeof partnerKinds)[number];

export const policingBodyKindLabels: Record<PolicingBodyKind, string> = {
  pcc: 'Police and crime commissioner (PCC)',
  pfcc: 'Police, fire and crime commissioner (PFCC)',
  mayor: 'Mayor with police and crime commissioner functions',
  mopac: 'Mayor’s Office for Policing and Crime (MOPAC)',
  board: 'Police and Crime Board',
};

/** What the holder is usually called, offered as the default title. */
export const defaultHolderTitles: Record<PolicingBodyKind, string> = {
  pcc: 'Police and Crime Commissioner',
  pfcc: 'Police, Fire and Crime Commissioner',
  mayor: 'Mayor',
  mopac: 'Deputy Mayor for Policing and Crime',
  board: 'Chair of the Police and Crime Board',
};

export const scrutinyBodyKindLabels: Record<ScrutinyBodyKind, string> = {
  police_and_crime_panel: 'Police and Crime Panel',
  committee: 'Committee (for example, the London Assembly Police and Crime Committee)',
};

export const partnerKindLabels: Record<PartnerKind, string> = {
  community_safety_partnership: 'Community safety partnership',
  local_authority: 'Local authority',
  health: 'Health',
  criminal_justice: 'Criminal justice',
  voluntary_sector: 'Voluntary and community sector',
  other: 'Other',
};

/** A URL-safe slug from a name: lower case, hyphens, no accents. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
}
