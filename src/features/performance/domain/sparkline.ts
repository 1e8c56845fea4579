/**
 * A sparkline as a plain SVG string: dashboards show a hundred of these, so no chart library.
 * Colours and widths are presentation attributes, never `style`, because our Content Security
 * Policy has no 'unsafe-inline' for styles. The caller's label is the accessible name; the full
 * figures are in the table beside it.
 */

const LINE_COLOUR = '#1d70b8'; // GOV.UK blue
const POINT_COLOUR = '#0b0c0c'; // GOV.UK text colour

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Two decimals are ample for a picture 30 pixels high, and keep the markup short. */
const coordinate = (n: number) => String(Math.round(n * 100) / 100);

export function sparklineSvg(values: readonly number[], options: { label: string; width?: number; height?: number }): string {
  const width = positiveOr(options.width, 120);
  const height = positiveOr(options.height, 24);
  const finite = values.filter((value) => Number.isFinite(value));
  const open = (label: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-sparkline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(label)}" focusable="false"><title>${escapeXml(label)}</title>`;
  if (finite.length === 0) return `${open('No data')}</svg>`;

  // Room for the end marker, so it is never clipped at the edges.
  const radius = Math.min(2.5, height / 4);
  const pad = radius + 0.5;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const x = (i: number) => (finite.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (finite.length - 1));
  // A flat series sits in the middle rather than on the floor.
  const y = (value: number) => (max === min ? height / 2 : height - pad - ((value - min) * (height - 2 * pad)) / (max - min));
  const points = finite.map((value, i) => `${coordinate(x(i))},${coordinate(y(value))}`).join(' ');
  const last = finite.length - 1;
  const line =
    finite.length > 1
      ? `<polyline points="${points}" fill="none" stroke="${LINE_COLOUR}" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>`
      : '';
  const marker = `<circle cx="${coordinate(x(last))}" cy="${coordinate(y(finite[last]!))}" r="${coordinate(radius)}" fill="${POINT_COLOUR}"/>`;
  return `${open(options.label)}${line}${marker}</svg>`;
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
