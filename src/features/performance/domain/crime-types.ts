/**
 * The street-level crime categories data.police.uk publishes, in the order its crime-categories
 * list gives them (https://data.police.uk/docs/method/crime-categories/). The CSV files carry
 * the label in "Crime type"; the slug is the API's identifier, used here in URLs.
 */
export const streetCrimeTypes = [
  { slug: 'anti-social-behaviour', label: 'Anti-social behaviour' },
  { slug: 'bicycle-theft', label: 'Bicycle theft' },
  { slug: 'burglary', label: 'Burglary' },
  { slug: 'criminal-damage-arson', label: 'Criminal damage and arson' },
  { slug: 'drugs', label: 'Drugs' },
  { slug: 'other-theft', label: 'Other theft' },
  { slug: 'possession-of-weapons', label: 'Possession of weapons' },
  { slug: 'public-order', label: 'Public order' },
  { slug: 'robbery', label: 'Robbery' },
  { slug: 'shoplifting', label: 'Shoplifting' },
  { slug: 'theft-from-the-person', label: 'Theft from the person' },
  { slug: 'vehicle-crime', label: 'Vehicle crime' },
  { slug: 'violent-crime', label: 'Violence and sexual offences' },
  { slug: 'other-crime', label: 'Other crime' },
] as const;

export type StreetCrimeType = (typeof streetCrimeTypes)[number];

export function crimeTypeBySlug(slug: string): StreetCrimeType | undefined {
  return streetCrimeTypes.find((t) => t.slug === slug);
}

export function crimeTypeByLabel(label: string): StreetCrimeType | undefined {
  return streetCrimeTypes.find((t) => t.label === label);
}

const position = (label: string) => {
  const index = streetCrimeTypes.findIndex((t) => t.label === label);
  return index === -1 ? streetCrimeTypes.length : index;
};

/**
 * Crime type labels in the published order; labels outside the current list (older files used
 * categories since merged, such as "Violent crime") follow, alphabetically.
 */
export function sortCrimeTypes(labels: Iterable<string>): string[] {
  return [...new Set(labels)].sort((a, b) => position(a) - position(b) || a.localeCompare(b));
}
