import { dirname, join } from 'node:path';
import type { NodeAPI } from 'node-red';
import { discard, headerValue, type Answer } from '../client/answers';
import type { Consumer, SendOptions } from '../client/client';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import type { AnswerHandler, Exchange } from '../node-red/operation-node';
import { extractZip } from './extract';
import { removeQuietly, type FileContext } from './file-errors';
import { serverFilename } from './filename';
import { DownloadProgress } from './progress';
import { screenAnswer } from './screen';
import { readSettings, type DownloadSettings, type OutputMode } from './settings';
import { fileTarget, folderTarget } from './target';
import { readToBuffer } from './to-buffer';
import { moveIntoPlace, prepareFolder, refuseExisting, streamToTempFile } from './to-file';

/** Downloads of any size: the timeout covers each gap between chunks, not the whole body. */
const DOWNLOAD: Omit<SendOptions, 'signal'> = { timeout: 'idle', accept: '*/*' };

/** One msg's download: the exchange, the node's settings, and what reports on it. */
interface Job extends Exchange {
  readonly settings: DownloadSettings;
  readonly progress: DownloadProgress;
  /** Reads the download node's own catalog. */
  readonly own: Translate;
  readonly files: FileContext;
  /** Where relative paths start. */
  readonly base: string;
}

/** Puts msg.payload (and msg.filename) in place and returns the status summary. */
type Output = (job: Job) => Promise<string>;

/**
 * The `download` answer kind of the operation node: the body goes to a
 * Buffer, a file, or a folder (unpacked), as the node's `output` says.
 * `own` reads the download node's catalog.
 */
export function downloadHandler(RED: NodeAPI, own: Translate): AnswerHandler {
  const settings = RED.settings as unknown as { fileWorkingDirectory?: string };
  return (exchange) => {
    const job: Job = {
      ...exchange,
      settings: readSettings(exchange.config, own),
      progress: new DownloadProgress(exchange.status, own),
      own,
      files: { t: own, endpoint: exchange.call.endpoint },
      base: settings.fileWorkingDirectory || process.cwd(),
    };
    // The close aborts a download; holding it makes the redeploy wait until its
    // temporary files are gone, so the next flow never meets a half-written file.
    return exchange.hold(OUTPUTS[job.settings.output](job));
  };
}

const toBuffer: Output = async (job) => {
  const { client, call, msg, settings, progress, own } = job;
  const got = await client.send(
    call,
    consumer(async (answer) => {
      const body = await screenAnswer(answer, client, call, own);
      progress.restart(announcedLength(answer));
      const bytes = await readToBuffer(answer, body, settings.maxBufferBytes, { client, call, t: own, onChunk: progress.add });
      return { bytes, name: serverFilename(answer, client.restRoot) };
    }),
    { ...DOWNLOAD, signal: job.signal },
  );
  msg.payload = got.bytes;
  if (got.name) msg.filename = got.name;
  return progress.summary(got.bytes.length);
};

const toFile: Output = async (job) => {
  const { client, call, msg, settings, progress, own, files } = job;
  const target = await fileTarget(settings.path, msg, job.base, own);
  const saved = await client.send(
    call,
    consumer(async (answer) => {
      const body = await screenAnswer(answer, client, call, own);
      const name = serverFilename(answer, client.restRoot);
      if (target.isFolder && !name) throw CometError.badInput(own('errors.noServerName', { folder: target.path, endpoint: call.endpoint }), { endpoint: call.endpoint });
      const file = target.isFolder ? join(target.path, name as string) : target.path;
      await prepareFolder(files, dirname(file));
      if (!settings.overwrite) await refuseExisting(files, file);
      const announced = announcedLength(answer);
      progress.restart(announced);
      const temp = await streamToTempFile(body, dirname(file), { ...files, announced, onChunk: progress.add });
      await moveIntoPlace(files, temp.path, file, settings.overwrite);
      return { file, name, bytes: temp.bytes };
    }),
    { ...DOWNLOAD, signal: job.signal },
  );
  msg.payload = saved.file;
  if (target.isFolder) msg.filename = saved.name;
  return progress.summary(saved.bytes);
};

const toFolder: Output = async (job) => {
  const { client, call, msg, settings, progress, own, files } = job;
  const folder = folderTarget(settings.path, msg, job.base, own);
  const zip = await client.send(
    call,
    consumer(async (answer) => {
      const body = await screenAnswer(answer, client, call, own);
      await prepareFolder(files, folder);
      const announced = announcedLength(answer);
      progress.restart(announced);
      const temp = await streamToTempFile(body, folder, { ...files, announced, onChunk: progress.add });
      return { ...temp, name: serverFilename(answer, client.restRoot) };
    }),
    { ...DOWNLOAD, signal: job.signal },
  );
  try {
    progress.phase('status.unpacking', { count: 0 });
    const written = await extractZip(zip.path, folder, {
      ...files,
      limits: settings.limits,
      overwrite: settings.overwrite,
      signal: job.signal,
      onFile: (count) => progress.phase('status.unpacking', { count }),
    });
    msg.payload = written;
    if (zip.name) msg.filename = zip.name;
    const size = written.reduce((sum, file) => sum + file.size, 0);
    return progress.summary(size, 'status.unpacked', { count: written.length });
  } finally {
    await removeQuietly(zip.path);
  }
};

const OUTPUTS: Readonly<Record<OutputMode, Output>> = { buffer: toBuffer, file: toFile, extract: toFolder };

/** The size the server announced, when it did. */
function announcedLength(answer: Answer): number | undefined {
  const length = Number(headerValue(answer.headers, 'content-length') ?? Number.NaN);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** A consumer that releases the connection when it fails before reading the whole body. */
function consumer<T>(consume: (answer: Answer) => Promise<T>): Consumer<T> {
  return async (answer) => {
    try {
      return await consume(answer);
    } catch (err) {
      discard(answer);
      throw err;
    }
  };
}
