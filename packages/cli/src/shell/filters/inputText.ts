import type { BuiltinIo } from '../command.ts';

/**
 * The text a filter reads: its file operands concatenated (`-` is stdin), or stdin when
 * there are none. Returns the missing file's name when one cannot be read.
 */
export function inputText(operands: readonly string[], io: BuiltinIo): { text: string } | { missing: string } {
  if (operands.length === 0) return { text: io.stdin };
  let text = '';
  for (const name of operands) {
    const content = name === '-' ? io.stdin : io.readFile(name);
    if (content === undefined) return { missing: name };
    text += content;
  }
  return { text };
}
