import { Browser } from './browser.ts';

export const ADMIN = { displayName: 'Bench Administrator', email: 'bench-admin@example.org', password: 'three random bench words' };

/**
 * Creates the first administrator through the first-run link, adds a few policing bodies through
 * the real form (so /bodies lists something), then signs in afresh with a real POST /sign-in and
 * returns that browser: its `pcp_session` cookie is what wrk sends.
 */
export async function setUpService(baseUrl: string, setupUrl: string, bodies = 5): Promise<Browser> {
  const link = new URL(setupUrl);
  const admin = new Browser(baseUrl);
  const token = link.searchParams.get('token') ?? '';
  const created = await admin.submit(link.pathname + link.search, { token, ...ADMIN, confirmPassword: ADMIN.password });
  if (created.status !== 302)
    throw new Error(`first-run set-up answered ${created.status}: ${created.body.toString('utf8').slice(0, 500)}`);

  const form = await admin.get('/bodies/new');
  const areas = [...form.body.toString('utf8').matchAll(/<option value="([^"]+)"/g)].map((match) => match[1]!);
  if (areas.length === 0) throw new Error('no force areas on the new-body form');
  for (let i = 0; i < Math.min(bodies, areas.length); i++) {
    const added = await admin.submit('/bodies/new', {
      kind: 'pcc',
      name: `Police and Crime Commissioner for Bench Area ${i + 1}`,
      slug: '',
      forceAreaId: areas[i]!,
      holderName: `Holder ${i + 1}`,
      holderTitle: 'Police and Crime Commissioner',
      'termStartsOn-day': '9',
      'termStartsOn-month': '5',
      'termStartsOn-year': '2024',
      'termEndsOn-day': '11',
      'termEndsOn-month': '5',
      'termEndsOn-year': '2028',
      publishesInWelsh: 'no',
    });
    if (added.status !== 302) throw new Error(`adding a policing body answered ${added.status}`);
  }

  const reader = new Browser(baseUrl);
  const signedIn = await reader.submit('/sign-in', { email: ADMIN.email, password: ADMIN.password, returnTo: '' });
  if (signedIn.status !== 302 || !reader.cookie('pcp_session')) throw new Error(`sign-in answered ${signedIn.status}`);
  return reader;
}
