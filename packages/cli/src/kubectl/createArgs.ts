import { DRY_RUN_FLAG, OUTPUT_FLAG, dryRunOf, kubectlError, kubectlFlags, namespaceOf } from './kubectlFlags.ts';
import { flagList, flagString, type FlagSpec, type ParsedFlags } from '../cobra/pflag.ts';

/**
 * `kubectl create namespace|deployment|service clusterip|serviceaccount|secret generic NAME ...`:
 * kubectl builds the object on the client from the flags (its "generators") and sends it to the
 * API server, so the request carries the manifest kubectl would send. Wording of failures
 * differs by subcommand (`failed to create deployment: ...`), so the request carries that too.
 */
export interface GenerateRequest {
  readonly verb: 'create';
  /** `deployment`, `service clusterip`, ...: the subcommand as kubectl's help names it. */
  readonly subcommand: string;
  readonly object: Readonly<Record<string, unknown>>;
  /** kubectl's prefix for an API error (`failed to create deployment: `); empty prints the server's line. */
  readonly failPrefix: string;
  readonly namespace: string;
  readonly namespaceGiven: boolean;
  readonly dryRun: 'none' | 'client' | 'server';
}

/** The subcommands (and their aliases) modelled, each building its object from the flags. */
const GENERATORS: Readonly<Record<string, (args: readonly string[]) => GenerateRequest>> = {
  namespace: createNamespace,
  ns: createNamespace,
  deployment: createDeployment,
  deploy: createDeployment,
  service: createService,
  svc: createService,
  serviceaccount: createServiceAccount,
  sa: createServiceAccount,
  secret: createSecret,
};

/** Flags whose value may follow as the next word: the first other word names the subcommand. */
const VALUE_FLAGS = new Set(['-n', '--namespace', '-f', '--filename', '-o', '--output', '--context', '--kubeconfig', '--image']);

/** kubectl's other `create` subcommands: named as not modelled rather than as a missing -f. */
const NOT_MODELLED = new Set([
  'clusterrole',
  'clusterrolebinding',
  'configmap',
  'cm',
  'cronjob',
  'cj',
  'ingress',
  'ing',
  'job',
  'poddisruptionbudget',
  'pdb',
  'priorityclass',
  'pc',
  'quota',
  'resourcequota',
  'role',
  'rolebinding',
  'token',
]);

/** The generator a `kubectl create` command line names, or undefined for `create -f`. */
export function generatorOf(args: readonly string[]): ((args: readonly string[]) => GenerateRequest) | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    if (!a.startsWith('-') && NOT_MODELLED.has(a)) {
      return () => {
        throw kubectlError(
          `create ${a}`,
          `error: kubectl create ${a} is not modelled in cilium-sim; write the object as a manifest and kubectl apply -f it`,
          a,
        );
      };
    }
    if (!a.startsWith('-')) return GENERATORS[a];
    if (!a.includes('=') && VALUE_FLAGS.has(a)) i++;
  }
  return undefined;
}

/** The command line without its subcommand words (`create service clusterip` drops two). */
function withoutWords(args: readonly string[], words: readonly string[]): string[] {
  const out = [...args];
  for (const w of words) out.splice(out.indexOf(w), 1);
  return out;
}

function parse(command: string, args: readonly string[], specs: readonly FlagSpec[]): { flags: ParsedFlags; name: string } {
  const flags = kubectlFlags(command, args, [DRY_RUN_FLAG, OUTPUT_FLAG, ...specs]);
  const count = flags.positionals.length;
  if (count !== 1) {
    throw kubectlError(command, `error: exactly one NAME is required, got ${count}\nSee 'kubectl ${command} -h' for help and examples`);
  }
  return { flags, name: flags.positionals[0]! };
}

function request(subcommand: string, flags: ParsedFlags, object: Record<string, unknown>, failPrefix: string): GenerateRequest {
  return { verb: 'create', subcommand, object, failPrefix, ...namespaceOf(flags), dryRun: dryRunOf('create', flags) };
}

