import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, forceLinting, linter, lintGutter } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { element } from '../panes/element.ts';
import type { AppliedFile } from '../state/playgroundSession.ts';
import { applyDiagnostics, type ManifestDiagnostic, syntaxDiagnostics } from './manifestDiagnostics.ts';

const STARTER_MANIFEST = `# A CiliumNetworkPolicy: edit it, then Apply.
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: rule1
spec:
  description: "L3-L4 policy to restrict deathstar access to empire ships only"
  endpointSelector:
    matchLabels:
      org: empire
      class: deathstar
  ingress:
    - fromEndpoints:
        - matchLabels:
            org: empire
      toPorts:
        - ports:
            - port: "80"
              protocol: TCP
`;

/**
 * The YAML editor: CodeMirror with YAML highlighting and a lint gutter. Problems of the YAML
 * itself show as you type; Apply saves the text as `file` and types `kubectl apply -f FILE`
 * in the terminal, and what the API server refused shows at the line of the field it names,
 * in kubectl's words, in the gutter and in the list under the editor.
 */
export class YamlEditor {
  readonly view: EditorView;
  private readonly problems: HTMLElement;
  private applied: AppliedFile | undefined;

  constructor(host: HTMLElement, file: string, apply: (text: string) => void) {
    this.problems = element('ul', {
      class: 'problems',
      id: 'editor-problems',
      'aria-live': 'polite',
      'aria-label': 'Problems in the manifest',
    });
    const button = element('button', { type: 'button', id: 'apply' }, `Apply (kubectl apply -f ${file})`);
    const mount = element('div', { class: 'editor', id: 'yaml-editor' });
    host.append(mount, element('div', { class: 'toolbar' }, button), this.problems);
    this.view = new EditorView({
      parent: mount,
      state: EditorState.create({
        doc: STARTER_MANIFEST,
        extensions: [
          lineNumbers(),
          history(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle),
          yaml(),
          keymap.of([
            ...defaultKeymap,
            ...historyKeymap,
            {
              key: 'Mod-Enter',
              run: () => {
                button.click();
                return true;
              },
            },
          ]),
          lintGutter(),
          linter((view) => this.lint(view.state.doc), { delay: 250 }),
          EditorView.contentAttributes.of({ 'aria-label': 'YAML manifest editor (Ctrl-Enter applies)' }),
        ],
      }),
    });
    button.addEventListener('click', () => apply(this.text()));
  }

  text(): string {
    return this.view.state.doc.toString();
  }

  setText(text: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  /** What the last apply of the editor's file did; its refusals stay marked while the text is unchanged. */
  showApplied(applied: AppliedFile | undefined): void {
    this.applied = applied;
    forceLinting(this.view);
    this.list(this.diagnostics(this.text()));
  }

  private diagnostics(text: string): ManifestDiagnostic[] {
    const applied = this.applied;
    if (applied !== undefined && applied.text === text) return applyDiagnostics(applied.file, applied.text, applied.results);
    return syntaxDiagnostics(text);
  }

  private lint(doc: Text): Diagnostic[] {
    const found = this.diagnostics(doc.toString());
    this.list(found);
    return found.map((d) => {
      const line = doc.line(Math.min(Math.max(d.line, 1), doc.lines));
      return { from: line.from, to: line.to, severity: 'error', message: d.message };
    });
  }

  private list(found: readonly ManifestDiagnostic[]): void {
    this.problems.replaceChildren(...found.map((d) => element('li', {}, element('strong', {}, `line ${d.line}: `), d.message)));
  }
}
