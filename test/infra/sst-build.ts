import { existsSync } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { build, type Metafile } from "esbuild";
import { ROOT } from "./load-infra.ts";

/**
 * Builds a handler the way SST's Node runtime does for `sst deploy` (pkg/runtime/node/build.go
 * in SST v4): one ESM file, platform node, everything bundled except SST's forced externals
 * (`sharp`, `pg-native`; the AWS SDK is bundled too), main fields module then main, names kept,
 * the createRequire banner, and an esbuild target from the Lambda runtime.
 */

/** SST's runtime → esbuild target table. */
const TARGETS: Record<string, string> = {
  "nodejs24.x": "es2024",
  "nodejs22.x": "es2023",
  "nodejs20.x": "es2023",
};

/** SST v4's default runtime when a function names none. */
export const SST_DEFAULT_RUNTIME = "nodejs24.x";

const BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join("\n");

/** The extensions SST tries, in its order, for `path/file.export`. */
const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

export interface HandlerFile {
  /** Relative to the repository root. */
  file: string;
  exportName: string;
}

/** Resolves `functions/handlers/web.handler` to its file, or null when no such file exists. */
export function resolveHandler(handler: string): HandlerFile | null {
  const dot = handler.lastIndexOf(".");
  if (dot <= 0) return null;
  const base = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  for (const extension of EXTENSIONS) {
    const file = `${base}${extension}`;
    if (existsSync(join(ROOT, file))) return { file, exportName };
  }
  return null;
}

export interface HandlerBundle {
  handler: string;
  file: string;
  exportName: string;
  /** The entry file Lambda loads (bundle.mjs). */
  outfile: string;
  /** Size of the entry file. */
  bytes: number;
  /** Size of every file of the package (the entry and, when split, its chunks). */
  totalBytes: number;
  /** Every input esbuild read, relative to the repository root (node_modules/… included). */
  inputs: string[];
  /** The inputs in the entry file itself: what loads at a cold start, before any `import()`. */
  entryInputs: string[];
  /** The bundle's named exports. */
  exports: string[];
  metafile: Metafile;
}

export async function bundleHandler(
  handler: string,
  options: {
    outdir: string;
    runtime?: string | undefined;
    nodejs?: { minify: boolean; splitting: boolean };
  },
): Promise<HandlerBundle> {
  const resolved = resolveHandler(handler);
  if (!resolved) throw new Error(`handler ${handler}: no file for it`);
  const runtime = options.runtime ?? SST_DEFAULT_RUNTIME;
  const target = TARGETS[runtime];
  if (!target) throw new Error(`handler ${handler}: unknown runtime ${runtime}`);
  const dir = join(options.outdir, handler.replace(/[^A-Za-z0-9]+/g, "-"));
  const outfile = join(dir, "bundle.mjs");
  const minify = options.nodejs?.minify ?? false;
  const splitting = options.nodejs?.splitting ?? false;
  await rm(dir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [join(ROOT, resolved.file)],
    absWorkingDir: ROOT,
    platform: "node",
    format: "esm",
    bundle: true,
    target,
    mainFields: ["module", "main"],
    external: ["sharp", "pg-native"],
    keepNames: true,
    banner: { js: BANNER },
    metafile: true,
    // Split output goes to a directory with the entry named bundle.mjs, as SST lays it out.
    ...(splitting
      ? { splitting: true, outdir: dir, entryNames: "bundle", outExtension: { ".js": ".mjs" } }
      : { outfile }),
    minifyWhitespace: minify,
    minifySyntax: minify,
    minifyIdentifiers: minify,
    write: true,
    logLevel: "silent",
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) =>
    path.endsWith("bundle.mjs"),
  );
  let totalBytes = 0;
  for (const [path, meta] of Object.entries(result.metafile.outputs)) {
    if (!path.endsWith(".map")) totalBytes += meta.bytes;
  }
  return {
    handler,
    file: resolved.file,
    exportName: resolved.exportName,
    outfile,
    bytes: (await stat(outfile)).size,
    totalBytes,
    inputs: Object.keys(result.metafile.inputs).map(normalise),
    entryInputs: Object.keys(output?.[1].inputs ?? {}).map(normalise),
    exports: output?.[1].exports ?? [],
    metafile: result.metafile,
  };
}

function normalise(input: string): string {
  return relative(ROOT, join(ROOT, input)).replaceAll("\\", "/");
}

/** Inputs that are development-only and must never reach a Lambda. */
export function developmentInputs(inputs: readonly string[]): string[] {
  return inputs.filter(
    (input) =>
      /^test\//.test(input) ||
      /(^|\/)node_modules\/(dynalite|vitest|@vitest|playwright|playwright-core|tsx|esbuild|fast-check)\//.test(
        input,
      ) ||
      /^functions\/local\//.test(input),
  );
}
