import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { appendAuditEvent, appendAuditEvents, type AuditEntry } from '../../platform/audit/index.ts';
import type { DatabaseHandle, Executor } from '../../platform/db/database.ts';
import { recomputeDerivedMeasures } from './derived-measures.service.ts';
import {
  AggregateCounter,
  RejectionList,
  isDirectoryEntry,
  kindLabels,
  parsePoliceDataFileName,
  zipEntriesProblem,
} from './domain/police-data-rows.ts';
import { RowCopier, type CopyInput } from './domain/row-copier.ts';
import type { PoliceDataImportStatus, PoliceDataKind, RejectedRow } from './domain/performance-model.ts';
import { MalformedFileError, isZipFile, openFile, openZip, readUtf8, type ZipArchive } from './police-data-files.ts';
import {
  cleanUpUnfinished,
  copyWriter,
  deleteRowsOfFiles,
  type CopyBatch,
  claimImport,
  findImport,
  insertFiles,
  insertImport,
  knownForceAreas,
  listFiles,
  makeFileCurrent,
  recordProgress,
  updateFile,
  updateImport,
  withoutWaitingForDisk,
  type PoliceDataFile,
  type PoliceDataImport,
} from './police-data.repository.ts';

/** The largest upload accepted: data.police.uk's biggest archives of a few forces and years fit. */
export const MAX_POLICE_DATA_BYTES = 1024 * 1024 * 1024;

/**
 * Bytes of a file per COPY batch: each batch is committed on its own and progress is reported
 * after it. Large, because every batch waits for its commit: a month of one force (1 to 30 MB)
 * is one batch or a few.
 */
export const DEFAULT_BATCH_BYTES = 16 * 1024 * 1024;

export type Actor = { userId: string | null; label: string };

export type ImportReport = {
  importId: string;
  status: PoliceDataImportStatus;
  message: string;
  byteSize: number;
  files: {
    id: string;
    entryName: string;
    kind: PoliceDataKind | null;
    forceAreaId: string | null;
    month: string | null;
    status: PoliceDataFile['status'];
    rowsRead: number;
    rowsImported: number;
    rowsRejected: number;
    rejections: RejectedRow[];
    message: string;
  }[];
};

export type RunOptions = {
  onProgress?: (progress: { bytesRead: number; byteSize: number }) => void;
  signal?: AbortSignal;
  /** Bytes per COPY batch (tests use small batches to stop part-way). */
  batchBytes?: number;
  /** Keep the stored file afterwards (a local file imported by the bench or a test). */
  keepFile?: boolean;
  now?: () => Date;
};

/** Where uploads wait for the import job. */
export const uploadDirectory = (dataDir: string): string => path.resolve(dataDir, 'police-data');

/**
 * Stores an upload under DATA_DIR/police-data/<importId> as it streams in (never the whole file in
 * memory), hashing it on the way, and records the import as queued with an audit event.
 * Returns undefined, having stored nothing, when the stream goes over `maxBytes`.
 */
