import { describe, expect, it } from 'vitest';
import { transcript } from '../transcript.ts';

// A Secret through kubectl, as against a real API server: applied, listed with its TYPE and DATA,
// shown with its data in base64 (stringData merged in), and refused with the field that is not base64.
const FILES = new Map([
  [
    'db.yaml',
    `apiVersion: v1
kind: Secret
metadata:
  name: db
  labels: { app: db }
data:
  password: |
    YWRt
    aW4=
stringData:
  host: db.example
`,
  ],
  [
    'tls.yaml',
    `apiVersion: v1
kind: Secret
metadata: { name: web-tls }
type: kubernetes.io/tls
stringData: { tls.crt: CERT, tls.key: KEY }
`,
  ],
  [
    'bad.yaml',
    `apiVersion: v1
kind: Secret
metadata: { name: db }
data:
  password: admin
`,
  ],
]);

const run = (lines: readonly string[]): string => transcript(FILES, lines);

describe('kubectl and Secrets', () => {
  it('applies them, lists TYPE and DATA, and shows data in base64', () => {
    expect(
      run([
        'kubectl apply -f db.yaml -f tls.yaml',
        'kubectl get secrets',
        'kubectl get secret db -o yaml',
        'kubectl get secrets --field-selector type=kubernetes.io/tls -o name',
        'kubectl apply -f db.yaml',
        'kubectl delete secret db',
        'kubectl get secret db',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f db.yaml -f tls.yaml
      secret/db created
      secret/web-tls created
      $ kubectl get secrets
      NAME      TYPE                DATA   AGE
      db        Opaque              2      0s
      web-tls   kubernetes.io/tls   2      0s
      $ kubectl get secret db -o yaml
      apiVersion: v1
      data:
        host: ZGIuZXhhbXBsZQ==
        password: YWRtaW4=
      kind: Secret
      metadata:
        creationTimestamp: "2024-07-04T17:58:00Z"
        generation: 1
        labels:
          app: db
        name: db
        namespace: default
        resourceVersion: "23"
        uid: 2a7a4a99-516e-4a3a-9bad-fb71504df36b
      type: Opaque
      $ kubectl get secrets --field-selector type=kubernetes.io/tls -o name
      secret/web-tls
      $ kubectl apply -f db.yaml
      secret/db unchanged
      $ kubectl delete secret db
      secret "db" deleted
      $ kubectl get secret db
      Error from server (NotFound): secrets "db" not found
      [exit 1]
      "
    `);
  });

  it('refuses a value that is not base64, naming the Secret and the field, and stores nothing', () => {
    expect(run(['kubectl apply -f bad.yaml', 'kubectl get secrets'])).toMatchInlineSnapshot(`
      "$ kubectl apply -f bad.yaml
      Error from server (BadRequest): error when creating "bad.yaml": Secret default/db: data.password: illegal base64 data at input byte 4 (received "admin")
      [exit 1]
      $ kubectl get secrets
      No resources found in default namespace.
      "
    `);
  });
});
