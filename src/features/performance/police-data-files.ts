import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { CsvSplitter, UnclosedQuoteError, type CsvRecord } from './domain/police-data-rows.ts';

/**
 * Reading uploads as streams: a CSV file, or the entries of a zip archive, record by record, so
 * a file of any size is never held in memory.
 */

export class MalformedFileError extends Error {}

/** True when the file starts with a zip archive's local file header. */
export async function isZipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

export type ZipEntryInfo = { name: string; uncompressedSize: number };

export type ZipArchive = {
  entries: ZipEntryInfo[];
  open(name: string): Promise<Readable>;
  close(): void;
};

/** Opens a zip file and lists every entry, before anything is read from any of them. */
export async function openZip(path: string): Promise<ZipArchive> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false }, (error, file) =>
      error || !file ? reject(new MalformedFileError(`The zip file cannot be read: ${error?.message ?? 'unknown error'}.`)) : resolve(file),
    ),
  );
  const byName = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        byName.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (error: Error) => reject(new MalformedFileError(`The zip file cannot be read: ${error.message}.`)));
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  return {
    entries: [...byName.values()].map((entry) => ({ name: entry.fileName, uncompressedSize: entry.uncompressedSize })),
    open: (name) =>
      new Promise<Readable>((resolve, reject) => {
        const entry = byName.get(name);
        if (!entry) return reject(new Error(`No entry ${name}`));
        zip.openReadStream(entry, (error, stream) =>
          error || !stream
            ? reject(new MalformedFileError(`"${name}" cannot be read from the zip file: ${error?.message}.`))
            : resolve(stream),
        );
      }),
    close: () => zip.close(),
  };
}

export const openFile = (path: string): Readable => createReadStream(path, { highWaterMark: 256 * 1024 });

export type { CsvRecord };

export type CsvReading = {
  /** Bytes read from the source so far. */
  readonly bytes: number;
  /** True once the source ended with a line break (false for a file cut short mid-line). */
  readonly endsWithLineBreak: boolean;
};

/**
 * The records of a CSV byte stream, decoded as UTF-8 strictly (invalid bytes → MalformedFileError,
 * because a Latin-1 or binary file would otherwise import as mojibake), each with the line it
 * starts on (the header is line 1). Quotes left open at the end mean a file cut short.
 */
export function readCsv(source: Readable): {
  records: AsyncIterable<CsvRecord>;
  /** The same records, as many as each piece of the source completes (one await per piece, not per row). */
  batches: AsyncIterable<CsvRecord[]>;
  reading: CsvReading;
} {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const reading = { bytes: 0, endsWithLineBreak: false };
  const splitter = new CsvSplitter();
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new MalformedFileError(notText);
    }
  };
  async function* batches(): AsyncGenerator<CsvRecord[]> {
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        reading.bytes += chunk.length;
        if (chunk.length > 0) reading.endsWithLineBreak = chunk[chunk.length - 1] === 0x0a || chunk[chunk.length - 1] === 0x0d;
        const out: CsvRecord[] = [];
        splitter.push(decode(chunk), out);
        if (out.length > 0) yield out;
      }
      const out: CsvRecord[] = [];
      splitter.push(decode(), out);
      try {
        splitter.end(out);
      } catch (error) {
        if (error instanceof UnclosedQuoteError) throw new MalformedFileError(`${cutShort} A quoted value is not closed.`);
        throw error;
      }
      if (out.length > 0) yield out;
    } catch (error) {
      // Only reading fails here (the consumer's own errors end the generator without passing
      // through): a damaged zip entry, say, whose data does not inflate or match its checksum.
      if (error instanceof MalformedFileError) throw error;
      throw new MalformedFileError(`The file could not be read: ${(error as Error).message}.`);
    } finally {
      source.destroy();
    }
  }
  async function* records(): AsyncGenerator<CsvRecord> {
    for await (const batch of batches()) yield* batch;
  }
  return { records: records(), batches: batches(), reading };
}

const notText =
  'The file is not UTF-8 text, so it is not a data.police.uk CSV file. If you saved it from a spreadsheet, download it from data.police.uk again.';
export const cutShort = 'The file ends part-way through a row, so it looks cut short (truncated). Nothing in it was imported.';
