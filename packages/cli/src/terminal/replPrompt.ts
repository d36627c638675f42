/** The labs' prompt, as Debian's bash shows it for root. */
export const PROMPT = 'root@server:~# ';
/** The prompt of a command's next line while a quote, a `\` or a `|` is left open. */
export const CONTINUATION = '> ';

/** The labs' prompt; coloured as Debian's bash colours it (green user@host, blue directory). */
export function replPrompt(color: boolean): string {
  return color ? '\x1b[01;32mroot@server\x1b[00m:\x1b[01;34m~\x1b[00m# ' : PROMPT;
}
