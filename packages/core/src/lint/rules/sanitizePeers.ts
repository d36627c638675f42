import { isRecord } from '../../k8s/manifest.ts';
import { cidrContains, parseCidr } from '../../policy/cidr.ts';
import { ENTITIES } from '../../policy/peerSelector.ts';
import type { LintContext } from '../lintContext.ts';
import type { LintHit, LintRule } from '../lintRule.ts';
import { allRawRules, type RawRule } from '../rawPolicy.ts';
import { refusedSentence } from './refusal.ts';

/** The sanitizer's checks of a rule's peers: one L3 kind per rule, entities, CIDRs, FQDN selectors. */
const L3_FIELDS = {
  ingress: ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromNodes', 'fromGroups'],
  egress: ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toServices', 'toFQDNs', 'toGroups', 'toNodes'],
} as const;

/** Go's field name, as Cilium's messages print it: `toServices` -> `ToServices`. */
function goName(field: string): string {
  return `${field.charAt(0).toUpperCase()}${field.slice(1)}`;
}

function l3Fields(rule: RawRule): string[] {
  return (rule.egress ? L3_FIELDS.egress : L3_FIELDS.ingress).filter((f) => rule.raw[f] !== undefined && rule.raw[f] !== null);
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export const SANITIZE_PEER_RULES: readonly LintRule[] = [
  {
    code: 'peer-kinds-combined',
    severity: 'error',
    title: 'One rule names one kind of L3 peer',
    *check(ctx) {
      for (const rule of allRawRules(ctx.policies)) {
        const fields = l3Fields(rule);
        if (fields.length < 2) continue;
        yield {
          policy: rule.spec.policy,
          path: rule.path,
          cilium: ctx.said(`Combining ${goName(fields[0]!)} and ${goName(fields[1]!)} is not supported yet`),
          message: refusedSentence(ctx),
          fix: `Write one rule per peer kind (${fields.join(', ')}), each with its own toPorts; rules of a section are ORed.`,
        };
      }
    },
  },
  {
    code: 'unknown-entity',
    severity: 'error',
    title: 'fromEntities/toEntities name known entities only',
    *check(ctx) {
      for (const rule of allRawRules(ctx.policies)) {
        for (const field of ['fromEntities', 'toEntities']) {
          for (const [i, e] of listOf(rule.raw[field]).entries()) {
            if (typeof e === 'string' && (ENTITIES as readonly string[]).includes(e)) continue;
            yield {
              policy: rule.spec.policy,
              path: `${rule.path}.${field}[${i}]`,
              cilium: `unsupported entity: ${String(e)}`,
              message: refusedSentence(ctx),
              fix: `Use one of ${ENTITIES.join(', ')}.`,
            };
          }
        }
      }
    },
  },
  {
    code: 'invalid-cidr',
    severity: 'error',
    title: 'CIDRs parse, and every except lies inside its CIDR',
    *check(ctx) {
      for (const rule of allRawRules(ctx.policies)) yield* cidrProblems(ctx, rule);
    },
  },
  {
    code: 'fqdn-selector-invalid',
    severity: 'error',
    title: 'toFQDNs and DNS rules set one of matchName and matchPattern, in DNS characters',
    *check(ctx) {
      for (const rule of allRawRules(ctx.policies)) {
        for (const [i, sel] of listOf(rule.raw['toFQDNs']).entries()) {
          if (!isRecord(sel)) continue;
          const problem = fqdnProblem(sel);
          if (problem === undefined) continue;
          yield {
            policy: rule.spec.policy,
            path: `${rule.path}.toFQDNs[${i}]`,
            cilium: problem,
            message: refusedSentence(ctx),
            fix: 'Give either matchName (an exact name) or matchPattern (with * wildcards), using letters, digits, "-" and ".".',
          };
        }
      }
    },
  },
  {
    code: 'empty-peer-list',
    severity: 'warning',
    title: 'An empty peer list (fromEndpoints: []) selects nothing',
    *check(ctx) {
      const nothing = ctx.inForce('empty-peer-list-selects-nothing');
      for (const rule of allRawRules(ctx.policies)) {
        for (const field of l3Fields(rule)) {
          const value = rule.raw[field];
          if (!Array.isArray(value) || value.length > 0) continue;
          yield {
            policy: rule.spec.policy,
            path: `${rule.path}.${field}`,
            message: nothing
              ? `An empty ${field} list selects no peer at all (since Cilium 1.16; before, it selected every peer), so this rule ${rule.deny ? 'denies' : 'allows'} nothing.`
              : `An empty ${field} list selects every peer in this version; from Cilium 1.16 on it selects none.`,
            fix: `Name the peers, or write ${field}: [{}] for every endpoint${field.endsWith('Endpoints') ? ' of the namespace' : ''}; drop the field for an L4-only rule.`,
          };
        }
      }
    },
  },
];

function cidrProblems(ctx: LintContext, rule: RawRule): LintHit[] {
  const out: LintHit[] = [];
  const hit = (path: string, cilium: string, fix: string): void =>
    void out.push({ policy: rule.spec.policy, path, cilium, message: refusedSentence(ctx), fix });
  for (const field of ['fromCIDR', 'toCIDR']) {
    for (const [i, text] of listOf(rule.raw[field]).entries()) {
      if (typeof text === 'string' && parseCidr(text.trim()) !== undefined) continue;
      hit(`${rule.path}.${field}[${i}]`, `unable to parse CIDR: ${String(text)}`, 'Write a prefix such as 10.0.0.0/8 or 192.0.2.7/32.');
    }
  }
  for (const field of ['fromCIDRSet', 'toCIDRSet']) {
    for (const [i, set] of listOf(rule.raw[field]).entries()) {
      if (!isRecord(set) || typeof set['cidr'] !== 'string') continue;
      const path = `${rule.path}.${field}[${i}]`;
      const cidr = parseCidr(set['cidr'].trim());
      if (cidr === undefined) {
        hit(`${path}.cidr`, ctx.said(`Unable to parse CIDRRule "${set['cidr']}"`), 'Write a prefix such as 10.0.0.0/8.');
        continue;
      }
      for (const [j, ex] of listOf(set['except']).entries()) {
        const e = typeof ex === 'string' ? parseCidr(ex.trim()) : undefined;
        if (e !== undefined && cidrContains(cidr, e)) continue;
        hit(
          `${path}.except[${j}]`,
          e === undefined
            ? `unable to parse CIDR: ${String(ex)}`
            : `allow CIDR prefix ${cidr.text} does not contain exclude CIDR prefix ${e.text}`,
          `An except narrows its own CIDR: give a prefix inside ${cidr.text}, or move it to a rule of its own.`,
        );
      }
    }
  }
  return out;
}

/** Cilium's FQDNSelector sanitizer message for a bad selector, else undefined. */
export function fqdnProblem(sel: Readonly<Record<string, unknown>>): string | undefined {
  const name = sel['matchName'];
  const pattern = sel['matchPattern'];
  if (name !== undefined && pattern !== undefined) return 'only one of MatchName or MatchPattern is allowed in an FQDNSelector';
  if (typeof name === 'string' && !/^[-a-zA-Z0-9_.]+$/.test(name))
    return `Invalid characters in MatchName: "${name}". Only 0-9, a-z, A-Z and . and - characters are allowed`;
  if (typeof pattern === 'string' && !/^[-a-zA-Z0-9_.*]+$/.test(pattern))
    return `Invalid characters in MatchPattern: "${pattern}". Only 0-9, a-z, A-Z and ., - and * characters are allowed`;
  return undefined;
}
