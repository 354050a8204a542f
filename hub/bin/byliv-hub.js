#!/usr/bin/env node
// byliv-hub: the hub's CLI (src/cli.ts, compiled to dist/cli.js), run in this process; see launch.mjs.
import { launch } from './launch.mjs';

await launch(new URL('../', import.meta.url), 'cli');
