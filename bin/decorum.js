#!/usr/bin/env node
// The `decorum` command runs the TypeScript sources directly through tsx, so no build step is
// needed between `npm install` and `npx decorum`.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../functions/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
