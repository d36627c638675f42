// The page's line editor, rendered by a real terminal emulator (xterm.js headless): what the
// user sees after each key, and the lines it hands to the REPL loop.
import { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { LineEditor, type LineEvent } from '../../src/terminal/lineEditor.ts';
import { makeCompleter } from '../../src/terminal/makeCompleter.ts';
import { replPrompt } from '../../src/terminal/replPrompt.ts';

const COLS = 30;

function setup(complete?: (words: string[]) => string[]) {
  const term = new Terminal({ cols: COLS, rows: 12, allowProposedApi: true });
  let pending = '';
  const events: LineEvent[] = [];
  const editor = new LineEditor({
    write: (text) => (pending += text),
    columns: () => COLS,
    onEvent: (event) => events.push(event),
    ...(complete === undefined ? {} : { complete: makeCompleter(complete) }),
  });
  return {
    editor,
    events,
    type(data: string): void {
      editor.input(data);
    },
    /** The screen's lines (rows the terminal wrapped joined again), empty rows at the end dropped. */
    async screen(): Promise<string[]> {
      await new Promise<void>((resolve) => term.write(pending, resolve));
      pending = '';
      const rows: string[] = [];
      const buffer = term.buffer.active;
      for (let i = 0; i < buffer.length; i++) {
        const line = buffer.getLine(i)!;
        if (line.isWrapped && rows.length > 0) rows[rows.length - 1] += line.translateToString(true);
        else rows.push(line.translateToString(true));
      }
      while (rows.length > 0 && rows.at(-1) === '') rows.pop();
      return rows;
    },
    cursor(): [number, number] {
      return [term.buffer.active.cursorX, term.buffer.active.cursorY];
    },
  };
}

describe('LineEditor', () => {
  it('echoes what is typed after the coloured prompt and hands over the line on Enter', async () => {
    const t = setup();
    t.editor.read(replPrompt(true));
    t.type('kubectl get pods\r');

    expect(await t.screen()).toEqual(['root@server:~# kubectl get pods']);
    expect(t.events).toEqual([{ kind: 'line', text: 'kubectl get pods' }]);
    // 31 characters on a 30-column terminal: two rows, then the cursor at the start of the third.
    expect(t.cursor()).toEqual([0, 2]);
  });

  it('edits in the middle of the line with the arrows, Backspace, Delete, Home and End', async () => {
    const t = setup();
    t.editor.read('$ ');
    t.type('echo helo wrld');
    t.type('\x1b[D\x1b[D\x1b[D'); // before "rld"
    t.type('o');
    t.type('\x1b[H'); // Home
    t.type('\x1b[3~\x1b[3~\x1b[3~\x1b[3~'); // Delete "echo"
    t.type('printf');
    t.type('\x1b[F!'); // End, then "!"
    t.type('\x7f?'); // Backspace the "!", type "?"

    expect(await t.screen()).toEqual(['$ printf helo world?']);
    t.type('\r');
    expect(t.events).toEqual([{ kind: 'line', text: 'printf helo world?' }]);
  });

  it('redraws a line wider than the terminal across rows, the cursor where the edit is', async () => {
    const t = setup();
    t.editor.read('root@server:~# ');
    t.type('kubectl exec tiefighter -- curl -s deathstar');
    for (let i = 0; i < 'deathstar'.length; i++) t.type('\x1b[D');
    t.type('-XPOST ');

    expect(await t.screen()).toEqual(['root@server:~# kubectl exec tiefighter -- curl -s -XPOST deathstar']);
    const before = 'root@server:~# kubectl exec tiefighter -- curl -s -XPOST '.length;
    expect(t.cursor()).toEqual([before % COLS, Math.floor(before / COLS)]);
  });

  it('keeps a line that fills its row exactly whole: typing on wraps, Enter adds no blank row', async () => {
    const t = setup();
    const full = 'x'.repeat(COLS - 2);
    t.editor.read('$ ');
    t.type(`${full}\r`);
    t.editor.read('$ ');
    t.type('\x1b[A'); // the same line again, redrawn from history
    t.type('\r');
    t.editor.read('$ ');
    t.type(`${full}\x1b[D\x1b[F`); // Left, then End: back past the margin
    t.type('yz\r');

    expect(await t.screen()).toEqual([`$ ${full}`, `$ ${full}`, `$ ${full}yz`]);
    expect(t.events.at(-1)).toEqual({ kind: 'line', text: `${full}yz` });
  });

  it('recalls history with Up and Down, keeping the line being typed', async () => {
    const t = setup();
    for (const line of ['kubectl get pods', 'hubble observe']) {
      t.editor.read('$ ');
      t.type(`${line}\r`);
    }
    t.editor.read('$ ');
    t.type('cil');
    t.type('\x1b[A');
    expect((await t.screen()).at(-1)).toBe('$ hubble observe');
    t.type('\x1b[A\x1b[A'); // past the oldest: stays there
    expect((await t.screen()).at(-1)).toBe('$ kubectl get pods');
    t.type('\x1b[B\x1b[B');
    expect((await t.screen()).at(-1)).toBe('$ cil');
    expect(t.editor.entries()).toEqual(['hubble observe', 'kubectl get pods']);
  });

  it('completes a unique word with TAB and lists several under the line', async () => {
    const t = setup((words) => (words[0] === 'kubectl' && words.length === 2 ? ['get', 'apply', 'exec'] : ['kubectl']));
    t.editor.read('$ ');
    t.type('kub\t');
    expect((await t.screen()).at(-1)).toBe('$ kubectl ');
    t.type('\t');

    expect(await t.screen()).toEqual(['$ kubectl ', 'apply  exec   get', '', '$ kubectl ']);
    t.type('ap\tx\r');
    expect(t.events).toEqual([{ kind: 'line', text: 'kubectl apply x' }]);
  });

  it('turns Ctrl-C, Ctrl-L and Ctrl-D into events', () => {
    const t = setup();
    t.editor.read('$ ');
    t.type('abc\x03');
    t.type('ignored: no line is being read');
    t.editor.read('$ ');
    t.type('x\x04'); // Ctrl-D on a non-empty line deletes under the cursor: nothing there
    t.type('\x0c');
    t.type('\x7f\x04');

    expect(t.events).toEqual([{ kind: 'interrupt' }, { kind: 'clear' }, { kind: 'eof' }]);
  });

  it('runs a paste line by line when each line is read as the last one ran', () => {
    const lines: string[] = [];
    const editor = new LineEditor({
      write: () => {},
      columns: () => COLS,
      onEvent: (event) => {
        if (event.kind !== 'line') return;
        lines.push(event.text);
        editor.read('$ ');
      },
    });
    editor.read('$ ');
    editor.input('echo a\necho b\r\necho c');
    editor.input('\r');

    expect(lines).toEqual(['echo a', 'echo b', 'echo c']);
  });
});
