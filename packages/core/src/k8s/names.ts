import { quoteValue } from './quoteValue.ts';
/**
 * Kubernetes name and label syntax (apimachinery's validation package). Each check returns the
 * problem in words, or undefined when the text is valid, so zod schemas and imperative commands
 * (`kubectl label`) share one wording.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Names of Pods, Deployments, ServiceAccounts, policies: lowercase, digits, '-' and '.'. */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
  }
  return undefined;
}

/** Names of Namespaces and containers: like a subdomain but without dots, at most 63 characters. */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(name)) {
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name')";
  }
  return undefined;
}

/** Service names: a DNS label that starts with a letter, because they become DNS names. */
export function dns1035LabelProblem(name: string): string | undefined {
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!DNS1035_LABEL.test(name)) {
    return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name')";
  }
  return undefined;
}

/** `app.kubernetes.io/name`, `org`: an optional DNS subdomain prefix and a name of at most 63. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined) {
    if (prefix === '' || dnsSubdomainProblem(prefix) !== undefined) {
      return `prefix part of ${quoteValue(key)} must be a lowercase DNS subdomain (e.g. 'example.com')`;
    }
  }
  if (name.length === 0 || name.length > 63) return `name part of ${quoteValue(key)} must be between 1 and 63 characters`;
  if (!QUALIFIED_NAME.test(name)) {
    return `name part of ${quoteValue(key)} must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name', '123-abc')`;
  }
  return undefined;
}

/** Label values: empty, or at most 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `label value ${quoteValue(value)} must be no more than 63 characters`;
  if (!QUALIFIED_NAME.test(value)) {
    return `label value ${quoteValue(value)} must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value', '12345')`;
  }
  return undefined;
}

/** Port names (`http`, `dns-tcp`): at most 15 characters, with at least one letter. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'a port name must be no more than 15 characters';
  if (!IANA_SVC_NAME.test(name) || name.includes('--')) {
    return "a port name must contain only lowercase alphanumeric characters or '-', start and end with an alphanumeric character, and not contain '--'";
  }
  if (!/[a-z]/.test(name)) return 'a port name must contain at least one letter (a-z)';
  return undefined;
}

/** Dotted-quad IPv4 without leading zeros. */
export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}
