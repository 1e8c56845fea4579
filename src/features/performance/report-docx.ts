import { Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { heading, labelled, texts } from '../../platform/docx/blocks.ts';
import { gradeLabels, ungradedReasonLabels } from './domain/grading.ts';
import type { NationalStatementContent, QuarterlyReportContent, ReportMeasure } from './domain/report-model.ts';
import { formatNumber } from './domain/report-model.ts';

/**
 * The quarterly performance report and the national measures statement as Word documents, built
 * from the same frozen content as the HTML page, so the two always say the same thing. Real Word
 * headings (the navigation pane and a screen reader's heading list work), grades in words (never
 * colour alone), real tables with header rows for every series, and each chart's text summary.
 */

/** A chart as an image: the SVG for Word 2016 and later, the PNG for older readers, and its size in pixels. */
export type DocxChart = { svg: string; png: Buffer; width: number; height: number };

export type DocxOptions = {
  /** When the report was generated, in words ("24 November 2026"). */
  generatedOn: string;
  /** Charts by measure lineage; a measure without one still has its table and summary. */
  charts?: ReadonlyMap<string, DocxChart>;
};

export async function quarterlyReportToDocx(content: QuarterlyReportContent, options: DocxOptions): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: `${content.planTitle}: performance report`, heading: HeadingLevel.TITLE }),
    new Paragraph({ text: content.bodyName }),
    new Paragraph({ text: content.quarter.label }),
    new Paragraph({ text: `Generated on ${options.generatedOn}. Figures are as recorded at the end of the quarter.` }),
  ];

  children.push(heading('Exceptions', HeadingLevel.HEADING_1));
  if (content.exceptions.length === 0) children.push(new Paragraph({ text: 'No measure is red or ungraded this quarter.' }));
  else {
    children.push(new Paragraph({ text: 'Measures graded red, then measures that could not be graded, with the reason.' }));
    children.push(
      table(
        ['Measure', 'Priority', 'Grade', 'Why'],
        content.exceptions.map((e) => [e.name, `${e.priorityNumber}. ${e.priorityTitle}`, gradeText(e.grade, e.reason), e.explanation]),
      ),
    );
  }

  children.push(heading('Grades this quarter', HeadingLevel.HEADING_1));
  children.push(
    table(
      ['Grade', 'Measures'],
      (['green', 'amber', 'red', 'ungraded'] as const).map((grade) => [gradeLabels[grade], String(content.counts[grade])]),
    ),
  );

  for (const priority of content.priorities) {
    children.push(heading(`${priority.number}. ${priority.title}`, HeadingLevel.HEADING_1));
    children.push(heading('Summary', HeadingLevel.HEADING_2));
    children.push(...texts(priority.summary ?? '', 'No summary written for this quarter.'));
    if (priority.measures.length === 0) children.push(new Paragraph({ text: 'This priority has no measures.' }));
    for (const measure of priority.measures) children.push(...measureBlock(measure, options.charts?.get(measure.lineageId)));
  }

  return pack(`${content.planTitle}: performance report, ${content.quarter.label}`, content.bodyName, children);
}

export async function nationalStatementToDocx(content: NationalStatementContent, options: DocxOptions): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: 'National Crime and Policing Measures: statement', heading: HeadingLevel.TITLE }),
    new Paragraph({ text: content.bodyName }),
    new Paragraph({ text: `${content.planTitle}. Figures as at the end of ${content.quarter.label}.` }),
    new Paragraph({ text: `Generated on ${options.generatedOn}.` }),
    new Paragraph({
      text: 'The Home Office measures progress against a 2019 baseline. Each figure below says which period it is for.',
    }),
  ];
  for (const item of content.items) {
    children.push(heading(item.title, HeadingLevel.HEADING_1));
    if (item.measures.length === 0) {
      children.push(new Paragraph({ text: 'Not yet reported: no measure in the plan reports this national measure.' }));
      continue;
    }
    for (const figure of item.measures) children.push(new Paragraph({ text: figure.sentence }));
    children.push(
      table(
        ['Measure', 'Baseline', 'Latest', 'Change'],
        item.measures.map((f) => [f.name, f.baselineText, f.latestText, f.changeText]),
      ),
    );
  }
  return pack(`National Crime and Policing Measures: statement, ${content.quarter.label}`, content.bodyName, children);
}

