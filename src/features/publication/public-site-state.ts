/**
 * A counter of publications made by this process. The public site's memory cache compares it to
 * the value when a page was rendered, so a page listing editions is rendered again at once after
 * a publication here; publications by other processes (and lifecycle changes such as an edition
 * expiring) are picked up when the cache next checks the database (PublicSite's CHECK_AFTER_MS).
 */
let publications = 0;

export const noteNewPublication = (): void => {
  publications += 1;
};

export const publicationCount = (): number => publications;
