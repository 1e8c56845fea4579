/**
 * A bounded least-recently-used map from page address to rendered bytes. Pure: the caller says
 * what time it is. Bounded by entry count and by total bytes, so a crawler walking every edition
 * of every body cannot grow the process without limit.
 */
export type CachedPage = {
  body: Buffer;
  contentType: string;
  etag: string;
  cacheControl: string;
  /** Every response header, prepared once. */
  headers: Record<string, string>;
  /** What the page was rendered from (body, published editions); a different key means render again. */
  sourceKey: string;
  /** When the source key was last confirmed against the database. */
  checkedAt: number;
};

export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  get(key: string): CachedPage | undefined {
    const page = this.entries.get(key);
    if (page) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, page);
    }
    return page;
  }

  set(key: string, page: CachedPage): void {
    this.delete(key);
    if (page.body.length > this.maxBytes) return;
    this.entries.set(key, page);
    this.bytes += page.body.length;
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.body.length;
    }
  }

  delete(key: string): void {
    const page = this.entries.get(key);
    if (!page) return;
    this.entries.delete(key);
    this.bytes -= page.body.length;
  }
}