export async function receivePoliceDataUpload(
  database: DatabaseHandle,
  input: {
    dataDir: string;
    fileName: string;
    stream: Readable;
    policingBodyId: string;
    actor: Actor;
    now: Date;
    /** True once the stream was cut off at the size limit (multipart's `truncated`). */
    truncated?: () => boolean;
  },
): Promise<PoliceDataImport | { problem: 'too_large' | 'empty' }> {
  const id = randomUUID();
  const directory = uploadDirectory(input.dataDir);
  await mkdir(directory, { recursive: true });
  const storedPath = path.join(directory, id);
  const hash = createHash('sha256');
  let byteSize = 0;
  const out = createWriteStream(storedPath);
  try {
    for await (const chunk of input.stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      byteSize += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  } catch (error) {
    out.destroy();
    await rm(storedPath, { force: true });
    throw error;
  }
  if (input.truncated?.() || byteSize === 0) {
    await rm(storedPath, { force: true });
    return { problem: byteSize === 0 ? 'empty' : 'too_large' };
  }
  return recordImport(database, { ...input, id, storedPath, byteSize, sha256: hash.digest('hex') });
}

async function recordImport(
  database: DatabaseHandle,
  input: {
    id?: string;
    fileName: string;
    storedPath: string;
    byteSize: number;
    sha256: string;
    policingBodyId: string;
    actor: Actor;
    now: Date;
  },
): Promise<PoliceDataImport> {
  return database.db.transaction(async (tx) => {
    const row = await insertImport(tx, {
      ...(input.id ? { id: input.id } : {}),
      policingBodyId: input.policingBodyId,
      fileName: input.fileName,
      byteSize: input.byteSize,
      sha256: input.sha256,
      storedPath: input.storedPath,
      status: 'queued',
      uploadedBy: input.actor.userId,
      createdAt: input.now,
    });
    await appendAuditEvent(tx, {
      actor: input.actor,
      policingBodyId: input.policingBodyId,
      action: 'police_data_import.uploaded',
      subject: { type: 'police_data_import', id: row.id },
      after: { fileName: row.fileName, byteSize: row.byteSize, sha256: row.sha256 },
      occurredAt: input.now,
    });
    return row;
  });
}

/**
 * Queues one local file (a CSV or a zip) for import without HTTP, as an upload would: hashes it
 * and records the import. The file is left where it is. For the bench and tests.
 */
export async function queuePoliceDataFile(
  database: DatabaseHandle,
  input: { path: string; fileName?: string; policingBodyId: string; userId: string | null },
  now: Date = new Date(),
): Promise<PoliceDataImport> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(input.path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) hash.update(chunk);
  const { size } = await stat(input.path);
  return recordImport(database, {
    fileName: input.fileName ?? path.basename(input.path),
    storedPath: input.path,
    byteSize: size,
    sha256: hash.digest('hex'),
    policingBodyId: input.policingBodyId,
    actor: { userId: input.userId, label: input.userId ? 'user' : 'import' },
    now,
  });
}

/** Queues one local file and imports it at once, returning the report (the file is kept). */
export async function importPoliceDataFile(
  database: DatabaseHandle,
  input: { path: string; fileName?: string; policingBodyId: string; userId: string | null },
  options: RunOptions = {},
): Promise<ImportReport> {
  const row = await queuePoliceDataFile(database, input, (options.now ?? (() => new Date()))());
  return runPoliceDataImport(database, row.id, { ...options, keepFile: options.keepFile ?? true });
}

export class ImportStoppedError extends Error {}

type FileCounts = { rowsRead: number; rowsImported: number; rowsRejected: number };

type PlannedFile = { file: PoliceDataFile; size: number; open: () => Promise<Readable> };

/**
 * Runs one queued import: identifies the file or the zip's files, then imports each file on its
 * own (see importOneFile). A zip with anything but data.police.uk CSVs of known forces is refused
 * whole before any file is read.
 */
