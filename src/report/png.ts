/**
 * The charts as PNG images, for the mail clients that draw no SVG (Gmail,
 * Outlook). resvg rasterises them without a browser. It is a native prebuilt
 * per platform, so an optional dependency: on a platform it has no build for,
 * it is missing or fails to load, and a mail report goes out without charts.
 * Text is drawn with the font the package ships and never a system font: the
 * official Node-RED image has none, and resvg drops text it has no font for.
 * resvg writes RGBA PNGs; a chart has few colours, so the PNG is written here
 * as an indexed one (a few chunks around node:zlib's deflate; how much smaller:
 * bench/README.md), rather than with one more runtime dependency.
 */
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';
import type * as Resvg from '@resvg/resvg-js';
import { CHART_FONT_FAMILY } from './svg';

/** Compiled to nodes/report/png.js; the font is in resources/fonts/ beside nodes/. */
const FONT_FILE = path.join(__dirname, '..', '..', 'resources', 'fonts', 'Roboto-Regular.ttf');

/** Pixels per SVG unit: sharp on high-density screens; the <img> keeps the SVG's size. */
const PNG_SCALE = 2;

export interface Png {
  readonly content: Buffer;
  /** The SVG's size, which the <img> announces; the image itself is PNG_SCALE times that. */
  readonly width: number;
  readonly height: number;
}

export type PngRenderer = { readonly render: (svg: string) => Promise<Png> } | { readonly unavailable: string };

const OPTIONS: Resvg.ResvgRenderOptions = {
  fitTo: { mode: 'zoom', value: PNG_SCALE },
  font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
  // Lines and rules without anti-aliasing (text keeps it): a chart then has a few dozen
  // colours and fits an indexed PNG, much smaller than resvg's RGBA one.
  shapeRendering: 1,
  logLevel: 'off',
};

const deflateAsync = promisify(deflate);
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG chunk: length, type, data, and the CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const framed = Buffer.alloc(typed.length + 8);
  framed.writeUInt32BE(data.length, 0);
  typed.copy(framed, 4);
  framed.writeUInt32BE(crc32(typed), typed.length + 4);
  return framed;
}

/**
 * Opaque RGBA pixels as an 8-bit indexed PNG (colour type 3, each colour as
 * it is: no quantising); null when they have more than 256 colours or any
 * pixel that is not opaque, for resvg's own PNG instead.
 */
export async function indexedPng(rgba: Buffer, width: number, height: number): Promise<Buffer | null> {
  // One pixel a 32-bit number in the machine's byte order: only compared; colours are read from the bytes.
  const bytes = rgba.byteOffset % 4 ? new Uint8Array(rgba) : rgba;
  const pixels = new Uint32Array(bytes.buffer, bytes.byteOffset, width * height);
  const indexOf = new Map<number, number>();
  /** Where each palette colour was first seen, in pixels. */
  const firstAt: number[] = [];
  // Each scanline: filter type 0 (none), then one palette index per pixel.
  const scanlines = Buffer.alloc((width + 1) * height);
  let last = -1;
  let lastIndex = 0;
  for (let y = 0, at = 0; y < height; y++) {
    let to = y * (width + 1) + 1;
    for (let x = 0; x < width; x++, at++, to++) {
      const pixel = pixels[at];
      if (pixel !== last) {
        if (bytes[at * 4 + 3] !== 0xff) return null;
        let index = indexOf.get(pixel);
        if (index === undefined) {
          if (indexOf.size === 256) return null;
          index = indexOf.size;
          indexOf.set(pixel, index);
          firstAt.push(at);
        }
        last = pixel;
        lastIndex = index;
      }
      scanlines[to] = lastIndex;
    }
  }
  const palette = Buffer.alloc(indexOf.size * 3);
  firstAt.forEach((at, index) => palette.set(bytes.subarray(at * 4, at * 4 + 3), index * 3));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per index
  header[9] = 3; // indexed colour; compression, filter and interlace methods 0
  const data = await deflateAsync(scanlines);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('PLTE', palette), chunk('IDAT', data), chunk('IEND', Buffer.alloc(0))]);
}

let loaded: PngRenderer | undefined;

/** resvg, loaded when a report first needs it and then kept; where it cannot load, why not. */
export function pngRenderer(): PngRenderer {
  if (!loaded) {
    try {
      // An optional dependency: required here, so that the nodes load without it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { renderAsync } = require('@resvg/resvg-js') as typeof Resvg;
      loaded = {
        // renderAsync draws on libuv's thread pool: Node-RED's event loop goes on meanwhile.
        render: async (svg) => {
          const image = await renderAsync(svg, OPTIONS);
          const content = (await indexedPng(image.pixels, image.width, image.height)) ?? image.asPng();
          return { content, width: Math.round(image.width / PNG_SCALE), height: Math.round(image.height / PNG_SCALE) };
        },
      };
    } catch (err) {
      // The first line: a failed require goes on with its whole require stack.
      loaded = { unavailable: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
    }
  }
  return loaded;
}
