#!/usr/bin/env node
// The published entry point: the bundle esbuild makes from cli/main.ts (`npm run build`).
// Node's compile cache keeps start-up short on every run after the first.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/main.js');