export async function runPoliceDataImport(database: DatabaseHandle, importId: string, options: RunOptions = {}): Promise<ImportReport> {
  const now = options.now ?? (() => new Date());
  const db = database.db;
  const started = await withoutWaitingForDisk(db, async (tx) => {
    const claimed = await claimImport(tx, importId, now());
    if (!claimed) return undefined;
    await cleanUpUnfinished(tx, importId, now());
    const forces = await knownForceAreas(tx);
    // A single CSV named as data.police.uk names them has its file recorded at once (one commit
    // fewer); anything else is planned below, where a problem is reported.
    const zipped = zipOrNot(claimed.storedPath);
    const [file] =
      zipped === false && csvNameProblem(claimed.fileName, forces) === undefined
        ? await insertFiles(tx, [{ ...plannedFileValues(importId, claimed.fileName), status: 'running' }])
        : [];
    return { record: claimed, forces, file };
  });
  if (!started) {
    // Not queued: already run, or running elsewhere.
    if (!(await findImport(db, importId))) throw new Error(`No police data import ${importId}`);
    return reportOf(database, importId);
  }
  const { record, forces } = started;
  let zip: ZipArchive | undefined;
  let planned: PlannedFile[] = [];
  /** Records how the import ended, in the given transaction; returns the audit event to append. */
  const recordFinish = async (tx: Executor, status: PoliceDataImportStatus, message: string): Promise<AuditEntry> => {
    await updateImport(tx, importId, { status, message, finishedAt: now(), bytesRead: record.byteSize });
    return {
      actor: { userId: record.uploadedBy, label: 'police data import' },
      policingBodyId: record.policingBodyId,
      action: 'police_data_import.finished',
      subject: { type: 'police_data_import', id: importId },
      after: { status, message },
      occurredAt: now(),
    };
  };
  const finishImport = (status: PoliceDataImportStatus, message: string) =>
    db.transaction(async (tx) => appendAuditEvent(tx, await recordFinish(tx, status, message)));
  const succeeded = (files: number) => `${files} ${files === 1 ? 'file' : 'files'} imported.`;

  try {
    try {
      if (started.file) {
        planned = [{ file: started.file, size: record.byteSize, open: async () => openFile(record.storedPath) }];
      } else if (isZipFile(record.storedPath)) {
        zip = await openZip(record.storedPath);
        const problem = zipEntriesProblem(
          zip.entries.map((e) => e.name),
          forces,
        );
        if (problem) throw new MalformedFileError(problem);
        const entries = zip.entries.filter((e) => !isDirectoryEntry(e.name));
        const files = await withoutWaitingForDisk(db, (tx) =>
          insertFiles(tx, entries.map((e) => plannedFileValues(importId, e.name)).sort(byEntryName)),
        );
        const archive = zip;
        planned = files.map((file) => {
          const entry = entries.find((e) => e.name === file.entryName)!;
          return { file, size: entry.uncompressedSize, open: () => archive.open(entry.name) };
        });
      } else {
        throw new MalformedFileError(csvNameProblem(record.fileName, forces) ?? `"${record.fileName}" could not be read.`);
      }
    } catch (error) {
      if (!(error instanceof MalformedFileError)) throw error;
      await finishImport('failed', error.message);
      return reportOf(database, importId);
    }

    const totalSize = planned.reduce((sum, p) => sum + p.size, 0) || 1;
    let doneBytes = 0;
    let imported = 0;
    let finished = false;
    for (const [index, plan] of planned.entries()) {
      const reportBytes = async (bytes: number, counts: FileCounts, { store = true } = {}) => {
        const bytesRead = Math.min(record.byteSize, Math.round(((doneBytes + bytes) / totalSize) * record.byteSize));
        if (store) await withoutWaitingForDisk(db, (tx) => recordProgress(tx, { id: plan.file.id, ...counts }, importId, bytesRead));
        options.onProgress?.({ bytesRead, byteSize: record.byteSize });
      };
      // When every file before it was imported, the last file's transaction also records that
      // the import succeeded (one commit fewer).
      const finishWith =
        index === planned.length - 1 && imported === index
          ? async (tx: Executor) => {
              finished = true;
              return recordFinish(tx, 'succeeded', succeeded(planned.length));
            }
          : undefined;
      const ok = await importOneFile(database, plan, { ...options, record, reportBytes, now, finishWith });
      if (ok) imported += 1;
      doneBytes += plan.size;
    }
    if (finished) return reportOf(database, importId);
    const rejected = planned.length - imported;
    const status: PoliceDataImportStatus = rejected === 0 ? 'succeeded' : imported === 0 ? 'failed' : 'partly_failed';
    const message =
      status === 'succeeded'
        ? succeeded(imported)
        : status === 'failed'
          ? planned.length === 1
            ? 'The file was not imported.'
            : `None of the ${planned.length} files was imported.`
          : `${imported} of ${planned.length} files imported; ${rejected} not imported.`;
    await finishImport(status, message);
  } catch (error) {
    if (error instanceof ImportStoppedError) {
      await finishImport('failed', 'The import was stopped before it finished. Nothing in the unfinished file was made current.');
    } else {
      await finishImport('failed', 'The import failed because of a problem in the service. Try again later.').catch(() => undefined);
      throw error;
    }
  } finally {
    zip?.close();
    if (!options.keepFile) await rm(record.storedPath, { force: true });
  }
  return reportOf(database, importId);
}

