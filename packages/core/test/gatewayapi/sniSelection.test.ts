import { describe, expect, it } from 'vitest';
import { selectBySni } from '../../src/gatewayapi/sniSelection.ts';

const listeners = (...hostnames: (string | undefined)[]) =>
  hostnames.map((h, i) => ({ name: h ?? `any-${i}`, hostnames: h === undefined ? [] : [h] }));

// Envoy's filter chain match by server_names, as the Gateway API's listener hostnames ask:
// exact, then the longest wildcard covering the name, then a listener without hostname.
const CASES: readonly [string, readonly (string | undefined)[], string, string | undefined][] = [
  ['an exact hostname wins over a wildcard', ['*.example.com', 'shop.example.com'], 'shop.example.com', 'shop.example.com'],
  ['an exact hostname wins over a catch-all', [undefined, 'shop.example.com'], 'shop.example.com', 'shop.example.com'],
  ['a wildcard covers one label', ['*.example.com'], 'api.example.com', '*.example.com'],
  ['a wildcard covers several labels', ['*.example.com'], 'a.b.example.com', '*.example.com'],
  ['a wildcard never covers its own suffix', ['*.example.com'], 'example.com', undefined],
  ['the longest wildcard wins', ['*.example.com', '*.eu.example.com'], 'shop.eu.example.com', '*.eu.example.com'],
  ['a wildcard wins over a catch-all', [undefined, '*.example.com'], 'api.example.com', '*.example.com'],
  ['the catch-all takes other names', ['shop.example.com', undefined], 'other.org', 'any-1'],
  ['no listener takes another name', ['shop.example.com', '*.example.com'], 'other.org', undefined],
  ['a hello without SNI reaches only a catch-all', ['shop.example.com', undefined], '', 'any-1'],
  ['a hello without SNI and no catch-all fails', ['shop.example.com'], '', undefined],
  ['names compare without letter case', ['shop.example.com'], 'SHOP.Example.COM', 'shop.example.com'],
  ['of two catch-alls the first wins', [undefined, undefined], 'x.org', 'any-0'],
];

describe('SNI picks the listener of a TLS port', () => {
  it.each(CASES)('%s', (_, hostnames, sni, expected) => {
    expect(selectBySni(listeners(...hostnames), sni)?.name).toBe(expected);
  });
});
