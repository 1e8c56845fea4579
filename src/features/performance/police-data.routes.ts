import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, listForceAreas, type PolicingBody } from '../organisations/index.ts';
import { kindLabels, monthLabel } from './domain/police-data-rows.ts';
import type { PoliceDataImportStatus } from './domain/performance-model.ts';
import { can, type PerformanceAction } from './performance.permissions.ts';
import { POLICE_DATA_IMPORT_JOB } from './police-data.jobs.ts';
import { currentDatasetsOf, findImport, listImports } from './police-data.repository.ts';
import { MAX_POLICE_DATA_BYTES, receivePoliceDataUpload, reportOf, runPoliceDataImport } from './police-data.service.ts';

export const importStatusLabels: Record<PoliceDataImportStatus, { text: string; classes: string }> = {
  queued: { text: 'Waiting to start', classes: 'govuk-tag--grey' },
  running: { text: 'Importing', classes: 'govuk-tag--blue' },
  succeeded: { text: 'Imported', classes: 'govuk-tag--green' },
  partly_failed: { text: 'Partly imported', classes: 'govuk-tag--yellow' },
  failed: { text: 'Not imported', classes: 'govuk-tag--red' },
};

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** What the preValidation hook leaves for the handler: the file part, not yet read. */
type PendingUpload = { file?: MultipartFile; problem?: 'unreadable' };
const pendingUploads = new WeakMap<FastifyRequest, PendingUpload>();

/**
 * Uploads of data.police.uk files and zip archives, imported by a background job. The upload is
 * streamed to disk (never held in memory), so files up to MAX_POLICE_DATA_BYTES are accepted;
 * the page then shows the job's progress and each file's report.
 */
