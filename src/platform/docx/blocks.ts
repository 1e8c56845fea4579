import { HeadingLevel, Paragraph, TextRun } from 'docx';

/** Word building blocks shared by the service's DOCX documents (the plan, performance reports). */

export const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) => new Paragraph({ text, heading: level });

/** Text typed into a box: one Word paragraph per line, so line breaks survive. */
export function texts(value: string, whenEmpty?: string): Paragraph[] {
  const lines = value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (!lines.length) return whenEmpty ? [new Paragraph({ children: [new TextRun({ text: whenEmpty, italics: true })] })] : [];
  return lines.map((line) => new Paragraph({ text: line }));
}

export const labelled = (label: string, value: string) =>
  new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)] });
