import { isSimError, NS_PER_MS, spire } from '@cilium-sim/core';
import type { CommandResult } from '../shell/command.ts';
import { flagBool, flagNumber, flagString, flagStrings, flagUsage, parseGoFlags, type FlagSpec, type FlagValue } from './goFlags.ts';
import { formatAgents, formatEntries, formatEntry } from './serverCliPrint.ts';

type EntryFilter = spire.EntryFilter;
type RegistrationEntry = spire.RegistrationEntry;
type Selector = spire.Selector;
type SelectorMatch = spire.SelectorMatch;
type SpireServer = spire.SpireServer;
const { encodePem, formatRfc3339, isSpireStatusError, parseSelector, SELECTOR_MATCHES, spiffeIdProblem, svidPem } = spire;

type Values = ReadonlyMap<string, FlagValue>;
interface Command {
  readonly synopsis: string;
  readonly flags: readonly FlagSpec[];
  readonly run: (server: SpireServer, v: Values) => CommandResult;
}

const ok = (stdout: string, stderr = ''): CommandResult => ({ stdout, stderr, exitCode: 0 });
const fail = (message: string, stdout = ''): CommandResult => ({ stdout, stderr: `Error: ${message}\n`, exitCode: 1 });
const SOCKET: FlagSpec = {
  name: 'socketPath',
  kind: 'string',
  usage: 'Path to the SPIRE Server API socket',
  defaultValue: '/tmp/spire-server/private/api.sock',
};
const OUTPUT: FlagSpec = { name: 'output', kind: 'string', usage: 'Desired output format (pretty, json)', defaultValue: 'pretty' };
const SELECTOR: FlagSpec = {
  name: 'selector',
  kind: 'strings',
  usage: 'A colon-delimited type:value selector. Can be used more than once',
};
const MATCH: FlagSpec = {
  name: 'matchSelectorsOn',
  kind: 'string',
  usage: 'The match mode used when filtering by selectors. Options: exact, any, superset and subset',
  defaultValue: 'superset',
};

/** A SpireStatusError as the CLI prints it; anything else is a bug and propagates. */
function rpcFailure(e: unknown, prefix = ''): CommandResult {
  if (isSpireStatusError(e)) return fail(prefix + e.message);
  throw e;
}

function healthcheck(server: SpireServer, v: Values): CommandResult {
  const verbose = flagBool(v, 'verbose');
  const out = verbose ? 'Checking server health...\n' : '';
  if (!server.healthy) {
    const why = verbose
      ? 'rpc error: code = Unavailable desc = connection error: desc = "transport: error while dialing: dial unix /tmp/spire-server/private/api.sock: connect: connection refused"'
      : 'unable to determine health';
    return fail(`server is unhealthy: ${why}`, out);
  }
  return ok(`${out}Server is healthy.\n`);
}

function agentList(server: SpireServer): CommandResult {
  try {
    return ok(formatAgents(server.listAgents()));
  } catch (e) {
    return rpcFailure(e);
  }
}

/** Parses the `-selector` flags, or returns SPIRE's error. */
function selectorsOf(v: Values): Selector[] | CommandResult {
  try {
    return flagStrings(v, 'selector').map((s) => parseSelector(s));
  } catch (e) {
    if (!isSimError(e)) throw e;
    const raw = flagStrings(v, 'selector').find((s) => !s.includes(':'));
    return fail(`error parsing selectors: selector ${JSON.stringify(raw)} must be formatted as type:value`);
  }
}

function entryShowFilter(v: Values): EntryFilter | CommandResult {
  const spiffeId = flagString(v, 'spiffeID');
  const parentId = flagString(v, 'parentID');
  const match = flagString(v, 'matchSelectorsOn', 'superset');
  const spiffeProblem = spiffeId === '' ? undefined : spiffeIdProblem(spiffeId);
  if (spiffeProblem !== undefined) return fail(`error parsing SPIFFE ID ${JSON.stringify(spiffeId)}: ${spiffeProblem}`);
  const parentProblem = parentId === '' ? undefined : spiffeIdProblem(parentId);
  if (parentProblem !== undefined) return fail(`error parsing parent ID ${JSON.stringify(parentId)}: ${parentProblem}`);
  const selectors = selectorsOf(v);
  if (!Array.isArray(selectors)) return selectors;
  if (!(SELECTOR_MATCHES as readonly string[]).includes(match)) return fail(`match behavior ${JSON.stringify(match)} unknown`);
  return {
    ...(spiffeId === '' ? {} : { spiffeId }),
    ...(parentId === '' ? {} : { parentId }),
    ...(selectors.length === 0 ? {} : { selectors, match: match as SelectorMatch }),
  };
}

