/**
 * The hub CLI's help, cut from its one usage text: every block starts with a line
 * `  byliv-hub <command> …` and its options and notes sit indented beneath it. `help <command>`
 * shows that command's blocks; a usage error shows one line of usage and where to read more.
 */

/** The usage text split into blocks, one per `  byliv-hub …` line with what is indented under it. */
export function usageBlocks(usage: string): string[] {
  const blocks: string[] = [];
  for (const line of usage.split('\n')) {
    if (/^ {2}byliv-hub /.test(line)) blocks.push(line);
    else if (blocks.length > 0 && /^ {3,}/.test(line)) blocks[blocks.length - 1] += `\n${line}`;
  }
  return blocks;
}

const words = (block: string) => block.trimStart().split(/\s+/);

/** The blocks about `command` (and `sub`, when a block names it); empty when there are none. */
export function commandBlocks(usage: string, command: string, sub?: string): string[] {
  const ofCommand = usageBlocks(usage).filter((b) => words(b)[1] === command);
  const ofSub = sub === undefined ? [] : ofCommand.filter((b) => words(b)[2] === sub);
  return ofSub.length > 0 ? ofSub : ofCommand;
}

/**
 * The second line of a usage error: the command's first usage line (shortened to one terminal
 * line) and where its options are explained; for an unknown command, where the commands are.
 */
export function usageHint(usage: string, command: string | undefined, sub?: string): string {
  const blocks = command === undefined ? [] : commandBlocks(usage, command, sub);
  if (blocks.length === 0) return 'byliv-hub --help lists the commands';
  const first = blocks[0].split('\n')[0].trim();
  const short = first.length > 90 ? `${first.slice(0, first.lastIndexOf(' [', 88))} …` : first;
  return `usage: ${short} (byliv-hub help ${command} explains its options)`;
}
