#!/usr/bin/env node
// byliv-edge: the agent's CLI (src/cli.ts, compiled to dist/cli.js), run in this process; see launch.mjs.
import { launch } from './launch.mjs';

await launch(new URL('../', import.meta.url), 'cli');
