import type { ApiObject } from '../apiObject.ts';
import type { Ingress as IngressObject } from '../schemas/ingress.ts';
import type { IngressClass as IngressClassObject } from '../schemas/ingressClass.ts';
import { AGE_COLUMN, columns } from './printerColumn.ts';

/** An Ingress as the printer reads it. */
type Ingress = IngressObject & ApiObject;
type IngressClass = IngressClassObject & ApiObject;

/** The load balancer addresses an ingress controller wrote into the status. */
interface IngressStatus {
  readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string }[] };
}

/** Up to three hosts, then `+ N more...`; `*` when no rule names a host (kubectl's formatHosts). */
function hosts(ing: Ingress): string {
  const list = (ing.spec.rules ?? []).flatMap((r) => (r.host === undefined || r.host === '' ? [] : [r.host]));
  if (list.length === 0) return '*';
  const shown = list.slice(0, 3).join(',');
  return list.length > 3 ? `${shown} + ${list.length - 3} more...` : shown;
}

/** `kubectl get ingress` (pkg/printers/internalversion printIngress): NAME CLASS HOSTS ADDRESS PORTS AGE. */
export const INGRESS_COLUMNS = columns<Ingress>(
  { name: 'Class', type: 'string', cell: (i) => i.spec.ingressClassName ?? '<none>' },
  { name: 'Hosts', type: 'string', cell: hosts },
  {
    name: 'Address',
    type: 'string',
    cell: (i) => ((i.status as IngressStatus | undefined)?.loadBalancer?.ingress ?? []).map((a) => a.ip ?? a.hostname ?? '').join(','),
  },
  { name: 'Ports', type: 'string', cell: (i) => ((i.spec.tls ?? []).length > 0 ? '80, 443' : '80') },
  AGE_COLUMN,
);

/** `kubectl get ingressclass` (printIngressClass): NAME CONTROLLER PARAMETERS AGE; PARAMETERS `Kind.apiGroup/name` or `<none>`. */
export const INGRESSCLASS_COLUMNS = columns<IngressClass>(
  { name: 'Controller', type: 'string', cell: (c) => c.spec?.controller ?? '' },
  {
    name: 'Parameters',
    type: 'string',
    cell: (c) => {
      const p = c.spec?.parameters;
      if (p === undefined) return '<none>';
      return `${p.kind}${p.apiGroup === undefined ? '' : `.${p.apiGroup}`}/${p.name}`;
    },
  },
  AGE_COLUMN,
);
