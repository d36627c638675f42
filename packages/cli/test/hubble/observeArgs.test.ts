import { describe, expect, it } from 'vitest';
import { parseObserveArgs } from '../../src/hubble/observeArgs.ts';
import { hubble } from '@cilium-sim/core';

const { formatFlowTime } = hubble;

const NOW = Date.UTC(2024, 6, 4, 18, 0, 0);
const parse = (...argv: string[]) => parseObserveArgs(argv, NOW);
const error = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
};

describe('hubble observe arguments', () => {
  it('selects the last 20 flows in compact output by default', () => {
    const args = parse();
    expect(args.selection).toEqual({ follow: false, last: 20 });
    expect(args.output).toBe('compact');
    expect(args.whitelist).toEqual([]);
    expect(args.print).toEqual({ timeFormat: 'StampMilli', nodeName: false, policyNames: false, ipTranslation: true });
  });

  it('takes values as --flag value, --flag=value, -x value and -xvalue', () => {
    expect(parse('--last', '5').selection.last).toBe(5);
    expect(parse('--last=7').selection.last).toBe(7);
    expect(parse('-o', 'json').output).toBe('json');
    expect(parse('-ojsonpb').output).toBe('jsonpb');
    expect(parse('flows', '-o', 'table').output).toBe('table');
  });

  it('selects every flow with --all and none by default with --follow', () => {
    expect(parse('--all').selection).toEqual({ follow: false, last: Infinity });
    expect(parse('-f').selection).toEqual({ follow: true });
    expect(parse('--first', '3').selection).toEqual({ follow: false, first: 3 });
  });

  it('resolves relative --since and --until against now, and keeps absolute times', () => {
    const sel = parse('--since', '1h43m', '--until', '2024-07-04T17:59:00Z').selection;
    expect(formatFlowTime(sel.since!)).toBe('2024-07-04T16:17:00Z');
    expect(formatFlowTime(sel.until!)).toBe('2024-07-04T17:59:00Z');
    expect(sel.last).toBeUndefined();
  });

  it('builds a source filter and a destination filter from --pod', () => {
    expect(parse('--pod', 'default/xwing').whitelist).toEqual([{ sourcePod: ['default/xwing'] }, { destinationPod: ['default/xwing'] }]);
  });

  it('builds one filter from --from- and --to- flags, ANDed', () => {
    expect(parse('--from-pod', 'xwing', '--to-label', 'org=empire', '--verdict', 'DROPPED').whitelist).toEqual([
      { sourcePod: ['xwing'], destinationLabel: ['org=empire'], verdict: ['DROPPED'] },
    ]);
  });

  it('turns -n into namespace prefixes on either side', () => {
    expect(parse('-n', 'kube-system').whitelist).toEqual([{ sourcePod: ['kube-system/'] }, { destinationPod: ['kube-system/'] }]);
    expect(parse('--to-namespace', 'default', '--to-pod', 'deathstar').whitelist).toEqual([{ destinationPod: ['default/deathstar'] }]);
  });

  it('sends the filter after --not to the blacklist', () => {
    const args = parse('--not', '--from-pod', 'kube-system/', '--verdict', 'DROPPED');
    expect(args.blacklist).toEqual([{ sourcePod: ['kube-system/'] }]);
    expect(args.whitelist).toEqual([{ verdict: ['DROPPED'] }]);
  });

  it('parses event types with trace sub-types', () => {
    expect(parse('-t', 'trace:to-endpoint', '-t', 'drop').whitelist).toEqual([{ eventType: [{ type: 4, subType: 0 }, { type: 1 }] }]);
    expect(parse('--type', 'policy-verdict').whitelist).toEqual([{ eventType: [{ type: 5 }] }]);
  });

  it('parses identities by number or reserved name, and boolean short groups', () => {
    expect(parse('--from-identity', 'world').whitelist).toEqual([{ sourceIdentity: [2] }]);
    const args = parse('-fA', '--print-node-name', '--numeric');
    expect(args.selection.follow).toBe(true);
    expect(args.print).toMatchObject({ nodeName: true, ipTranslation: false });
  });

  it.each([
    [['--bogus'], '--bogus', 'unknown flag: --bogus'],
    [['-x'], '-x', "unknown shorthand flag: 'x' in -x"],
    [['--last'], '--last', 'flag needs an argument: --last'],
    [['--last', 'ten'], '--last', 'invalid argument "ten" for "--last" flag: strconv.ParseUint: parsing "ten": invalid syntax'],
    [['--verdict', 'dropped'], '--verdict', 'invalid argument "dropped" for "--verdict" flag: invalid --verdict value: dropped'],
    [
      ['--drop-reason-desc', 'NOPE'],
      '--drop-reason-desc',
      'invalid argument "NOPE" for "--drop-reason-desc" flag: invalid --drop-reason-desc value: NOPE',
    ],
    [['-o', 'yaml'], '--output', 'invalid output format: yaml'],
    [['--first', '2', '--last', '3'], '--first', 'cannot set both --first and --last'],
    [['--all', '--last', '3'], '--last', 'cannot set both --last and --all'],
    [['--label', 'a=b', '--from-label', 'c=d'], '--from-label', 'filters --label and --from-label cannot be combined'],
    [['--not'], '--not', 'trailing --not found in the arguments'],
    [['--not', '--not', '--pod', 'x'], '--not', 'consecutive --not statements'],
    [
      ['--traffic-direction', 'sideways'],
      '--traffic-direction',
      'invalid argument "sideways" for "--traffic-direction" flag: sideways: invalid traffic direction, expected ingress or egress',
    ],
    [['--tcp-flags', 'syn,nope'], '--tcp-flags', 'invalid argument "syn,nope" for "--tcp-flags" flag: unknown tcp flag: nope'],
    [['--protocol', 'quic'], '--protocol', expect.stringContaining('unknown protocol: "quic"')],
    [['-o', 'table', '--follow'], '--output', 'table output format is not compatible with follow mode'],
  ])('rejects %j', (argv, path, message) => {
    expect(error(...argv)).toMatchObject({
      code: 'INVALID_FLAG',
      object: 'hubble observe',
      path,
      issues: [expect.objectContaining({ message })],
    });
  });

  it('rejects an unparsable --since with the time formats it accepts', () => {
    expect(error('--since', 'yesterday')).toMatchObject({
      code: 'INVALID_FLAG',
      path: '--since',
      message: expect.stringContaining('failed to parse the since time'),
    });
  });

  it('rejects positional arguments as unknown commands', () => {
    expect(error('xwing')).toMatchObject({
      code: 'INVALID_COMMAND',
      message: expect.stringContaining('unknown command "xwing" for "hubble observe"'),
    });
  });
});
