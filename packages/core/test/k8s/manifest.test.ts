import { describe, expect, it } from 'vitest';
import { isSimError } from '../../src/errors.ts';
import { parseManifest } from '../../src/k8s/manifest.ts';

describe('parseManifest', () => {
  it('returns one document per YAML document and skips empty ones', () => {
    const docs = parseManifest('---\nkind: Pod\n---\n---\n# only a comment\n---\nkind: Service\n');

    expect(docs.map((d) => (d.value as { kind: string }).kind)).toEqual(['Pod', 'Service']);
    expect(docs.map((d) => d.index)).toEqual([1, 4]);
  });

  it('expands the items of a kind: List', () => {
    const docs = parseManifest('apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n- kind: Service\n');

    expect(docs.map((d) => d.itemPath)).toEqual(['items[0]', 'items[1]']);
    expect(docs.map((d) => (d.value as { kind: string }).kind)).toEqual(['Pod', 'Service']);
  });

  it('reports a syntax error as INVALID_YAML naming the document and line', () => {
    const text = 'kind: Pod\n---\nkind: Service\nmetadata:\n  name: [unclosed\n';

    const error = (() => {
      try {
        parseManifest(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();

    expect(isSimError(error) && error.code).toBe('INVALID_YAML');
    expect(isSimError(error) && error.object).toBe('document 2');
    expect(String((error as Error).message)).toMatch(/line \d+, column \d+/);
  });

  it('rejects duplicate keys, which kubectl also refuses', () => {
    expect(() => parseManifest('kind: Pod\nkind: Service\n')).toThrowError(/document 1/);
  });

  it('gives the starting line of each document', () => {
    const docs = parseManifest('kind: Pod\n---\n\nkind: Service\n');

    expect(docs.map((d) => d.line)).toEqual([1, 4]);
  });
  it('refuses control characters as go-yaml does, naming the document and line', () => {
    const errorOf = (text: string) => {
      try {
        parseManifest(text);
      } catch (e) {
        if (isSimError(e)) return e.message;
      }
      return 'accepted';
    };
    const pod = (image: string) => `---\nkind: Service\n---\nkind: Pod\nspec:\n  image: nginx${image}\n`;
    expect(errorOf(pod('\u0000'))).toBe('document 2: yaml: line 6: control characters are not allowed');
    for (let c = 0; c < 0x20; c++) {
      const expected = c === 0x09 || c === 0x0a || c === 0x0d ? 'accepted' : 'document 2: yaml: line 6: control characters are not allowed';
      expect([c, errorOf(pod(String.fromCharCode(c)))]).toEqual([c, expected]);
    }
    for (const c of ['\u007f', '\u009b', '\ufffe', '\ud800']) expect(errorOf(pod(c))).toMatch(/control characters are not allowed/);
    for (const c of ['\u0085', '\u00e9', '\ufeff', '\u{1f680}']) expect(errorOf(pod(c))).toBe('accepted');
  });
});
