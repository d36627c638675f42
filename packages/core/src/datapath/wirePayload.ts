import { hash32 } from '../sim/rng.ts';
import type { DnsRcode, HttpRequest, HttpResponse, Payload } from './packet.ts';
import { utf8Length } from '../utf8.ts';

/** A full-size TCP segment's payload: the MSS of a 1500-byte MTU less the 12 bytes of the timestamps option. */
export const FULL_SEGMENT_BYTES = 1448;

const UTF8 = new TextEncoder();

/**
 * The bytes an application hands to the network for `payload`, as a capture shows them: HTTP/1.1
 * text, DNS messages in wire format, TLS handshake records, a file's bytes. Their count is the
 * segment's length in TCP sequence numbers, so a capture and the connection agree.
 *
 * With `tls` the payload crosses the wire inside TLS (the SPIFFE upgrade's leg between the
 * proxies): an application-data record of the same length, its body opaque.
 */
export function wirePayload(payload: Payload, tls = false): Uint8Array {
  const plain = plainBytes(payload);
  if (!(tls || insideHttps(payload)) || plain.length < 5) return plain;
  const out = new Uint8Array(plain.length);
  out.set([0x17, 0x03, 0x03, ((plain.length - 5) >> 8) & 0xff, (plain.length - 5) & 0xff]);
  let h = hash32(String(plain.length));
  for (let i = 5; i < out.length; i++) {
    h = Math.imul(h ^ i, 0x9e3779b1) >>> 0;
    out[i] = h >>> 24;
  }
  return out;
}

/** HTTP sent over a TLS session the client opened (`https://`): application data on the wire. */
function insideHttps(payload: Payload): boolean {
  return (payload.kind === 'http-request' || payload.kind === 'http-response') && payload.request.scheme === 'https';
}

/** How many bytes `payload` puts on the wire; 0 for a segment without one. */
export function payloadLength(payload: Payload | undefined): number {
  if (payload === undefined) return 0;
  if (payload.kind === 'bytes') return payload.size ?? utf8Length(payload.data);
  // Both ends number the same segment (the sender, and the receiver acknowledging it), so the
  // length of one payload object is asked for more than once; payloads are immutable. The two
  // asked last (a request and its response) answer without a table read.
  if (payload === lastPayload) return lastLength;
  if (payload === olderPayload) return olderLength;
  let length = LENGTHS.get(payload);
  if (length === undefined) LENGTHS.set(payload, (length = wireLength(payload)));
  olderPayload = lastPayload;
  olderLength = lastLength;
  lastPayload = payload;
  lastLength = length;
  return length;
}

let lastPayload: Payload | undefined;
let lastLength = 0;
let olderPayload: Payload | undefined;
let olderLength = 0;

const LENGTHS = new WeakMap<Payload, number>();
const RESPONSE_LENGTHS = new WeakMap<HttpResponse, number>();

/** The length of `plainBytes(payload)`, without encoding HTTP's text to count it. */
function wireLength(payload: Exclude<Payload, { kind: 'bytes' }>): number {
  if (payload.kind === 'http-request') return utf8Length(httpRequestText(payload.request));
  if (payload.kind === 'http-response') {
    // A server that answers every request alike hands out one response object.
    let length = RESPONSE_LENGTHS.get(payload.response);
    if (length === undefined) RESPONSE_LENGTHS.set(payload.response, (length = utf8Length(httpResponseText(payload.response))));
    return length;
  }
  return plainBytes(payload).length;
}

function plainBytes(payload: Payload): Uint8Array {
  switch (payload.kind) {
    case 'http-request':
      return UTF8.encode(httpRequestText(payload.request));
    case 'http-response':
      return UTF8.encode(httpResponseText(payload.response));
    case 'dns-query':
      return dnsMessage(payload.id, { qr: false, aa: false, rcode: 'NOERROR' }, payload.name, payload.qtype, [], 0);
    case 'dns-answer':
      return dnsMessage(
        payload.id,
        { qr: true, aa: payload.name.endsWith('.cluster.local'), rcode: payload.rcode },
        payload.name,
        payload.qtype,
        payload.ips,
        payload.ttl,
      );
    case 'tls-client-hello':
      return clientHello(payload.sni);
    case 'tls-server-hello':
      return serverHello();
    case 'bytes':
      return payload.size === undefined ? UTF8.encode(payload.data) : new Uint8Array(payload.size);
  }
}

/** The request as curl writes it: request line, Host, its headers, and a body's length and type. */
export function httpRequestText(req: HttpRequest): string {
  // Built by appending, without arrays per header: every curl's request is measured by it.
  let text = `${req.method} ${req.path === '' ? '/' : req.path} HTTP/1.1\r\nHost: ${req.host}\r\n`;
  for (const [k, v] of req.headers) text += `${k}: ${v}\r\n`;
  if (req.body !== '') {
    if (!hasHeader(req, 'content-length')) text += `Content-Length: ${utf8Length(req.body)}\r\n`;
    if (!hasHeader(req, 'content-type')) text += 'Content-Type: application/x-www-form-urlencoded\r\n';
  }
  return `${text}\r\n${req.body}`;
}

