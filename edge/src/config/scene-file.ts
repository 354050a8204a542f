/**
 * Reads a camera's scene (lines and zones) from JSON or YAML. A broken file stops the start
 * with one line per problem, each naming the file and the field.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MAX_PAYLOAD_BYTES, Scene, describeIssues, worstCaseBatchBytes, type Point } from '@byliv/protocol';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadSceneFile(path: string): Scene {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read scene file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return parseSceneText(text, path);
}

export function parseSceneText(text: string, path: string): Scene {
  const yaml = ['.yaml', '.yml'].includes(extname(path).toLowerCase());
  let raw: unknown;
  try {
    raw = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`scene file ${path} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  const result = Scene.safeParse(raw);
  if (!result.success) {
    const lines = describeIssues(result.error).split('\n').map((l) => `  ${l}`);
    throw new ConfigError(`scene file ${path} is invalid:\n${lines.join('\n')}`);
  }
  checkSceneBatchSize(result.data, path);
  return result.data;
}

/**
 * A batch over the hub's payload limit is a dead letter, every bin of it: refuse such a scene
 * at start rather than count for hours into the void. The worst case (every zone pair a flow,
 * ten-million counts) is what the scene could send, not what today's square happens to.
 */
export function checkSceneBatchSize(scene: Scene, path: string, limit = MAX_PAYLOAD_BYTES): void {
  const bytes = worstCaseBatchBytes(scene);
  if (bytes <= limit) return;
  const n = scene.zones.length;
  throw new ConfigError(
    `scene file ${path} is too big for one count batch: its batches could reach ${bytes} bytes ` +
      `(${scene.lines.length} lines, ${n} zones, ${n * (n - 1)} possible zone-to-zone flows), over the hub's limit of ${limit} bytes; ` +
      `use fewer zones or lines, shorter ids, or split the scene across cameras`,
  );
}

/** Lines and zones are drawn in pixels of the source frame; a point outside it is a mistake. */
export function checkSceneFitsFrame(scene: Scene, width: number, height: number, path: string): void {
  const problems: string[] = [];
  const check = (p: Point, where: string) => {
    if (p[0] < 0 || p[1] < 0 || p[0] > width || p[1] > height) problems.push(`  ${where}: point [${p[0]}, ${p[1]}] is outside the ${width}×${height} frame`);
  };
  scene.lines.forEach((line, i) => {
    check(line.a, `lines[${i}].a`);
    check(line.b, `lines[${i}].b`);
  });
  scene.zones.forEach((zone, i) => zone.polygon.forEach((p, j) => check(p, `zones[${i}].polygon[${j}]`)));
  if (problems.length) throw new ConfigError(`scene file ${path} does not fit the video:\n${problems.join('\n')}`);
}
