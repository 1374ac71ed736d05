import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: `JCC_ROOT` when set, otherwise the nearest folder
 * above this module whose package.json declares npm workspaces.
 */
export function repoRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JCC_ROOT) return resolve(env.JCC_ROOT);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
        if (Array.isArray(parsed.workspaces)) return dir;
      } catch {
        // not a readable manifest; keep climbing
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** Folder of the gateway package (holds `public/`). */
export function gatewayPackageDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}
