/** The long-lived edge agent: cameras over one model session, with start/stop and a loopback health endpoint. */
export { createAgent, type Agent, type AgentOptions, type CameraOutcome } from './agent.ts';
export { CameraRun, prepareCamera, type PreparedCamera, type RunResult } from './camera-run.ts';
export { healthReport, startHealthServer, type CameraHealth, type HealthReport } from './health.ts';
export { SharedModel } from './shared-model.ts';
