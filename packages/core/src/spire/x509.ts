import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { SimError } from '../errors.ts';
import { signEd25519 } from './keyPair.ts';

/** Distinguished-name attributes the SPIRE certificates use, by their short names. */
export const NAME_OIDS = {
  C: '2.5.4.6',
  O: '2.5.4.10',
  CN: '2.5.4.3',
  serialNumber: '2.5.4.5',
  x500UniqueIdentifier: '2.5.4.45',
} as const;
export type NameAttributeType = keyof typeof NAME_OIDS;

export interface NameAttribute {
  readonly type: NameAttributeType;
  readonly value: string;
}

export type KeyUsageName = 'digitalSignature' | 'keyEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign';
export type ExtKeyUsageName = 'serverAuth' | 'clientAuth';

/** Everything that varies between the CA certificates and the SVIDs SPIRE issues. */
export interface CertificateTemplate {
  /** Big-endian positive integer, no leading zero byte unless the next byte has its top bit set. */
  readonly serial: Uint8Array;
  readonly subject: readonly NameAttribute[];
  readonly issuer: readonly NameAttribute[];
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly publicKeySpki: Uint8Array;
  readonly isCa: boolean;
  readonly keyUsage: readonly KeyUsageName[];
  readonly extKeyUsage: readonly ExtKeyUsageName[];
  readonly uriSans: readonly string[];
  readonly authorityKeyId?: Uint8Array;
}

/** A certificate decoded back into the facts a verifier needs. */
export interface ParsedCertificate {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  readonly signature: Uint8Array;
  /** The serial as `spire-server agent list` prints it: a decimal big integer. */
  readonly serialDecimal: string;
  readonly subject: string;
  readonly issuer: string;
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly uriSans: readonly string[];
  readonly isCa: boolean;
  readonly subjectKeyIdHex: string | undefined;
  readonly authorityKeyIdHex: string | undefined;
  /** The subject's public key: the bits of its SubjectPublicKeyInfo (32 bytes for Ed25519). */
  readonly publicKey: Uint8Array;
}

const ED25519_OID = '1.3.101.112';
// The ASN.1 library is read when a certificate is encoded, never at import: a bundle may then load
// it on first use (the CLI's does), so a command that signs nothing never evaluates it.
const keyUsageFlag = (name: KeyUsageName): number => asn.KeyUsageFlags[name];
const extKeyUsageOid = (name: ExtKeyUsageName): string => (name === 'serverAuth' ? asn.id_kp_serverAuth : asn.id_kp_clientAuth);
const SHORT_NAMES = new Map<string, string>(Object.entries(NAME_OIDS).map(([k, v]) => [v, k]));

function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * The RFC 5280 method-1 key identifier (SHA-1 of the public key bits), as Go's x509 computes
 * SubjectKeyId; AKI of a child equals SKI of its issuer, which is how chains are matched.
 */
export function keyIdentifier(publicKeySpki: Uint8Array): Uint8Array {
  const spki = AsnConvert.parse(buffer(publicKeySpki), asn.SubjectPublicKeyInfo);
  return sha1(new Uint8Array(spki.subjectPublicKey));
}

function encodeName(attributes: readonly NameAttribute[]): asn.Name {
  // Go puts each attribute in its own RDN and uses PrintableString for printable ASCII.
  return new asn.Name(
    attributes.map(
      (a) =>
        new asn.RelativeDistinguishedName([
          new asn.AttributeTypeAndValue({
            type: NAME_OIDS[a.type],
            value: new asn.AttributeValue(
              /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(a.value) ? { printableString: a.value } : { utf8String: a.value },
            ),
          }),
        ]),
    ),
  );
}

