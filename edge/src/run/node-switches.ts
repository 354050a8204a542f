/**
 * Node's own switches that would make the agent listen on a port or write files beyond its
 * data dir: the inspector, profilers, diagnostic reports, trace events, redirected warnings,
 * coverage. They come from the command line or, unseen, from an inherited NODE_OPTIONS or
 * NODE_V8_COVERAGE, and Node acts on them before any of Byliv's code runs, so the agent can only
 * refuse to go on. Pure: the caller passes process.execArgv and process.env.
 */
const WRITES_OR_LISTENS = [
  '--inspect', '--inspect-brk', '--inspect-wait',
  '--cpu-prof', '--heap-prof', '--prof', '--redirect-warnings',
  '--report-on-signal', '--report-uncaught-exception', '--report-on-fatalerror', '--report-signal',
  '--trace-events-enabled', '--trace-event-categories', '--heapsnapshot-signal', '--heapsnapshot-near-heap-limit',
  '--experimental-network-inspection',
];
/** Variables Node reads at start that make it write (or, in newer Node, route its HTTP through a proxy). */
const ENV = ['NODE_V8_COVERAGE', 'NODE_REDIRECT_WARNINGS', 'NODE_COMPILE_CACHE', 'NODE_USE_ENV_PROXY'];

function switchName(arg: string): string {
  return arg.split('=')[0]!.replace(/_/g, '-');
}

/** Each offending switch as the operator would find it: "NODE_OPTIONS --inspect", "--cpu-prof", "NODE_V8_COVERAGE". */
export function nodeEgressSwitches(execArgv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const offending = (args: readonly string[]) => args.filter((a) => WRITES_OR_LISTENS.some((s) => switchName(a) === s || switchName(a).startsWith(`${s}-`)));
  const fromOptions = offending((env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)).map((a) => `NODE_OPTIONS ${a}`);
  const fromVariables = ENV.filter((key) => env[key] !== undefined && env[key] !== '');
  // NODE_OPTIONS also shows up in execArgv on some Node versions; each switch is named once.
  const fromArgv = offending(execArgv).filter((a) => !fromOptions.includes(`NODE_OPTIONS ${a}`));
  return [...fromArgv, ...fromOptions, ...fromVariables];
}

export function describeNodeEgressSwitches(found: readonly string[]): string {
  return `Node was started with ${found.join(', ')}: that makes the agent listen on a port or write files outside its data dir (see deploy/README.md, "What the agent writes, and where it connects"). Start it without them.`;
}
