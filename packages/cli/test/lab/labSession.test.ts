import { describe, expect, it } from 'vitest';
import { EXAM_POLICY_WITH_AUTH } from './examPolicy.ts';
import { createLab, labNames } from '../../src/lab/labSession.ts';

// The mutual-auth exam as a learner meets it, in its own namespace exam as the lab runs it: the
// task's setup, then commands typed in the lab's session, then `check`. Each `it` builds its own cluster (about 100 ms).

const WITH_AUTH = EXAM_POLICY_WITH_AUTH;

describe('the mutual-auth exam (cilium-sim lab mutual-auth-example)', () => {
  it('sets the cluster up with the app and the policy without authentication', () => {
    const lab = createLab('mutual-auth-example');
    expect(lab.setupTranscript).toContain(
      '$ kubectl create namespace exam\nnamespace/exam created\n$ kubectl apply -n exam -f manifests/mutual-auth-example.yaml\nservice/echo created\n',
    );
    expect(lab.setupTranscript).toContain(
      '$ kubectl apply -n exam -f manifests/cnp-without-mutual-auth.yaml\nciliumnetworkpolicy.cilium.io/no-mutual-auth-echo created\n',
    );
    expect(lab.banner).toMatch(/^Lab: Require mutual authentication for echo\n/);
    expect(lab.banner).toContain('Type `check` when you are done, `hint` for a hint (4)');
  });

  it('fails the unchanged policy, saying the ingress rule on echo has no authentication.mode: required', () => {
    const lab = createLab('mutual-auth-example');

    const check = lab.session.run('check');

    expect(check.exitCode).toBe(1);
    expect(check.output).toContain(
      'FAIL  A policy selecting echo requires mutual authentication for ingress from pod-worker.\n' +
        '      the ingress rule on echo has no authentication.mode: required (CiliumNetworkPolicy exam/no-mutual-auth-echo spec.ingress[0] admits pod-worker without it)\n',
    );
    expect(check.output).toContain('PASS  GET /headers from pod-worker still returns 200.\n');
    expect(check.output).toContain(
      '      no flow matches hubble observe --from-pod exam/pod-worker --to-pod exam/echo --verdict DROPPED --drop-reason-desc AUTH_REQUIRED\n',
    );
    expect(check.output).toMatch(/3 of 5 checks failed\.\n$/);
  });

  it('passes once the learner edits the policy to require authentication', () => {
    const lab = createLab('mutual-auth-example');
    lab.session.files.set('policy.yaml', WITH_AUTH);

    expect(lab.session.run('kubectl apply -n exam -f policy.yaml').output).toBe(
      'ciliumnetworkpolicy.cilium.io/no-mutual-auth-echo configured\n',
    );
    const check = lab.session.run('cilium-sim check');

    expect(check.output).toMatch(/All 5 checks passed: task "Require mutual authentication for echo" complete\.\n$/);
    expect(check.output).not.toContain('FAIL');
    expect(check.exitCode).toBe(0);
  });

  it("passes with the docs' own policy applied next to the old one", () => {
    const lab = createLab('mutual-auth-example');
    lab.session.run('kubectl apply -n exam -f manifests/cnp-with-mutual-auth.yaml');

    expect(lab.grade().passed).toBe(true);
  });

  it('fails a policy that requires authentication but no longer lets GET /headers through', () => {
    const lab = createLab('mutual-auth-example');
    lab.session.files.set('policy.yaml', WITH_AUTH.replace('path: "/headers"', 'path: "/status"'));
    lab.session.run('kubectl apply -n exam -f policy.yaml');

    const report = lab.grade();

    expect(report.results.map((r) => r.passed)).toEqual([true, false, true, true, true]);
    expect(report.results[1]!.reason).toBe('GET http://echo:3000/headers from exam/pod-worker should succeed, but it got HTTP 403');
  });

  it('fails when the policy is deleted: nothing selects echo any more', () => {
    const lab = createLab('mutual-auth-example');
    lab.session.run('kubectl delete cnp no-mutual-auth-echo -n exam');

    const first = lab.grade().results[0]!;

    expect(first.reason).toBe('no policy selects the pods labelled exam/app=echo: nothing requires authentication for echo');
  });
});

describe('lab session commands', () => {
  it('shows the hints one by one, then repeats the last', () => {
    const lab = createLab('mutual-auth-example');
    const hints = [1, 2, 3, 4, 5].map(() => lab.session.run('hint').output);
    expect(hints[0]).toMatch(/^Hint 1 of 4: Mutual authentication is requested per rule/);
    expect(hints[3]).toMatch(/^Hint 4 of 4: /);
    expect(hints[4]).toBe(hints[3]);
  });

  it('prints the task again, and runs the usual tools', () => {
    const lab = createLab('mutual-auth-example');
    expect(lab.session.run('task').output).toBe(lab.banner);
    expect(lab.session.run('kubectl get cnp -n exam -o name').output).toBe('ciliumnetworkpolicy.cilium.io/no-mutual-auth-echo\n');
  });

  it('refuses a scenario without a task, naming the labs', () => {
    expect(() => createLab('star-wars')).toThrow(/has no task to solve \(labs: .*mutual-auth-example/);
    expect(labNames()).toContain('mutual-auth-example');
  });

  it('runs the setup of every lab without an error', () => {
    for (const name of labNames()) {
      const lab = createLab(name);
      expect(lab.setupTranscript, name).not.toMatch(/error|not found|command not found/i);
    }
  });
});
