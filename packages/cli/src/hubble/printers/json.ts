import { hubble, type Flow } from '@cilium-sim/core';

/** Go's json.Encoder escapes these for HTML safety, so `&` in a URL prints as `\u0026`. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One GetFlowsResponse line of `-o json` / `-o jsonpb`: `{"flow":{…},"node_name":"…","time":"…"}`. */
export function jsonLine(flow: Flow): string {
  return `${goEscape(JSON.stringify({ flow: hubble.flowToJson(flow), node_name: flow.node_name, time: flow.time }))}\n`;
}

export function printJson(flows: readonly Flow[]): string {
  return flows.map(jsonLine).join('');
}
