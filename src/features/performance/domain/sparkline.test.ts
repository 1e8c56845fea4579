import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXml, sparklineSvg } from './sparkline.ts';

const attribute = (svg: string, element: string, name: string) => new RegExp(`<${element}[^>]*\\s${name}="([^"]*)"`).exec(svg)?.[1];
const polylinePoints = (svg: string) =>
  (attribute(svg, 'polyline', 'points') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((pair) => pair.split(',').map(Number) as [number, number]);

describe('sparklineSvg', () => {
  it('is a labelled image with a title, a line and the last point marked', () => {
    const svg = sparklineSvg([3, 5, 4], { label: 'Burglary, last 3 months' });
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(attribute(svg, 'svg', 'aria-label')).toBe('Burglary, last 3 months');
    expect(svg).toContain('<title>Burglary, last 3 months</title>');
    expect(polylinePoints(svg)).toHaveLength(3);
    const [lastX, lastY] = polylinePoints(svg)[2]!;
    expect(Number(attribute(svg, 'circle', 'cx'))).toBe(lastX);
    expect(Number(attribute(svg, 'circle', 'cy'))).toBe(lastY);
  });

  it('draws higher values higher up and keeps the order of the values from left to right', () => {
    const points = polylinePoints(sparklineSvg([1, 10, 5], { label: 'x', width: 100, height: 20 }));
    const [a, b, c] = points as [[number, number], [number, number], [number, number]];
    expect(a[0]).toBeLessThan(b[0]);
    expect(b[0]).toBeLessThan(c[0]);
    expect(b[1]).toBeLessThan(c[1]); // 10 above 5 (SVG y grows downwards)
    expect(c[1]).toBeLessThan(a[1]); // 5 above 1
  });

  it('an empty series is a small image labelled "No data", with no line, no marker and no text', () => {
    const svg = sparklineSvg([], { label: 'Burglary' });
    expect(attribute(svg, 'svg', 'aria-label')).toBe('No data');
    expect(svg).not.toMatch(/<polyline|<circle|<text/);
    expect(sparklineSvg([Number.NaN, Number.POSITIVE_INFINITY], { label: 'x' })).toBe(svg.replace('Burglary', 'x'));
  });

  it('a single value is a dot in the middle; a flat series a level line in the middle', () => {
    const one = sparklineSvg([7], { label: 'x', width: 100, height: 20 });
    expect(one).not.toContain('<polyline');
    expect(attribute(one, 'circle', 'cx')).toBe('50');
    expect(attribute(one, 'circle', 'cy')).toBe('10');
    const flat = polylinePoints(sparklineSvg([4, 4, 4], { label: 'x', width: 100, height: 20 }));
    expect(flat.map(([, y]) => y)).toEqual([10, 10, 10]);
  });

  it('uses the given size and falls back to the default for nonsense sizes', () => {
    expect(sparklineSvg([1, 2], { label: 'x', width: 200, height: 40 })).toContain('viewBox="0 0 200 40"');
    expect(sparklineSvg([1, 2], { label: 'x', width: -1, height: Number.NaN })).toContain('viewBox="0 0 120 24"');
  });

  it('escapes the label', () => {
    const svg = sparklineSvg([1, 2], { label: `<script>alert("x")</script> & 'co'` });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;');
  });

  it('never uses style attributes, which our Content Security Policy blocks', () => {
    expect(sparklineSvg([1, 3, 2], { label: 'x' })).not.toMatch(/\sstyle=|<style/);
  });

  it('every point stays inside the picture, whatever the values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 60 }), (values) => {
        const svg = sparklineSvg(values, { label: 'x', width: 120, height: 24 });
        const points = values.length > 1 ? polylinePoints(svg) : [];
        expect(points).toHaveLength(values.length > 1 ? values.length : 0);
        for (const [x, y] of [...points, [Number(attribute(svg, 'circle', 'cx')), Number(attribute(svg, 'circle', 'cy'))]]) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(120);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThanOrEqual(24);
        }
      }),
    );
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials and leaves the rest alone', () => {
    expect(escapeXml(`a<b>c&d"e'f`)).toBe('a&lt;b&gt;c&amp;d&quot;e&#39;f');
    expect(escapeXml('Q1 2024/25 – £5')).toBe('Q1 2024/25 – £5');
  });
});
