/**
 * Turns off the telemetry that onnxruntime-node's Linux build carries (Microsoft's 1DS/MAT
 * SDK). Left on, the first session writes a device id and an event store under
 * ~/.cache/Microsoft/DeveloperTools/.onnxruntime, mat-debug-<pid>.log and .ses in $TMPDIR, and
 * about ten seconds later resolves mobile.events.data.microsoft.com. The runtime reads the
 * variable when it creates its environment, so it must be set before any session is opened;
 * it is forced rather than defaulted, since "0" in the caller's environment turns telemetry on.
 * Imported only by ./index.ts, ahead of the library itself.
 */
process.env.ORT_DISABLE_TELEMETRY = '1';

export {};
