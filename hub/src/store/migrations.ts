/**
 * The hub schema, as an ordered list of migrations. A migration is never edited once
 * released: a change is a new entry at the end. `PRAGMA user_version` holds how many have
 * been applied; `schema_migrations` records when each one was.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sites, cameras, scenes, installations',
    sql: `
      CREATE TABLE sites (
        site        TEXT PRIMARY KEY,
        name        TEXT,
        created_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE cameras (
        site           TEXT NOT NULL REFERENCES sites(site),
        camera         TEXT NOT NULL,
        mqtt_username  TEXT NOT NULL UNIQUE,
        -- scrypt$N$r$p$salt$hash (base64): see auth/secrets.ts
        password_hash  TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        PRIMARY KEY (site, camera)
      ) STRICT;

      CREATE TABLE installations (
        id            TEXT PRIMARY KEY,
        site          TEXT NOT NULL REFERENCES sites(site),
        name          TEXT NOT NULL,
        kind          TEXT NOT NULL,
        installed_at  TEXT NOT NULL,
        removed_at    TEXT,
        created_at    TEXT NOT NULL,
        CHECK (removed_at IS NULL OR removed_at > installed_at)
      ) STRICT;

      -- A camera's scene changes over time (a line moved, a zone added); every version is kept
      -- so old counts are read against the lines they were counted on.
      CREATE TABLE scenes (
        id          INTEGER PRIMARY KEY,
        site        TEXT NOT NULL,
        camera      TEXT NOT NULL,
        version     INTEGER NOT NULL,
        scene_json  TEXT NOT NULL,
        valid_from  TEXT NOT NULL,
        FOREIGN KEY (site, camera) REFERENCES cameras(site, camera),
        UNIQUE (site, camera, version)
      ) STRICT;

      CREATE TABLE scene_lines (
        scene_id      INTEGER NOT NULL REFERENCES scenes(id) ON DELETE CASCADE,
        line_id       TEXT NOT NULL,
        name          TEXT,
        installation  TEXT REFERENCES installations(id),
        PRIMARY KEY (scene_id, line_id)
      ) STRICT;

      CREATE TABLE scene_zones (
        scene_id      INTEGER NOT NULL REFERENCES scenes(id) ON DELETE CASCADE,
        zone_id       TEXT NOT NULL,
        name          TEXT,
        installation  TEXT REFERENCES installations(id),
        PRIMARY KEY (scene_id, zone_id)
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'count bins and their normalised counts',
    sql: `
      CREATE TABLE count_bins (
        batch_id          TEXT PRIMARY KEY,
        site              TEXT NOT NULL,
        camera            TEXT NOT NULL,
        seq               INTEGER NOT NULL,
        bin_start         TEXT NOT NULL,
        -- the same instant as epoch milliseconds, for range queries and rollups
        bin_start_ms      INTEGER NOT NULL,
        bin_seconds       INTEGER NOT NULL,
        frames_processed  INTEGER NOT NULL,
        frames_expected   INTEGER NOT NULL,
        gap_seconds       REAL NOT NULL,
        received_at       TEXT NOT NULL,
        -- the batch as validated (the schema's canonical form)
        payload           TEXT NOT NULL,
        FOREIGN KEY (site, camera) REFERENCES cameras(site, camera)
      ) STRICT;
      CREATE INDEX count_bins_by_camera_time ON count_bins (site, camera, bin_start_ms);
      CREATE INDEX count_bins_by_time ON count_bins (bin_start_ms);

      CREATE TABLE line_counts (
        batch_id  TEXT NOT NULL REFERENCES count_bins(batch_id) ON DELETE CASCADE,
        line_id   TEXT NOT NULL,
        class     TEXT NOT NULL CHECK (class IN ('person', 'cyclist')),
        forward   INTEGER NOT NULL,
        backward  INTEGER NOT NULL,
        PRIMARY KEY (batch_id, line_id, class)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE zone_counts (
        batch_id  TEXT NOT NULL REFERENCES count_bins(batch_id) ON DELETE CASCADE,
        zone_id   TEXT NOT NULL,
        class     TEXT NOT NULL CHECK (class IN ('person', 'cyclist')),
        entries   INTEGER NOT NULL,
        exits     INTEGER NOT NULL,
        PRIMARY KEY (batch_id, zone_id, class)
      ) STRICT, WITHOUT ROWID;

      -- Zone figures that are not split by class.
      CREATE TABLE zone_bins (
        batch_id          TEXT NOT NULL REFERENCES count_bins(batch_id) ON DELETE CASCADE,
        zone_id           TEXT NOT NULL,
        person_seconds    REAL NOT NULL,
        occupancy_max     INTEGER NOT NULL,
        occupancy_mean    REAL NOT NULL,
        dwell_histogram   TEXT NOT NULL,
        PRIMARY KEY (batch_id, zone_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE flows (
        batch_id   TEXT NOT NULL REFERENCES count_bins(batch_id) ON DELETE CASCADE,
        from_zone  TEXT NOT NULL,
        to_zone    TEXT NOT NULL,
        count      INTEGER NOT NULL,
        PRIMARY KEY (batch_id, from_zone, to_zone)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'camera status, dead letters, API tokens, audit log',
    sql: `
      CREATE TABLE camera_status (
        id           INTEGER PRIMARY KEY,
        site         TEXT NOT NULL,
        camera       TEXT NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('online', 'offline')),
        at           TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        payload      TEXT NOT NULL,
        FOREIGN KEY (site, camera) REFERENCES cameras(site, camera),
        -- a retained status is delivered again on every resubscription: kept once
        UNIQUE (site, camera, at, state)
      ) STRICT;
      CREATE INDEX camera_status_latest ON camera_status (site, camera, id);

      CREATE TABLE dead_letters (
        id           INTEGER PRIMARY KEY,
        received_at  TEXT NOT NULL,
        topic        TEXT NOT NULL,
        reason       TEXT NOT NULL,
        -- who sent it, where known (MQTT username of the embedded broker's client)
        sender       TEXT,
        -- the first bytes only: a dead letter must not become a way to fill the disk
        payload      BLOB NOT NULL,
        size         INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE api_tokens (
        id          INTEGER PRIMARY KEY,
        role        TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'researcher')),
        -- sha256 of the token (hex); the token itself is shown once and never stored
        token_hash  TEXT NOT NULL UNIQUE,
        label       TEXT,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
      ) STRICT;

      CREATE TABLE audit_log (
        id        INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        token_id  INTEGER REFERENCES api_tokens(id),
        role      TEXT,
        action    TEXT NOT NULL,
        detail    TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'users and sessions; districts, social indicators, map features',
    sql: `
      CREATE TABLE users (
        username       TEXT PRIMARY KEY,
        role           TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'researcher')),
        -- scrypt$N$r$p$salt$hash (base64): a slow hash, see auth/secrets.ts
        password_hash  TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        disabled_at    TEXT
      ) STRICT;

      CREATE TABLE sessions (
        -- sha256 of the cookie value (hex); the value itself lives only in the browser
        token_hash  TEXT PRIMARY KEY,
        username    TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_by_user ON sessions (username);

      -- who did it when the caller signed in rather than used a token
      ALTER TABLE audit_log ADD COLUMN username TEXT;

      CREATE TABLE districts (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        -- a GeoJSON Polygon or MultiPolygon (WGS84), null until boundaries are imported
        geometry_json  TEXT,
        source         TEXT,
        updated_at     TEXT NOT NULL
      ) STRICT;

      CREATE TABLE site_districts (
        site      TEXT PRIMARY KEY REFERENCES sites(site),
        district  TEXT NOT NULL REFERENCES districts(id)
      ) STRICT;

      -- Where sites, cameras and zones are on the map (GeoJSON geometries, WGS84).
      CREATE TABLE map_features (
        id             INTEGER PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('site', 'camera', 'zone')),
        site           TEXT NOT NULL,
        camera         TEXT,
        zone           TEXT,
        name           TEXT,
        geometry_json  TEXT NOT NULL,
        UNIQUE (kind, site, camera, zone)
      ) STRICT;

      CREATE TABLE social_indicators (
        id                TEXT PRIMARY KEY,
        name_da           TEXT NOT NULL,
        name_en           TEXT NOT NULL,
        unit              TEXT NOT NULL,
        higher_is_better  INTEGER NOT NULL CHECK (higher_is_better IN (0, 1)),
        source            TEXT,
        sample            INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1))
      ) STRICT;

      CREATE TABLE social_values (
        district     TEXT NOT NULL,
        indicator    TEXT NOT NULL REFERENCES social_indicators(id),
        period       TEXT NOT NULL,
        value        REAL NOT NULL,
        -- how many individuals the value rests on: under the threshold it is never shown
        individuals  INTEGER NOT NULL,
        source       TEXT,
        imported_at  TEXT NOT NULL,
        PRIMARY KEY (district, indicator, period)
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: 'retention horizons',
    sql: `
      -- Per camera, how far compaction (retention.ts) has rewritten old bins into roll-ups. A
      -- raw batch whose bin starts before raw_before_ms is refused: its hour may be a roll-up
      -- now, and its batchId gone, so storing it would count it twice. Days before
      -- hourly_before_ms have been rolled up from hours into days. Epoch milliseconds, UTC.
      CREATE TABLE retention_horizons (
        site              TEXT NOT NULL,
        camera            TEXT NOT NULL,
        raw_before_ms     INTEGER NOT NULL,
        hourly_before_ms  INTEGER NOT NULL,
        updated_at        TEXT NOT NULL,
        PRIMARY KEY (site, camera),
        FOREIGN KEY (site, camera) REFERENCES cameras(site, camera),
        CHECK (hourly_before_ms <= raw_before_ms)
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'sign-in attempts',
    sql: `
      -- The sign-in throttle's memory (api/login-throttle.ts), so a restart does not hand a
      -- guesser a fresh set of tries. One row per attempt, counted before the password is
      -- checked; key is "user:<name>" or "address:<ip>". Rows older than the window are purged.
      CREATE TABLE sign_in_attempts (
        id        INTEGER PRIMARY KEY,
        key       TEXT NOT NULL,
        at_ms     INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sign_in_attempts_by_key ON sign_in_attempts (key);
      CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts (at_ms);
    `,
  },
  {
    version: 7,
    name: 'count bins keyed by camera',
    sql: `
      -- The dedup key becomes (site, camera, batchId): count_bins.batch_id (and the batch_id of
      -- the rows under it) now holds "site/camera/batchId" (batches.ts binKey), so a camera can
      -- never take, or shadow, another camera's batch id. Ids cannot contain "/", so the key is
      -- unambiguous; the payload keeps the batchId as sent. Foreign keys are checked at commit,
      -- once parents and children agree again.
      PRAGMA defer_foreign_keys = ON;
      UPDATE line_counts SET batch_id = (SELECT b.site || '/' || b.camera || '/' || b.batch_id FROM count_bins b WHERE b.batch_id = line_counts.batch_id);
      UPDATE zone_counts SET batch_id = (SELECT b.site || '/' || b.camera || '/' || b.batch_id FROM count_bins b WHERE b.batch_id = zone_counts.batch_id);
      UPDATE zone_bins SET batch_id = (SELECT b.site || '/' || b.camera || '/' || b.batch_id FROM count_bins b WHERE b.batch_id = zone_bins.batch_id);
      UPDATE flows SET batch_id = (SELECT b.site || '/' || b.camera || '/' || b.batch_id FROM count_bins b WHERE b.batch_id = flows.batch_id);
      UPDATE count_bins SET batch_id = site || '/' || camera || '/' || batch_id;
    `,
  },
  {
    version: 8,
    name: 'removed cameras, broker password hashes',
    sql: `
      -- byliv-hub camera remove: the account ends (the broker refuses it, the hub ignores what
      -- it still sends), the camera's stored counts stay, so the row stays for their keys.
      ALTER TABLE cameras ADD COLUMN removed_at TEXT;
      -- The same password as Mosquitto's password file keeps it ($7$: PBKDF2-SHA512), so
      -- byliv-hub broker-config can write that file; null for cameras added before this.
      ALTER TABLE cameras ADD COLUMN broker_hash TEXT;
    `,
  },
];
