/** The hub's SQLite store: schema migrations and one repository per group of tables. */
export { HubStore } from './store.ts';
export { openDatabase, migrate, type Db, type OpenOptions } from './database.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export { CameraRegistry, type CameraRecord, type SiteRecord } from './cameras.ts';
export { CountBins, rangeWhere, type BinRange, type BinQuality, type InsertOutcome } from './batches.ts';
export { CameraStatusLog, type StoredStatus } from './camera-status.ts';
export { DeadLetters, DEAD_LETTER_KEEP_BYTES, type DeadLetter } from './dead-letters.ts';
export { ApiTokens, AuditLog, ROLES, type Role, type TokenRecord, type AuditEntry } from './tokens.ts';
export { Installations, Scenes, type Installation } from './installations.ts';
export { CountRollups, ROLLUPS, ROLLUP_MS, bucketStart, type Rollup, type ClassFilter, type LineRollupRow, type ZoneRollupRow, type CoverageRow, type MeasureRow } from './rollups.ts';
export { Users } from './users.ts';
export { Sessions } from './sessions.ts';
export { Districts } from './districts.ts';
export { SocialIndicators } from './social.ts';
export { MapFeatures } from './map-features.ts';
