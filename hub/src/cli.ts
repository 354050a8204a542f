/**
 * byliv-hub: run the hub, register cameras, issue API tokens, print a camera's summary.
 *
 *   byliv-hub start [--data-dir DIR] [--mqtt-port N] [--http-port N] [--broker URL]
 *   byliv-hub camera add|remove --site S --camera C [--rotate-password] [--data-dir DIR]
 *   byliv-hub broker-config --out DIR [--hub USER]…
 *   byliv-hub token create --role admin|planner|researcher [--data-dir DIR]
 *   byliv-hub summary --camera C [--site S] [--from ISO] [--to ISO] [--data-dir DIR]
 *
 * Results go to stdout as JSON; logs and errors to stderr. Exit 2 on a usage error.
 */
import { readFileSync } from 'node:fs';
import { Id } from '@byliv/protocol';
import { createHub } from './app.ts';
import { createToken } from './admin.ts';
import { CAMERAS_USAGE, brokerConfigCommand, cameraCommand } from './cli-cameras.ts';
import { ROLES, describeDatabase, isPostgresUrl, type Role } from './store/index.ts';
import { summarizeBatches } from './report/index.ts';
import { resolveCamera } from './api/routes/resolve.ts';
import { DEFAULT_PACE_LIMITS, type PaceLimits } from './broker/camera-pacer.ts';
import { Instant } from './api/params.ts';
import { STORE_USAGE, UsageError, dataDir, parse, withStore } from './cli-common.ts';
import { userCommand, USERS_USAGE } from './cli-users.ts';
import { importCommand, sampleCommand, DATA_USAGE } from './cli-data.ts';
import { maintenanceCommand, MAINTENANCE_USAGE, retentionOptions, retentionPolicy } from './cli-maintenance.ts';
import { commandBlocks, usageHint } from './cli-help.ts';
import { createLogger } from './log.ts';
import { startSystemdWatchdog } from './sd-notify.ts';

const USAGE = `usage:
  byliv-hub start [--data-dir DIR] [--mqtt-port N] [--http-port N] [--broker URL] [more options below]
      runs the hub: the MQTT broker (embedded, or with --broker a subscriber to an external
      one), the HTTP API and the dashboard on one port
      --mqtt-port N, --mqtt-host H      the embedded broker's port (default 1883) and address
      --mqtt-tls-cert PEM --mqtt-tls-key PEM
                                        TLS for the embedded broker (both together)
      --camera-rate N                   messages a second one camera may publish to the embedded
                                        broker (default 20, bursts of 10 × that); faster ones wait
                                        for their PUBACK
      --broker URL                      an external broker (mqtt://host:1883, mqtts://…); its
                                        password from $BYLIV_BROKER_PASSWORD
      --broker-username U, --broker-ca FILE, --client-id ID, --share-group NAME
                                        with --broker: the hub's account, a CA to trust, its MQTT
                                        client id, and a shared-subscription group for several hubs
      --http-port N, --http-host H      the HTTP API and dashboard (default port 8080)
      --dashboard-dir DIR               serve the dashboard from DIR instead of the built one
      --secure-cookies                  session cookies only over HTTPS (behind a TLS proxy)
      --tile-url URL                    map tiles (https://…/{z}/{x}/{y}.png); none by default,
                                        so the map loads nothing from outside
      --traffic-light-yellow 0.1, --traffic-light-red 0.3
                                        a district that share worse than the municipal average
                                        turns yellow / red
      --suppress-below N                the small-count threshold of exports and indicators
      --sqlite-synchronous FULL|NORMAL  FULL (default) syncs every commit: an acknowledged batch
                                        survives a power loss
      --keep-raw-days N, --keep-hourly-days N
                                        retention, applied every hour (see compact)
      --data-dir DIR, --database postgres://…
                                        the store (see the end of this text)
${CAMERAS_USAGE}
  byliv-hub token create --role admin|planner|researcher [--label TEXT] [--data-dir DIR]
      prints {"token","role"}; only its hash is stored
  byliv-hub summary --camera C [--site S] [--from ISO] [--to ISO] [--data-dir DIR]
      prints the CountSummary of the camera's stored batches
${USERS_USAGE}
${DATA_USAGE}
${MAINTENANCE_USAGE}
${STORE_USAGE}`;


function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port number from 0 to 65535, got "${value}"`);
  return n;
}

function id(name: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  if (!Id.safeParse(value).success) throw new UsageError(`--${name} "${value}": ids are 1–64 letters, digits, "_", "-" or ".", starting with a letter or digit`);
  return value;
}

function instant(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = Instant.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${name} "${value}" is not an ISO 8601 time with offset (2025-05-01T10:00:00Z) or a date`);
  return parsed.data;
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const log = (line: string) => process.stderr.write(`byliv-hub: ${line}\n`);

