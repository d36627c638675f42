/**
 * Where the programs a lab runs live in their images, so an event names the binary by its full
 * path as Tetragon reads it from the kernel (`/usr/bin/curl`, not `curl`). The images of the
 * labs are Debian or Alpine based; both keep these tools here.
 */
const BINARY_PATHS: Readonly<Record<string, string>> = {
  bash: '/bin/bash',
  sh: '/bin/sh',
  curl: '/usr/bin/curl',
  nc: '/usr/bin/nc',
  nslookup: '/usr/bin/nslookup',
  dig: '/usr/bin/dig',
  tcpdump: '/usr/bin/tcpdump',
  tetra: '/usr/bin/tetra',
  cilium: '/usr/bin/cilium',
  'cilium-dbg': '/usr/bin/cilium-dbg',
  'spire-server': '/opt/spire/bin/spire-server',
};

/** The absolute path `execve` resolves `name` to: as written when it has a slash, else from PATH. */
export function binaryPath(name: string): string {
  if (name.includes('/')) return name;
  return BINARY_PATHS[name] ?? `/usr/bin/${name}`;
}

/**
 * The arguments after the binary as Tetragon joins them (pkg/process/args.go): separated by a
 * space, and an argument containing a space in double quotes, with a space before it even when
 * it comes first.
 *
 * @example tetragonArguments(['-c', 'curl -s http://deathstar']) === '-c "curl -s http://deathstar"'
 */
export function tetragonArguments(args: readonly string[]): string {
  let out = '';
  for (const a of args) {
    if (a.includes(' ')) out += ` "${a}"`;
    else out = out === '' ? a : `${out} ${a}`;
  }
  return out;
}
