import { LineEditor, makeCompleter, ReplLoop, replPrompt, type LineEvent } from '@cilium-sim/cli/browser';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { PlaygroundSession } from '../state/playgroundSession.ts';
import type { Step } from '../state/shareState.ts';

/**
 * The lab terminal: xterm.js showing the REPL loop of the CLI (the same prompt, help, `clear`,
 * continuation lines and output), with the CLI's line editor for echo, history and TAB.
 * Every line, Ctrl-C and Ctrl-L is a step of the session, so a shared link replays them.
 */
export class TerminalPane {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private editor: LineEditor | undefined;
  private loop: ReplLoop | undefined;
  private session: PlaygroundSession | undefined;
  private readonly afterCommand: () => void;
  /** Escape was the last key: Tab now leaves the terminal instead of completing. */
  private escaped = false;

  constructor(host: HTMLElement, afterCommand: () => void) {
    this.afterCommand = afterCommand;
    this.term = new Terminal({
      convertEol: true,
      cursorBlink: true,
      scrollback: 100_000,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      theme: { background: '#0f172a', foreground: '#e2e8f0' },
    });
    this.term.loadAddon(this.fit);
    this.term.open(host);
    this.term.textarea?.setAttribute('aria-label', 'Terminal: type commands here');
    // TAB completes in a terminal; Escape then Tab moves the focus on, so the keyboard is never trapped.
    this.term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown') return true;
      if (e.key === 'Tab' && this.escaped) {
        this.escaped = false;
        return false;
      }
      this.escaped = e.key === 'Escape';
      return true;
    });
    this.term.onData((data) => this.editor?.input(data));
    new ResizeObserver(() => this.fitToHost()).observe(host);
    this.fitToHost();
  }

  /**
   * Starts `session` on a cleared screen: the notices (what of a link could not be used), its
   * banner, then the prompt. Resolves in the frame
   * that draws them, so slower work can wait until the user sees the prompt.
   */
  start(session: PlaygroundSession, notices: readonly string[] = []): Promise<void> {
    this.session = session;
    this.term.reset();
    for (const notice of notices) this.term.write(`${notice}\n`);
    const editor = new LineEditor({
      write: (text) => this.term.write(text),
      columns: () => this.term.cols,
      complete: makeCompleter(session.complete),
      onEvent: (event) => this.onEvent(event),
    });
    const loop = new ReplLoop(
      {
        write: (text) => this.term.write(text),
        prompt: (prompt) => editor.read(prompt),
        clear: () => this.term.clear(),
        close: () => {
          editor.stop();
          loop.end();
        },
      },
      {
        session: session.shell,
        prompt: replPrompt(true),
        echo: false,
        newlineAtEnd: true,
        banner: session.banner,
        help: session.help,
        done: (code) => this.term.write(`[the shell exited with status ${code}; press Start to begin again]\n`),
      },
    );
    this.editor = editor;
    this.loop = loop;
    loop.start();
    return new Promise((resolve) =>
      this.term.write('', () =>
        requestAnimationFrame(() => {
          // The benchmark's "first prompt": the prompt is parsed and drawn in this frame.
          if (performance.getEntriesByName('first-prompt').length === 0) performance.mark('first-prompt');
          resolve();
        }),
      ),
    );
  }

  /** Types `text` and Enter, as a user would (a `\n` inside is Enter too, for continued commands). */
  type(text: string): void {
    this.editor?.input(`${text.replace(/\n/g, '\r')}\r`);
  }

  /** Does a step of a shared link again, exactly as the user did it. */
  replay(step: Step): void {
    if (step.kind === 'line') this.editor?.input(`${step.text}\r`);
    else if (step.kind === 'interrupt') this.editor?.input('\x03');
    else if (step.kind === 'clear') this.editor?.input('\x0c');
    else this.session?.writeFile(step.path, step.text);
  }

  focus(): void {
    this.term.focus();
  }

  /** The screen and scrollback as text: one entry per line, rows the terminal wrapped joined again. */
  lines(): string[] {
    const buffer = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i)!;
      if (line.isWrapped && out.length > 0) out[out.length - 1] += line.translateToString(true);
      else out.push(line.translateToString(true));
    }
    while (out.length > 0 && out.at(-1) === '') out.pop();
    return out;
  }

  /** Resolves once everything written so far is on the screen (xterm parses writes later). */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.term.write('', resolve));
  }

  private onEvent(event: LineEvent): void {
    const session = this.session;
    const loop = this.loop;
    if (session === undefined || loop === undefined) return;
    switch (event.kind) {
      case 'line':
        session.steps.push({ kind: 'line', text: event.text });
        loop.line(event.text);
        this.afterCommand();
        return;
      case 'interrupt':
        session.steps.push({ kind: 'interrupt' });
        loop.interrupt();
        this.afterCommand();
        return;
      case 'clear':
        session.steps.push({ kind: 'clear' });
        this.afterCommand();
        return;
      case 'eof':
        loop.end();
        return;
    }
  }

  private fitToHost(): void {
    try {
      this.fit.fit();
    } catch {
      // A hidden terminal has no size to fit; it fits when shown.
    }
  }
}