function extension(extnID: string, critical: boolean, value: unknown): asn.Extension {
  return new asn.Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function keyUsageBits(names: readonly KeyUsageName[]): asn.KeyUsage {
  return new asn.KeyUsage(names.reduce((bits, n) => bits | keyUsageFlag(n), 0));
}

function extensions(t: CertificateTemplate): asn.Extensions {
  const list = [
    extension(asn.id_ce_keyUsage, true, keyUsageBits(t.keyUsage)),
    extension(asn.id_ce_basicConstraints, true, new asn.BasicConstraints({ cA: t.isCa })),
    extension(asn.id_ce_subjectKeyIdentifier, false, new asn.SubjectKeyIdentifier(buffer(keyIdentifier(t.publicKeySpki)))),
  ];
  if (t.extKeyUsage.length > 0) {
    list.splice(1, 0, extension(asn.id_ce_extKeyUsage, false, new asn.ExtendedKeyUsage(t.extKeyUsage.map(extKeyUsageOid))));
  }
  if (t.authorityKeyId !== undefined) {
    const aki = new asn.AuthorityKeyIdentifier({ keyIdentifier: new asn.KeyIdentifier(buffer(t.authorityKeyId)) });
    list.push(extension(asn.id_ce_authorityKeyIdentifier, false, aki));
  }
  if (t.uriSans.length > 0) {
    const sans = t.uriSans.map((uri) => new asn.GeneralName({ uniformResourceIdentifier: uri }));
    list.push(extension(asn.id_ce_subjectAltName, false, new asn.SubjectAlternativeName(sans)));
  }
  return new asn.Extensions(list);
}

/**
 * Builds and signs an X.509 v3 certificate with the issuer's Ed25519 private key (32 bytes),
 * synchronously. Pure: the same template and key give the same DER bytes.
 */
export function createCertificate(t: CertificateTemplate, signerKey: Uint8Array): Uint8Array {
  return issueCertificate(t, signerKey).der;
}

/**
 * Builds and signs a certificate as createCertificate does, and returns it as parseCertificate
 * would read it back, from the structures just encoded rather than by decoding the bytes again
 * (every SVID rotation issues one, so this halves the cost of a rotation).
 */
export function issueCertificate(t: CertificateTemplate, signerKey: Uint8Array): ParsedCertificate {
  const algorithm = new asn.AlgorithmIdentifier({ algorithm: ED25519_OID });
  const subjectPublicKeyInfo = AsnConvert.parse(buffer(t.publicKeySpki), asn.SubjectPublicKeyInfo);
  const tbs = new asn.TBSCertificate({
    version: 2, // v3
    serialNumber: buffer(t.serial),
    signature: algorithm,
    issuer: encodeName(t.issuer),
    validity: new asn.Validity({ notBefore: new Date(t.notBeforeMs), notAfter: new Date(t.notAfterMs) }),
    subject: encodeName(t.subject),
    subjectPublicKeyInfo,
    extensions: extensions(t),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = signEd25519(tbsDer, signerKey);
  const cert = new asn.Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: buffer(signature) });
  return {
    der: new Uint8Array(AsnConvert.serialize(cert)),
    tbsDer,
    signature,
    serialDecimal: BigInt(`0x${hex(buffer(t.serial)) || '0'}`).toString(10),
    subject: formatName(tbs.subject),
    issuer: formatName(tbs.issuer),
    subjectDer: new Uint8Array(AsnConvert.serialize(tbs.subject)),
    issuerDer: new Uint8Array(AsnConvert.serialize(tbs.issuer)),
    // DER keeps whole seconds, as a reader of the bytes sees them.
    notBeforeMs: Math.floor(t.notBeforeMs / 1000) * 1000,
    notAfterMs: Math.floor(t.notAfterMs / 1000) * 1000,
    uriSans: [...t.uriSans],
    isCa: t.isCa,
    subjectKeyIdHex: hex(buffer(keyIdentifier(t.publicKeySpki))),
    authorityKeyIdHex: t.authorityKeyId === undefined ? undefined : hex(buffer(t.authorityKeyId)),
    publicKey: new Uint8Array(subjectPublicKeyInfo.subjectPublicKey),
  };
}

/** `C=US, O=SPIRE, CN=Cilium SPIRE CA`, in the order the attributes appear. */
function formatName(name: asn.Name): string {
  return name.flatMap((rdn) => rdn.map((atv) => `${SHORT_NAMES.get(atv.type) ?? atv.type}=${atv.value.toString()}`)).join(', ');
}

function findExtension(tbs: asn.TBSCertificate, oid: string): asn.Extension | undefined {
  return tbs.extensions?.find((e) => e.extnID === oid);
}

function hex(bytes: ArrayBuffer): string {
  return bytesToHex(new Uint8Array(bytes));
}

function decodeCertificate(der: Uint8Array): asn.Certificate {
  try {
    return AsnConvert.parse(buffer(der), asn.Certificate);
  } catch (e) {
    throw new SimError({
      code: 'INVALID_FIELD',
      path: 'certificate',
      message: `not a DER X.509 certificate (${e instanceof Error ? e.message : String(e)}); pass the bytes of a PEM CERTIFICATE block`,
    });
  }
}

/** Decodes a DER certificate; a SimError INVALID_FIELD if the bytes are not one. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const cert = decodeCertificate(der);
  const tbs = cert.tbsCertificate;
  const san = findExtension(tbs, asn.id_ce_subjectAltName);
  const sans = san === undefined ? [] : AsnConvert.parse(san.extnValue, asn.SubjectAlternativeName);
  const bc = findExtension(tbs, asn.id_ce_basicConstraints);
  const ski = findExtension(tbs, asn.id_ce_subjectKeyIdentifier);
  const aki = findExtension(tbs, asn.id_ce_authorityKeyIdentifier);
  const akiValue = aki === undefined ? undefined : AsnConvert.parse(aki.extnValue, asn.AuthorityKeyIdentifier).keyIdentifier;
  return {
    der,
    tbsDer: new Uint8Array(cert.tbsCertificateRaw ?? AsnConvert.serialize(tbs)),
    signature: new Uint8Array(cert.signatureValue),
    serialDecimal: BigInt(`0x${hex(tbs.serialNumber) || '0'}`).toString(10),
    subject: formatName(tbs.subject),
    issuer: formatName(tbs.issuer),
    subjectDer: new Uint8Array(AsnConvert.serialize(tbs.subject)),
    issuerDer: new Uint8Array(AsnConvert.serialize(tbs.issuer)),
    notBeforeMs: tbs.validity.notBefore.getTime().getTime(),
    notAfterMs: tbs.validity.notAfter.getTime().getTime(),
    uriSans: sans.filter((g) => g.uniformResourceIdentifier !== undefined).map((g) => g.uniformResourceIdentifier!),
    isCa: bc !== undefined && AsnConvert.parse(bc.extnValue, asn.BasicConstraints).cA,
    subjectKeyIdHex: ski === undefined ? undefined : hex(AsnConvert.parse(ski.extnValue, asn.SubjectKeyIdentifier).buffer),
    authorityKeyIdHex: akiValue === undefined ? undefined : hex(akiValue.buffer),
    publicKey: new Uint8Array(tbs.subjectPublicKeyInfo.subjectPublicKey),
  };
}

/**
 * A positive serial number from random bytes (SPIRE draws 128-bit random serials). The top bit is
 * cleared so the DER INTEGER needs no sign byte, and the first byte is never zero so the encoding
 * stays minimal.
 */
export function serialFromBytes(random: Uint8Array): Uint8Array {
  const s = Uint8Array.from(random);
  s[0] = s[0]! & 0x7f || 0x01;
  return s;
}
