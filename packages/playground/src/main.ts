import './style.css';
import { parseScript } from '@cilium-sim/cli/browser';
import { listScenarios } from '@cilium-sim/scenarios';
import { config as zodConfig } from 'zod';
import type { YamlEditor } from './editor/yamlEditor.ts';
import { element } from './panes/element.ts';
import { EndpointsPane } from './panes/endpointsPane.ts';
import { FlowTable } from './panes/flowTable.ts';
import { MatrixPane } from './panes/matrixPane.ts';
import { ServiceMapPane } from './panes/serviceMapPane.ts';
import { PlaygroundSession } from './state/playgroundSession.ts';
import { decodeShareState, encodeShareState, type ShareState } from './state/shareState.ts';
import { TerminalPane } from './terminal/terminalPane.ts';

/** The session file the editor's text is saved to before `kubectl apply -f` reads it. */
const EDITOR_FILE = 'playground.yaml';

/** The scenario a bare link opens: the project's main job, the Star Wars mutual-auth lab. */
const DEFAULT_STATE: ShareState = { scenario: 'star-wars-mutual-auth', lab: false, seed: undefined, steps: [] };

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * The page: a session picker, the terminal, the walkthrough, the YAML editor and the live panes.
 * Everything the user does is a step of the session, written to the URL's fragment after each
 * one, so the address bar always holds a link that replays to this screen.
 */
class Playground {
  private session: PlaygroundSession | undefined;
  private replaying = false;
  private readonly terminal = new TerminalPane(byId('terminal'), () => this.afterCommand());
  private readonly flows = new FlowTable(byId('flows-pane'));
  private readonly map = new ServiceMapPane(byId('map-pane'), (text) => this.flows.show(text));
  private readonly matrix = new MatrixPane(byId('matrix-pane'));
  private readonly endpoints = new EndpointsPane(byId('endpoints-pane'));
  /**
   * The editor (CodeMirror) is not needed for the first prompt: its module is fetched and run
   * right after it, while the page finishes loading, so the prompt comes sooner.
   */
  private editor: YamlEditor | undefined;
  private editorLoaded: Promise<void> | undefined;
  /** The session's panes drawn after its first prompt. */
  private settled: Promise<void> = Promise.resolve();
  private readonly picker = byId<HTMLSelectElement>('scenario');
  private readonly seed = byId<HTMLInputElement>('seed');
  private readonly shareUrl = byId<HTMLInputElement>('share-url');
  private readonly manifests = byId<HTMLSelectElement>('load-manifest');

  constructor() {
    byId<HTMLFormElement>('setup').addEventListener('submit', (e) => {
      e.preventDefault();
      const [mode, name] = this.picker.value.split(':');
      const seed = this.seed.value === '' ? undefined : Number(this.seed.value);
      this.start({ scenario: name === '' ? undefined : name, lab: mode === 'lab', seed, steps: [] });
      this.terminal.focus();
    });
    byId('share').addEventListener('click', () => this.copyLink());
    for (const button of byId('lab-controls').querySelectorAll<HTMLButtonElement>('button[data-command]')) {
      button.addEventListener('click', () => this.terminal.type(button.dataset['command']!));
    }
    this.manifests.addEventListener('change', () => {
      const text = this.session?.scenario?.files.get(this.manifests.value);
      if (text !== undefined) this.editor?.setText(text);
    });
    window.addEventListener('hashchange', () => this.open(location.hash));
  }

