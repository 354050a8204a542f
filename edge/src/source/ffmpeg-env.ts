/**
 * The environment ffmpeg and ffprobe run with: an allow-list, not the agent's whole
 * environment. Inherited variables can make them write or connect where the operator never
 * said: FFREPORT writes a log file (with the stream URL and its password) wherever it points,
 * http_proxy/all_proxy send an HTTP or RTSP-over-HTTP camera through a proxy. Kept: what finds
 * the binary and its libraries, and the locale and time zone.
 */
const KEPT = new Set(['PATH', 'LD_LIBRARY_PATH', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT', 'WINDIR']);

export function ffmpegEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    // Windows spells its variables in any case; LC_* are the locale's categories.
    if (value !== undefined && (KEPT.has(key.toUpperCase()) || /^LC_[A-Z]+$/.test(key))) kept[key] = value;
  }
  return kept;
}
