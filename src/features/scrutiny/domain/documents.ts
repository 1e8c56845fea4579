import { documentMediaTypes } from './kinds.ts';

export type DocumentMediaType = (typeof documentMediaTypes)[number];

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const ODT = 'application/vnd.oasis.opendocument.text';

/**
 * What a report document really is, judged by its bytes and never by its name or the type the
 * browser claimed: a PDF starts `%PDF-`; a Word document is a zip holding `[Content_Types].xml`
 * and a `word/` folder; an OpenDocument text is a zip whose `mimetype` entry says so. Anything
 * else (a renamed program, a spreadsheet, a broken zip) is null.
 */
export function detectDocumentType(data: Uint8Array): DocumentMediaType | null {
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return PDF;
  if (!startsWith(data, [0x50, 0x4b, 0x03, 0x04])) return null;
  const entries = zipEntries(data);
  if (!entries) return null;
  const names = new Set(entries.map((e) => e.name));
  if (names.has('[Content_Types].xml') && entries.some((e) => e.name.startsWith('word/'))) return DOCX;
  const mimetype = entries.find((e) => e.name === 'mimetype');
  // The OpenDocument format stores `mimetype` uncompressed, so its bytes can be read directly (ODF 1.2 Part 3 §3.3).
  if (mimetype && mimetype.method === 0 && decode(storedContent(data, mimetype)) === ODT) return ODT;
  return null;
}

export const isDocumentMediaType = (value: string): value is DocumentMediaType => (documentMediaTypes as readonly string[]).includes(value);

type ZipEntry = { name: string; method: number; compressedSize: number; localHeaderOffset: number };

function startsWith(data: Uint8Array, bytes: number[]): boolean {
  return data.length >= bytes.length && bytes.every((b, i) => data[i] === b);
}

const u16 = (data: Uint8Array, at: number) => data[at]! | (data[at + 1]! << 8);
const u32 = (data: Uint8Array, at: number) => (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16)) + data[at + 3]! * 0x1000000;
const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: false }).decode(bytes);

/** The entries named in a zip's central directory, or null if the zip is not readable. */
function zipEntries(data: Uint8Array): ZipEntry[] | null {
  // The end-of-central-directory record sits in the last 22 bytes plus at most a 64 KB comment.
  const earliest = Math.max(0, data.length - 22 - 0xffff);
  let end = -1;
  for (let at = data.length - 22; at >= earliest; at -= 1) {
    if (u32(data, at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return null;
  const count = u16(data, end + 10);
  let at = u32(data, end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > data.length || u32(data, at) !== 0x02014b50) return null;
    const nameLength = u16(data, at + 28);
    const extraLength = u16(data, at + 30);
    const commentLength = u16(data, at + 32);
    if (at + 46 + nameLength > data.length) return null;
    entries.push({
      name: decode(data.subarray(at + 46, at + 46 + nameLength)),
      method: u16(data, at + 10),
      compressedSize: u32(data, at + 20),
      localHeaderOffset: u32(data, at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function storedContent(data: Uint8Array, entry: ZipEntry): Uint8Array {
  const header = entry.localHeaderOffset;
  if (header + 30 > data.length || u32(data, header) !== 0x04034b50) return new Uint8Array();
  const start = header + 30 + u16(data, header + 26) + u16(data, header + 28);
  return data.subarray(start, Math.min(data.length, start + entry.compressedSize));
}
