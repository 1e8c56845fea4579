import { bodyFields } from '../../../test/support/organisations-helpers.ts';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../platform/http/forms.ts';
import { slugify } from './domain/labels.ts';
import { bodyFormSchema, partnerFormSchema, scrutinyBodyFormSchema, versionOf } from './organisations.schemas.ts';

const body = bodyFields;

const dates = (field: 'termStartsOn' | 'termEndsOn', day: string, month: string, year: string) => ({
  [`${field}-day`]: day,
  [`${field}-month`]: month,
  [`${field}-year`]: year,
});

describe('bodyFormSchema', () => {
  it('turns a valid form into a body, deriving the slug from the name and dates into ISO form', () => {
    expect(parseForm(bodyFormSchema, body())).toEqual({
      ok: true,
      value: {
        kind: 'pcc',
        name: 'Police and Crime Commissioner for Northmoor',
        slug: 'police-and-crime-commissioner-for-northmoor',
        forceAreaId: 'avon-and-somerset',
        holderName: 'Jane Smith',
        holderTitle: 'Police and Crime Commissioner',
        termStartsOn: '2024-05-09',
        termEndsOn: '2028-05-11',
        publishesInWelsh: false,
      },
    });
  });

  it('reads yes as publishing in Welsh and trims text', () => {
    const result = parseForm(bodyFormSchema, body({ publishesInWelsh: 'yes', name: '  Gwent PCC  ', holderName: ' Jane ' }));
    expect(result.ok && result.value).toMatchObject({ publishesInWelsh: true, name: 'Gwent PCC', holderName: 'Jane', slug: 'gwent-pcc' });
  });

  it.each([
    ['31', '2', '2024', 'a 31st of February'],
    ['29', '2', '2023', '29 February in a non-leap year'],
    ['0', '5', '2024', 'day zero'],
    ['9', '13', '2024', 'month 13'],
    ['9', '5', '24', 'a two-digit year'],
    ['nine', '5', '2024', 'words'],
    ['9', '', '2024', 'a missing month'],
  ])('rejects %s/%s/%s (%s) as not a real date', (day, month, year) => {
    expect(parseForm(bodyFormSchema, body(dates('termStartsOn', day, month, year)))).toEqual({
      ok: false,
      errors: { termStartsOn: 'The start of the term of office must be a real date, like 9 5 2024' },
    });
  });

  it('accepts 29 February in a leap year', () => {
    const result = parseForm(bodyFormSchema, body(dates('termStartsOn', '29', '2', '2024')));
    expect(result.ok && result.value.termStartsOn).toBe('2024-02-29');
  });

  it('asks for a date left wholly blank', () => {
    const result = parseForm(bodyFormSchema, body(dates('termEndsOn', ' ', '', '')));
    expect(result).toEqual({ ok: false, errors: { termEndsOn: 'Enter the end of the term of office' } });
  });

  it.each([
    ['on the same day as it starts', '9', '5', '2024'],
    ['before it starts', '8', '5', '2024'],
    ['years before it starts', '1', '1', '2020'],
  ])('refuses a term that ends %s', (_case, day, month, year) => {
    expect(parseForm(bodyFormSchema, body(dates('termEndsOn', day, month, year)))).toEqual({
      ok: false,
      errors: { termEndsOn: 'The end of the term must be after its start' },
    });
  });

  it('reports every missing field at once, each against its own field', () => {
    const result = parseForm(bodyFormSchema, {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual({
      kind: 'Select the kind of policing body',
      name: 'Enter the name of the body',
      forceAreaId: 'Select the force area',
      holderName: 'Enter the name of the holder',
      holderTitle: 'Enter the holder’s title',
      publishesInWelsh: 'Select whether the plan is published in Welsh',
      termStartsOn: 'Enter the start of the term of office',
      termEndsOn: 'Enter the end of the term of office',
    });
  });

  it('refuses an unknown kind and a name over 200 characters', () => {
    const result = parseForm(bodyFormSchema, body({ kind: 'sheriff', name: 'x'.repeat(201) }));
    expect(result).toEqual({
      ok: false,
      errors: { kind: 'Select the kind of policing body', name: 'Name of the body must be 200 characters or fewer' },
    });
  });

  it('lower-cases a given slug and keeps it', () => {
    const result = parseForm(bodyFormSchema, body({ slug: '  Northmoor-PCC ' }));
    expect(result.ok && result.value.slug).toBe('northmoor-pcc');
  });

  it.each(['has spaces', 'under_score', '-leading', 'trailing-', 'double--hyphen', 'ünïcode', 'dot.ted'])('refuses the slug %j', (slug) => {
    expect(parseForm(bodyFormSchema, body({ slug }))).toEqual({
      ok: false,
      errors: { slug: 'Web address name must only include lower-case letters, numbers and hyphens' },
    });
  });

  it('refuses a slug over 60 characters', () => {
    expect(parseForm(bodyFormSchema, body({ slug: 'a'.repeat(61) }))).toEqual({
      ok: false,
      errors: { slug: 'Web address name must be 60 characters or fewer' },
    });
  });

  it('refuses a name that makes no slug (only punctuation) when no slug is given', () => {
    expect(parseForm(bodyFormSchema, body({ name: '!!!' }))).toEqual({
      ok: false,
      errors: { slug: 'Web address name must only include lower-case letters, numbers and hyphens' },
    });
  });
});

describe('slugify', () => {
  it.each([
    ['Police and Crime Commissioner for Avon & Somerset', 'police-and-crime-commissioner-for-avon-and-somerset'],
    ['Comisiynydd Heddlu a Throseddu Gogledd Cymru', 'comisiynydd-heddlu-a-throseddu-gogledd-cymru'],
    ['Île-de-Ffrainc’s   Office!!', 'ile-de-ffrainc-s-office'],
    ['  --Mayor’s Office for Policing and Crime--  ', 'mayor-s-office-for-policing-and-crime'],
  ])('%j → %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('keeps slugs to 60 characters without a trailing hyphen', () => {
    const slug = slugify(`${'a'.repeat(59)} b`);
    expect(slug).toBe('a'.repeat(59));
    expect(slugify('word '.repeat(30)).length).toBeLessThanOrEqual(60);
    expect(slugify('word '.repeat(30))).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});

describe('partnerFormSchema', () => {
  const partner = (website: string) => ({ kind: 'health', name: 'Northmoor Integrated Care Board', website });

  it.each(['https://www.example.org', 'http://example.org/path?q=1', '  https://nhs.uk  '])('accepts the website %j', (website) => {
    const result = parseForm(partnerFormSchema, partner(website));
    expect(result.ok && result.value.website).toBe(website.trim());
  });

  it('stores a blank website as null', () => {
    expect(parseForm(partnerFormSchema, partner(''))).toEqual({
      ok: true,
      value: { kind: 'health', name: 'Northmoor Integrated Care Board', website: null },
    });
    expect(parseForm(partnerFormSchema, { kind: 'health', name: 'No website' })).toEqual({
      ok: true,
      value: { kind: 'health', name: 'No website', website: null },
    });
  });

  it.each(['www.example.org', 'javascript:alert(1)', 'ftp://example.org', 'https://localhost', 'https://exa mple.org'])(
    'refuses the website %j',
    (website) => {
      expect(parseForm(partnerFormSchema, partner(website))).toEqual({
        ok: false,
        errors: { website: 'Enter a website address starting with https://, like https://www.example.org' },
      });
    },
  );

  it('refuses a website over 500 characters and a missing kind and name', () => {
    expect(parseForm(partnerFormSchema, { website: `https://example.org/${'a'.repeat(490)}` })).toEqual({
      ok: false,
      errors: {
        kind: 'Select the kind of partner',
        name: 'Enter the name of the partner',
        website: 'Website must be 500 characters or fewer',
      },
    });
  });
});

describe('scrutinyBodyFormSchema', () => {
  it('needs a kind, a name and a host authority', () => {
    expect(parseForm(scrutinyBodyFormSchema, { kind: 'committee', name: ' ', hostAuthority: '' })).toEqual({
      ok: false,
      errors: { name: 'Enter the name of the panel or committee', hostAuthority: 'Enter the host authority' },
    });
  });
});

describe('versionOf', () => {
  it.each([
    [{ version: '3' }, 3],
    [{ version: '0' }, null],
    [{ version: '-1' }, null],
    [{ version: '1.5' }, null],
    [{ version: 'abc' }, null],
    [{}, null],
  ])('%j → %j', (values, expected) => {
    expect(versionOf(values as Record<string, string>)).toBe(expected);
  });
});
