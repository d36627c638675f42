import { loadScenario } from '@cilium-sim/scenarios';
import { createSimulator } from '../src/simulator.ts';
import { runScript } from '../src/shell/script.ts';
const files = loadScenario('star-wars').files;
const sim = createSimulator({ seed: 1 }, process.cwd(), files);
const r = runScript(`kubectl apply -f manifests/http-sw-app.yaml
kubectl apply -f manifests/sw_l3_l4_l7_policy.yaml
kubectl exec tiefighter -- curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing
kubectl exec tiefighter -- curl -s -XPUT deathstar.default.svc.cluster.local/v1/exhaust-port
kubectl exec xwing -- curl -s --connect-timeout 2 -XPOST deathstar.default.svc.cluster.local/v1/request-landing
hubble observe --type l7 --from-pod default/tiefighter
hubble observe --type l7 --from-pod default/tiefighter -o json | head -1
hubble observe --protocol http --http-status 403
hubble observe --type l7 --http-path '/v1/.*' --http-method POST
hubble observe --pod tiefighter --last 30
`, sim.session, { name: 'x.sh' });
console.log(r.transcript);
