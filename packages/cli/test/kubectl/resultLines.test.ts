// kubectl's own words for what the API server did, from core's tool-neutral results: success lines
// on stdout, the server's status lines and kubectl's `error:` lines on stderr. Each case runs the
// command through a shell session on a Star Wars cluster, as a learner types it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

const MANIFESTS = new URL('../../../scenarios/scenarios/star-wars/manifests/', import.meta.url);
const files = new Map([['http-sw-app.yaml', readFileSync(new URL('http-sw-app.yaml', MANIFESTS), 'utf8')]]);

function starWars() {
  const { session } = createSimulator({ seed: 1 }, nodeHostFiles(process.cwd()), files);
  session.run('kubectl apply -f http-sw-app.yaml');
  return (line: string) => session.run(line).output;
}

describe('kubectl result lines', () => {
  it('names objects as resource.group/name, and deleted objects as resource.group "name"', () => {
    const run = starWars();

    expect(run('kubectl label pod xwing team=red')).toBe('pod/xwing labeled\n');
    expect(run('kubectl label pod xwing team=red')).toBe('pod/xwing not labeled\n');
    expect(run('kubectl label pod xwing team-')).toBe('pod/xwing unlabeled\n');
    expect(run('kubectl scale deployment deathstar --replicas=3')).toBe('deployment.apps/deathstar scaled\n');
    expect(run('kubectl run client --image=nicolaka/netshoot')).toBe('pod/client created\n');
    run(`echo 'apiVersion: v1\nkind: Namespace\nmetadata: { name: team-a }' > ns.yaml`);
    expect(run('kubectl create -f ns.yaml')).toBe('namespace/team-a created\n');
    expect(run('kubectl delete namespace team-a')).toBe('namespace "team-a" deleted\n');
    expect(run('kubectl delete deployment deathstar')).toBe('deployment.apps "deathstar" deleted\n');
  });

  it("prints the API server's status lines for NotFound, AlreadyExists and Forbidden", () => {
    const run = starWars();

    expect(run('kubectl label pod nope a=b --overwrite')).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(run('kubectl scale deployment nope --replicas=1')).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(run('kubectl run xwing --image=x')).toBe('Error from server (AlreadyExists): pods "xwing" already exists\n');
    expect(run('kubectl run x --image=x -n nope')).toBe('Error from server (NotFound): namespaces "nope" not found\n');
    expect(run('kubectl delete namespace default')).toBe(
      'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n',
    );
  });

  it("refuses a pod whose service account is missing with the admission plugin's Forbidden", () => {
    const run = starWars();
    run(
      `echo 'apiVersion: v1\nkind: Pod\nmetadata: { name: x }\nspec: { serviceAccountName: foo, containers: [{ name: a, image: b }] }' > pod.yaml`,
    );

    expect(run('kubectl apply -f pod.yaml')).toBe(
      'Error from server (Forbidden): pods "x" is forbidden: error looking up service account default/foo: serviceaccount "foo" not found\n',
    );
  });

  it('says which flag would change a label that already has a value', () => {
    const run = starWars();

    expect(run('kubectl label pod xwing org=empire')).toBe("error: 'org' already has a value (alliance), and --overwrite is false\n");
  });

  it("prints a stale resourceVersion as the API server's 409 Conflict and leaves the object as it was", () => {
    const run = starWars();
    run(`kubectl get pod xwing -o yaml > xwing.yaml`);
    run('kubectl label pod xwing extra=1');

    expect(run('kubectl apply -f xwing.yaml')).toBe(
      'Error from server (Conflict): Operation cannot be fulfilled on pods "xwing": the object has been modified; please apply your changes to the latest version and try again\n',
    );
    expect(run("kubectl get pod xwing -o jsonpath='{.metadata.labels.extra}'")).toBe('1');
  });

  it("prints a refused field as the API server's Invalid status, one cause on the line and several under it", () => {
    const run = starWars();
    run(`echo 'apiVersion: v1\nkind: Pod\nmetadata: { name: Bad_Name }\nspec: { containers: [{ name: a, image: b }] }' > bad.yaml`);
    run(
      `echo 'apiVersion: v1\nkind: Pod\nmetadata: { name: two }\nspec: { containers: [{ name: A, ports: [{ containerPort: 0 }] }] }' > two.yaml`,
    );

    expect(run('kubectl apply -f bad.yaml')).toMatchInlineSnapshot(`
      "The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')
      "
    `);
    expect(run('kubectl apply -f two.yaml')).toMatchInlineSnapshot(`
      "The Pod "two" is invalid: 
      * spec.containers[0].name: Invalid value: "A": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name')
      * spec.containers[0].image: Required value
      * spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive
      "
    `);
    // An empty container name is a missing one to the API server; an empty serviceAccountName is none.
    run(
      `echo 'apiVersion: v1\nkind: Pod\nmetadata: { name: empty }\nspec: { serviceAccountName: "", containers: [{ name: "", image: b }] }' > empty.yaml`,
    );
    expect(run('kubectl apply -f empty.yaml')).toMatchInlineSnapshot(`
      "The Pod "empty" is invalid: spec.containers[0].name: Required value
      "
    `);
  });

  it("prints each of several refused objects as the server's status after its reason, naming the file", () => {
    const run = starWars();
    run(
      `echo 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec: { containers: [{ image: b }] }\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\nspec: { replicas: -1, selector: { matchLabels: { app: d } }, template: { metadata: { labels: { app: d } }, spec: { containers: [{ name: c }] } } }' > both.yaml`,
    );

    expect(run('kubectl apply -f both.yaml')).toMatchInlineSnapshot(`
      "Error from server (Invalid): error when creating "both.yaml": Pod "a" is invalid: spec.containers[0].name: Required value
      Error from server (Invalid): error when creating "both.yaml": Deployment.apps "d" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.spec.containers[0].image: Required value]
      "
    `);
  });

  it('prints a manifest the server cannot decode (an unknown field) as BadRequest naming the file, before its field errors', () => {
    const run = starWars();
    run(
      `echo 'apiVersion: v1\nkind: Pod\nmetadata: { name: Bad_Name }\nspec: { containers: [{ name: a, image: b, colour: red }] }' > bad.yaml`,
    );

    expect(run('kubectl apply -f bad.yaml')).toMatchInlineSnapshot(`
      "Error from server (BadRequest): error when creating "bad.yaml": Pod default/Bad_Name: spec.containers[0].colour: unknown field "spec.containers[0].colour"; check its spelling and indentation
      "
    `);
  });

  it('names the object an admission check refuses in the same Invalid status', () => {
    const run = starWars();
    run(
      `echo 'apiVersion: v1\nkind: Pod\nmetadata: { name: pinned }\nspec: { containers: [{ name: a, image: b }] }\nstatus: { podIP: 8.8.8.8 }' > pinned.yaml`,
    );

    expect(run('kubectl apply -f pinned.yaml')).toMatchInlineSnapshot(`
      "The Pod "pinned" is invalid: status.podIP: Invalid value: "8.8.8.8": not in the cluster's pod CIDR 10.244.0.0/16; omit status.podIP or pin an address of it
      "
    `);
  });

  it('names an object after its generateName on create, and refuses generateName with apply as kubectl does', () => {
    const run = starWars();
    run(
      `echo 'apiVersion: v1\nkind: Pod\nmetadata: { generateName: probe-, labels: { app: probe } }\nspec: { containers: [{ name: a, image: b }] }' > gen.yaml`,
    );

    expect(run('kubectl create -f gen.yaml') + run('kubectl create -f gen.yaml') + run('kubectl apply -f gen.yaml')).toMatchInlineSnapshot(`
      "pod/probe-mzr5p created
      pod/probe-jc76t created
      error: from probe-: cannot use generate name with apply
      "
    `);
    expect(run('kubectl get pods -l app=probe -o name')).toMatchInlineSnapshot(`
      "pod/probe-jc76t
      pod/probe-mzr5p
      "
    `);
  });
});
