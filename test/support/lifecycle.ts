import type { LightMyRequestResponse } from 'fastify';
import type { Agent } from './app.ts';
import { dateFields } from './scrutiny.ts';

/** The date boxes of a process step (its "happened on" date unless another field is named). */
export const stepDate = (iso: string, name = 'happenedOn') => dateFields(name, iso);

/** Opens a step's form (for the state it shows and a CSRF token) and submits it. */
export async function takeStep(
  agent: Agent,
  editionUrl: string,
  step: string,
  fields: Record<string, string>,
): Promise<LightMyRequestResponse> {
  const form = await agent.get(`${editionUrl}/process/${step}`);
  const seenState = /name="seenState" value="([^"]*)"/.exec(form.body)?.[1] ?? '';
  const seenCount = /name="seenCount" value="([^"]*)"/.exec(form.body)?.[1] ?? '';
  return agent.post(`${editionUrl}/process/${step}`, { seenState, seenCount, ...fields });
}

/** A page's text without tags, with curly apostrophes and collapsed spaces, for reading sentences. */
export const pageText = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|&#8217;/g, '’')
    .replace(/\s+/g, ' ');
