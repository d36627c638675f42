/**
 * The longest a workload tool waits (`curl -m`, `curl --connect-timeout`, `nc -w`, `grpcurl
 * -max-time`): a day of virtual time, the most core lets one command move the clock by. The real
 * tools take more; each refuses a longer wait on its command line, in its own words, naming this
 * limit, so core's refusal (worded for the library) never reaches a terminal.
 */
export const MAX_TOOL_WAIT_SECONDS = 86_400;
