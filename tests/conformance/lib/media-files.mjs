// Real media files for the media fakes and their tests, made once per test process with Debian's ffmpeg
// (installed on CI by .ci/run; `apt-get install -y ffmpeg` locally) into a temp dir removed at exit:
//
//   mp4({ width, height, seconds })     H.264 (yuv420p) MP4, 24 fps, +faststart, no audio: testsrc2 encoded for one
//                                       second, then looped by stream copy to `seconds` (fast at any size)
//   image({ width, height, format })    a still of testsrc2 (or another lavfi pattern): png | jpeg | webp;
//                                       `alpha: true` gives an RGBA PNG/WebP with a transparent border
//   png(w, h), webp(w, h)               shorthands
//   spritesheet({ width, height })      a JPEG grid of 4x4 frames (each 1/8 of the video's size)
//   mask({ width, height })             an RGBA PNG, transparent in its centre (an image-edit mask)
//
// Each returns { path, bytes (Buffer), sha256, contentType, width, height } and is cached by its parameters (one
// ffmpeg run per distinct file per process). `probe(bufferOrPath)` is ffprobe's JSON; `imageInfo(buffer)` reads the
// type and dimensions of a PNG, JPEG or WebP from its header (what the fakes use to check uploads).
// Nothing here works without ffmpeg: the first call fails loudly when it is missing.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cache = new Map();
let dir;
let checked = false;

