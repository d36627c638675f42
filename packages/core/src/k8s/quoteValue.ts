/** How much of an offending value an error message quotes. */
export const MAX_QUOTED = 256;

/**
 * An offending value as an error message quotes it: as JSON (a string in double quotes), cut to
 * its first characters when long, so a 300 KiB annotation is not repeated back.
 */
export function quoteValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value;
  }
  return cutText(text);
}

/** A value already printed (Go's `%#v` of a selector, say), cut when long. */
export function cutText(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 3)}...` : text;
}
