/**
 * systemd's watchdog for a unit with `WatchdogSec=` and `NotifyAccess=all`: while systemd
 * sets NOTIFY_SOCKET and WATCHDOG_USEC, tell it READY=1 once and WATCHDOG=1 at half the
 * interval, through the `systemd-notify` tool (Node has no datagram Unix sockets). The ping
 * rides the event loop, so a loop stuck for longer than WatchdogSec gets the process restarted.
 * Outside systemd it does nothing.
 */
import { execFile } from 'node:child_process';

export function startSystemdWatchdog(env: NodeJS.ProcessEnv = process.env, onError: (message: string) => void = () => undefined): () => void {
  if (!env.NOTIFY_SOCKET) return () => undefined;
  const notify = (state: string) =>
    execFile('systemd-notify', [`--pid=${process.pid}`, state], (error) => error && onError(`systemd-notify ${state} failed: ${error.message}`));
  notify('READY=1');
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return () => undefined;
  const timer = setInterval(() => notify('WATCHDOG=1'), Math.max(1000, usec / 2000));
  timer.unref();
  return () => clearInterval(timer);
}
