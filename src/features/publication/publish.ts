import { createHash } from 'node:crypto';
import type { Executor } from '../../platform/db/database.ts';
import { formatDate } from '../../shared/dates.ts';
import { findBodyById, listPartners } from '../organisations/index.ts';
import { buildPlanDocument, listPlanFrameworks, loadPlanEditionTree, loadPlanJson, SPR_FRAMEWORK_SLUG } from '../plans/index.ts';
import { noteNewPublication } from './public-site-state.ts';
import { findEditionToPublish, insertPublishedEdition } from './publication.repository.ts';
import { renderTemplate } from './render.ts';

/**
 * Publishes an issued edition on the body's public site: renders its pages and plan JSON once
 * and stores them as an immutable snapshot (published_editions). Called by the lifecycle in the
 * same transaction that issues the edition. Later changes to the edition, its plan or the body
 * cannot alter what was published: the public site serves the snapshot, and a trigger refuses
 * UPDATE and DELETE of it.
 */
export async function publishEdition(tx: Executor, input: { policingBodyId: string; editionId: string; publishedAt: Date }): Promise<void> {
  const found = await findEditionToPublish(tx, input.policingBodyId, input.editionId);
  const body = await findBodyById(tx, input.policingBodyId);
  if (!found || !body) throw new Error(`edition ${input.editionId} is not an edition of body ${input.policingBodyId}`);
  const { plan, edition } = found;
  const [tree, partners, frameworks] = await Promise.all([
    loadPlanEditionTree(tx, edition.id, edition.vision),
    listPartners(tx, body.id),
    listPlanFrameworks(tx, body.id),
  ]);
  const document = buildPlanDocument(tree, {
    partnerNames: new Map(partners.map((p) => [p.id, p.name])),
    sprThreats: frameworks.find((f) => f.slug === SPR_FRAMEWORK_SLUG)?.items ?? [],
  });
  const data = { body, plan, edition, document, documentState: `Issued, published on ${formatDate(input.publishedAt)}` };
  const fullPlanHtml = renderTemplate('plans/views/full-plan-document.njk', data);
  const onAPageHtml = renderTemplate('plans/views/on-a-page-document.njk', data);
  // No origin: the schema address is stored as a path, and the public site adds its own origin when serving.
  const { json } = await loadPlanJson(tx, { body, plan, edition }, '');
  const etag = createHash('sha256')
    .update(fullPlanHtml)
    .update('\u0000')
    .update(onAPageHtml)
    .update('\u0000')
    .update(JSON.stringify(json))
    .digest('base64url');
  await insertPublishedEdition(tx, {
    policingBodyId: body.id,
    editionId: edition.id,
    publishedAt: input.publishedAt,
    fullPlanHtml,
    onAPageHtml,
    planJson: json,
    etag,
  });
  noteNewPublication();
}