function ensureFfmpeg() {
  if (checked) return;
  for (const tool of ['ffmpeg', 'ffprobe']) {
    try {
      execFileSync(tool, ['-version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is missing: the media fakes make real files with it (Debian: apt-get install -y ffmpeg)`);
    }
  }
  checked = true;
}

function workDir() {
  if (!dir) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'manifold-media-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return dir;
}

async function ffmpeg(args) {
  ensureFfmpeg();
  try {
    await run('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { maxBuffer: 1 << 20 });
  } catch (error) {
    throw new Error(`ffmpeg ${args.join(' ')} failed: ${error.stderr || error.message}`);
  }
}

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function file(key, make) {
  let entry = cache.get(key);
  if (!entry) {
    entry = (async () => {
      const out = path.join(workDir(), key.replace(/[^a-z0-9.]+/gi, '_'));
      await make(out);
      const bytes = readFileSync(out);
      return { path: out, bytes, sha256: sha256(bytes) };
    })();
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}

const dimensions = (width, height) => {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) throw new Error(`media-files: bad size ${width}x${height}`);
  return `${width}x${height}`;
};

/** An H.264 MP4 of the given size and duration (whole seconds or fractions). */
export async function mp4({ width, height, seconds = 4 }) {
  const size = dimensions(width, height);
  // H.264 in yuv420p needs even dimensions.
  if (width % 2 || height % 2) throw new Error(`media-files: an H.264 video needs even dimensions, not ${size}`);
  const whole = Math.ceil(seconds);
  const base = await file(`base-${size}.mp4`, (out) => ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=24:duration=1`,
    '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '51', '-g', '24', out]));
  const made = await file(`video-${size}-${seconds}s.mp4`, (out) => ffmpeg(['-stream_loop', String(whole - 1), '-i', base.path,
    ...(whole !== seconds ? ['-t', String(seconds)] : []), '-c', 'copy', '-movflags', '+faststart', out]));
  return { ...made, contentType: 'video/mp4', width, height, seconds };
}

const IMAGE_TYPES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };
const PATTERNS = ['testsrc2', 'smptehdbars', 'rgbtestsrc', 'testsrc'];

/** A still image; `variant` picks another test pattern (partial images, several inputs). */
export async function image({ width, height, format = 'png', variant = 0, alpha = false }) {
  const size = dimensions(width, height);
  if (!IMAGE_TYPES[format]) throw new Error(`media-files: no image format ${format}`);
  if (alpha && format === 'jpeg') throw new Error('media-files: JPEG has no alpha channel');
  const pattern = PATTERNS[variant % PATTERNS.length];
  const made = await file(`image-${size}-${pattern}-${alpha ? 'rgba' : 'rgb'}.${format === 'jpeg' ? 'jpg' : format}`, (out) => {
    const filters = alpha
      // Transparent border of 1/8 on each side: a real alpha channel, as `background: transparent` asks.
      ? ['-vf', `format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(between(X,W/8,W*7/8)*between(Y,H/8,H*7/8),255,0)'`]
      : [];
    const codec = format === 'webp' ? ['-c:v', 'libwebp', '-quality', '60'] : format === 'jpeg' ? ['-q:v', '8'] : [];
    return ffmpeg(['-f', 'lavfi', '-i', `${pattern}=size=${size}:rate=1`, '-frames:v', '1', ...filters, ...codec,
      ...(format === 'png' && !alpha ? ['-pix_fmt', 'rgb24'] : []), out]);
  });
  return { ...made, contentType: IMAGE_TYPES[format], width, height, format };
}

export const png = (width, height, options = {}) => image({ width, height, format: 'png', ...options });
export const webp = (width, height, options = {}) => image({ width, height, format: 'webp', ...options });

/** A JPEG grid of 4x4 frames, each 1/8 of the video's size (rounded to even). */
export async function spritesheet({ width, height }) {
  const w = Math.max(2, Math.round(width / 16) * 2);
  const h = Math.max(2, Math.round(height / 16) * 2);
  const made = await file(`sprites-${w}x${h}.jpg`, (out) => ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${w}x${h}:rate=4:duration=4`,
    '-vf', 'tile=4x4', '-frames:v', '1', '-q:v', '8', out]));
  return { ...made, contentType: 'image/jpeg', width: w * 4, height: h * 4 };
}

/** An RGBA PNG mask: opaque, with a fully transparent centre (where an edit may paint). */
export async function mask({ width, height }) {
  const size = dimensions(width, height);
  const made = await file(`mask-${size}.png`, (out) => ffmpeg(['-f', 'lavfi', '-i', `color=c=white:size=${size}:rate=1`, '-frames:v', '1',
    '-vf', `format=rgba,geq=r=255:g=255:b=255:a='if(between(X,W/4,W*3/4)*between(Y,H/4,H*3/4),0,255)'`, out]));
  return { ...made, contentType: 'image/png', width, height, format: 'png' };
}

/** ffprobe's view of a file or bytes: { streams, format }. */
export async function probe(input) {
  ensureFfmpeg();
  let target = input;
  if (Buffer.isBuffer(input) || input instanceof Uint8Array) {
    target = path.join(workDir(), `probe-${sha256(input).slice(0, 16)}`);
    writeFileSync(target, input);
  }
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', target], { maxBuffer: 8 << 20 });
  return JSON.parse(stdout);
}

/**
 * The type and pixel size of a PNG, JPEG or WebP, read from its header: { format, contentType, width, height } or
 * null when the bytes are none of them.
 */
export function imageInfo(bytes) {
  const b = Buffer.from(bytes);
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') {
    return { format: 'png', contentType: 'image/png', width: b.readUInt32BE(16), height: b.readUInt32BE(20), alpha: [4, 6].includes(b[25]) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    for (let i = 2; i + 9 < b.length;) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1];
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
      const length = b.readUInt16BE(i + 2);
      // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { format: 'jpeg', contentType: 'image/jpeg', width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5), alpha: false };
      }
      i += 2 + length;
    }
    return null;
  }
  if (b.length >= 30 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
    const chunk = b.toString('latin1', 12, 16);
    if (chunk === 'VP8 ') return { format: 'webp', contentType: 'image/webp', width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff, alpha: false };
    if (chunk === 'VP8L') {
      const bits = b.readUInt32LE(21);
      return { format: 'webp', contentType: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1, alpha: Boolean((bits >> 28) & 1) };
    }
    if (chunk === 'VP8X') {
      return { format: 'webp', contentType: 'image/webp', width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1, alpha: Boolean(b[20] & 0x10) };
    }
  }
  return null;
}
