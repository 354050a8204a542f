/** Browser sessions (only the sha256 of the cookie is stored). Filled in by the sign-in work. */
import type { Db } from './database.ts';

export class Sessions {
  constructor(private readonly db: Db) {}
}
