/** Errors a handler throws to show one of the GOV.UK error pages. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what = 'Page not found') => new HttpError(404, what);
export const forbidden = (why = 'You do not have permission to view this page') => new HttpError(403, why);
