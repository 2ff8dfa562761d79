import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import type { NodeConfig } from '../node-red/params';
import { numberSetting } from '../text/numbers';

/** Where the bytes go: msg.payload as a Buffer, one file, or a zip unpacked into a folder. */
export type OutputMode = 'buffer' | 'file' | 'extract';

const OUTPUT_MODES: readonly OutputMode[] = ['buffer', 'file', 'extract'];

/** Limits against zip bombs: what is unpacked is counted before a byte is written. */
export interface ExtractLimits {
  readonly maxFiles: number;
  readonly maxUnpackedBytes: number;
}

/** The download node's own properties, checked. */
export interface DownloadSettings {
  readonly output: OutputMode;
  /** The file or folder set in the node; blank: msg.filename (file) or msg.directory (extract). */
  readonly path: string;
  /** Replace an existing file (atomically); off: fail instead. */
  readonly overwrite: boolean;
  readonly maxBufferBytes: number;
  readonly limits: ExtractLimits;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Defaults that fit real models: a Buffer is for small files (a flow copies
 * msgs), a model folder may hold a multi-gigabyte checkpoint in many shards.
 */
const DOWNLOAD_DEFAULTS = {
  maxBufferBytes: 256 * MiB,
  maxFiles: 10_000,
  maxUnpackedBytes: 32 * GiB,
} as const;

/** Units people type in a size field: k, M, G, T are binary (KiB...), kB, MB, GB, TB decimal. */
const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: MiB,
  mib: MiB,
  mb: 1e6,
  g: GiB,
  gib: GiB,
  gb: 1e9,
  t: 1024 * GiB,
  tib: 1024 * GiB,
  tb: 1e12,
};

/** The node's properties as the flow saved them, checked; `t` reads the node's own catalog. */
export function readSettings(config: NodeConfig, t: Translate): DownloadSettings {
  const output = (config.output || 'buffer') as OutputMode;
  if (!OUTPUT_MODES.includes(output)) throw badSetting(t, 'output', config.output);
  const size = (name: 'maxBufferBytes' | 'maxUnpackedBytes' | 'maxFiles'): number => {
    const value = numberSetting(config[name], DOWNLOAD_DEFAULTS[name], { units: SIZE_UNITS, integer: true, above: 0 });
    if (Number.isNaN(value)) throw badSetting(t, name, config[name]);
    return value;
  };
  return {
    output,
    path: typeof config.path === 'string' ? config.path.trim() : '',
    overwrite: config.overwrite !== false && config.overwrite !== 'false',
    maxBufferBytes: size('maxBufferBytes'),
    limits: { maxFiles: size('maxFiles'), maxUnpackedBytes: size('maxUnpackedBytes') },
  };
}

function badSetting(t: Translate, setting: string, value: unknown): CometError {
  return CometError.badInput(t('errors.badSetting', { setting, label: t(`label.${setting}`), value: String(value) }));
}
