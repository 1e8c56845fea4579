import { Document, Packer, Paragraph } from 'docx';
import type { LightMyRequestResponse } from 'fastify';
import type { Agent } from './app.ts';
import { multipartBody, type Part } from './multipart.ts';

/** The smallest PDF a reader opens: one empty page, with a correct cross-reference table. */
export function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A real Word document written by the docx package. */
export async function smallDocx(text = 'Report to the Police and Crime Panel'): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph(text)] }] }));
}

/** The GOV.UK date input fields for an ISO date. */
export function dateFields(name: string, iso: string): Record<string, string> {
  const [year, month, day] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year! };
}

/** Fetches the form for a CSRF token, then posts a multipart upload to it, as the browser does. */
export async function upload(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file: { name: string; type: string; content: Buffer },
): Promise<LightMyRequestResponse> {
  const page = await agent.get(url);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const parts: Part[] = [
    { name: '_csrf', value: csrf },
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', filename: file.name, type: file.type, content: file.content },
  ];
  const { payload, contentType } = multipartBody(parts);
  return agent.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': contentType, cookie: `pcp_session=${agent.sessionCookie}` },
  });
}
