import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSimError } from '../../src/errors.ts';
import { parseSpiffeId, SPIFFE_ID_REASONS, spiffeIdOf, spiffeIdProblem, trustDomainProblem } from '../../src/spire/spiffeId.ts';

// Vectors modelled on go-spiffe's spiffeid tests: the reasons are the strings spire-server prints.
describe('SPIFFE ID parsing', () => {
  it.each([
    ['spiffe://spiffe.cilium/identity/17947', 'spiffe.cilium', '/identity/17947'],
    ['spiffe://trustdomain', 'trustdomain', ''],
    ['spiffe://trust.domain-with_all.chars09/Path.With-ALL_chars09', 'trust.domain-with_all.chars09', '/Path.With-ALL_chars09'],
    ['spiffe://td/...', 'td', '/...'],
    ['spiffe://td/.a/a.', 'td', '/.a/a.'],
  ])('accepts %s', (text, trustDomain, path) => {
    const id = parseSpiffeId(text);

    expect(id.trustDomain).toBe(trustDomain);
    expect(id.path).toBe(path);
    expect(id.toString()).toBe(text);
  });

  it.each([
    ['', SPIFFE_ID_REASONS.empty],
    ['192.168.2.2:6688', SPIFFE_ID_REASONS.wrongScheme],
    ['http://trustdomain/path', SPIFFE_ID_REASONS.wrongScheme],
    ['SPIFFE://trustdomain/path', SPIFFE_ID_REASONS.wrongScheme],
    ['spiffe:/trustdomain/path', SPIFFE_ID_REASONS.wrongScheme],
    ['spiffe://', SPIFFE_ID_REASONS.missingTrustDomain],
    ['spiffe:///path', SPIFFE_ID_REASONS.missingTrustDomain],
    ['spiffe://Trustdomain/path', SPIFFE_ID_REASONS.badTrustDomainChar],
    ['spiffe://trustdomain:8080/path', SPIFFE_ID_REASONS.badTrustDomainChar],
    ['spiffe://user:pass@trustdomain/path', SPIFFE_ID_REASONS.badTrustDomainChar],
    ['spiffe://trustdomain/path?query=1', SPIFFE_ID_REASONS.badPathSegmentChar],
    ['spiffe://trustdomain/path#fragment', SPIFFE_ID_REASONS.badPathSegmentChar],
    ['spiffe://trustdomain/pa%41th', SPIFFE_ID_REASONS.badPathSegmentChar],
    ['spiffe://trustdomain//path', SPIFFE_ID_REASONS.emptySegment],
    ['spiffe://trustdomain/path/', SPIFFE_ID_REASONS.trailingSlash],
    ['spiffe://trustdomain/', SPIFFE_ID_REASONS.trailingSlash],
    ['spiffe://trustdomain/./path', SPIFFE_ID_REASONS.dotSegment],
    ['spiffe://trustdomain/path/..', SPIFFE_ID_REASONS.dotSegment],
    [`spiffe://${'a'.repeat(256)}/path`, SPIFFE_ID_REASONS.trustDomainTooLong],
    [`spiffe://td/${'a'.repeat(2048)}`, SPIFFE_ID_REASONS.idTooLong],
  ])('refuses %j: %s', (text, reason) => {
    expect(spiffeIdProblem(text)).toBe(reason);
  });

  it('throws a SimError INVALID_SPIFFE_ID naming the field, the input and the expected form', () => {
    let caught: unknown;
    try {
      parseSpiffeId('spiffe://spiffe.cilium/identity//1', 'spec.spiffeID', 'entry x');
    } catch (e) {
      caught = e;
    }

    expect(isSimError(caught) && caught.code).toBe('INVALID_SPIFFE_ID');
    expect((caught as Error).message).toMatchInlineSnapshot(
      `"entry x: spec.spiffeID: invalid SPIFFE ID "spiffe://spiffe.cilium/identity//1": path cannot contain empty segments; expected spiffe://<trust-domain>/<path> with a lowercase trust domain and path segments of [a-zA-Z0-9._-], e.g. spiffe://spiffe.cilium/identity/17947"`,
    );
  });

  it('builds IDs from a trust domain and segments', () => {
    expect(spiffeIdOf('spiffe.cilium', 'identity', '17947').toString()).toBe('spiffe://spiffe.cilium/identity/17947');
    expect(spiffeIdOf('spiffe.cilium').toString()).toBe('spiffe://spiffe.cilium');
  });

  it('checks trust domain names alone', () => {
    expect(trustDomainProblem('spiffe.cilium')).toBeUndefined();
    expect(trustDomainProblem('Spiffe.Cilium')).toBe(SPIFFE_ID_REASONS.badTrustDomainChar);
    expect(trustDomainProblem('')).toBe(SPIFFE_ID_REASONS.missingTrustDomain);
  });

  it('round-trips every ID built from valid parts', () => {
    const td = fc.stringMatching(/^[a-z0-9._-]{1,30}$/);
    const segment = fc.stringMatching(/^[a-zA-Z0-9._-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(td, fc.array(segment, { maxLength: 5 }), (trustDomain, segments) => {
        const text = `spiffe://${trustDomain}${segments.map((s) => `/${s}`).join('')}`;
        const id = parseSpiffeId(text);
        expect(id.toString()).toBe(text);
        expect(id.trustDomain).toBe(trustDomain);
      }),
    );
  });

  it('never accepts an ID containing a character outside the allowed sets', () => {
    const bad = fc.constantFrom(':', '@', '?', '#', '%', ' ', '\u00e9', '!');
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,8}$/), bad, fc.boolean(), (name, c, inPath) => {
        const text = inPath ? `spiffe://td/${name}${c}` : `spiffe://${name}${c}/p`;
        expect(spiffeIdProblem(text)).toBeDefined();
      }),
    );
  });
});
