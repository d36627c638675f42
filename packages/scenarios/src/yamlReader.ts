import * as yaml from 'yaml';
import { SimError } from '@cilium-sim/core';

/**
 * Parses one YAML document. `object` names the file in the error, e.g.
 * `scenario star-wars: scenario.yaml`.
 */
export function parseYaml(source: string, object: string): unknown {
  try {
    return yaml.parse(source);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new SimError({ code: 'INVALID_YAML', object, message: `not valid YAML: ${reason}` });
  }
}

/**
 * Parses a multi-document YAML stream (`---` separated), skipping empty documents,
 * as kubectl does. Every syntax error of the stream is reported at once.
 */
export function parseYamlDocuments(source: string, object: string): unknown[] {
  const docs = yaml.parseAllDocuments(source);
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length > 0) {
    throw SimError.of(errors.map((e) => ({ code: 'INVALID_YAML' as const, object, message: `not valid YAML: ${e.message}` })));
  }
  return docs.map((d) => d.toJS()).filter((d) => d !== null && d !== undefined);
}
