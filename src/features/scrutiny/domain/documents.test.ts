import { Document, Packer, Paragraph } from 'docx';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectDocumentType } from './documents.ts';

/** A zip with stored (uncompressed) entries, written by hand so the test controls every byte. */
function storedZip(entries: { name: string; content: string }[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const data = Buffer.from(entry.content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const odt = (mimetype: string) =>
  storedZip([
    { name: 'mimetype', content: mimetype },
    { name: 'content.xml', content: '<office:document-content/>' },
  ]);

describe('detectDocumentType', () => {
  it('knows a PDF by its header', () => {
    expect(detectDocumentType(Buffer.from('%PDF-1.4\n%…'))).toBe('application/pdf');
  });

  it('knows a Word document made by a real writer', async () => {
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Panel report')] }] }));
    expect(detectDocumentType(docx)).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('knows an OpenDocument text by its mimetype entry, and only that type', () => {
    expect(detectDocumentType(odt('application/vnd.oasis.opendocument.text'))).toBe('application/vnd.oasis.opendocument.text');
    expect(detectDocumentType(odt('application/vnd.oasis.opendocument.spreadsheet'))).toBeNull();
  });

  it('refuses a zip that is neither, a program, and a broken zip', () => {
    expect(detectDocumentType(storedZip([{ name: 'xl/workbook.xml', content: '<workbook/>' }]))).toBeNull();
    expect(detectDocumentType(storedZip([{ name: '[Content_Types].xml', content: '<Types/>' }]))).toBeNull();
    expect(detectDocumentType(Buffer.from('MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode'))).toBeNull();
    expect(detectDocumentType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toBeNull();
    expect(detectDocumentType(new Uint8Array())).toBeNull();
    expect(detectDocumentType(Buffer.from('%PD'))).toBeNull();
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, asZip) => {
        const data = asZip ? Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), bytes]) : bytes;
        const type = detectDocumentType(data);
        expect(type === null || typeof type === 'string').toBe(true);
      }),
    );
  });
});
