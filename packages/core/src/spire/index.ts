export { SpireAgent, type SpireAgentOptions, type SvidEvent, type X509SvidSubscription } from './agent.ts';
export { CaManager, CILIUM_CA_SUBJECT, createX509Authority, DEFAULT_CA_TTL_NS, type CaEvent, type X509Authority } from './ca.ts';
export {
  compareEntries,
  formatSelector,
  SELECTOR_MATCHES,
  parseSelector,
  selectorsMatch,
  type RegistrationEntry,
  type Selector,
  type SelectorMatch,
} from './entry.ts';
export type { EntryInput } from './entryInput.ts';
export { generateKeyPair, keyPairFromSeed, privateKeyPem, type KeyPair } from './keyPair.ts';
export {
  ciliumInitEntries,
  ensureCiliumEntries,
  identityOfSpiffeId,
  identitySpiffeId,
  MUTUAL_AUTH_SELECTOR,
  syncIdentityEntries,
  type SyncResult,
} from './operator.ts';
export { decodePem, encodePem, type PemBlock } from './pem.ts';
export {
  DEFAULT_JWT_SVID_TTL_NS,
  DEFAULT_TRUST_DOMAIN,
  SpireServer,
  type AttestedAgent,
  type EntryFilter,
  type SpireServerEvent,
  type SpireServerOptions,
  type SpireServerState,
} from './server.ts';
export {
  isSpiffeId,
  parseSpiffeId,
  SPIFFE_ID_REASONS,
  spiffeIdOf,
  spiffeIdProblem,
  trustDomainProblem,
  type SpiffeId,
} from './spiffeId.ts';
export { isSpireStatusError, SpireStatusError, type SpireStatusCode } from './spireStatusError.ts';
export {
  DEFAULT_X509_SVID_TTL_NS,
  formatRfc3339,
  mintX509Svid,
  NOT_BEFORE_CUSHION_NS,
  svidPem,
  verifySvidChain,
  type SvidVerification,
  type X509Svid,
} from './svid.ts';
export { createCertificate, parseCertificate, type CertificateTemplate, type ParsedCertificate } from './x509.ts';
export { k8sWorkloadSelectors, workloadSpiffeIds, type K8sWorkload } from './workloadAttestation.ts';
