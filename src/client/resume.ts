import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from './answers';

/** Resumes of one download that do not count against the retry budget, as long as each brings more bytes. */
export const MAX_RESUMES = 20;

/**
 * Where a download stands across the attempts of one send, so that an
 * attempt cut after some bytes can be followed by one that asks for the rest
 * (`Range: bytes=N-`) instead of starting again from zero.
 *
 * The consumer that stores the body keeps `kept` up to date (the bytes it
 * holds, 0 when it starts over); the client reads each answer's headers:
 * whether the server takes ranges (`Accept-Ranges: bytes`), the validator it
 * gave (a strong ETag, else Last-Modified), sent back as `If-Range` so that a
 * file that changed comes back whole (200) instead of spliced, and where the
 * bytes came from (after a redirect to storage, the storage URL).
 */
export class ResumePoint {
  /** Bytes of the body the consumer holds, from the start of the file. */
  kept = 0;
  /** Resumes so far (each one an attempt the retry budget did not pay for). */
  resumes = 0;
  private url: URL | undefined;
  private validator: string | undefined;
  private total: number | undefined;
  private ranges = false;

  /** The URL and headers of the next attempt: the rest, from where the bytes came from, or the whole from `first`. */
  next(first: URL): { url: URL; range?: Record<string, string> } {
    if (!this.resumable()) return { url: first };
    return { url: this.url as URL, range: { range: `bytes=${this.kept}-`, 'if-range': this.validator as string } };
  }

  /**
   * Reads a 2xx answer of an attempt (`asked`: it carried a Range header)
   * and returns the byte of the file its body starts at: 0 for a whole body
   * (200), `kept` for the rest (206). Undefined for a 206 that is not the
   * rest asked for: the caller starts over.
   */
  offsetOf(statusCode: number, headers: IncomingHttpHeaders, url: URL, asked: boolean): number | undefined {
    if (statusCode === 206) {
      const range = contentRange(headerValue(headers, 'content-range'));
      const fits = asked && range && range.start === this.kept && (this.total === undefined || range.total === this.total);
      if (!fits) {
        this.forget();
        return undefined;
      }
      this.url = url;
      return range.start;
    }
    this.kept = 0;
    this.url = url;
    this.validator = validatorOf(headers);
    this.ranges = /\bbytes\b/i.test(headerValue(headers, 'accept-ranges') ?? '');
    const length = Number(headerValue(headers, 'content-length') ?? Number.NaN);
    this.total = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
    return 0;
  }

  /**
   * After an attempt failed in a way worth retrying: true when it brought
   * bytes beyond `before` (what was kept when it started) and the next one
   * can ask for the rest; such a resume is counted here, not as a retry.
   */
  progressed(before: number): boolean {
    const more = this.kept > before && (this.total === undefined || this.kept < this.total);
    if (!more || !this.resumable() || this.resumes >= MAX_RESUMES) return false;
    this.resumes++;
    return true;
  }

  /**
   * A resumed attempt was refused (4xx): a storage link that expired is asked
   * for again through `first` (which redirects to a fresh one), still for the
   * rest; a range refused at `first` itself, the whole file.
   */
  refused(first: URL): void {
    if (this.url && this.url.href !== first.href) this.url = first;
    else this.forget();
  }

  private resumable(): boolean {
    return this.kept > 0 && this.ranges && this.validator !== undefined && this.url !== undefined;
  }

  private forget(): void {
    this.kept = 0;
    this.ranges = false;
  }
}

/** `bytes 100-199/1000` (the total may be `*`, unknown). */
function contentRange(value: string | undefined): { start: number; total: number | undefined } | undefined {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

/** If-Range takes a strong validator only: a weak ETag (W/"...") cannot promise the same bytes. */
function validatorOf(headers: IncomingHttpHeaders): string | undefined {
  const etag = headerValue(headers, 'etag')?.trim();
  if (etag && !etag.startsWith('W/')) return etag;
  return headerValue(headers, 'last-modified')?.trim() || undefined;
}
