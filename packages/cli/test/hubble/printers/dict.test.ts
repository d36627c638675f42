import { describe, expect, it } from 'vitest';
import { hubble } from '@cilium-sim/core';
import { printDict } from '../../../src/hubble/printers/dict.ts';
import { DEFAULT_PRINT_OPTIONS } from '../../../src/hubble/printers/printOptions.ts';
import * as fx from '../../../../core/test/hubble/flowFixtures.ts';

const { normalizeFlow } = hubble;

const flows = [fx.xwingDeniedVerdict, fx.xwingPolicyDrop, fx.replyTrace].map(normalizeFlow);

describe('dict flow output', () => {
  it('prints right-aligned keys per flow and separates flows with dashes', () => {
    expect(printDict(flows.slice(0, 2), DEFAULT_PRINT_OPTIONS)).toBe(
      [
        '  TIMESTAMP: Jun 15 14:07:01.123',
        '     SOURCE: default/xwing:41702',
        'DESTINATION: default/deathstar-6fb5694d48-5hmds:80',
        '       TYPE: policy-verdict:none INGRESS',
        '    VERDICT: DENIED',
        '    SUMMARY: TCP Flags: SYN',
        '------------',
        '  TIMESTAMP: Jun 15 14:07:01.123',
        '     SOURCE: default/xwing:41702',
        'DESTINATION: default/deathstar-6fb5694d48-5hmds:80',
        '       TYPE: Policy denied',
        '    VERDICT: DROPPED',
        '    SUMMARY: TCP Flags: SYN',
        '',
      ].join('\n'),
    );
  });

  it('adds a NODE line with --print-node-name', () => {
    expect(printDict(flows.slice(0, 1), { ...DEFAULT_PRINT_OPTIONS, nodeName: true })).toContain(
      '  TIMESTAMP: Jun 15 14:07:01.123\n       NODE: kind-worker\n',
    );
  });
});
