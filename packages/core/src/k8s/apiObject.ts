/**
 * An object as the API server serves it, with the fields of the real API: a stored object, one
 * the simulator derives for kubectl (an Endpoints, a CiliumEndpoint), or one written by hand in
 * the API's shape. Printers read only what they need and pass the rest through untouched.
 */
export interface ApiObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    /** RFC 3339, second precision: `2024-01-01T00:00:00Z`. */
    readonly creationTimestamp?: string;
    readonly deletionTimestamp?: string;
  };
  readonly [field: string]: unknown;
}
