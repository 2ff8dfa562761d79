import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, RequestHandler } from 'express';

/** An Express router's entry, as far as removing a route needs it. */
interface Layer {
  route?: { stack: { handle: unknown }[] };
}

/**
 * Adds a POST route to Node-RED's HTTP node server (RED.httpNode), after
 * the user's httpNodeMiddleware as the core http-in node does, and returns
 * what removes it again (on redeploy). Only this route is removed, not another
 * node's on the same path.
 */
export function addPostRoute(app: Express, path: string, middleware: unknown, handler: RequestHandler): () => void {
  const chain = (Array.isArray(middleware) ? middleware : typeof middleware === 'function' ? [middleware] : []) as RequestHandler[];
  app.post(path, ...chain, handler);
  return () => {
    // Express 4 keeps the router in `_router`, Express 5 in `router`.
    const router = (app as unknown as { _router?: { stack: Layer[] }; router?: { stack: Layer[] } })._router ?? (app as unknown as { router?: { stack: Layer[] } }).router;
    const stack = router?.stack ?? [];
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i].route?.stack.some((layer) => layer.handle === handler)) stack.splice(i, 1);
    }
  };
}

/** A request body read whole, or how much too large it was. */
export type BodyRead = { readonly bytes: Buffer } | { readonly tooLarge: true };

/**
 * Reads the body up to `limit` bytes. A larger one is read to its end and
 * dropped, as Express's own body parser does, so the sender gets the 413
 * rather than a reset connection; nothing past the limit is kept.
 */
export function readBody(req: IncomingMessage & { body?: unknown; _body?: boolean }, limit: number): Promise<BodyRead> {
  // Parsed already by the user's httpNodeMiddleware: take what it kept.
  if (req._body || req.readableEnded) return Promise.resolve(keptBody(req.body, limit));
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? { tooLarge: true } : { bytes: Buffer.concat(chunks) }));
    req.on('error', reject);
  });
}

function keptBody(body: unknown, limit: number): BodyRead {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? null));
  return bytes.length > limit ? { tooLarge: true } : { bytes };
}

/**
 * Whether the header holds the secret, in time that does not depend on where
 * they differ: both are hashed first, so the compared values are of equal length.
 */
export function holdsSecret(value: string | string[] | undefined, secret: string): boolean {
  if (typeof value !== 'string') return false;
  return timingSafeEqual(sha256(value), sha256(secret));
}

export function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Answers with a small JSON body. */
export function answer(res: ServerResponse, statusCode: number, body: Record<string, unknown>): void {
  res.statusCode = statusCode;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
