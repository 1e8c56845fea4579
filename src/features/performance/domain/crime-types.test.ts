import { describe, expect, it } from 'vitest';
import { crimeTypeByLabel, crimeTypeBySlug, sortCrimeTypes, streetCrimeTypes } from './crime-types.ts';

describe('street crime types', () => {
  it('lists the 14 published categories once each', () => {
    expect(streetCrimeTypes).toHaveLength(14);
    expect(new Set(streetCrimeTypes.map((t) => t.slug)).size).toBe(14);
    expect(new Set(streetCrimeTypes.map((t) => t.label)).size).toBe(14);
    expect(crimeTypeBySlug('violent-crime')?.label).toBe('Violence and sexual offences');
    expect(crimeTypeByLabel('Other crime')?.slug).toBe('other-crime');
    expect(crimeTypeBySlug('nonsense')).toBeUndefined();
  });

  it('sorts labels in the published order, unknown older categories last and alphabetically', () => {
    expect(
      sortCrimeTypes(['Other crime', 'Violent crime', 'Burglary', 'Anti-social behaviour', 'Burglary', 'Public disorder and weapons']),
    ).toEqual(['Anti-social behaviour', 'Burglary', 'Other crime', 'Public disorder and weapons', 'Violent crime']);
  });
});
