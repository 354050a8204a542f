/** byliv-hub import … and sample …: districts, social indicators, the site map. Filled in by the social-indicators work. */
import { UsageError } from './cli-common.ts';

export const DATA_USAGE = '';

export async function importCommand(sub: string | undefined, _args: string[]): Promise<void> {
  throw new UsageError(`unknown command "import ${sub ?? ''}"`);
}

export async function sampleCommand(sub: string | undefined, _args: string[]): Promise<void> {
  throw new UsageError(`unknown command "sample ${sub ?? ''}"`);
}
