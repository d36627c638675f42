import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenarioRunner.ts';

// The bundled star-wars-mutual-auth walkthrough replayed as the lab runs it (seed 1, 3 kind
// nodes). The transcript is split into the output of each `$ command`, so each check reads
// like the lab step it pins.

interface Step {
  readonly command: string;
  readonly output: string;
}

function steps(transcript: string): Step[] {
  const out: Step[] = [];
  for (const chunk of transcript.split(/^\$ /m).slice(1)) {
    const lines = chunk.split('\n');
    let n = 1;
    while (lines[n - 1]!.endsWith('\\')) n++;
    out.push({ command: lines.slice(0, n).join('\n'), output: lines.slice(n).join('\n') });
  }
  return out;
}

const lab = runScenario('star-wars-mutual-auth');
const all = steps(lab.transcript);
const outputs = (needle: string): string[] => all.filter((s) => s.command.includes(needle)).map((s) => s.output);
const output = (needle: string): string => {
  const found = outputs(needle);
  expect(found, needle).toHaveLength(1);
  return found[0]!;
};

describe('the mutual-authentication lab (star-wars-mutual-auth)', () => {
  it('runs every command without a script error and prints the same bytes twice', () => {
    expect(lab.ok).toBe(true);
    expect(runScenario('star-wars-mutual-auth').transcript).toBe(lab.transcript);
  });

  it('shows every mesh-auth key with the defaults of a Helm install with mutual auth', () => {
    expect(output('cilium config view | grep mesh-auth')).toMatchInlineSnapshot(`
      "mesh-auth-enabled                            true
      mesh-auth-gc-interval                        5m0s
      mesh-auth-mutual-connect-timeout             5s
      mesh-auth-mutual-enabled                     true
      mesh-auth-mutual-listener-port               4250
      mesh-auth-queue-size                         1024
      mesh-auth-rotated-identities-queue-size      1024
      mesh-auth-spiffe-trust-domain                spiffe.cilium
      mesh-auth-spire-admin-socket                 /run/spire/sockets/admin.sock
      mesh-auth-spire-agent-socket                 /run/spire/sockets/agent/agent.sock
      mesh-auth-spire-server-address               spire-server.cilium-spire.svc:8081
      mesh-auth-spire-server-connection-timeout    30s
      "
    `);
    expect(output('cilium config set debug true')).toContain('debug=true');
  });

  it('lands the tiefighter, denies the exhaust port and times the xwing out under the mutual-auth policy', () => {
    const after = all.slice(all.findIndex((s) => s.command.includes('sw_l3_l4_l7_mutual_auth.yaml')));
    expect(after[0]!.output).toBe('ciliumnetworkpolicy.cilium.io/rule1 configured\n');
    expect(after.slice(1, 4).map((s) => s.output)).toEqual([
      'Ship landed\n',
      'Access denied\r\n',
      'command terminated with exit code 28\n',
    ]);
  });

  it('drops the xwing with Policy denied only', () => {
    const drops = output('hubble observe --type drop --from-pod default/xwing').trim().split('\n');
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.every((l) => l.endsWith('Policy denied DROPPED (TCP Flags: SYN)'))).toBe(true);
  });

  it('drops the first SYN of the tiefighter with Authentication required and lets the retransmission through about 1 s later', () => {
    expect(output('hubble observe --type drop --from-pod default/tiefighter')).toMatchInlineSnapshot(`
      "Jul  4 17:58:01.008: default/tiefighter:33822 (ID:48336) <> default/deathstar-64cbf44f6c-shtkz:80 (ID:46017) Authentication required DROPPED (TCP Flags: SYN)
      Jul  4 17:58:03.016: default/tiefighter:39401 (ID:48336) <> default/deathstar-64cbf44f6c-nwr4q:80 (ID:46017) Authentication required DROPPED (TCP Flags: SYN)
      "
    `);
    const verdicts = output('hubble observe --type policy-verdict --from-pod default/tiefighter');
    expect(verdicts).toMatchInlineSnapshot(`
      "Jul  4 17:58:00.001: default/tiefighter:57501 (ID:48336) -> default/deathstar-64cbf44f6c-nwr4q:80 (ID:46017) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN)
      Jul  4 17:58:01.004: default/tiefighter:48378 (ID:48336) -> default/deathstar-64cbf44f6c-shtkz:80 (ID:46017) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN)
      Jul  4 17:58:01.008: default/tiefighter:33822 (ID:48336) <> default/deathstar-64cbf44f6c-shtkz:80 (ID:46017) policy-verdict:L3-L4 INGRESS DENIED (TCP Flags: SYN; Auth: SPIRE)
      Jul  4 17:58:02.008: default/tiefighter:33822 (ID:48336) -> default/deathstar-64cbf44f6c-shtkz:80 (ID:46017) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN; Auth: SPIRE)
      Jul  4 17:58:02.013: default/tiefighter:45594 (ID:48336) -> default/deathstar-64cbf44f6c-shtkz:80 (ID:46017) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN; Auth: SPIRE)
      Jul  4 17:58:03.016: default/tiefighter:39401 (ID:48336) <> default/deathstar-64cbf44f6c-nwr4q:80 (ID:46017) policy-verdict:L3-L4 INGRESS DENIED (TCP Flags: SYN; Auth: SPIRE)
      Jul  4 17:58:04.016: default/tiefighter:39401 (ID:48336) -> default/deathstar-64cbf44f6c-nwr4q:80 (ID:46017) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN; Auth: SPIRE)
      "
    `);
    // Each DENIED is followed, on the same source port, by an ALLOWED between 0.9 and 1.1 s later.
    const lines = verdicts.trim().split('\n');
    const seconds = (l: string): number => {
      const [, h, m, s] = /(\d\d):(\d\d):(\d\d\.\d\d\d):/.exec(l)!;
      return Number(h) * 3600 + Number(m) * 60 + Number(s);
    };
    const denied = lines.filter((l) => l.includes('DENIED'));
    expect(denied).toHaveLength(2);
    for (const d of denied) {
      const port = /tiefighter:(\d+)/.exec(d)![1]!;
      const retry = lines.find((l) => l.includes(`tiefighter:${port} `) && l.includes('ALLOWED'))!;
      expect(seconds(retry) - seconds(d)).toBeGreaterThan(0.9);
      expect(seconds(retry) - seconds(d)).toBeLessThan(1.1);
    }
  });

  it('has a healthy SPIRE server with one attested agent per node', () => {
    expect(output('spire-server healthcheck')).toBe('Server is healthy.\n');
    const agents = output('spire-server agent list');
    expect(agents.split('\n')[0]).toBe('Found 3 attested agents:');
    expect(agents.match(/^Attestation type {2}: k8s_psat$/gm)).toHaveLength(3);
  });

  it("registers the Cilium agent and operator under the agents' node alias", () => {
    const entries = output('entry show -parentID spiffe://spiffe.cilium/ns/cilium-spire/sa/spire-agent');
    expect(entries.split('\n')[0]).toBe('Found 2 entries');
    expect(entries.match(/^SPIFFE ID {8}: .*$/gm)).toEqual([
      'SPIFFE ID        : spiffe://spiffe.cilium/cilium-agent',
      'SPIFFE ID        : spiffe://spiffe.cilium/cilium-operator',
    ]);
  });

  it("gives deathstar's identity its SPIFFE ID and one cilium:mutual-auth entry per Cilium identity", () => {
    const id = output('echo $IDENTITY_ID').trim();
    expect(output('entry show -spiffeID spiffe://spiffe.cilium/identity/$IDENTITY_ID')).toContain(
      `SPIFFE ID        : spiffe://spiffe.cilium/identity/${id}\nParent ID        : spiffe://spiffe.cilium/cilium-operator\n`,
    );
    const entries = output('entry show -selector cilium:mutual-auth');
    const identities = output('kubectl get ciliumidentities')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0]!);
    expect(entries.split('\n')[0]).toBe(`Found ${identities.length} entries`);
    const spiffeIds = entries.match(/spiffe:\/\/spiffe\.cilium\/identity\/\d+/g)!.map((s) => s.split('/').pop()!);
    expect([...spiffeIds].sort()).toEqual([...identities].sort());
  });

  it("logs the four handshake lines on both worker nodes' agents", () => {
    const logs = outputs('logs $CILIUM_KIND_WORKER');
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchInlineSnapshot(`
      "2024-07-04T17:58:03.016000000Z time="2024-07-04T17:58:03Z" level=debug msg="Policy is requiring authentication" key="localIdentity=46017, remoteIdentity=48336, remoteNodeID=0, authType=spire" subsys=auth
      2024-07-04T17:58:03.017000000Z time="2024-07-04T17:58:03Z" level=debug msg="Validating Server SNI" SNI ID=48336 subsys=auth
      2024-07-04T17:58:03.017000000Z time="2024-07-04T17:58:03Z" level=debug msg="Validated certificate" subsys=auth uri-san="[spiffe://spiffe.cilium/identity/48336]"
      2024-07-04T17:58:03.017000000Z time="2024-07-04T17:58:03Z" level=debug msg="Successfully authenticated" key="localIdentity=46017, remoteIdentity=48336, remoteNodeID=0, authType=spire" remote_node_ip=172.18.0.3 subsys=auth
      "
    `);
    expect(logs[1]).toMatchInlineSnapshot(`
      "2024-07-04T17:58:01.008000000Z time="2024-07-04T17:58:01Z" level=debug msg="Policy is requiring authentication" key="localIdentity=46017, remoteIdentity=48336, remoteNodeID=45349, authType=spire" subsys=auth
      2024-07-04T17:58:01.009000000Z time="2024-07-04T17:58:01Z" level=debug msg="Validating Server SNI" SNI ID=48336 subsys=auth
      2024-07-04T17:58:01.009000000Z time="2024-07-04T17:58:01Z" level=debug msg="Validated certificate" subsys=auth uri-san="[spiffe://spiffe.cilium/identity/48336]"
      2024-07-04T17:58:01.009000000Z time="2024-07-04T17:58:01Z" level=debug msg="Successfully authenticated" key="localIdentity=46017, remoteIdentity=48336, remoteNodeID=45349, authType=spire" remote_node_ip=172.18.0.3 subsys=auth
      "
    `);
  });
});
