import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, Payload } from '../../src/datapath/packet.ts';
import { payloadLength, wirePayload } from '../../src/datapath/wirePayload.ts';

// Any UTF-16 text, lone surrogates included: what a user may type into a header or a body.
const text = fc.string({ unit: 'binary', maxLength: 40 });
const header = fc.tuple(fc.constantFrom('Accept', 'content-type', 'Content-Length', 'X-Id', 'host'), text);

const request: fc.Arbitrary<HttpRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT'),
  path: fc.constantFrom('', '/', '/v1/request-landing', '/caf\u00e9?q=\u00fc'),
  host: fc.constantFrom('deathstar', 'echo:3000', 'b\u00fccher.example'),
  headers: fc.array(header, { maxLength: 4 }),
  body: text,
  scheme: fc.constantFrom('http' as const, 'https' as const),
});
const response: fc.Arbitrary<HttpResponse> = fc.record({
  status: fc.constantFrom(200, 403, 503),
  statusText: fc.constantFrom('OK', 'Forbidden', 'Service Unavailable'),
  headers: fc.array(header, { maxLength: 3 }),
  body: text,
});

describe('wire payload lengths', () => {
  it('numbers an HTTP segment by the bytes a capture shows for it, asked once or twice', () => {
    fc.assert(
      fc.property(request, response, (req, res) => {
        const payloads: Payload[] = [
          { kind: 'http-request', request: req },
          { kind: 'http-response', request: req, response: res },
        ];
        for (const p of payloads) {
          expect(payloadLength(p)).toBe(wirePayload(p).length);
          expect(payloadLength(p)).toBe(wirePayload(p).length);
        }
      }),
    );
  });
});
