#!/usr/bin/env node
// Entry point for the `waymark` command: the compiled CLI lives in dist/.
import '../dist/src/cli/main.js';
