// The REPL is driven through PassThrough streams: with isTTY false it behaves as when a lab
// is piped in; with isTTY true readline runs its terminal mode (editing, TAB) on the stream.
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { startRepl, type ReplOptions } from '../src/repl.ts';
import { makeCompleter } from '../src/terminal/makeCompleter.ts';
import { replPrompt } from '../src/terminal/replPrompt.ts';
import { newSession } from './shell/fakeTools.ts';

async function drive(lines: string, options: Partial<ReplOptions> = {}): Promise<{ text: string; code: number }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const done = startRepl({ input, output, session: newSession(), isTTY: false, ...options });
  input.end(lines);
  const code = await done;
  // Writes reach the 'data' listener asynchronously: wait until the last one has.
  output.end();
  await finished(output);
  return { text, code };
}

describe('startRepl over a pipe', () => {
  it('prints the prompt and each command before its output, like a terminal transcript', async () => {
    const { text, code } = await drive('kubectl get pods | head -2\necho hi\n');
    expect(text).toBe(
      'root@server:~# kubectl get pods | head -2\n' +
        'NAME                        READY   STATUS    RESTARTS   AGE\n' +
        'echo-server-7d8b9c-x2k4p    1/1     Running   0          5m\n' +
        'root@server:~# echo hi\nhi\n',
    );
    expect(code).toBe(0);
  });

  it('runs a command whose last line ends in \\ when the input ends, as bash does, and still refuses an open quote', async () => {
    expect(await drive('echo a\\\n')).toEqual({ text: 'root@server:~# echo a\\\na\n', code: 0 });
    expect(await drive('echo "open\n')).toEqual({ text: 'root@server:~# echo "open\ncilium-sim: unterminated quote\n', code: 2 });
  });

  it('keeps variables between lines', async () => {
    const { text } = await drive(`POD=$(kubectl get pods -o jsonpath='{.items[1].metadata.name}')\necho $POD\n`);
    expect(text.split('\n').at(-2)).toBe('pod-worker-5b6c7d-q9w8e');
  });

  it('stops at exit or quit and ignores what follows', async () => {
    expect((await drive('echo a\nquit\necho b\n')).text).toBe('root@server:~# echo a\na\nroot@server:~# quit\n');
    expect((await drive('exit 3\necho b\n')).code).toBe(3);
  });

  it("ends with the last command's status when input ends or at a bare exit, as bash reading a pipe does", async () => {
    expect((await drive('echo a\nfalse\n')).code).toBe(1);
    expect((await drive('false\necho a\n')).code).toBe(0);
    expect((await drive('nosuchcommand\n')).code).toBe(127);
    expect((await drive('false\nexit\necho b\n')).code).toBe(1);
    expect((await drive('false\nhelp\n')).code).toBe(0);
    expect((await drive('true\nexit 4\n')).code).toBe(4);
  });

  it('continues an open quote on the next line with a > prompt', async () => {
    expect((await drive('echo "a\nb"\n')).text).toBe('root@server:~# echo "a\n> b"\na\nb\n');
  });

  it('answers help and help COMMAND from the provider', async () => {
    const help = (topic: string | undefined) => (topic === undefined ? 'Commands: kubectl, hubble' : `Usage: ${topic} ...`);
    expect((await drive('help\nhelp hubble\n', { help })).text).toBe(
      'root@server:~# help\nCommands: kubectl, hubble\nroot@server:~# help hubble\nUsage: hubble ...\n',
    );
  });

  it('answers clear itself: over a pipe only the echoed line shows', async () => {
    expect((await drive('clear\necho x\n')).text).toBe('root@server:~# clear\nroot@server:~# echo x\nx\n');
  });

  it('reports shell errors and carries on', async () => {
    expect((await drive('for x in 1; do :; done\necho still\n')).text).toBe(
      'root@server:~# for x in 1; do :; done\ncilium-sim: unsupported shell syntax: for loop\nroot@server:~# echo still\nstill\n',
    );
  });
});

describe('startRepl on a terminal', () => {
  it('clears the screen and its scrollback on clear, then prompts again', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const done = startRepl({ input, output, session: newSession(), isTTY: true, color: false });
    input.end('clear\r');
    await done;

    expect(text).toContain('\x1b[H\x1b[2J\x1b[3J');
    expect(text.slice(text.lastIndexOf('\x1b[3J'))).toContain('root@server:~# ');
  });

  it('completes the word under the cursor with TAB through the provider', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const seen: string[][] = [];
    const session = newSession();
    const done = startRepl({
      input,
      output,
      session,
      isTTY: true,
      color: false,
      complete: (words) => {
        seen.push(words);
        return words.length === 2 ? ['args'] : [];
      },
    });
    input.write('echo ar');
    input.write('\t');
    input.write('\r');
    input.end();
    await done;
    expect(seen).toContainEqual(['echo', 'ar']);
    // The completed line ran: `echo args ` printed `args`.
    expect(text).toMatch(/\nargs\n/);
  });
});

describe('makeCompleter', () => {
  const complete = makeCompleter((words) => {
    if (words.length === 2 && words[0] === 'kubectl') return ['get', 'apply', 'exec'];
    if (words[1] === 'get') return ['pods', 'policies', 'services'];
    return ['kubectl', 'hubble'];
  });

  it('offers commands and shell built-ins in command position', () => {
    expect(complete('hu')).toEqual([['hubble '], 'hu']);
    expect(complete('he')[0]).toEqual(['head', 'help']);
  });

  it('ends a unique completion with a space, as bash does', () => {
    expect(complete('kubectl ap')).toEqual([['apply '], 'ap']);
  });

  it('completes subcommands and names from the provider by prefix', () => {
    expect(complete('kubectl get po')).toEqual([['pods', 'policies'], 'po']);
    expect(complete('kubectl ')).toEqual([['apply', 'exec', 'get'], '']);
  });

  it('restarts at the current pipeline stage', () => {
    expect(complete('kubectl get pods | gr')).toEqual([['grep '], 'gr']);
  });
});

describe('replPrompt', () => {
  it('is the labs prompt, green and blue when coloured', () => {
    expect(replPrompt(false)).toBe('root@server:~# ');
    expect(replPrompt(true)).toBe('\x1b[01;32mroot@server\x1b[00m:\x1b[01;34m~\x1b[00m# ');
  });
});