const gradeText = (grade: ReportMeasure['grade'], reason: ReportMeasure['reason']) =>
  reason ? `${gradeLabels[grade]}: ${ungradedReasonLabels[reason]}` : gradeLabels[grade];

function measureBlock(measure: ReportMeasure, chart: DocxChart | undefined): (Paragraph | Table)[] {
  const blocks: (Paragraph | Table)[] = [heading(measure.name, HeadingLevel.HEADING_2)];
  blocks.push(
    new Paragraph({
      children: [new TextRun({ text: 'Grade: ', bold: true }), new TextRun({ text: gradeText(measure.grade, measure.reason), bold: true })],
    }),
  );
  if (measure.explanation) blocks.push(new Paragraph({ text: measure.explanation }));
  blocks.push(labelled('Latest', measure.latestText));
  if (measure.baselineText) blocks.push(labelled('Baseline', measure.baselineText));
  if (measure.targetText) blocks.push(labelled('Target', measure.targetText));
  blocks.push(labelled('Owner', measure.owner || 'Not named'));

  if (measure.series.length) {
    if (chart) blocks.push(chartParagraph(measure, chart));
    if (measure.chartSummary) blocks.push(labelled('Chart summary', measure.chartSummary));
    const hasInterval = measure.series.some((p) => p.lower !== null);
    blocks.push(
      table(
        ['Period', `Value (${measure.unit || 'number'})`, ...(hasInterval ? ['Lower', 'Upper'] : []), 'Revised'],
        measure.series.map((p) => [
          p.label,
          formatNumber(p.value),
          ...(hasInterval ? [p.lower === null ? '' : formatNumber(p.lower), p.upper === null ? '' : formatNumber(p.upper)] : []),
          p.isRevised ? 'Yes' : 'No',
        ]),
      ),
    );
  }

  blocks.push(heading('Commentary', HeadingLevel.HEADING_3));
  if (!measure.commentary) blocks.push(...texts('', 'No commentary for this quarter.'));
  else {
    blocks.push(new Paragraph({ children: [new TextRun({ text: `For ${measure.commentary.periodLabel}`, italics: true })] }));
    blocks.push(new Paragraph({ children: [new TextRun({ text: 'What is happening', bold: true })] }));
    blocks.push(...texts(measure.commentary.whatIsHappening, 'Not written.'));
    blocks.push(new Paragraph({ children: [new TextRun({ text: 'What is being done', bold: true })] }));
    blocks.push(...texts(measure.commentary.whatIsBeingDone, 'Not written.'));
  }
  return blocks;
}

/** The chart, scaled to the page width, with alternative text saying what the table beside it holds. */
function chartParagraph(measure: ReportMeasure, chart: DocxChart): Paragraph {
  const width = Math.min(600, chart.width);
  const height = Math.round((chart.height * width) / chart.width);
  return new Paragraph({
    children: [
      new ImageRun({
        type: 'svg',
        data: Buffer.from(chart.svg),
        fallback: { type: 'png', data: chart.png },
        transformation: { width, height },
        altText: {
          name: `Chart: ${measure.name}`,
          title: `Chart: ${measure.name}`,
          description: measure.chartSummary || `Values of ${measure.name}; the table after the chart lists them.`,
        },
      }),
    ],
  });
}

async function pack(title: string, creator: string, children: (Paragraph | Table)[]): Promise<Buffer> {
  return Packer.toBuffer(new Document({ title, creator, description: title, sections: [{ children }] }));
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): Table {
  const cell = (text: string, isHeader = false) =>
    new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold: isHeader })] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }),
      ...rows.map((row) => new TableRow({ children: row.map((text) => cell(text)) })),
    ],
  });
}
