/**
 * Self-signed certificates and keys (P-256) for the Gateway TLS tests, made once with openssl:
 * `shop.example.com` (with that DNS SAN) and `admin.example.com`. Tests put them in Secrets.
 */
export const SHOP_CERT = `-----BEGIN CERTIFICATE-----
MIIBpzCCAU6gAwIBAgIUZhtX7TnS6++JNoiWfJvj4XMNIdkwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTAeFw0yNjEyMDUxMzUxNDhaFw0z
NjEyMDIxMzUxNDhaMBsxGTAXBgNVBAMMEHNob3AuZXhhbXBsZS5jb20wWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQTK8e81WYzMgNHV9yTgH5Fqdboquv026LEMmf1
uLNer92x31C7hfls/CO9Tts/6aVDaMokiCpUaJalIvlqMR7Ao3AwbjAdBgNVHQ4E
FgQU4h/y6my1LiBAMy2Al52ii/yklSswHwYDVR0jBBgwFoAU4h/y6my1LiBAMy2A
l52ii/yklSswDwYDVR0TAQH/BAUwAwEB/zAbBgNVHREEFDASghBzaG9wLmV4YW1w
bGUuY29tMAoGCCqGSM49BAMCA0cAMEQCIGoNnPPBMyVTwYLRXp2DdtpHjjGlS+EN
aMoFUmmc2XgiAiBXw4xsoFEq8gP0gEXZepmz3Ej6emvH6zHZxFSYEi1YWA==
-----END CERTIFICATE-----
`;
export const SHOP_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgVeTg0AhJI4oP3CPl
28vpoj2cjZ4b4ISAgqGzYu0+IPahRANCAAQTK8e81WYzMgNHV9yTgH5Fqdboquv0
26LEMmf1uLNer92x31C7hfls/CO9Tts/6aVDaMokiCpUaJalIvlqMR7A
-----END PRIVATE KEY-----
`;
export const ADMIN_CERT = `-----BEGIN CERTIFICATE-----
MIIBjDCCATOgAwIBAgIUW1I0Dk8KXh9EWhQxWxnu4Zf2EhwwCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRYWRtaW4uZXhhbXBsZS5jb20wHhcNMjYxMjA1MTM1MTQ5WhcN
MzYxMjAyMTM1MTQ5WjAcMRowGAYDVQQDDBFhZG1pbi5leGFtcGxlLmNvbTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABNYjXGyy2IcY7g1GKuVbp2DtwEzWhHukq43Z
A7LApkBfbAwtOygE524YIWpd5bhOmUZgwgibzNv4nB9xyHwhPhejUzBRMB0GA1Ud
DgQWBBSH2D21x4TEjB9/7cXZzmFZXRtteTAfBgNVHSMEGDAWgBSH2D21x4TEjB9/
7cXZzmFZXRtteTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIC0z
QXnqR5f/6xdEPk294np4j76UmKKTB158Hz5YFzAZAiAKTkmXNQabHpFbWDkjPlzL
SWWKvm/HUhNLxzzbhU2EUQ==
-----END CERTIFICATE-----
`;
export const ADMIN_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg2oneFZSgmOXdpqjp
a5VwSgvT8+QUjpdIF+w942K2A6ahRANCAATWI1xsstiHGO4NRirlW6dg7cBM1oR7
pKuN2QOywKZAX2wMLTsoBOduGCFqXeW4TplGYMIIm8zb+Jwfcch8IT4X
-----END PRIVATE KEY-----
`;

/** A kubernetes.io/tls Secret holding `cert` and `key`, as YAML. */
export function tlsSecretYaml(name: string, cert: string, key: string, namespace = 'default'): string {
  const block = (pem: string) =>
    pem
      .trim()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n');
  return `apiVersion: v1
kind: Secret
metadata: { name: ${name}, namespace: ${namespace} }
type: kubernetes.io/tls
stringData:
  tls.crt: |
${block(cert)}
  tls.key: |
${block(key)}
`;
}
