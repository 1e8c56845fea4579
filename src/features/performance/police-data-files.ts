import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { MalformedFileError } from './domain/police-data-rows.ts';

/**
 * Reading uploads as streams: a CSV file, or the entries of a zip archive, piece by piece, so a
 * file of any size is never held in memory.
 */

export { MalformedFileError };

/** True when the file starts with a zip archive's local file header. */
export function isZipFile(path: string): boolean {
  // Four bytes, read at once: quicker than three round trips through the thread pool, each of
  // which can wait behind the event loop.
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const bytesRead = readSync(descriptor, buffer, 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    closeSync(descriptor);
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

export type TextReading = {
  /** Bytes read from the source so far. */
  readonly bytes: number;
};

/**
 * The bytes of a stream, piece by piece, checked as UTF-8 strictly (invalid bytes →
 * MalformedFileError, because a Latin-1 or binary file would otherwise import as mojibake). Each
 * piece ends with a whole character.
 */
export function readUtf8(source: Readable): { pieces: AsyncIterable<Buffer>; reading: TextReading } {
  const decoder = new StrictUtf8();
  const reading = { bytes: 0 };
  async function* pieces(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        reading.bytes += chunk.length;
        yield decoder.check(chunk);
      }
      decoder.end();
    } catch (error) {
      // Only reading fails here (the consumer's own errors end the generator without passing
      // through): a damaged zip entry, say, whose data does not inflate or match its checksum.
      if (error instanceof MalformedFileError) throw error;
      throw new MalformedFileError(`The file could not be read: ${(error as Error).message}.`);
    } finally {
      source.destroy();
    }
  }
  return { pieces: pieces(), reading };
}

/**
 * A strict UTF-8 checker for a stream of pieces. A piece of ASCII (nearly every piece of a
 * data.police.uk file) passes at once; any other is checked whole, and a character split between
 * pieces waits for the next.
 */
export class StrictUtf8 {
  private carry: Buffer | undefined;

  /** The next piece's bytes up to its last whole character, once checked. */
  check(chunk: Buffer): Buffer {
    let bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    if (isAscii(bytes)) return bytes;
    const end = completeCharactersEnd(bytes);
    if (end < bytes.length) {
      this.carry = Buffer.from(bytes.subarray(end));
      bytes = bytes.subarray(0, end);
    }
    if (!isUtf8(bytes)) throw new MalformedFileError(notText);
    return bytes;
  }

  /** Ends the stream: bytes still waiting are a character cut short. */
  end(): void {
    if (this.carry) throw new MalformedFileError(notText);
  }
}

/** Where the last complete character ends: before a lead byte whose continuation bytes have not all come. */
function completeCharactersEnd(bytes: Buffer): number {
  let lead = bytes.length - 1;
  while (lead > bytes.length - 4 && lead > 0 && (bytes[lead]! & 0xc0) === 0x80) lead -= 1;
  const byte = bytes[lead]!;
  const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return bytes.length - lead < length ? lead : bytes.length;
}

const notText =
  'The file is not UTF-8 text, so it is not a data.police.uk CSV file. If you saved it from a spreadsheet, download it from data.police.uk again.';