/** Whether the stored upload is a zip; undefined when it cannot be read (reported when it is planned). */
function zipOrNot(storedPath: string): boolean | undefined {
  try {
    return isZipFile(storedPath);
  } catch {
    return undefined;
  }
}

/** Why an uploaded CSV's name is not one this service can import, if it is not. */
function csvNameProblem(fileName: string, forces: ReadonlySet<string>): string | undefined {
  const parsed = parsePoliceDataFileName(fileName);
  if (!parsed) {
    return `"${fileName}" is not named like a data.police.uk file. Upload a CSV named like 2019-01-avon-and-somerset-street.csv, -outcomes.csv or -stop-and-search.csv, or the zip file data.police.uk provides.`;
  }
  if (!forces.has(parsed.forceSlug)) return `"${fileName}" is for a force area this service does not know ("${parsed.forceSlug}").`;
  return undefined;
}

const byEntryName = (a: { entryName: string }, b: { entryName: string }) => a.entryName.localeCompare(b.entryName);

function plannedFileValues(importId: string, entryName: string) {
  const parsed = parsePoliceDataFileName(entryName)!;
  return { importId, entryName, kind: parsed.kind, forceAreaId: parsed.forceSlug, month: `${parsed.month}-01`, status: 'pending' as const };
}

/**
 * One CSV: streams it through the row copier (a bad row is rejected with its line number, the
 * others are kept and counted into the aggregates as they pass), and writes the kept rows by COPY
 * in committed batches under the file's own id. A malformed file (wrong header, not UTF-8, cut
 * short) is rejected whole and its rows deleted. Then one short transaction makes the file
 * current. Returns true when the file was imported.
 */
