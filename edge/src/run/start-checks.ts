/**
 * What is refused before the agent opens its model or its source: a scene whose camera is not
 * the MQTT account's, and Node switches that would make it listen or write elsewhere. Both
 * are config errors (exit 2) with a message naming what to change.
 */
import { ConfigError, loadSceneFile } from '../config/scene-file.ts';
import { cameraIdentityMismatch } from '../publish/camera-identity.ts';
import { describeNodeEgressSwitches, nodeEgressSwitches } from './node-switches.ts';

/** Any request the CLI starts: a single run names its scene and broker; a --config run only gets the Node check here. */
export interface StartRequest {
  scene?: string;
  broker?: { username?: string };
}

export function checkBeforeCounting(req: StartRequest, execArgv: readonly string[] = process.execArgv, env: NodeJS.ProcessEnv = process.env): void {
  const switches = nodeEgressSwitches(execArgv, env);
  if (switches.length > 0) throw new ConfigError(describeNodeEgressSwitches(switches));
  if (req.scene === undefined || req.broker?.username === undefined) return;
  const mismatch = cameraIdentityMismatch(loadSceneFile(req.scene), req.broker.username, req.scene);
  if (mismatch) throw new ConfigError(mismatch);
}