export async function policeDataRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const { services } = options;
  const { database } = services;
  const db = database.db;

  const bodyFor = async (request: FastifyRequest, action: PerformanceAction): Promise<PolicingBody> => {
    const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
    if (!body) throw notFound();
    const user = signedInUser(request);
    authorise(can(user, 'police_data.view', { policingBodyId: body.id }));
    authorise(can(user, action, { policingBodyId: body.id }));
    return body;
  };

  const importFor = async (request: FastifyRequest, body: PolicingBody) => {
    const { importId } = request.params as { importId: string };
    const record = isUuid(importId) ? await findImport(db, importId) : undefined;
    if (!record || record.policingBodyId !== body.id) throw notFound();
    return record;
  };

  const forceNames = async () => new Map((await listForceAreas(db)).map((f) => [f.id, f.name]));

  const listPage = async (request: FastifyRequest, reply: FastifyReply, body: PolicingBody, error?: string) => {
    const names = await forceNames();
    const imports = await listImports(db, body.id);
    const datasets = await currentDatasetsOf(db, body.forceAreaId);
    return reply.page('performance/views/police-data-imports.njk', {
      body,
      forceAreaName: names.get(body.forceAreaId) ?? body.forceAreaId,
      mayImport: can(request.user, 'police_data.import', { policingBodyId: body.id }),
      maxMegabytes: MAX_POLICE_DATA_BYTES / 1024 / 1024,
      error,
      errorList: error ? [{ text: error, href: '#file' }] : [],
      imports: imports.map((i) => ({ ...i, statusTag: importStatusLabels[i.status], url: paths.policeDataImport(body.slug, i.id) })),
      datasets: datasets.map((d) => ({ ...d, kindLabel: kindLabels[d.kind], monthLabel: monthLabel(d.month.slice(0, 7)) })),
    });
  };

  app.get('/bodies/:slug/police-data', async (request, reply) => listPage(request, reply, await bodyFor(request, 'police_data.view')));

  // Its own scope, so multipart bodies are accepted here and nowhere else.
  await app.register(async (scope) => {
    // Refuse anonymous uploads before reading them; requireSignedIn still runs as a preHandler.
    scope.addHook('onRequest', async (request, reply) => {
      if (request.method === 'POST' && !request.session?.userId) await reply.redirect(paths.signIn());
    });
    await scope.register(multipart, { limits: { files: 1, fileSize: MAX_POLICE_DATA_BYTES, fields: 5, fieldSize: 1024, parts: 6 } });
    // Read the fields before the file (the form puts its CSRF token first) so the global CSRF
    // check sees the token; the file itself waits, unread, for the handler to stream it to disk
    // once the user is known to be allowed.
    scope.addHook('preValidation', async (request) => {
      if (!request.isMultipart()) return;
      const pending: PendingUpload = {};
      const fields: Record<string, string> = {};
      try {
        const file = await request.file();
        if (file) {
          pending.file = file;
          for (const [name, field] of Object.entries(file.fields)) {
            const value = Array.isArray(field) ? field[0] : field;
            if (value && value.type === 'field' && typeof value.value === 'string') fields[name] = value.value;
          }
        }
      } catch {
        pending.problem = 'unreadable';
      }
      pendingUploads.set(request, pending);
      request.body = fields;
    });

    scope.post('/bodies/:slug/police-data', async (request, reply) => {
      const body = await bodyFor(request, 'police_data.import');
      const user = signedInUser(request);
      const pending = pendingUploads.get(request);
      const refuse = (status: number, message: string) => listPage(request, reply.code(status), body, message);
      if (pending?.problem) return refuse(400, 'The file could not be uploaded. Try again');
      const file = pending?.file;
      if (!file || !file.filename) {
        file?.file.resume();
        return refuse(400, 'Select a data.police.uk CSV file or zip file');
      }
      let stored;
      try {
        stored = await receivePoliceDataUpload(database, {
          dataDir: services.config.dataDir,
          fileName: file.filename,
          stream: file.file,
          policingBodyId: body.id,
          actor: { userId: user.id, label: user.displayName },
          now: services.now(),
          truncated: () => file.file.truncated,
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') stored = { problem: 'too_large' as const };
        else throw error;
      }
      if ('problem' in stored) {
        return stored.problem === 'too_large'
          ? refuse(413, `The selected file must be smaller than ${MAX_POLICE_DATA_BYTES / 1024 / 1024 / 1024} GB`)
          : refuse(400, 'The selected file is empty');
      }
      if (services.jobs) {
        await services.jobs.send(POLICE_DATA_IMPORT_JOB, { importId: stored.id });
      } else {
        // No job queue in this process (route tests, or jobs turned off): import now, so the
        // page shows the finished report.
        await runPoliceDataImport(database, stored.id);
      }
      return reply.redirect(paths.policeDataImport(body.slug, stored.id), 303);
    });
  });

  app.get('/bodies/:slug/police-data/imports/:importId', async (request, reply) => {
    const body = await bodyFor(request, 'police_data.view');
    const record = await importFor(request, body);
    const report = await reportOf(database, record.id);
    const names = await forceNames();
    const finished = record.status !== 'queued' && record.status !== 'running';
    return reply.page('performance/views/police-data-import.njk', {
      body,
      record,
      finished,
      statusTag: importStatusLabels[record.status],
      progress: progressOf(record),
      sizeText: record.byteSize < 1024 * 1024 ? `${Math.ceil(record.byteSize / 1024)} KB` : `${megabytes(record.byteSize)} MB`,
      progressUrl: `${paths.policeDataImport(body.slug, record.id)}/progress`,
      files: report.files.map((f) => ({
        ...f,
        kindLabel: f.kind ? kindLabels[f.kind] : '',
        forceName: f.forceAreaId ? (names.get(f.forceAreaId) ?? f.forceAreaId) : '',
        monthLabel: f.month ? monthLabel(f.month.slice(0, 7)) : '',
        hiddenRejections: Math.max(0, f.rowsRejected - f.rejections.length),
      })),
    });
  });

  app.get('/bodies/:slug/police-data/imports/:importId/progress', async (request, reply) => {
    const body = await bodyFor(request, 'police_data.view');
    const record = await importFor(request, body);
    reply.header('cache-control', 'no-store');
    return { status: record.status, statusText: importStatusLabels[record.status].text, ...progressOf(record) };
  });
}

function progressOf(record: { bytesRead: number; byteSize: number; status: PoliceDataImportStatus }) {
  const bytesRead = record.status === 'queued' ? 0 : Math.min(record.bytesRead, record.byteSize);
  return {
    bytesRead,
    byteSize: record.byteSize,
    percent: record.byteSize > 0 ? Math.floor((bytesRead / record.byteSize) * 100) : 100,
    text: `${megabytes(bytesRead)} MB of ${megabytes(record.byteSize)} MB`,
    finished: record.status !== 'queued' && record.status !== 'running',
  };
}
