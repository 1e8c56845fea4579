import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import JSZip from 'jszip';

/** The real data.police.uk files the journeys import, kept outside the repository. */
export const policeUkDirectory = path.resolve(import.meta.dirname, '../../../shared/data/police-uk');

export function policeUkFile(name: string): Buffer {
  return readFileSync(path.join(policeUkDirectory, name));
}

/**
 * A street-level crime file counted independently of the service: parsed with csv-parse, not the
 * service's own reader, so a journey can check the service's figures against the file itself;
 * `only` counts just the rows it accepts.
 */
export type StreetFileCount = { rows: number; byCrimeType: Map<string, number>; byLsoa: Map<string, number> };

export function countStreetFile(name: string, only: (row: Record<string, string>) => boolean = () => true): StreetFileCount {
  const rows = (parse(policeUkFile(name), { columns: true, bom: true }) as Record<string, string>[]).filter(only);
  const byCrimeType = new Map<string, number>();
  const byLsoa = new Map<string, number>();
  for (const row of rows) {
    const type = row['Crime type'] ?? '';
    byCrimeType.set(type, (byCrimeType.get(type) ?? 0) + 1);
    const lsoa = row['LSOA code'] ?? '';
    if (lsoa) byLsoa.set(lsoa, (byLsoa.get(lsoa) ?? 0) + 1);
  }
  return { rows: rows.length, byCrimeType, byLsoa };
}

/**
 * A zip archive as data.police.uk gives a custom download: one folder per month, each holding
 * that month's files ("2019-01/2019-01-dyfed-powys-street.csv"), built from the real files.
 */
export async function policeUkZip(names: readonly string[]): Promise<Buffer> {
  const zip = new JSZip();
  for (const name of names) zip.file(`${name.slice(0, 7)}/${name}`, policeUkFile(name));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