function entryShow(server: SpireServer, v: Values): CommandResult {
  const entryId = flagString(v, 'entryID');
  if (entryId !== '') {
    if (['spiffeID', 'parentID', 'selector'].some((f) => v.has(f))) return fail("the -entryID flag can't be combined with others");
    try {
      return ok(formatEntries([server.getEntry(entryId)]));
    } catch (e) {
      return rpcFailure(e, `error fetching entry ID ${entryId}: `);
    }
  }
  const filter = entryShowFilter(v);
  if ('exitCode' in filter) return filter;
  try {
    return ok(formatEntries(server.listEntries(filter)));
  } catch (e) {
    return rpcFailure(e, 'error fetching entries: ');
  }
}

/** SPIRE's client-side checks of `entry create`, in its order; a bad ID is named as `entry show` names it. */
function entryCreateProblem(v: Values): string | undefined {
  const node = flagBool(v, 'node');
  if (flagStrings(v, 'selector').length === 0) return 'at least one selector is required';
  if (flagString(v, 'parentID') === '' && !node) return 'a parent ID is required if the node flag is not set';
  if (flagString(v, 'spiffeID') === '') return 'a SPIFFE ID is required';
  if (flagNumber(v, 'x509SVIDTTL') < 0) return 'a positive x509-SVID TTL is required';
  if (flagNumber(v, 'jwtSVIDTTL') < 0) return 'a positive JWT-SVID TTL is required';
  const spiffeId = flagString(v, 'spiffeID');
  const idProblem = spiffeIdProblem(spiffeId);
  if (idProblem !== undefined) return `error parsing SPIFFE ID ${JSON.stringify(spiffeId)}: ${idProblem}`;
  const parentId = flagString(v, 'parentID');
  const parentProblem = node ? undefined : spiffeIdProblem(parentId);
  return parentProblem === undefined ? undefined : `error parsing parent ID ${JSON.stringify(parentId)}: ${parentProblem}`;
}

function failedEntry(code: string, msg: string, entry: Omit<RegistrationEntry, 'id'>): CommandResult {
  const header = `Failed to create the following entry (code: ${code}, msg: ${JSON.stringify(msg)}):\n`;
  return { stdout: '', stderr: `${header + formatEntry({ ...entry, id: '' })}Error: failed to create one or more entries\n`, exitCode: 1 };
}

function entryCreate(server: SpireServer, v: Values): CommandResult {
  const problem = entryCreateProblem(v);
  if (problem !== undefined) return fail(problem);
  const selectors = selectorsOf(v);
  if (!Array.isArray(selectors)) return fail(selectors.stderr.replace(/^Error: error parsing selectors: /, '').trimEnd());
  const node = flagBool(v, 'node');
  const input = {
    spiffeId: flagString(v, 'spiffeID'),
    ...(node ? { node } : { parentId: flagString(v, 'parentID') }),
    selectors,
    x509SvidTtl: flagNumber(v, 'x509SVIDTTL'),
    jwtSvidTtl: flagNumber(v, 'jwtSVIDTTL'),
    admin: flagBool(v, 'admin'),
    downstream: flagBool(v, 'downstream'),
    dnsNames: flagStrings(v, 'dns'),
  };
  const shown = { ...input, parentId: node ? server.serverId : flagString(v, 'parentID'), revision: 0, expiresAt: 0 };
  try {
    return ok(formatEntry(server.createEntry(input)));
  } catch (e) {
    if (isSimError(e)) return failedEntry('InvalidArgument', `failed to convert entry: ${e.issues[0]!.message}`, shown);
    if (isSpireStatusError(e) && e.code !== 'Unavailable') return failedEntry(e.code, e.desc, shown);
    return rpcFailure(e);
  }
}

function entryDelete(server: SpireServer, v: Values): CommandResult {
  const entryId = flagString(v, 'entryID');
  if (entryId === '') return fail('an entry ID is required');
  try {
    server.deleteEntry(entryId);
    return ok(`Deleted entry with ID: ${entryId}\n`);
  } catch (e) {
    if (isSpireStatusError(e) && e.code === 'NotFound') return fail(`failed to delete entry: ${e.desc}`);
    return rpcFailure(e);
  }
}

