import type { TimeFormatName } from '../timeFormat.ts';

/** The formatting flags of `hubble observe` that change how a flow prints. */
export interface PrintOptions {
  /** `--time-format`; default StampMilli (`Jul  4 17:58:28.795`). */
  readonly timeFormat: TimeFormatName;
  /** `--print-node-name`. */
  readonly nodeName: boolean;
  /** `--print-policy-names`: `ALLOWED BY name (Kind)` on policy-verdict lines. */
  readonly policyNames: boolean;
  /** False with `--numeric` or `--ip-translation=false`: print addresses, not pod names. */
  readonly ipTranslation: boolean;
}

export const DEFAULT_PRINT_OPTIONS: PrintOptions = Object.freeze({
  timeFormat: 'StampMilli',
  nodeName: false,
  policyNames: false,
  ipTranslation: true,
});
