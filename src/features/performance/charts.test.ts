import { describe, expect, it } from 'vitest';
import { measureChartSvg, MOST_SIMILAR_GROUP_NAME, seriesChartSvg, withoutStyleAttributes } from './charts.ts';

const quarters = ['Q1 2023/24', 'Q2 2023/24', 'Q3 2023/24', 'Q4 2023/24', 'Q1 2024/25'];
const points = quarters.map((label, i) => ({ label, value: 70 + i }));
const rootAttribute = (svg: string, name: string) => new RegExp(`^<svg[^>]*\\s${name}="([^"]*)"`).exec(svg)?.[1];
/** The text drawn in the chart, in document order. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
/** The elements vega drew for one kind of data mark ("mark-rule", "mark-rect"…), axes and legends excluded. */
const markElements = (svg: string, markClass: string) =>
  [...svg.matchAll(new RegExp(`<g class="${markClass} role-mark[^"]*">(.*?)</g>`, 'g'))].flatMap(
    (m) => m[1]!.match(/<(line|path)\s/g) ?? [],
  );

describe('measureChartSvg', () => {
  it('is one accessible image: role, a summary as its name, and a title', async () => {
    const svg = await measureChartSvg({ title: 'Victims satisfied', unit: '%', points, target: 75 });
    expect(rootAttribute(svg, 'role')).toBe('img');
    expect(rootAttribute(svg, 'aria-label')).toBe(
      'Victims satisfied was 74% in Q1 2024/25, up from 70% in Q1 2023/24 (lowest 70% in Q1 2023/24, highest 74% in Q1 2024/25); the target is 75%.',
    );
    expect(svg).toMatch(/^<svg[^>]*><title>Victims satisfied<\/title>/);
    // Only the root carries a role: inside an image, mark-level roles are noise.
    expect(svg.match(/\srole="/g)).toHaveLength(1);
  });

  it('labels the x axis with the periods in the order given', async () => {
    const shuffled = [points[3]!, points[0]!, points[4]!];
    const svg = await measureChartSvg({ title: 't', unit: '', points: shuffled });
    const periodLabels = texts(svg).filter((text) => quarters.includes(text!));
    expect(periodLabels).toEqual(['Q4 2023/24', 'Q1 2023/24', 'Q1 2024/25']);
  });

  it('with many periods, drops overlapping labels but keeps the rest in order', async () => {
    const months = Array.from({ length: 72 }, (_, i) => ({ label: `M${String(i).padStart(2, '0')}`, value: i % 7 }));
    const shown = texts(await measureChartSvg({ title: 't', unit: '', points: months })).filter((text) => /^M\d\d$/.test(text!));
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.length).toBeLessThan(months.length);
    expect(shown).toEqual([...shown].sort());
    expect(shown[0]).toBe('M00');
  });

  it('draws labelled target and baseline lines', async () => {
    const svg = await measureChartSvg({ title: 't', unit: '%', points, target: 75, baseline: 68 });
    expect(markElements(svg, 'mark-rule')).toHaveLength(2);
    expect(texts(svg)).toContain('Target 75%');
    expect(texts(svg)).toContain('Baseline 68%');
    const none = await measureChartSvg({ title: 't', unit: '%', points });
    expect(texts(none).some((text) => /Target|Baseline/.test(text!))).toBe(false);
  });

  it('draws confidence intervals when the points have them', async () => {
    const withInterval = points.map((point) => ({ ...point, lower: point.value - 3, upper: point.value + 3 }));
    const plain = await measureChartSvg({ title: 't', unit: '%', points });
    const svg = await measureChartSvg({ title: 't', unit: '%', points: withInterval });
    // One vertical rule per interval, with a tick at each end.
    expect(markElements(svg, 'mark-rule')).toHaveLength(withInterval.length);
    expect(markElements(svg, 'mark-rect')).toHaveLength(2 * withInterval.length);
    expect(markElements(plain, 'mark-rule')).toHaveLength(0);
  });

  it('adds the most similar group as a second, named line', async () => {
    const svg = await measureChartSvg({ title: 't', unit: '%', points, mostSimilarGroup: [71, null, 72, 73, 72] });
    expect(texts(svg)).toContain(MOST_SIMILAR_GROUP_NAME);
    const alone = await measureChartSvg({ title: 't', unit: '%', points });
    expect(texts(alone)).not.toContain(MOST_SIMILAR_GROUP_NAME);
  });

  it('escapes titles and labels', async () => {
    const svg = await measureChartSvg({ title: '<b>"Crime" & ASB</b>', unit: '%', points: [{ label: '<i>Q1</i>', value: 1 }] });
    expect(svg).not.toMatch(/<b>|<i>/);
    expect(svg).toContain('<title>&lt;b&gt;&quot;Crime&quot; &amp; ASB&lt;/b&gt;</title>');
  });

  it('has no style attributes or elements, which our Content Security Policy blocks', async () => {
    const svg = await measureChartSvg({
      title: 't',
      unit: '%',
      points: points.map((point) => ({ ...point, lower: point.value - 1, upper: point.value + 1 })),
      target: 75,
      baseline: 70,
      mostSimilarGroup: [1, 2, 3, 4, 5],
    });
    expect(svg).not.toMatch(/\sstyle="|<style/);
  });

  it('with no values, says so', async () => {
    const svg = await measureChartSvg({ title: 'Victims satisfied', unit: '%', points: [], target: 75 });
    expect(rootAttribute(svg, 'aria-label')).toBe('Victims satisfied: no values have been recorded yet; the target is 75%.');
    expect(texts(svg)).toEqual(['No data yet']);
  });

  it('renders the same chart the same way twice (the shape cache does not leak data between charts)', async () => {
    const a = await measureChartSvg({ title: 'a', unit: '%', points, target: 75 });
    await measureChartSvg({ title: 'a', unit: '%', points: points.map((point) => ({ ...point, value: point.value * 2 })), target: 75 });
    expect(await measureChartSvg({ title: 'a', unit: '%', points, target: 75 })).toBe(a);
  });
});

describe('reused views', () => {
  it('a chart drawn after a longer one of the same shape shows only its own periods', async () => {
    await measureChartSvg({
      title: 'long',
      unit: '%',
      points: quarters.map((label, i) => ({ label: `Long ${label}`, value: i })),
      target: 1,
    });
    const svg = await measureChartSvg({ title: 'short', unit: '%', points: points.slice(0, 2), target: 1 });
    expect(texts(svg).filter((text) => /\d{4}\/\d{2}$/.test(text!))).toEqual(['Q1 2023/24', 'Q2 2023/24']);
  });
  it('charts drawn at the same time each get their own data', async () => {
    const inputs = Array.from({ length: 8 }, (_, n) => ({
      title: `Chart ${n}`,
      unit: '',
      points: [
        { label: `A${n}`, value: n },
        { label: `B${n}`, value: n + 1 },
      ],
    }));
    const svgs = await Promise.all(inputs.map((chart) => measureChartSvg(chart)));
    svgs.forEach((svg, n) => {
      expect(svg).toContain(`<title>Chart ${n}</title>`);
      expect(texts(svg).filter((text) => /^[AB]\d$/.test(text!))).toEqual([`A${n}`, `B${n}`]);
    });
  });
});

describe('seriesChartSvg', () => {
  const series = [
    {
      name: 'Burglary',
      points: [
        { label: 'Jan 2019', value: 10 },
        { label: 'Feb 2019', value: 12 },
      ],
    },
    {
      name: 'Robbery',
      points: [
        { label: 'Dec 2018', value: 4 },
        { label: 'Jan 2019', value: 5 },
        { label: 'Feb 2019', value: 7 },
      ],
    },
  ];
  it.each(['line', 'bar'] as const)('%s: an accessible image with a legend and the periods in first-seen order', async (kind) => {
    const svg = await seriesChartSvg({ title: 'Crimes by type', yTitle: 'Crimes', kind, series });
    expect(rootAttribute(svg, 'role')).toBe('img');
    expect(rootAttribute(svg, 'aria-label')).toBe(
      'Crimes by type. Burglary was 12 in Feb 2019, up from 10 in Jan 2019. Robbery was 7 in Feb 2019, up from 4 in Dec 2018 (lowest 4 in Dec 2018, highest 7 in Feb 2019).',
    );
    expect(texts(svg)).toEqual(expect.arrayContaining(['Burglary', 'Robbery', 'Crimes']));
    expect(texts(svg).filter((text) => /2018|2019/.test(text!))).toEqual(['Jan 2019', 'Feb 2019', 'Dec 2018']);
    expect(svg).not.toMatch(/\sstyle="|<style/);
  });
  it('a bar chart draws one bar per value', async () => {
    const svg = await seriesChartSvg({ title: 't', yTitle: 'Crimes', kind: 'bar', series });
    expect(markElements(svg, 'mark-rect')).toHaveLength(5);
  });
  it('one series needs no legend and is summarised by its own name', async () => {
    const svg = await seriesChartSvg({ title: 'Burglary by month', yTitle: 'Crimes', kind: 'line', series: [series[0]!] });
    expect(rootAttribute(svg, 'aria-label')).toBe('Burglary was 12 in Feb 2019, up from 10 in Jan 2019.');
    expect(texts(svg)).not.toContain('Burglary');
  });
  it('no values at all', async () => {
    const svg = await seriesChartSvg({ title: 'Crimes', yTitle: 'Crimes', kind: 'bar', series: [] });
    expect(texts(svg)).toEqual(['No data yet']);
  });
});

describe('withoutStyleAttributes', () => {
  it('turns presentation properties into attributes and drops the rest', () => {
    expect(withoutStyleAttributes('<text style="font-family: arial; font-size: 11px; white-space: pre; fill:#000">a</text>')).toBe(
      '<text font-family="arial" font-size="11px" fill="#000">a</text>',
    );
    expect(withoutStyleAttributes('<g style="">x</g><rect width="3"/>')).toBe('<g>x</g><rect width="3"/>');
  });
});