function createNamespace(args: readonly string[]): GenerateRequest {
  const sub = args.find((a) => a === 'namespace' || a === 'ns')!;
  const { flags, name } = parse('create namespace', withoutWords(args, [sub]), []);
  return request('namespace', flags, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, '');
}

function createServiceAccount(args: readonly string[]): GenerateRequest {
  const sub = args.find((a) => a === 'serviceaccount' || a === 'sa')!;
  const { flags, name } = parse('create serviceaccount', withoutWords(args, [sub]), []);
  return request(
    'serviceaccount',
    flags,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } },
    'failed to create serviceaccount: ',
  );
}

function createDeployment(args: readonly string[]): GenerateRequest {
  const sub = args.find((a) => a === 'deployment' || a === 'deploy')!;
  const command = 'create deployment';
  const { flags, name } = parse(command, withoutWords(args, [sub]), [
    { name: 'image', kind: 'list' },
    { name: 'replicas', short: 'r', kind: 'string' },
    { name: 'port', kind: 'string' },
  ]);
  const images = flagList(flags, 'image');
  if (images.length === 0) throw kubectlError(command, 'error: required flag(s) "image" not set', '--image');
  const containerCommand = flags.afterDash ?? [];
  if (images.length > 1 && containerCommand.length > 0)
    throw kubectlError(command, 'error: cannot specify multiple --image options and command');
  const replicas = intFlag(command, flags, 'replicas', '-r, --replicas') ?? 1;
  const port = intFlag(command, flags, 'port', '--port') ?? -1;
  const labels = { app: name };
  const containers = images.map((image, i) => ({
    name: containerName(image),
    image,
    ...(containerCommand.length > 0 ? { command: containerCommand } : {}),
    ...(i === 0 && port >= 0 ? { ports: [{ containerPort: port }] } : {}),
  }));
  return request(
    'deployment',
    flags,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } },
    },
    'failed to create deployment: ',
  );
}

/** An int32 flag as pflag reads it: its message names the flag as `--help` lists it. */
function intFlag(command: string, flags: ParsedFlags, name: string, listed: string): number | undefined {
  const raw = flagString(flags, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw) || Math.abs(Number(raw)) > 2 ** 31 - 1) {
    throw kubectlError(
      command,
      `error: invalid argument "${raw}" for "${listed}" flag: strconv.ParseInt: parsing "${raw}": ${/^-?\d+$/.test(raw) ? 'value out of range' : 'invalid syntax'}\nSee 'kubectl ${command} --help' for usage.`,
      `--${name}`,
    );
  }
  return Number(raw);
}

/**
 * kubectl's container name for an image: its last path segment without tag or digest. A name
 * with `.` or `_` gets them as `-` plus a five-letter suffix; kubectl draws the suffix at random,
 * here it is derived from the image so the same command gives the same name.
 */
function containerName(image: string): string {
  let name = image.split('/').pop()!;
  name = name.split(':')[0]!.split('@')[0]!;
  if (!/[_.]/.test(name)) return name;
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let h = 2166136261;
  for (const ch of image) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length) + i * 7919;
  }
  return `${name.replace(/[_.]/g, '-')}-${suffix}`;
}

const SERVICE_TYPES: Readonly<Record<string, string>> = {
  clusterip: 'ClusterIP',
  nodeport: 'NodePort',
  loadbalancer: 'LoadBalancer',
};

