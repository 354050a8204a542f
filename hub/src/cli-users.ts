/** byliv-hub user …: sign-in accounts. Filled in by the sign-in work. */
import { UsageError } from './cli-common.ts';

export const USERS_USAGE = '';

export async function userCommand(sub: string | undefined, _args: string[]): Promise<void> {
  throw new UsageError(`unknown command "user ${sub ?? ''}"`);
}
