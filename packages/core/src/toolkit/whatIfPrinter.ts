import { AUTH_TYPE, authTypeName } from '../policy/authType.ts';
import type { PolicyMapKey } from '../policy/policyMap.ts';
import type { ObjectResult } from '../k8s/store.ts';
import { protocolName } from '../policy/u8proto.ts';
import type { EntryChange, EntrySummary, IdentityMapChange } from './mapDiff.ts';
import type { FlowVerdictChange } from './flowReplay.ts';
import type { MatrixFlip, WhatIfReport } from './whatIf.ts';

/**
 * `kubectl apply --dry-run=server -f FILE` as the sandbox prints it: one line per object as the
 * caller words it (`describe`; kubectl's `ciliumnetworkpolicy.cilium.io/rule1 created`, then
 * ` (server dry run)`; errors on stderr), then what the change would do: policy map entries per
 * identity, connectivity that flips, and observed traffic whose verdict would change.
 */
export function formatWhatIf(report: WhatIfReport, describe: (r: ObjectResult) => string): { stdout: string; stderr: string } {
  const ok = report.results.filter((r) => r.ok).map((r) => `${describe(r)} (server dry run)\n`);
  const errors = report.results.filter((r) => !r.ok).map((r) => `${describe(r)}\n`);
  if (report.changedPolicies.length === 0) return { stdout: ok.join(''), stderr: errors.join('') };
  const name = (id: number): string => (report.identityNames[id] === undefined ? `${id}` : `${id} (${report.identityNames[id]})`);
  const sections = [
    section(
      'Policy map changes',
      report.maps.flatMap((m) => mapLines(m, name)),
    ),
    section(
      `Connectivity changes (namespaces: ${namespacesText(report.matrix.namespaces)}; ports: ${report.matrix.ports.map((p) => `${p.protocol}/${p.port}`).join(', ') || 'none'})`,
      report.matrix.flips.map(flipLine),
    ),
    section('Observed traffic whose verdict would change', report.flows.map(flowChangeLine)),
  ];
  return { stdout: `${ok.join('')}\n${sections.join('\n')}`, stderr: errors.join('') };
}

function section(title: string, lines: readonly string[]): string {
  return `${title}:\n${(lines.length === 0 ? ['(none)'] : lines).map((l) => `  ${l}\n`).join('')}`;
}

function namespacesText(ns: readonly string[] | 'all'): string {
  return ns === 'all' ? 'all' : ns.join(', ');
}

function mapLines(m: IdentityMapChange, name: (id: number) => string): string[] {
  return [
    `identity ${name(m.identity)}:`,
    ...m.enforcement.map((e) => `  ${e.direction.toLowerCase()} enforcement: ${e.before ? 'on' : 'off'} -> ${e.after ? 'on' : 'off'}`),
    ...m.entries.map((e) => `  ${entryLine(e, name)}`),
  ];
}

const SIGN: Readonly<Record<EntryChange['change'], string>> = { added: '+', removed: '-', changed: '~' };

function entryLine(e: EntryChange, name: (id: number) => string): string {
  const k = e.key;
  const peer = k.identity === 0 ? 'any identity' : name(k.identity);
  const where = `${k.direction} ${k.direction === 'INGRESS' ? 'from' : 'to'} ${peer} ${portText(k)}`;
  const value = e.change === 'changed' ? `${summaryText(e.before!)} -> ${summaryText(e.after!)}` : summaryText((e.after ?? e.before)!);
  return `${SIGN[e.change]} ${where}: ${value}`;
}

function summaryText(s: EntrySummary): string {
  const extras = [
    s.authType !== AUTH_TYPE.disabled ? `auth ${authTypeName(s.authType)}` : '',
    s.l7.length > 0 ? `L7 ${s.l7.join('+')}` : '',
  ].filter((x) => x !== '');
  return `${s.verdict}${extras.length === 0 ? '' : ` (${extras.join(', ')})`}${s.policies.length === 0 ? '' : ` [${s.policies.join(', ')}]`}`;
}

/** `TCP/80`, `TCP/8080-8095` for a prefix block, `TCP/any`, `any protocol`. */
export function portText(k: Pick<PolicyMapKey, 'proto' | 'port' | 'portPrefixLength'>): string {
  if (k.proto === 0) return 'any protocol';
  const proto = protocolName(k.proto) ?? `proto ${k.proto}`;
  if (k.portPrefixLength === 0) return `${proto}/any`;
  const end = k.port + 2 ** (16 - k.portPrefixLength) - 1;
  return end === k.port ? `${proto}/${k.port}` : `${proto}/${k.port}-${end}`;
}

function flipLine(f: MatrixFlip): string {
  const v = (b: boolean): string => (b ? 'allowed' : 'denied');
  const dirs = [f.before.ingress !== f.after.ingress ? 'ingress' : '', f.before.egress !== f.after.egress ? 'egress' : '']
    .filter((d) => d !== '')
    .join('+');
  return `${f.source} -> ${f.destination} ${f.protocol}/${f.port}: ${v(f.before.combined)} -> ${v(f.after.combined)} (${dirs})`;
}

/**
 * One observed connection (or request) whose verdict would change, and what decides the new one:
 * `default/xwing -> default/deathstar TCP/80 1 connection: FORWARDED -> DROPPED (recorded FORWARDED),
 * decided by CiliumNetworkPolicy default/rule1: ingress default deny, no rule allows it`.
 */
export function flowChangeLine(f: FlowVerdictChange): string {
  const what = f.request === undefined ? `${f.count} connection${f.count === 1 ? '' : 's'}` : `${f.request} x${f.count}`;
  const by = f.decidedBy.length === 0 ? f.reason : `decided by ${f.decidedBy.join(', ')}: ${f.reason}`;
  return `${f.source} -> ${f.destination} ${f.protocol}/${f.port} ${what}: ${f.before} -> ${f.after} (recorded ${f.recorded}), ${by}`;
}
