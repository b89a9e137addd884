import { UsageError } from "./errors.ts";
import { runSummary } from "./summary.ts";
import { runTriage } from "./triage.ts";

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  now: () => Date;
  cwd: string;
}

const USAGE = `Usage: decorum <command> [options]

Commands:
  triage [--json] [--settings FILE] [--store memory|local] PATH...
      Classify .eml, .ics and .mbox files (or folders of them) against the rulebook and
      show what Decorum would do, with the reply drafts it would write.
  summary [--store memory|local] [--week YYYY-Www] [--out FILE.html]
      Render the weekly summary from the ledger without sending it
      (\`decorum summary --help\` for every option).
  start
      Run Decorum locally.
  help
      Show this help.
`;

/** Runs the CLI and returns its exit status: 0 ok, 1 bad usage or settings, 2 unreadable input. */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "triage":
        return await runTriage(rest, io);
      case "start": {
        // Loaded on demand: the server pulls in the web app and the sync worker.
        const { runStart } = await import("../local/start.ts");
        return await runStart(rest, io);
      }
      case "summary":
        return await runSummary(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout.write(USAGE);
        return 0;
      default:
        io.stderr.write(`decorum: unknown command '${command}'\n\n${USAGE}`);
        return 1;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`decorum ${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function defaultIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => new Date(),
    cwd: process.cwd(),
  };
}