function bundleShow(server: SpireServer, v: Values): CommandResult {
  const format = flagString(v, 'format', 'pem');
  if (format !== 'pem') return fail(`format ${JSON.stringify(format)} is not supported by the simulator; use -format pem`);
  try {
    return ok(
      server
        .bundle()
        .map((c) => encodePem('CERTIFICATE', c.der))
        .join(''),
    );
  } catch (e) {
    return rpcFailure(e);
  }
}

function x509Mint(server: SpireServer, v: Values): CommandResult {
  const spiffeId = flagString(v, 'spiffeID');
  if (spiffeId === '') return fail('spiffeID must be specified');
  const problem = spiffeIdProblem(spiffeId);
  if (problem !== undefined) return fail(`error parsing SPIFFE ID ${JSON.stringify(spiffeId)}: ${problem}`);
  if (flagString(v, 'write') !== '')
    return fail('-write is not supported by the simulator (it has no file system); omit it to print the PEM blocks');
  const ttlNs = flagNumber(v, 'ttl');
  try {
    const svid = server.mintX509Svid(spiffeId, ttlNs);
    const bundle = server
      .bundle()
      .map((c) => encodePem('CERTIFICATE', c.der))
      .join('');
    // NotBefore is backdated 10 s, so the granted lifetime is NotAfter - NotBefore - 10 s (1 s slack for whole seconds).
    const capped = ttlNs > 0 && svid.expiresAtMs - svid.notBeforeMs - 10_000 < ttlNs / NS_PER_MS - 1000;
    const warning = capped
      ? `X509-SVID lifetime was capped shorter than specified ttl; expires ${JSON.stringify(formatRfc3339(svid.expiresAtMs))}\n`
      : '';
    return ok(`X509-SVID:\n${svidPem(svid)}\nPrivate key:\n${svid.privateKeyPem}\nRoot CAs:\n${bundle}\n`, warning);
  } catch (e) {
    return rpcFailure(e, 'unable to mint SVID: ');
  }
}

const COMMANDS: Readonly<Record<string, Command>> = {
  healthcheck: {
    synopsis: 'Determines server health status',
    flags: [
      { name: 'shallow', kind: 'bool', usage: 'Perform a less stringent health check' },
      SOCKET,
      { name: 'verbose', kind: 'bool', usage: 'Print verbose information' },
    ],
    run: healthcheck,
  },
  'agent list': { synopsis: 'Lists attested agents and their SPIFFE IDs', flags: [MATCH, OUTPUT, SELECTOR, SOCKET], run: agentList },
  'entry show': {
    synopsis: 'Displays configured registration entries',
    flags: [
      { name: 'entryID', kind: 'string', usage: 'The Entry ID of the records to show' },
      MATCH,
      OUTPUT,
      { name: 'parentID', kind: 'string', usage: 'The Parent ID of the records to show' },
      SELECTOR,
      SOCKET,
      { name: 'spiffeID', kind: 'string', usage: 'The SPIFFE ID of the records to show' },
    ],
    run: entryShow,
  },
  'entry create': {
    synopsis: 'Creates registration entries',
    flags: [
      { name: 'admin', kind: 'bool', usage: 'If set, the SPIFFE ID in this entry will be granted access to the SPIRE Server APIs' },
      {
        name: 'dns',
        kind: 'strings',
        usage: 'A DNS name that will be included in SVIDs issued based on this entry, where appropriate. Can be used more than once',
      },
      {
        name: 'downstream',
        kind: 'bool',
        usage: 'A boolean value that, when set, indicates that the entry describes a downstream SPIRE server',
      },
      { name: 'jwtSVIDTTL', kind: 'int', usage: 'The lifetime, in seconds, for JWT-SVIDs issued based on this registration entry.' },
      { name: 'node', kind: 'bool', usage: 'If set, this entry will be applied to matching nodes rather than workloads' },
      OUTPUT,
      { name: 'parentID', kind: 'string', usage: "The SPIFFE ID of this record's parent" },
      SELECTOR,
      SOCKET,
      { name: 'spiffeID', kind: 'string', usage: 'The SPIFFE ID that this record represents' },
      { name: 'x509SVIDTTL', kind: 'int', usage: 'The lifetime, in seconds, for x509-SVIDs issued based on this registration entry.' },
    ],
    run: entryCreate,
  },
  'entry delete': {
    synopsis: 'Deletes registration entries',
    flags: [{ name: 'entryID', kind: 'string', usage: 'The Registration Entry ID of the record to delete.' }, OUTPUT, SOCKET],
    run: entryDelete,
  },
  'bundle show': {
    synopsis: 'Prints server CA bundle to stdout',
    flags: [
      { name: 'format', kind: 'string', usage: 'The format to show the bundle. Either "pem" or "spiffe"', defaultValue: 'pem' },
      OUTPUT,
      SOCKET,
    ],
    run: bundleShow,
  },
  'x509 mint': {
    synopsis: 'Mints an X509-SVID',
    flags: [
      { name: 'dns', kind: 'strings', usage: 'DNS name that will be included in SVID. Can be used more than once.' },
      SOCKET,
      { name: 'spiffeID', kind: 'string', usage: 'SPIFFE ID of the X509-SVID' },
      { name: 'ttl', kind: 'duration', usage: 'TTL of the X509-SVID' },
      { name: 'write', kind: 'string', usage: 'Directory to write output to instead of stdout' },
    ],
    run: x509Mint,
  },
};

