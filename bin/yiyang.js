#!/usr/bin/env node
// The `yiyang` command. Runs the TypeScript sources directly through tsx (no build step for
// the server); the web front end is built on first `serve` if dist/web is missing.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
