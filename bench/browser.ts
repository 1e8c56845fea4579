/**
 * A minimal browser for setting the service up over HTTP, as a person would: keeps cookies,
 * reads the CSRF token from each form page, posts forms, and does not follow redirects.
 */
export class Browser {
  private readonly cookies = new Map<string, string>();
  private csrfToken = '';

  constructor(readonly baseUrl: string) {
    if (!baseUrl.startsWith('http://127.0.0.1:')) throw new Error(`the bench only talks to 127.0.0.1, not ${baseUrl}`);
  }

  async get(path: string): Promise<Page> {
    const response = await fetch(this.baseUrl + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    return this.remember(response);
  }

  /** Fetches `formPath` for a fresh CSRF token and posts `fields` to `action` (defaults to the same path). */
  async submit(formPath: string, fields: Record<string, string>, action = formPath.split('?')[0]!): Promise<Page> {
    const form = await this.get(formPath);
    if (form.status !== 200) throw new Error(`GET ${formPath} answered ${form.status}`);
    const response = await fetch(this.baseUrl + action, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.csrfToken, ...fields }).toString(),
      redirect: 'manual',
    });
    return this.remember(response);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private async remember(response: Response): Promise<Page> {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const separator = pair!.indexOf('=');
      const name = pair!.slice(0, separator).trim();
      const value = pair!.slice(separator + 1).trim();
      if (value === '' || /max-age=0/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const body = Buffer.from(await response.arrayBuffer());
    const token = /name="_csrf" value="([^"]+)"/.exec(body.toString('utf8'))?.[1];
    if (token) this.csrfToken = token;
    return { status: response.status, location: response.headers.get('location'), body };
  }
}

export type Page = { status: number; location: string | null; body: Buffer };
