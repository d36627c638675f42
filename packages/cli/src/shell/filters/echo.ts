import { ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { decodeCEscape } from '../cEscape.ts';

/** `echo [-n] [-e|-E] ARG...` as bash's builtin: options only while they are leading and valid. */
export function echo(args: readonly string[], _io: BuiltinIo): CommandResult {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i]!); i++) {
    for (const f of args[i]!.slice(1)) {
      if (f === 'n') newline = false;
      else escapes = f === 'e';
    }
  }
  const text = args.slice(i).join(' ');
  return ok((escapes ? interpretEscapes(text) : text) + (newline ? '\n' : ''));
}

/** The C escapes of `echo -e` and `printf %b` decoded. */
export function interpretEscapes(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') {
      out += text[i];
      continue;
    }
    const [decoded, used] = decodeCEscape(text, i + 1);
    out += decoded;
    i += used;
  }
  return out;
}
