import { completer, helpText } from '../replHelp.ts';
import { LAB_COMMANDS, type Lab } from './labSession.ts';

const LAB_HELP: Readonly<Record<string, string>> = {
  check: 'check   grade the cluster as it is now against the lab task (also: cilium-sim check)',
  hint: 'hint    show the next hint',
  task: 'task    show the task again',
};

/** What a lab's REPL shows and offers beyond the usual one, in a terminal or in the page. */
export interface LabRepl {
  /** The title, prompt and how to check, printed before the first prompt. */
  readonly banner: string;
  /** TAB candidates: the tools', and `check`, `hint`, `task` in command position. */
  readonly complete: (words: string[]) => string[];
  /** `help` lists the lab's commands after the tools; `help check` explains one. */
  readonly help: (topic: string | undefined) => string;
}

export function labRepl(lab: Lab): LabRepl {
  const complete = completer(lab.cluster);
  return {
    banner: lab.banner,
    complete: (words) => [...complete(words), ...(words.length <= 1 ? LAB_COMMANDS.filter((c) => c.startsWith(words[0] ?? '')) : [])],
    help: (topic) =>
      topic !== undefined && LAB_HELP[topic] !== undefined
        ? `${LAB_HELP[topic]}\n`
        : `${helpText(topic)}${
            topic === undefined
              ? `Lab:\n${Object.values(LAB_HELP)
                  .map((l) => `  ${l}`)
                  .join('\n')}\n`
              : ''
          }`,
  };
}
