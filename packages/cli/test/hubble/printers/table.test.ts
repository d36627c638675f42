import { describe, expect, it } from 'vitest';
import { hubble } from '@cilium-sim/core';
import { DEFAULT_PRINT_OPTIONS } from '../../../src/hubble/printers/printOptions.ts';
import { printTable } from '../../../src/hubble/printers/table.ts';
import * as fx from '../../../../core/test/hubble/flowFixtures.ts';

const { normalizeFlow } = hubble;

const flows = [fx.xwingDeniedVerdict, fx.xwingPolicyDrop, fx.replyTrace].map(normalizeFlow);

describe('table flow output', () => {
  it('aligns the columns with three spaces of padding and no identities', () => {
    expect(printTable(flows, DEFAULT_PRINT_OPTIONS)).toBe(
      [
        'TIMESTAMP             SOURCE                                  DESTINATION                             TYPE                          VERDICT     SUMMARY',
        'Jun 15 14:07:01.123   default/xwing:41702                     default/deathstar-6fb5694d48-5hmds:80   policy-verdict:none INGRESS   DENIED      TCP Flags: SYN',
        'Jun 15 14:07:01.123   default/xwing:41702                     default/deathstar-6fb5694d48-5hmds:80   Policy denied                 DROPPED     TCP Flags: SYN',
        'Jun 15 14:07:02.000   default/deathstar-6fb5694d48-5hmds:80   default/xwing:41702                     to-endpoint                   FORWARDED   TCP Flags: SYN, ACK',
        '',
      ].join('\n'),
    );
  });

  it('adds a NODE column with --print-node-name', () => {
    expect(printTable(flows.slice(0, 1), { ...DEFAULT_PRINT_OPTIONS, nodeName: true }).split('\n')[0]).toMatch(
      /^TIMESTAMP {13}NODE {10}SOURCE/,
    );
  });

  it('prints nothing, not even the header, when there are no flows', () => {
    expect(printTable([], DEFAULT_PRINT_OPTIONS)).toBe('');
  });
});
