import { SimError } from '@cilium-sim/core';
import { executeTemplate, JsonPathExecError } from './jsonpath/evaluate.ts';
import { goSyntax, goText } from './jsonpath/goValue.ts';
import { JsonPathParseError, parseTemplate, type TemplateItem } from './jsonpath/parse.ts';

/**
 * Evaluates a kubectl JSONPath template (`kubectl get -o jsonpath='{...}'`) over decoded
 * JSON data and returns exactly what kubectl prints, with no trailing newline added (as
 * kubectl adds none). Supports `{.items[*].metadata.name}`, `{.items[0].status.identity.id}`,
 * filters `[?(@.spec.nodeName=="kind-worker")]` (==, !=, <, >, <=, >=, existence),
 * `{range .items[*]}...{end}`, literal text, `{"\n"}`, escaped dots and `$`.
 * Maps and lists print as compact JSON; several values of one action are joined by a space.
 * Pure.
 *
 * Throws SimError INVALID_FLAG (path `-o jsonpath`) with kubectl's message when the template
 * does not parse (`error parsing jsonpath {.items[}, unterminated array`) or cannot be
 * executed on this data (`error executing jsonpath "...": Error executing template: ...`).
 *
 * @example evaluateJsonPath('{.items[*].metadata.name}', list) // 'deathstar-6c94dcc57b-6vvpn tiefighter'
 */
export function evaluateJsonPath(template: string, data: unknown): string {
  const items = parseOrThrow(template);
  try {
    return executeTemplate(items, data)
      .map((group) => group.map(goText).join(' '))
      .join('');
  } catch (e) {
    if (!(e instanceof JsonPathExecError)) throw e;
    throw jsonPathError(
      `error executing jsonpath ${JSON.stringify(template)}: Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${template}\n\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}`,
    );
  }
}

/** Checks a template without data, so `kubectl get` can reject it before printing anything. */
export function validateJsonPath(template: string): void {
  parseOrThrow(template);
}

function parseOrThrow(template: string): TemplateItem[] {
  try {
    return parseTemplate(template);
  } catch (e) {
    if (e instanceof JsonPathParseError) throw jsonPathError(`error parsing jsonpath ${template}, ${e.message}`);
    throw e;
  }
}

function jsonPathError(message: string): SimError {
  return new SimError({ code: 'INVALID_FLAG', path: '-o jsonpath', message });
}
