#!/usr/bin/env node
// The published entry point: the bundle esbuild makes from cli/main.ts (`npm run build`).
import '../dist/main.js';
