/**
 * RFC 3986's remove_dot_segments, as curl applies it to every path and Envoy's path
 * normalization to every request: `/a/./b/../c` is `/a/c`, `..` never climbs above the root, and a
 * dot segment at the end leaves the directory it names (`/a/b/..` is `/a/`). `path` starts with `/`
 * and carries no query.
 */
export function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/').slice(1);
  segments.forEach((s, i) => {
    if (s === '..') out.pop();
    if (s === '.' || s === '..') {
      if (i === segments.length - 1) out.push('');
    } else out.push(s);
  });
  return `/${out.join('/')}`;
}