  /** Opens a shared link: its session, then its steps replayed. */
  open(fragment: string): void {
    const { state, problems } = decodeShareState(fragment);
    const notices = problems.map((p) => `In the link, ${p}; that part is left out.`);
    this.start(fragment.replace(/^#/, '') === '' ? DEFAULT_STATE : state, notices);
  }

  /** Starts a session of `state`, first telling the user what of it could not be used. */
  private start(state: ShareState, notices: string[] = []): void {
    let session: PlaygroundSession;
    try {
      session = new PlaygroundSession(state);
    } catch (e) {
      session = new PlaygroundSession({ scenario: undefined, lab: false, seed: state.seed });
      notices.push(`${e instanceof Error ? e.message : String(e)}; the empty cluster is open instead.`);
    }
    this.session = session;
    this.seed.value = String(session.seed);
    byId('lab-controls').hidden = !session.lab;
    const drawn = this.terminal.start(session, notices);
    this.editorLoaded ??= drawn
      .then(() => new Promise((resolve) => setTimeout(resolve, 0)))
      .then(() => import('./editor/yamlEditor.ts'))
      .then(({ YamlEditor }) => {
        this.editor = new YamlEditor(byId('editor-pane'), EDITOR_FILE, (text) => this.apply(text));
        this.afterCommand();
      });
    this.replaying = true;
    for (const step of state.steps) this.terminal.replay(step);
    this.replaying = false;
    // The picker, the walkthrough and the panes follow once the prompt is on the screen.
    this.settled = drawn
      .then(() => new Promise((resolve) => setTimeout(resolve, 0)))
      .then(() => {
        if (this.session !== session) return;
        this.fillPicker();
        this.picker.value = `${session.lab ? 'lab' : 'scenario'}:${session.scenario?.name ?? ''}`;
        this.fillWalkthrough(session);
        this.fillManifests(session);
        this.afterCommand();
      });
  }

  private apply(text: string): void {
    this.session?.writeFile(EDITOR_FILE, text);
    this.terminal.type(`kubectl apply -f ${EDITOR_FILE}`);
  }

  /** After each step: the panes, the editor's marks and the link follow the cluster. */
  private afterCommand(): void {
    const session = this.session;
    if (session === undefined || this.replaying) return;
    this.flows.update(session.cluster);
    this.map.update(session.cluster);
    this.matrix.update(session.cluster);
    this.endpoints.update(session.cluster);
    const applied = session.lastApplied;
    if (this.editor !== undefined && applied?.file === EDITOR_FILE) {
      if (applied.text !== this.editor.text()) this.editor.setText(applied.text);
      this.editor.showApplied(applied);
    }
    const fragment = encodeShareState(session.shareState());
    history.replaceState(null, '', `#${fragment}`);
    this.shareUrl.value = location.href;
  }

  private async copyLink(): Promise<void> {
    const status = byId('share-status');
    this.shareUrl.value = location.href;
    try {
      await navigator.clipboard.writeText(location.href);
      status.textContent = 'Link copied.';
    } catch {
      this.shareUrl.select();
      status.textContent = 'Select the link and copy it.';
    }
  }

  private fillPicker(): void {
    if (this.picker.options.length > 0) return;
    const scenarios = listScenarios();
    const labs = element('optgroup', { label: 'Labs (task, hint, check)' });
    const walkthroughs = element('optgroup', { label: 'Walkthroughs' });
    for (const s of scenarios) {
      walkthroughs.append(element('option', { value: `scenario:${s.name}` }, s.title));
      if (s.mode === 'lab') labs.append(element('option', { value: `lab:${s.name}` }, `Lab: ${s.title}`));
    }
    this.picker.append(labs, walkthroughs, element('option', { value: 'scenario:' }, 'Empty cluster (sandbox)'));
  }

  private fillWalkthrough(session: PlaygroundSession): void {
    const list = byId('walkthrough');
    const parsed = session.scenario === undefined ? undefined : parseScript(session.scenario.script);
    const commands = parsed !== undefined && 'commands' in parsed ? parsed.commands : [];
    byId('walkthrough-section').hidden = commands.length === 0;
    list.replaceChildren(
      ...commands.map((c) => {
        const button = element('button', { type: 'button', 'aria-label': `Type: ${c.text}` }, 'Type');
        button.addEventListener('click', () => {
          this.terminal.type(c.text);
          this.terminal.focus();
        });
        return element('li', {}, element('code', {}, c.text), button);
      }),
    );
  }

  private fillManifests(session: PlaygroundSession): void {
    const files = [...(session.scenario?.files.keys() ?? [])].filter((f) => /\.ya?ml$/.test(f) && f.startsWith('manifests/'));
    this.manifests.replaceChildren(
      element('option', { value: '' }, files.length === 0 ? 'no manifests in this scenario' : 'a manifest of the scenario...'),
      ...files.map((f) => element('option', { value: f }, f)),
    );
    this.manifests.disabled = files.length === 0;
  }

  /** Resolves once the editor is loaded and the session's panes are drawn. */
  ready(): Promise<void> {
    return Promise.all([this.editorLoaded, this.settled]).then(() => undefined);
  }

  /** What the browser tests read: the terminal's text and the session's steps. */
  testHook(): object {
    return {
      lines: () => this.terminal.lines(),
      flushed: () => this.terminal.flushed(),
      type: (text: string) => this.terminal.type(text),
      state: () => this.session?.shareState(),
      ready: () => this.ready(),
    };
  }
}

// Zod compiles each schema with \`new Function\` on its first parse, which pays off over many
// parses; a page parses a few dozen objects once, so reading them without compiling is quicker.
zodConfig({ jitless: true });
const playground = new Playground();
playground.open(location.hash);
(window as unknown as { __playground: object }).__playground = playground.testHook();
