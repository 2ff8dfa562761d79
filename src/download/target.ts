import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';

/** Where a msg's download goes. */
export interface Target {
  /** Absolute. */
  readonly path: string;
  /** The path names a folder: the file goes in it, under the server's name. */
  readonly isFolder: boolean;
}

/**
 * The file a msg asks for: the node's path, else msg.filename; relative paths
 * start at `base` (Node-RED's fileWorkingDirectory, as for the core file
 * nodes). A path ending in a separator, or an existing folder, names a folder.
 */
export async function fileTarget(given: string, msg: Record<string, unknown>, base: string, t: Translate): Promise<Target> {
  const raw = pathOf(given, msg, 'filename', t);
  const path = resolve(base, raw);
  const isFolder = /[/\\]$/.test(raw) || (await stat(path).then((s) => s.isDirectory(), () => false));
  return { path, isFolder };
}

/** The folder a msg asks to unpack into: the node's path, else msg.directory. */
export function folderTarget(given: string, msg: Record<string, unknown>, base: string, t: Translate): string {
  return resolve(base, pathOf(given, msg, 'directory', t));
}

function pathOf(given: string, msg: Record<string, unknown>, property: 'filename' | 'directory', t: Translate): string {
  if (given) return given;
  const value = msg[property];
  if (value === undefined || value === null || value === '') throw CometError.badInput(t('errors.noTarget', { property }));
  if (typeof value !== 'string' || value.includes('\u0000')) throw CometError.badInput(t('errors.badTarget', { property }));
  return value;
}
