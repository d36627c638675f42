import { validateDocument } from '../packages/core/src/k8s/validate.ts';
import { deploymentDoc, policyDoc, SCALES } from './workload.ts';
const s = SCALES.full!;
const docs = Array.from({ length: 2000 }, (_, i) => ({ index: i + 1, line: 1, itemPath: '', value: JSON.parse(deploymentDoc(s, i, 10)) }));
const pols = Array.from({ length: 2000 }, (_, i) => ({ index: i + 1, line: 1, itemPath: '', value: JSON.parse(policyDoc(s, i)) }));
for (const d of docs.slice(0, 200)) validateDocument(d);
let c = process.cpuUsage(); for (const d of docs) validateDocument(d); console.log('deployment µs', process.cpuUsage(c).user / 2000);
c = process.cpuUsage(); for (const d of pols) validateDocument(d); console.log('policy µs', process.cpuUsage(c).user / 2000);
