/** Sign-in accounts (username, role, slow password hash). Filled in by the sign-in work. */
import type { Db } from './database.ts';

export class Users {
  constructor(private readonly db: Db) {}
}