function hasHeader(req: HttpRequest, name: string): boolean {
  for (const [k] of req.headers) if (k.toLowerCase() === name) return true;
  return false;
}

export function httpResponseText(res: HttpResponse): string {
  let text = `HTTP/1.1 ${res.status} ${res.statusText}\r\n`;
  for (const [k, v] of res.headers) text += `${k}: ${v}\r\n`;
  return `${text}\r\n${res.body}`;
}

const RCODES: Readonly<Record<DnsRcode, number>> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };
const QTYPES = { A: 1, AAAA: 28 } as const;

/** A DNS message (RFC 1035): header, one question, and A records pointing back at the question's name. */
function dnsMessage(
  id: number,
  h: { qr: boolean; aa: boolean; rcode: DnsRcode },
  name: string,
  qtype: 'A' | 'AAAA',
  ips: readonly string[],
  ttl: number,
): Uint8Array {
  const bytes: number[] = [];
  const u16 = (n: number): void => void bytes.push((n >> 8) & 0xff, n & 0xff);
  u16(id);
  // RD always (stub resolvers ask for recursion). A reply says QR; CoreDNS answers its own zone
  // authoritatively (AA) without RA, and what it forwards with RA and without AA.
  bytes.push((h.qr ? 0x80 : 0) | (h.aa ? 0x04 : 0) | 0x01, (h.qr && !h.aa ? 0x80 : 0) | RCODES[h.rcode]);
  u16(1);
  u16(ips.length);
  u16(0);
  u16(0);
  for (const label of name.replace(/\.$/, '').split('.')) {
    const l = UTF8.encode(label);
    bytes.push(l.length, ...l);
  }
  bytes.push(0);
  u16(QTYPES[qtype]);
  u16(1);
  for (const ip of ips) {
    u16(0xc00c);
    u16(1);
    u16(1);
    u16((ttl >>> 16) & 0xffff);
    u16(ttl & 0xffff);
    u16(4);
    bytes.push(...ip.split('.').map(Number));
  }
  return Uint8Array.from(bytes);
}

/** Deterministic bytes standing for a handshake's random values. */
function pseudoRandom(seed: string, n: number): number[] {
  let h = hash32(seed);
  return Array.from({ length: n }, (_, i) => {
    h = Math.imul(h ^ i, 0x85ebca6b) >>> 0;
    return h >>> 24;
  });
}

/** A TLS handshake record of `type` (1 ClientHello, 2 ServerHello) around `body`. */
function handshakeRecord(type: number, legacyVersion: number, body: readonly number[]): Uint8Array {
  const hs = [type, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff, ...body];
  return Uint8Array.from([0x16, 0x03, legacyVersion, (hs.length >> 8) & 0xff, hs.length & 0xff, ...hs]);
}

function ext(type: number, data: readonly number[]): number[] {
  return [(type >> 8) & 0xff, type & 0xff, (data.length >> 8) & 0xff, data.length & 0xff, ...data];
}

/** curl's ClientHello in outline: TLS 1.3 offered, the host name as SNI. */
function clientHello(sni: string): Uint8Array {
  const host = [...UTF8.encode(sni)];
  const serverName = [0, host.length + 3, 0, (host.length >> 8) & 0xff, host.length & 0xff, ...host];
  const extensions = [
    ...ext(0x0000, [(serverName.length >> 8) & 0xff, serverName.length & 0xff, ...serverName]),
    ...ext(0x000a, [0, 4, 0x00, 0x1d, 0x00, 0x17]),
    ...ext(0x000d, [0, 4, 0x04, 0x03, 0x08, 0x04]),
    ...ext(0x002b, [4, 0x03, 0x04, 0x03, 0x03]),
  ];
  const body = [
    0x03,
    0x03,
    ...pseudoRandom(`client-random/${sni}`, 32),
    32,
    ...pseudoRandom(`session/${sni}`, 32),
    0,
    8,
    0x13,
    0x02,
    0x13,
    0x03,
    0x13,
    0x01,
    0xc0,
    0x2f,
    1,
    0,
    (extensions.length >> 8) & 0xff,
    extensions.length & 0xff,
    ...extensions,
  ];
  return handshakeRecord(1, 0x01, body);
}

/** The server's answer in outline: TLS 1.3 chosen, TLS_AES_128_GCM_SHA256. */
function serverHello(): Uint8Array {
  const extensions = ext(0x002b, [0x03, 0x04]);
  const body = [
    0x03,
    0x03,
    ...pseudoRandom('server-random', 32),
    32,
    ...pseudoRandom('session', 32),
    0x13,
    0x01,
    0,
    (extensions.length >> 8) & 0xff,
    extensions.length & 0xff,
    ...extensions,
  ];
  return handshakeRecord(2, 0x03, body);
}