async function importOneFile(
  database: DatabaseHandle,
  plan: PlannedFile,
  options: RunOptions & {
    record: PoliceDataImport;
    reportBytes: (bytes: number, counts: FileCounts, options?: { store?: boolean }) => Promise<void>;
    now: () => Date;
    /** More to do in the transaction that makes the file current, if it is made current. */
    finishWith?: (tx: Executor) => Promise<AuditEntry>;
  },
): Promise<boolean> {
  const db = database.db;
  const { file } = plan;
  const kind = file.kind!;
  const month = file.month!.slice(0, 7);
  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  if (file.status !== 'running') await withoutWaitingForDisk(db, (tx) => updateFile(tx, file.id, { status: 'running' }));
  const counter = new AggregateCounter(kind);
  const rejections = new RejectionList();
  const copier = new RowCopier(kind, month, counter, rejections);
  const counts = (): FileCounts => ({ rowsRead: copier.rowsRead, rowsImported: copier.rowsImported, rowsRejected: rejections.total });
  const writer = await copyWriter(database, kind, file.rowKey);
  const source = await plan.open();
  const { pieces, reading } = readUtf8(source);

  // Rows go into the batch's COPY stream as they are checked, so the database and this process
  // work at once; the batch is committed, and progress reported, every `batchBytes` bytes.
  let batch: CopyBatch | undefined;
  let batchStartedAt = 0;
  /** The last batch's COPY and commit, once the whole file has been read. */
  let copied: Promise<void> | undefined;
  const send = (input: CopyInput) => {
    for (const part of input) {
      batch ??= writer.begin();
      batch.write(part);
    }
  };
  /** Ends and commits the batch; then, unless it is the last, reports progress. */
  const flush = async (last = false) => {
    const ending = batch;
    batch = undefined;
    batchStartedAt = reading.bytes;
    await ending?.end();
    if (!last) await options.reportBytes(reading.bytes, counts());
    if (options.signal?.aborted) throw new ImportStoppedError('stopped');
  };
  const abandon = async () => {
    await batch?.abort();
    batch = undefined;
    await writer.close();
  };

  const reject = async (message: string) => {
    await abandon();
    source.destroy();
    await deleteRowsOfFiles(db, kind, [file.id]);
    await updateFile(db, file.id, {
      status: 'rejected',
      message,
      rowsRead: copier.rowsRead,
      rowsImported: 0,
      rowsRejected: rejections.total,
      rejections: rejections.kept,
      finishedAt: options.now(),
    });
    return false;
  };

  try {
    try {
      for await (const piece of pieces) {
        send(copier.push(piece));
        if (reading.bytes - batchStartedAt >= batchBytes) await flush();
      }
      send(copier.end());
    } catch (error) {
      if (error instanceof MalformedFileError) return await reject(error.message);
      throw error;
    }
    const { rowsRead, rowsImported } = copier;
    if (rowsImported === 0) {
      return await reject(
        rowsRead === 0 ? 'The file has a header but no rows.' : `None of the ${rowsRead} rows could be imported: see the rejected rows.`,
      );
    }
    // With a connection of its own, the COPY's last rows go in while the transaction below makes
    // the file current, which commits only once they are in; PGlite runs one after the other.
    copied = flush(true).then(() => writer.close());
    copied.catch(() => undefined);
    if (!writer.concurrent) await copied;
    await db.transaction(async (tx) => {
      const replaced = await makeFileCurrent(
        tx,
        { id: file.id, kind, forceAreaId: file.forceAreaId!, month: file.month! },
        {
          message: rejections.total > 0 ? `${rejections.total} ${rejections.total === 1 ? 'row was' : 'rows were'} rejected.` : '',
          rowsRead,
          rowsImported,
          rowsRejected: rejections.total,
          rejections: rejections.kept,
        },
        counter.result(),
        options.now(),
      );
      await recomputeDerivedMeasures(tx, file.forceAreaId!);
      const replacement: AuditEntry = {
        actor: { userId: options.record.uploadedBy, label: 'police data import' },
        policingBodyId: options.record.policingBodyId,
        action: 'police_dataset.replaced',
        subject: { type: 'police_dataset', id: `${kind}/${file.forceAreaId}/${month}` },
        before: replaced ? { fileId: replaced } : null,
        after: { fileId: file.id, rows: rowsImported, rejected: rejections.total, kind: kindLabels[kind] },
        occurredAt: options.now(),
      };
      const finish = await options.finishWith?.(tx);
      await appendAuditEvents(tx, finish ? [replacement, finish] : [replacement]);
      await copied;
    });
    // The transaction recorded the file's counts; when it also finished the import, there is no
    // progress left to store.
    await options.reportBytes(reading.bytes, counts(), { store: !options.finishWith });
    return true;
  } catch (error) {
    source.destroy();
    // The COPY must be over before its connection is given back.
    await copied?.catch(() => undefined);
    await abandon().catch(() => undefined);
    if (error instanceof ImportStoppedError) {
      await deleteRowsOfFiles(db, kind, [file.id]).catch(() => undefined);
      await updateFile(db, file.id, {
        status: 'rejected',
        message: 'The import was stopped before this file was finished.',
        finishedAt: options.now(),
      });
    }
    throw error;
  }
}

/** The import and each file's report, for the page, the JSON endpoint and callers. */
export async function reportOf(database: DatabaseHandle, importId: string): Promise<ImportReport> {
  const [record, files] = await Promise.all([findImport(database.db, importId), listFiles(database.db, importId)]);
  if (!record) throw new Error(`No police data import ${importId}`);
  return {
    importId,
    status: record.status,
    message: record.message,
    byteSize: record.byteSize,
    files: files.map((f) => ({
      id: f.id,
      entryName: f.entryName,
      kind: f.kind,
      forceAreaId: f.forceAreaId,
      month: f.month,
      status: f.status,
      rowsRead: f.rowsRead,
      rowsImported: f.rowsImported,
      rowsRejected: f.rowsRejected,
      rejections: f.rejections,
      message: f.message,
    })),
  };
}
