/**
 * How many bytes UTF-8 takes for `text`, as `TextEncoder` (and Node's `Buffer.byteLength`) would
 * write it (a lone surrogate becomes U+FFFD, three bytes), counted without building the bytes:
 * payload lengths on the wire, the API server's size limits on labels and annotations, `wc -c`.
 */
export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c < 0xdc00 && c >= 0xd800 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: two UTF-16 units, four bytes.
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}
