import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { NodeAPI } from 'node-red';
import { discard, headerValue, type Answer } from '../client/answers';
import type { Consumer, SendOptions } from '../client/client';
import { CometError } from '../client/errors';
import { ResumePoint } from '../client/resume';
import type { Translate } from '../client/translate';
import type { AnswerHandler, Exchange } from '../node-red/operation-node';
import type { Summary } from '../node-red/status';
import { extractZip } from './extract';
import type { FileContext } from './file-errors';
import { serverFilename } from './filename';
import { DownloadProgress } from './progress';
import { screenAnswer } from './screen';
import { readSettings, type DownloadSettings, type OutputMode } from './settings';
import { fileTarget, folderTarget, type Target } from './target';
import { BufferParts } from './to-buffer';
import { PartFile, moveIntoPlace, prepareFolder, refuseExisting, type TempFile } from './to-file';

/**
 * Downloads of any size: the timeout covers each gap between chunks, not the
 * whole body. Each output resumes a download cut short where the server
 * takes ranges (see ResumePoint).
 */
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
type Output = (job: Job) => Promise<Summary>;

/**
 * The `download` answer kind of the operation node: the body goes to a
 * Buffer, a file, or a folder (unpacked), as the node's `output` says.
 * `own` reads the download node's catalog.
 */
export function downloadHandler(RED: NodeAPI, own: Translate): AnswerHandler {
  const settings = RED.settings as unknown as { fileWorkingDirectory?: string };
  // Each node's settings, read at its first msg: its config does not change until the next deploy.
  const read = new WeakMap<Exchange['config'], DownloadSettings>();
  const settingsOf = (config: Exchange['config']): DownloadSettings => {
    let found = read.get(config);
    if (!found) read.set(config, (found = readSettings(config, own)));
    return found;
  };
  return (exchange) => {
    const job: Job = {
      ...exchange,
      settings: settingsOf(exchange.config),
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
  const resume = new ResumePoint();
  const parts = new BufferParts(resume);
  let name: string | undefined;
  const bytes = await client.send(
    call,
    consumer(async (answer) => {
      const body = await bodyOf(answer, job);
      if (!answer.offset) name = serverFilename(answer, client.restRoot);
      progress.restart(wholeLength(answer), answer.offset);
      return parts.read(answer, body, settings.maxBufferBytes, { client, call, t: own, onChunk: progress.add });
    }),
    { ...DOWNLOAD, ...job.request, resume },
  );
  msg.payload = bytes;
  if (name) msg.filename = name;
  return progress.summary(bytes.length);
};

const toFile: Output = async (job) => {
  const { client, call, msg, settings, own, files } = job;
  const target = await fileTarget(settings.path, msg, job.base, own);
  const resume = new ResumePoint();
  // Where the file goes and its temporary file: settled by the first answer, kept by the resumed ones.
  let place: { file: string; name: string | undefined; part: PartFile } | undefined;
  try {
    const saved = await client.send(
      call,
      consumer(async (answer) => {
        const body = await bodyOf(answer, job);
        place ??= await placeOf(job, target, answer, resume);
        return receive(job, place.part, answer, body);
      }),
      { ...DOWNLOAD, ...job.request, resume },
    );
    const { file, name } = place as NonNullable<typeof place>;
    await moveIntoPlace(files, saved.path, file, settings.overwrite);
    msg.payload = file;
    if (target.isFolder) msg.filename = name;
    return job.progress.summary(saved.bytes);
  } finally {
    await place?.part.remove();
  }
};

const toFolder: Output = async (job) => {
  const { client, call, msg, settings, progress, files } = job;
  const folder = folderTarget(settings.path, msg, job.base, job.own);
  const resume = new ResumePoint();
  const part = new PartFile(folder, resume);
  let prepared: Promise<void> | undefined;
  let name: string | undefined;
  try {
    const zip = await client.send(
      call,
      consumer(async (answer) => {
        const body = await bodyOf(answer, job);
        if (!answer.offset) name = serverFilename(answer, client.restRoot);
        await (prepared ??= prepareFolder(files, folder));
        return receive(job, part, answer, body);
      }),
      { ...DOWNLOAD, ...job.request, resume },
    );
    progress.phase('status.unpacking', { count: 0 });
    const written = await extractZip(zip.path, folder, {
      ...files,
      limits: settings.limits,
      overwrite: settings.overwrite,
      signal: job.signal,
      onFile: (count) => progress.phase('status.unpacking', { count }),
    });
    msg.payload = written;
    if (name) msg.filename = name;
    const size = written.reduce((sum, file) => sum + file.size, 0);
    return progress.summary(size, 'status.unpacked', { count: written.length });
  } finally {
    await part.remove();
  }
};

const OUTPUTS: Readonly<Record<OutputMode, Output>> = { buffer: toBuffer, file: toFile, extract: toFolder };

/**
 * The body to store: checked to be the file (not a web page or Comet's note)
 * when it starts the file; a resumed one continues bytes already checked.
 */
function bodyOf(answer: Answer, job: Job): Promise<Readable> {
  return answer.offset ? Promise.resolve(answer.body) : screenAnswer(answer, job.client, job.call, job.own);
}

/** Where a file output goes, from the first answer (the server may name the file), and its temporary file beside it. */
async function placeOf(job: Job, target: Target, answer: Answer, resume: ResumePoint): Promise<{ file: string; name: string | undefined; part: PartFile }> {
  const { call, own, files, settings } = job;
  const name = serverFilename(answer, job.client.restRoot);
  if (target.isFolder && !name) throw CometError.badInput(own('errors.noServerName', { folder: target.path, endpoint: call.endpoint }), { endpoint: call.endpoint });
  const file = target.isFolder ? join(target.path, name as string) : target.path;
  await prepareFolder(files, dirname(file));
  if (!settings.overwrite) await refuseExisting(files, file);
  return { file, name, part: new PartFile(dirname(file), resume) };
}

/** Streams one answer's body into the temporary file, at its offset, showing progress against the whole file. */
function receive(job: Job, part: PartFile, answer: Answer, body: Readable): Promise<TempFile> {
  const announced = announcedLength(answer);
  job.progress.restart(wholeLength(answer), answer.offset);
  return part.write(body, answer.offset ?? 0, { ...job.files, announced, onChunk: job.progress.add });
}

/** The length this answer's body announced (Content-Length), when it did. */
function announcedLength(answer: Answer): number | undefined {
  const length = Number(headerValue(answer.headers, 'content-length') ?? Number.NaN);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** The whole file's length: a resumed body's offset plus its own length. */
function wholeLength(answer: Answer): number | undefined {
  const length = announcedLength(answer);
  return length === undefined ? undefined : (answer.offset ?? 0) + length;
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
