/**
 * One checked thing (a test case, a linted policy) as the CI report formats see it: JUnit XML,
 * TAP and GitHub annotations render these, whatever the command.
 */
export type ReportStatus = 'passed' | 'failed' | 'error';

/** The report formats `cilium-sim test` and `cilium-sim lint` print besides their own text. */
export const REPORT_FORMATS = ['text', 'junit', 'tap', 'json', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportCase {
  readonly name: string;
  /** The file and 1-based line the case (or finding) is written at. */
  readonly file: string;
  readonly line: number;
  readonly status: ReportStatus;
  /** For GitHub: a failure that is a warning or a notice rather than an error. */
  readonly level?: 'error' | 'warning' | 'notice';
  /** A short title: the failure's kind or the lint code. */
  readonly title?: string;
  /** One line saying what failed. */
  readonly message?: string;
  /** The rest: flows, the decision, the fix. */
  readonly details?: string;
  readonly timeSeconds?: number;
}

export interface ReportSuite {
  readonly name: string;
  readonly file: string;
  readonly cases: readonly ReportCase[];
  /** When the suite ran, RFC 3339 (the virtual clock's, so reports are reproducible). */
  readonly timestamp?: string;
  readonly timeSeconds?: number;
}
