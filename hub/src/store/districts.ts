/** Districts (names, boundaries) and which district each site lies in. Filled in by the social-indicators work. */
import type { Db } from './database.ts';

export class Districts {
  constructor(private readonly db: Db) {}
}
