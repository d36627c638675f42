import type { ApiObject } from '@cilium-sim/core';

/**
 * An object as kubectl receives it from the API server (core's `ApiObject`): the fields of the
 * real API, so objects from the simulator's store and hand-written ones both fit. kubectl's
 * commands read the metadata; the printers' columns come with each kind's registry entry.
 */
export type KubeObject = ApiObject;