const GROUP_HELP = 'This command is accessed by using one of the subcommands below.';

/** mitchellh/cli's top-level help: the commands, padded to the longest name. */
function topHelp(): string {
  const tops = [...new Set(Object.keys(COMMANDS).map((k) => k.split(' ')[0]!))].sort();
  const width = Math.max(...tops.map((t) => t.length));
  const rows = tops.map((t) => `    ${t.padEnd(width)}    ${COMMANDS[t]?.synopsis ?? GROUP_HELP}`);
  return `Usage: spire-server [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n${rows.join('\n')}\n\n`;
}

function groupHelp(group: string): string {
  const subs = Object.keys(COMMANDS)
    .filter((k) => k.startsWith(`${group} `))
    .map((k) => k.slice(group.length + 1))
    .sort();
  const width = Math.max(...subs.map((s) => s.length));
  const rows = subs.map((s) => `    ${s.padEnd(width)}    ${COMMANDS[`${group} ${s}`]!.synopsis}`);
  return `Usage: spire-server ${group} <subcommand> [options] [args]\n\n${GROUP_HELP}\n\nSubcommands:\n${rows.join('\n')}\n`;
}

/**
 * Runs `/opt/spire/bin/spire-server ARGV...` against `server` and returns what the real binary
 * prints. Supported: healthcheck, agent list, entry show|create|delete, bundle show, x509 mint.
 * An unknown command prints the command list and exits 127, as mitchellh/cli does; an unknown
 * subcommand of a known group prints the group's subcommands and exits 1.
 */
export function runSpireServerCli(server: SpireServer, argv: readonly string[]): CommandResult {
  const [first = '', second = ''] = argv;
  // mitchellh/cli takes -h, -help or --help anywhere before `--` as a request for help (status 0).
  const help = asksForHelp(argv);
  if (first === '-h' || first === '--help' || first === '-help') return { stdout: '', stderr: topHelp(), exitCode: 0 };
  const name = COMMANDS[first] !== undefined ? first : `${first} ${second}`;
  const command = COMMANDS[name];
  if (command === undefined) {
    const isGroup = Object.keys(COMMANDS).some((k) => k.startsWith(`${first} `));
    if (isGroup) return { stdout: '', stderr: groupHelp(first), exitCode: help ? 0 : 1 };
    return { stdout: '', stderr: topHelp(), exitCode: help ? 0 : 127 };
  }
  // A command's help is SPIRE's adapter parsing `-h`: Go's flag usage, then the error it returns.
  if (help) return { stdout: '', stderr: `${flagUsage(name, command.flags)}flag: help requested\n`, exitCode: 0 };
  const parsed = parseGoFlags(name, command.flags, argv.slice(name.split(' ').length));
  if (!parsed.ok) return { stdout: '', stderr: parsed.stderr, exitCode: 1 };
  if (flagString(parsed.values, 'output', 'pretty') !== 'pretty') {
    return fail(`the simulator prints only -output pretty, got ${JSON.stringify(flagString(parsed.values, 'output'))}`);
  }
  return command.run(server, parsed.values);
}

function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '-h' || a === '-help' || a === '--help');
}
