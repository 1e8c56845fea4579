import { readdirSync } from 'node:fs';
import { deflateRawSync, crc32 } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { streetColumns } from '../../src/features/performance/domain/police-data-rows.ts';

/** The real data.police.uk samples shared by the project. */
export const policeDataDirectory = fileURLToPath(new URL('../../../shared/data/police-uk/', import.meta.url));
export const policeFixtures = fileURLToPath(new URL('../fixtures/police-uk/', import.meta.url));
export const realPoliceFile = (name: string): string => path.join(policeDataDirectory, name);
/** The real samples' names (every kind). */
export const realPoliceFileNames = (): string[] => readdirSync(policeDataDirectory).filter((name) => name.endsWith('.csv'));

/** A good Dyfed-Powys street-level record for January 2019, with the given values in place. */
export const streetRecord = (overrides: Partial<Record<(typeof streetColumns)[number], string>> = {}): string[] => {
  const base: Record<string, string> = {
    'Crime ID': 'abc',
    Month: '2019-01',
    'Reported by': 'Dyfed-Powys Police',
    'Falls within': 'Dyfed-Powys Police',
    Longitude: '-3.279704',
    Latitude: '51.805346',
    Location: 'On or near Sports/Recreation Area',
    'LSOA code': 'W01001474',
    'LSOA name': 'Blaenau Gwent 003C',
    'Crime type': 'Other theft',
    'Last outcome category': 'Local resolution',
    Context: '',
    ...overrides,
  };
  return streetColumns.map((column) => base[column]!);
};

/**
 * A zip archive built in memory (deflate, or stored when `store`), as data.police.uk's archives
 * are: one folder per month with the month's CSVs in it. Folders are entries ending in "/".
 */
export function zipOf(entries: readonly { name: string; content?: Buffer | string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.content ?? '');
    const isFolder = entry.name.endsWith('/');
    const compressed = isFolder ? data : deflateRawSync(data);
    const method = isFolder ? 0 : 8;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(isFolder ? 0x10 : 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}
