import { hasControlCharacters } from '../text/format';
import { headerValue, type Answer } from '../client/answers';

/**
 * The server's name for a download, made safe to use as one file name in a
 * folder the user chose: whatever the server says, the result has no path
 * separators, is not `.` or `..`, and has no characters a file system refuses.
 */

/** Longest name most file systems take (bytes of UTF-8). */
const MAX_NAME_BYTES = 255;
/** Names Windows keeps for devices, with any extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * The file name of a `Content-Disposition` header (RFC 6266): `filename*`
 * (RFC 8187, percent-encoded UTF-8) wins over `filename`. Undefined when the
 * header names none, or nothing safe is left of it.
 */
export function filenameFromDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const params = dispositionParams(header);
  const extended = params.get('filename*');
  const decoded = extended === undefined ? undefined : decodeExtended(extended);
  return sanitiseFilename(decoded ?? params.get('filename'));
}

/** The last segment of a URL's path (a storage URL usually ends in the file name). */
function filenameFromUrl(url: URL): string | undefined {
  const last = url.pathname.split('/').pop();
  if (!last) return undefined;
  try {
    return sanitiseFilename(decodeURIComponent(last));
  } catch {
    return undefined;
  }
}

/** One safe file name made of `name`, or undefined when nothing safe is left. */
export function sanitiseFilename(name: string | undefined): string | undefined {
  if (!name) return undefined;
  // The last segment only: a server naming "../../etc/passwd" gets "passwd".
  let safe = name.split(/[/\\]/).pop() ?? '';
  safe = [...safe].map((char) => (hasControlCharacters(char) || '<>:"|?*'.includes(char) ? '_' : char)).join('');
  // Windows drops trailing dots and spaces, so "a.zip." and "a.zip" are one file.
  safe = safe.trim().replace(/[. ]+$/, '');
  if (!safe || safe === '.' || safe === '..') return undefined;
  if (WINDOWS_DEVICE.test(safe)) safe = `_${safe}`;
  return truncateKeepingExtension(safe);
}

function truncateKeepingExtension(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = name.slice(0, name.length - extension.length);
  while (Buffer.byteLength(stem + extension) > MAX_NAME_BYTES) stem = [...stem].slice(0, -1).join('');
  return stem + extension;
}

/** `attachment; filename="a b.zip"; filename*=UTF-8''a%20b.zip` → its parameters, lower-case names. */
function dispositionParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (let match = pattern.exec(header); match; match = pattern.exec(header)) {
    const name = match[1].toLowerCase();
    const raw = match[2].trim();
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (!params.has(name)) params.set(name, value);
  }
  return params;
}

/** RFC 8187's `charset'language'percent-encoded`; UTF-8 and ISO-8859-1 are the charsets in use. */
function decodeExtended(value: string): string | undefined {
  const match = /^([\w!#$%&+^`{}~-]*)'[^']*'(.*)$/.exec(value);
  if (!match) return undefined;
  const charset = match[1].toLowerCase();
  try {
    if (charset === 'utf-8') return decodeURIComponent(match[2]);
    if (charset === 'iso-8859-1') return match[2].replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  } catch {
    // Bad percent-encoding: fall back to the plain filename parameter.
  }
  return undefined;
}

/**
 * The server's name for a download: its Content-Disposition, else, when a
 * redirect led to a storage host, the last segment of that URL.
 */
export function serverFilename(answer: Answer, restRoot: URL): string | undefined {
  const named = filenameFromDisposition(headerValue(answer.headers, 'content-disposition'));
  if (named) return named;
  return answer.origin === restRoot.origin ? undefined : filenameFromUrl(answer.url);
}