function createService(args: readonly string[]): GenerateRequest {
  const sub = args.find((a) => a === 'service' || a === 'svc')!;
  const rest = withoutWords(args, [sub]);
  const typeWord = rest.find((a) => !a.startsWith('-'));
  const type = typeWord === undefined ? undefined : SERVICE_TYPES[typeWord];
  if (typeWord === undefined || type === undefined) {
    throw kubectlError(
      'create service',
      typeWord === undefined
        ? "error: Required resource not specified.\nSee 'kubectl create service -h' for help and examples"
        : `error: unknown command "${typeWord}" for "kubectl create service"`,
      typeWord,
    );
  }
  const command = `create service ${typeWord}`;
  const { flags, name } = parse(command, withoutWords(rest, [typeWord]), [
    { name: 'tcp', kind: 'list' },
    { name: 'clusterip', kind: 'string' },
    { name: 'node-port', kind: 'string' },
  ]);
  const clusterIP = flagString(flags, 'clusterip');
  const tcp = flagList(flags, 'tcp');
  if (clusterIP === 'None' && type !== 'ClusterIP')
    throw kubectlError(command, 'error: ClusterIP=None can only be used with ClusterIP service type');
  if (clusterIP !== 'None' && tcp.length === 0) throw kubectlError(command, 'error: at least one tcp port specifier must be provided');
  const nodePort = intFlag(command, flags, 'node-port', '--node-port');
  const ports = tcp.map((spec) => ({
    name: spec.replaceAll(':', '-'),
    protocol: 'TCP',
    ...servicePort(command, spec),
    ...(nodePort !== undefined && nodePort > 0 ? { nodePort } : {}),
  }));
  const labels = { app: name };
  return request(
    `service ${typeWord}`,
    flags,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels },
      spec: { type, selector: labels, ports, ...(clusterIP === undefined || clusterIP === '' ? {} : { clusterIP }) },
    },
    `failed to create ${type} service: `,
  );
}

/** `--tcp=80:8080`, `--tcp=80`, `--tcp=80:http`: the port and its target, as kubectl's parsePorts reads them. */
function servicePort(command: string, spec: string): { port: number; targetPort: number | string } {
  const [portText = '', target] = spec.split(':');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw kubectlError(command, `error: invalid port number "${portText}"`, '--tcp');
  }
  if (target === undefined) return { port, targetPort: port };
  if (/^\d+$/.test(target)) {
    const n = Number(target);
    if (n < 1 || n > 65535) throw kubectlError(command, 'error: must be between 1 and 65535, inclusive', '--tcp');
    return { port, targetPort: n };
  }
  if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(target) || !/[a-z]/.test(target) || target.includes('--')) {
    throw kubectlError(command, 'error: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', '--tcp');
  }
  return { port, targetPort: target };
}

function createSecret(args: readonly string[]): GenerateRequest {
  const rest = withoutWords(args, ['secret']);
  const typeWord = rest.find((a) => !a.startsWith('-'));
  if (typeWord !== 'generic') {
    throw kubectlError(
      'create secret',
      typeWord === undefined
        ? "error: Required resource not specified.\nSee 'kubectl create secret -h' for help and examples"
        : typeWord === 'tls' || typeWord === 'docker-registry'
          ? `error: kubectl create secret ${typeWord} is not modelled in cilium-sim; write the Secret as a manifest and apply it`
          : `error: unknown command "${typeWord}" for "kubectl create secret"`,
      typeWord,
    );
  }
  const command = 'create secret generic';
  const { flags, name } = parse(command, withoutWords(rest, ['generic']), [
    { name: 'from-literal', kind: 'array' },
    { name: 'from-file', kind: 'array' },
    { name: 'type', kind: 'string' },
  ]);
  if (flagList(flags, 'from-file').length > 0) {
    throw kubectlError(command, 'error: --from-file is not modelled in cilium-sim; use --from-literal=KEY=VALUE', '--from-file');
  }
  const data: Record<string, string> = {};
  for (const literal of flagList(flags, 'from-literal')) {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw kubectlError(command, `error: invalid literal source ${literal}, expected key=value`, '--from-literal');
    const key = literal.slice(0, eq);
    if (!/^[-._a-zA-Z0-9]+$/.test(key))
      throw kubectlError(
        command,
        `error: "${key}" is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
        '--from-literal',
      );
    if (key in data) throw kubectlError(command, `error: cannot add key ${key}, another key by that name already exists`, '--from-literal');
    data[key] = literal.slice(eq + 1);
  }
  const type = flagString(flags, 'type');
  return request(
    'secret generic',
    flags,
    // The API server merges stringData into data in base64, as kubectl would have encoded it.
    { apiVersion: 'v1', kind: 'Secret', metadata: { name }, ...(type === undefined || type === '' ? {} : { type }), stringData: data },
    'failed to create secret: ',
  );
}
