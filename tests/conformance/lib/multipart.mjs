// multipart/form-data (RFC 7578) as the loopback fakes read it: the whole body, then its parts.
import { sha256 } from './media-files.mjs';

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** Parses a whole multipart/form-data body; throws on anything malformed (no boundary, no closing delimiter, ...). */
export function parseMultipart(bytes, contentType) {
  const boundaryMatch = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundaryMatch) throw new Error('multipart body without a boundary');
  const boundary = boundaryMatch[1] ?? boundaryMatch[2];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = [];
  let at = bytes.indexOf(delimiter);
  if (at < 0) throw new Error('multipart body without its first boundary');
  for (;;) {
    at += delimiter.length;
    // "--" after a delimiter closes the body.
    if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) break;
    // Transport padding, then CRLF.
    while (bytes[at] === 0x20 || bytes[at] === 0x09) at += 1;
    if (!bytes.subarray(at, at + 2).equals(CRLF)) throw new Error('malformed multipart delimiter line');
    at += 2;
    const headerEnd = bytes.indexOf(HEADER_END, at);
    if (headerEnd < 0) throw new Error('multipart part without the end of its headers');
    const headers = {};
    for (const line of bytes.toString('utf8', at, headerEnd).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const next = bytes.indexOf(Buffer.concat([CRLF, delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('multipart body without its closing boundary');
    const data = bytes.subarray(headerEnd + 4, next);
    const disposition = headers['content-disposition'] ?? '';
    if (!/^form-data\b/i.test(disposition)) throw new Error('multipart part without Content-Disposition: form-data');
    const param = (key) => {
      const extended = new RegExp(`;\\s*${key}\\*=(?:UTF-8|utf-8)''([^;]+)`).exec(disposition);
      if (extended) return decodeURIComponent(extended[1]);
      const quoted = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`).exec(disposition);
      if (quoted) return quoted[1].replace(/\\(.)/g, '$1').replace(/%22/g, '"');
      const bare = new RegExp(`;\\s*${key}=([^;\\s]+)`).exec(disposition);
      return bare ? bare[1] : undefined;
    };
    const name = param('name');
    if (name === undefined) throw new Error('multipart part without a name');
    parts.push({ name, filename: param('filename'), contentType: headers['content-type'], headers, data });
    at = next + 2;
  }
  const fields = new Map();
  const files = new Map();
  for (const part of parts) {
    if (part.filename !== undefined) {
      const file = { name: part.name, filename: part.filename, contentType: part.contentType ?? 'application/octet-stream', size: part.data.length,
        sha256: sha256(part.data), bytes: Buffer.from(part.data) };
      files.set(part.name, [...(files.get(part.name) ?? []), file]);
    } else {
      fields.set(part.name, [...(fields.get(part.name) ?? []), part.data.toString('utf8')]);
    }
  }
  return { fields, files, parts };
}
