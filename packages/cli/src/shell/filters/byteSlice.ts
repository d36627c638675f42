/**
 * The bytes `range` picks of the text's UTF-8 encoding (given its length, it returns [start, end)),
 * decoded again, as `head -c` and `tail -c` count; a character cut in two prints as U+FFFD.
 */
export function byteSlice(text: string, range: (length: number) => readonly [number, number]): string {
  const bytes = new TextEncoder().encode(text);
  const [start, end] = range(bytes.length);
  return new TextDecoder().decode(bytes.subarray(start, end));
}