async function start(args: string[]): Promise<void> {
  const v = parse(args, {
    ...dataDir,
    'mqtt-port': { type: 'string' },
    'mqtt-host': { type: 'string' },
    'mqtt-tls-cert': { type: 'string' },
    'mqtt-tls-key': { type: 'string' },
    'http-port': { type: 'string' },
    'http-host': { type: 'string' },
    broker: { type: 'string' },
    'broker-username': { type: 'string' },
    'broker-ca': { type: 'string' },
    'client-id': { type: 'string' },
    'share-group': { type: 'string' },
    'camera-rate': { type: 'string' },
    'suppress-below': { type: 'string' },
    'data-licence': { type: 'string' },
    citation: { type: 'string' },
    'sqlite-synchronous': { type: 'string', default: 'FULL' },
    'tile-url': { type: 'string' },
    'traffic-light-yellow': { type: 'string', default: '0.1' },
    'traffic-light-red': { type: 'string', default: '0.3' },
    'dashboard-dir': { type: 'string' },
    'secure-cookies': { type: 'boolean', default: false },
    ...retentionOptions,
  });
  if (v.database !== undefined && !isPostgresUrl(v.database)) throw new UsageError(`--database must be a postgres://… URL, got "${v.database}" (the SQLite store is chosen by --data-dir)`);
  const synchronous = v['sqlite-synchronous']!.toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') throw new UsageError(`--sqlite-synchronous must be FULL or NORMAL, got "${v['sqlite-synchronous']}"`);
  if (v.broker !== undefined && !/^(mqtts?|wss?):\/\//.test(v.broker)) throw new UsageError(`--broker must be a URL like mqtt://host:1883, got "${v.broker}"`);
  if (v.broker === undefined && (v['broker-username'] !== undefined || v['broker-ca'] !== undefined || v['client-id'] !== undefined || v['share-group'] !== undefined)) throw new UsageError('--broker-username, --broker-ca, --client-id and --share-group need --broker');
  if (v['share-group'] !== undefined && !/^[^/+#\s]{1,64}$/.test(v['share-group'])) throw new UsageError(`--share-group must be 1–64 characters without "/", "+", "#" or spaces, got "${v['share-group']}"`);
  let cameraPace: PaceLimits | undefined;
  if (v['camera-rate'] !== undefined) {
    const rate = Number(v['camera-rate']);
    if (!(Number.isFinite(rate) && rate > 0)) throw new UsageError(`--camera-rate must be a positive number of messages a second, got "${v['camera-rate']}"`);
    if (v.broker !== undefined) throw new UsageError('--camera-rate paces the embedded broker; with --broker, limits are the broker\'s business');
    cameraPace = { ...DEFAULT_PACE_LIMITS, perSecond: rate, burst: Math.max(1, Math.round(10 * rate)) };
  }
  const suppressBelow = v['suppress-below'] === undefined ? undefined : Number(v['suppress-below']);
  if (suppressBelow !== undefined && !(Number.isInteger(suppressBelow) && suppressBelow >= 1)) throw new UsageError(`--suppress-below must be a whole number ≥ 1, got "${v['suppress-below']}"`);
  for (const name of ['data-licence', 'citation'] as const) if (v[name] !== undefined && !v[name].trim()) throw new UsageError(`--${name} must not be empty (it is stated in every export)`);
  if ((v['mqtt-tls-cert'] === undefined) !== (v['mqtt-tls-key'] === undefined)) throw new UsageError('--mqtt-tls-cert and --mqtt-tls-key go together');
  if (v.broker !== undefined && v['mqtt-tls-cert'] !== undefined) throw new UsageError('--mqtt-tls-cert is for the embedded broker; with --broker, TLS is the broker\'s business');
  const share = (name: string, value: string) => {
    const n = Number(value);
    if (!(Number.isFinite(n) && n > 0 && n < 10)) throw new UsageError(`--${name} is a share of the municipal average such as 0.3 (30 % worse), got "${value}"`);
    return n;
  };
  const trafficLights = { yellow: share('traffic-light-yellow', v['traffic-light-yellow']!), red: share('traffic-light-red', v['traffic-light-red']!) };
  if (!(trafficLights.yellow < trafficLights.red)) throw new UsageError(`--traffic-light-yellow (${trafficLights.yellow}) must be below --traffic-light-red (${trafficLights.red})`);
  const tileUrl = v['tile-url'] ?? null;
  if (tileUrl !== null && !(/^https?:\/\//.test(tileUrl) && ['{z}', '{x}', '{y}'].every((p) => tileUrl.includes(p)))) {
    throw new UsageError(`--tile-url must be an http(s) URL with {z}, {x} and {y}, got "${tileUrl}"`);
  }
  // Text lines on stderr as before; BYLIV_LOG_FORMAT=json (the systemd unit) for one JSON object a line.
  const logger = createLogger({ name: 'byliv-hub', level: process.env.BYLIV_LOG_LEVEL, pretty: process.env.BYLIV_LOG_FORMAT !== 'json' });
  const log = (line: string) => logger.info(line);
  const mqttTls = v['mqtt-tls-cert'] ? { cert: readFileSync(v['mqtt-tls-cert']), key: readFileSync(v['mqtt-tls-key']!) } : undefined;
  const hub = createHub({
    dataDir: v['data-dir']!,
    database: v.database,
    mqttPort: port('mqtt-port', v['mqtt-port'], 1883),
    mqttHost: v['mqtt-host'],
    mqttTls,
    httpPort: port('http-port', v['http-port'], 8080),
    httpHost: v['http-host'],
    broker: v.broker
      ? { url: v.broker, username: v['broker-username'], password: process.env.BYLIV_BROKER_PASSWORD, clientId: v['client-id'], shareGroup: v['share-group'] ?? null, ca: v['broker-ca'] ? readFileSync(v['broker-ca']) : undefined }
      : undefined,
    suppressBelow,
    licence: v['data-licence'],
    citation: v.citation,
    synchronous,
    dashboard: { trafficLights, tileUrl, dashboardDir: v['dashboard-dir'], secureCookies: v['secure-cookies'] },
    retention: retentionPolicy(v),
    cameraPace,
    log,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    hub.stop().then(
      () => process.exit(0),
      (error: Error) => {
        log(`stop failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const addresses = await hub.start();
  startSystemdWatchdog(process.env, (message) => logger.warn(message));
  print({ ready: true, ...addresses, dataDir: v['data-dir'], database: describeDatabase({ dataDir: v['data-dir']!, database: v.database }) });
  if (v.broker) hub.subscribed().then(() => log(`subscribed to the counts and status of every camera on ${addresses.broker}`));
}

async function tokenCreate(args: string[]): Promise<void> {
  const v = parse(args, { ...dataDir, role: { type: 'string' }, label: { type: 'string' } });
  if (!v.role) throw new UsageError('--role is required (admin, planner or researcher)');
  if (!(ROLES as readonly string[]).includes(v.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${v.role}"`);
  await withStore(v, async (store) => {
    const { token, role } = await createToken(store, v.role as Role, v.label);
    print({ token, role });
  });
}

async function summary(args: string[]): Promise<void> {
  const v = parse(args, { ...dataDir, camera: { type: 'string' }, site: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } });
  const camera = id('camera', v.camera);
  const site = v.site === undefined ? undefined : id('site', v.site);
  const from = instant('from', v.from);
  const to = instant('to', v.to);
  if (from && to && !(from < to)) throw new UsageError('--from must be before --to');
  await withStore(v, async (store) => {
    const found = await resolveCamera(store, camera, site);
    print(summarizeBatches(await store.bins.batches({ ...found, from, to })));
  });
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    if (command === undefined) process.exitCode = 2;
    return;
  }
  // `help camera` and `camera --help` (anywhere on the line) show that command's part of the usage.
  const helpFor = command === 'help' ? sub : argv.some((a) => a === '--help' || a === '-h') ? command : undefined;
  if (command === 'help' || helpFor !== undefined) {
    const blocks = helpFor === undefined ? [] : commandBlocks(USAGE, helpFor);
    if (helpFor !== undefined && blocks.length === 0) throw new UsageError(`unknown command "${helpFor}"`);
    process.stdout.write(blocks.length === 0 ? `${USAGE}\n` : `usage:\n${blocks.join('\n')}\n${STORE_USAGE}\n`);
    return;
  }
  if (command === 'start') return start(argv.slice(1));
  if (command === 'summary') return summary(argv.slice(1));
  if (command === 'camera') return cameraCommand(sub, rest);
  if (command === 'broker-config') return brokerConfigCommand(argv.slice(1));
  if (command === 'token' && sub === 'create') return tokenCreate(rest);
  if (command === 'user') return userCommand(sub, rest);
  if (command === 'import') return importCommand(sub, rest);
  if (command === 'sample') return sampleCommand(sub, rest);
  if (command === 'backup' || command === 'compact') return maintenanceCommand(command, argv.slice(1));
  throw new UsageError(`unknown command "${[command, sub].filter((x) => x !== undefined && !x.startsWith('-')).join(' ')}"`);
}

const argv = process.argv.slice(2);
main(argv).catch((error: Error) => {
  if (error instanceof UsageError) {
    // One line for the mistake and one for where to look: the whole usage would bury the message.
    const [command, sub] = argv[0] === 'help' ? [argv[1]] : argv;
    const known = command !== undefined && commandBlocks(USAGE, command).length > 0;
    process.stderr.write(`byliv-hub: ${error.message}\n${usageHint(USAGE, known ? command : undefined, sub)}\n`);
    process.exit(2);
  }
  process.stderr.write(`byliv-hub: ${error.message}\n`);
  process.exit(1);
});
