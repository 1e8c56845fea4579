import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PageCache, type CachedPage } from './page-cache.ts';

const page = (bytes: number, sourceKey = 'k'): CachedPage => ({
  body: Buffer.alloc(bytes),
  contentType: 'text/html',
  etag: '"e"',
  cacheControl: 'public',
  headers: {},
  sourceKey,
  checkedAt: 0,
});

describe('PageCache', () => {
  it('returns what was stored, and replaces a page stored again under the same address', () => {
    const cache = new PageCache(10, 1_000);
    cache.set('/a', page(10, 'one'));
    cache.set('/a', page(20, 'two'));
    expect(cache.get('/a')?.sourceKey).toBe('two');
    expect(cache.size).toBe(1);
    expect(cache.totalBytes).toBe(20);
    expect(cache.get('/b')).toBeUndefined();
  });

  it('evicts the least recently used page when full', () => {
    const cache = new PageCache(2, 1_000);
    cache.set('/a', page(1));
    cache.set('/b', page(1));
    cache.get('/a');
    cache.set('/c', page(1));
    expect(cache.get('/a')).toBeDefined();
    expect(cache.get('/b')).toBeUndefined();
    expect(cache.get('/c')).toBeDefined();
  });

  it('evicts by bytes, and never keeps a page larger than the whole budget', () => {
    const cache = new PageCache(100, 100);
    cache.set('/a', page(60));
    cache.set('/b', page(60));
    expect(cache.get('/a')).toBeUndefined();
    expect(cache.totalBytes).toBe(60);
    cache.set('/huge', page(101));
    expect(cache.get('/huge')).toBeUndefined();
    expect(cache.get('/b')).toBeDefined();
  });

  it('stays within both bounds whatever is stored', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('/a', '/b', '/c', '/d', '/e'), fc.integer({ min: 0, max: 50 }))), (writes) => {
        const cache = new PageCache(3, 100);
        for (const [key, bytes] of writes) cache.set(key, page(bytes));
        expect(cache.size).toBeLessThanOrEqual(3);
        expect(cache.totalBytes).toBeLessThanOrEqual(100);
        const last = writes.at(-1);
        if (last) expect(cache.get(last[0])?.body.length).toBe(last[1]);
      }),
    );
  });
});
