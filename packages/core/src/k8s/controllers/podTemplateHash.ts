import { hash32 } from '../../sim/rng.ts';
import { canonicalJson } from '../canonicalJson.ts';
import type { PodTemplate } from '../objects.ts';

/** Kubernetes' "safe" alphabet for generated names: no vowels, no 0/1/3 (apimachinery rand). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The `pod-template-hash` of a Deployment's template, made the way Kubernetes makes it: a 32-bit
 * hash of the template printed in decimal, each digit mapped into the safe alphabet, which is why
 * real hashes (`5d78c9869d`) use only ten letters. The seed is mixed in so `--seed` changes names.
 * Values below 10^7 are rehashed so the hash always has 8 to 10 characters.
 */
export function podTemplateHash(template: PodTemplate, seed: number): string {
  let h = hash32(`${seed}|${canonicalJson(template)}`);
  while (h < 10_000_000) h = hash32(`${h}|again`);
  return safeEncode(String(h));
}

/** apimachinery's SafeEncodeString: each character code modulo the alphabet's length. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += NAME_ALPHABET[text.charCodeAt(i) % NAME_ALPHABET.length];
  return out;
}
