/** Social indicators (catalogue) and their values per district and period. Filled in by the social-indicators work. */
import type { Db } from './database.ts';

export class SocialIndicators {
  constructor(private readonly db: Db) {}
}
