import { describe, expect, it } from 'vitest';
import { AgentLog, formatLogLine, type LogLine } from '../../src/agent/agentLog.ts';

const line: LogLine = {
  atEpochMs: Date.parse('2024-07-04T17:58:03.017Z'),
  level: 'debug',
  msg: 'Validating Server SNI',
  fields: [['SNI ID', '48336']],
  subsys: 'auth',
};

describe('formatLogLine', () => {
  it('prints logrus text with time="..." to the second, fields and subsys sorted, unsafe values quoted', () => {
    expect(formatLogLine(line)).toBe('time="2024-07-04T17:58:03Z" level=debug msg="Validating Server SNI" SNI ID=48336 subsys=auth');
    expect(
      formatLogLine(
        {
          ...line,
          msg: 'x',
          fields: [
            ['zeta', 'a b'],
            ['alpha', 'a/b@c'],
          ],
          level: 'warning',
        },
        'logrus',
      ),
    ).toBe('time="2024-07-04T17:58:03Z" level=warning msg=x alpha=a/b@c subsys=auth zeta="a b"');
  });

  it("prints slog text: unquoted RFC3339Nano time, subsys first, call order, slog's quoting, warn", () => {
    expect(formatLogLine(line, 'slog')).toBe(
      'time=2024-07-04T17:58:03.017Z level=debug msg="Validating Server SNI" subsys=auth "SNI ID"=48336',
    );
    expect(
      formatLogLine(
        {
          ...line,
          atEpochMs: Date.parse('2024-07-04T17:58:03.500Z'),
          level: 'warning',
          fields: [
            ['zeta', ''],
            ['alpha', 'a=b'],
          ],
        },
        'slog',
      ),
    ).toBe('time=2024-07-04T17:58:03.5Z level=warn msg="Validating Server SNI" subsys=auth zeta="" alpha="a=b"');
    expect(formatLogLine({ ...line, atEpochMs: Date.parse('2024-07-04T17:58:03Z') }, 'slog')).toMatch(/^time=2024-07-04T17:58:03Z /);
  });
});

describe('AgentLog', () => {
  it('keeps lines in time order, shows only those written by now, and starts over on clear', () => {
    const log = new AgentLog();
    log.write({ ...line, atEpochMs: 3000, msg: 'third' });
    log.write({ ...line, atEpochMs: 1000, msg: 'first' });
    log.write({ ...line, atEpochMs: 2000, msg: 'second' });

    expect(log.lines().map((l) => l.msg)).toEqual(['first', 'second', 'third']);
    expect(log.lines(2500).map((l) => l.msg)).toEqual(['first', 'second']);
    log.clear();
    expect(log.lines()).toEqual([]);
  });
});
