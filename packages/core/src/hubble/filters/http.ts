import { compileRe2, type Re2 } from '../../re2.ts';
import { EventType } from '../flow.ts';
import type { Flow, Http } from '../flow.ts';
import { filterError, isSet, type FilterBuilder, type FilterFunc, type FlowFilter } from './flowFilter.ts';

const STATUS_FULL = /^[1-5][0-9]{2}$/;
const STATUS_PREFIX = /^([1-5][0-9]?)\+$/;

function httpOf(flow: Flow): Http | undefined {
  return flow.l7?.http;
}

function statusFilter(ff: FlowFilter, values: readonly string[]): FilterFunc {
  if (isSet(ff.eventType) && !ff.eventType.some((t) => t.type === EventType.l7)) {
    throw filterError('httpStatusCode', "filtering by http status code requires the event type filter to only match 'l7' events");
  }
  const tests = values.map((v, i) => {
    if (STATUS_FULL.test(v)) return (code: string) => code === v;
    const m = STATUS_PREFIX.exec(v);
    if (m !== null) return (code: string) => code.startsWith(m[1]!);
    throw filterError(`httpStatusCode[${i}]`, `invalid status code prefix: "${v}": expected a code such as 404 or a prefix such as 5+`);
  });
  return (flow) => {
    const code = httpOf(flow)?.code ?? 0;
    return code !== 0 && tests.some((t) => t(String(code).padStart(3, '0')));
  };
}

/** Hubble compiles these with Go's regexp: RE2. */
function regexps(values: readonly string[], field: string): Re2[] {
  return values.map((v, i) => {
    const re = compileRe2(v);
    if (typeof re === 'string') throw filterError(`${field}[${i}]`, `invalid regular expression "${v}": ${re}`);
    return re;
  });
}

function urlPath(url: string): string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(url);
  return m === null ? url.replace(/[?#].*$/, '') : m[1]!;
}

/** `--http-status`, `--http-method`, `--http-path` (regex on the path), `--http-url` (regex), `--http-header`. */
export const httpFilters: FilterBuilder = (ff) => {
  const out: FilterFunc[] = [];
  if (isSet(ff.httpStatusCode)) out.push(statusFilter(ff, ff.httpStatusCode));
  if (isSet(ff.httpMethod)) {
    const methods = ff.httpMethod.map((m) => m.toUpperCase());
    out.push((flow) => methods.includes((httpOf(flow)?.method ?? '\0').toUpperCase()));
  }
  if (isSet(ff.httpPath)) {
    const res = regexps(ff.httpPath, 'httpPath');
    out.push((flow) => {
      const url = httpOf(flow)?.url;
      return url !== undefined && res.some((r) => r.test(urlPath(url)));
    });
  }
  if (isSet(ff.httpUrl)) {
    const res = regexps(ff.httpUrl, 'httpUrl');
    out.push((flow) => {
      const url = httpOf(flow)?.url;
      return url !== undefined && res.some((r) => r.test(url));
    });
  }
  if (isSet(ff.httpHeader)) {
    const wanted = ff.httpHeader;
    out.push((flow) => (httpOf(flow)?.headers ?? []).some((h) => wanted.some((w) => w.key === h.key && w.value === h.value)));
  }
  return out;
};
