// Packages the extension: the universal .vsix (no native code: reports are written without PNG figures,
// the dashboard draws every chart) and platform .vsix files that carry the chart renderer, so reports
// written by the installed extension have their figures.
//
// Usage: node scripts/package-vsix.mjs [universal] [TARGET ...] [--all]
//   no argument: universal only → dist/chimeraforge.vsix
//   TARGET (a key of TARGETS below) → dist/chimeraforge-TARGET.vsix; --all: every target of the matrix
// One production build is made first; every .vsix is packaged from it.
//
// A platform .vsix carries, under dist/node_modules (where the bundles' require() of '@napi-rs/canvas'
// and 'chart.js' finds them first), @napi-rs/canvas, its prebuilt binary package for that platform,
// chart.js and @kurkle/color. The binary for the machine that packages comes from node_modules; the
// others are fetched once with `npm pack` (the npm registry, nothing else) into
// ~/.cache/chimeraforge/vsix-binaries/<package>@<version>/.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * vsce target → the @napi-rs/canvas binary package for it: every target both vsce and @napi-rs/canvas
 * support (canvas also ships android-arm64 and linux-riscv64-gnu, which VS Code has no target for; vsce's
 * win32-arm64 has no canvas binary, and web has no native code). Documented in README.md (Packaging).
 */
export const TARGETS = {
  'linux-x64': 'linux-x64-gnu',
  'linux-arm64': 'linux-arm64-gnu',
  'linux-armhf': 'linux-arm-gnueabihf',
  'alpine-x64': 'linux-x64-musl',
  'alpine-arm64': 'linux-arm64-musl',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64-msvc',
};

const CACHE = process.env.CHIMERAFORGE_VSIX_BINARIES ?? join(homedir(), '.cache', 'chimeraforge', 'vsix-binaries');
const STAGE = join(ROOT, 'dist', 'node_modules');

function fail(message) {
  console.error(`package-vsix: ${message}`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
}

function versionOf(pkgDir) {
  return JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
}

// Only what runs: no type declarations, source maps, or ESM twins of the CommonJS files loaded here.
const runtimeFile = (name) => !/\.(d\.ts|d\.cts|d\.mts|map|md)$/.test(name) || /^LICENSE/i.test(name);
const cjsOnly = (name) => name === 'package.json' || /^LICENSE/i.test(name) || name.endsWith('.cjs');

function copyPackage(from, name, keep = runtimeFile) {
  cpSync(from, join(STAGE, ...name.split('/')), { recursive: true, filter: (src) => {
    if (statSync(src).isDirectory()) return basename(src) !== 'node_modules';
    return keep(basename(src));
  } });
}

/** The directory of the canvas binary package for `suffix` (node_modules, or fetched into the cache). */
function binaryPackage(suffix, version) {
  const name = `@napi-rs/canvas-${suffix}`;
  const local = join(ROOT, 'node_modules', '@napi-rs', `canvas-${suffix}`);
  if (existsSync(local) && versionOf(local) === version) return local;
  const dir = join(CACHE, `@napi-rs+canvas-${suffix}@${version}`);
  if (existsSync(join(dir, 'package.json'))) return dir;
  mkdirSync(dir, { recursive: true });
  console.log(`package-vsix: fetching ${name}@${version} (npm pack) into ${dir}`);
  try {
    const tgz = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1);
    run('tar', ['-xzf', join(dir, tgz), '-C', dir, '--strip-components=1']);
    rmSync(join(dir, tgz), { force: true });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    fail(`could not fetch ${name}@${version} from the npm registry (${e.message.split('\n')[0]}). What to do: check \`npm config get registry\` and the network, then run this again`);
  }
  return dir;
}

function vsce(out, target) {
  const args = ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '-o', out];
  if (target) args.push('--target', target);
  run('npx', args);
}

function packagePlatform(target) {
  const suffix = TARGETS[target];
  const canvas = join(ROOT, 'node_modules', '@napi-rs', 'canvas');
  const version = versionOf(canvas);
  rmSync(STAGE, { recursive: true, force: true });
  copyPackage(canvas, '@napi-rs/canvas');
  copyPackage(binaryPackage(suffix, version), `@napi-rs/canvas-${suffix}`);
  copyPackage(join(ROOT, 'node_modules', 'chart.js'), 'chart.js', cjsOnly);
  copyPackage(join(ROOT, 'node_modules', '@kurkle', 'color'), '@kurkle/color', cjsOnly);
  try {
    vsce(join(ROOT, 'dist', `chimeraforge-${target}.vsix`), target);
  } finally {
    rmSync(STAGE, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const wanted = args.includes('--all') ? ['universal', ...Object.keys(TARGETS)] : args.filter((a) => !a.startsWith('--'));
if (wanted.length === 0) wanted.push('universal');
for (const t of wanted) {
  if (t !== 'universal' && !(t in TARGETS)) fail(`unknown target '${t}'. Targets: universal, ${Object.keys(TARGETS).join(', ')}`);
}

run(process.execPath, ['esbuild.mjs', '--production']);
for (const t of wanted) {
  if (t === 'universal') vsce(join(ROOT, 'dist', 'chimeraforge.vsix'));
  else packagePlatform(t);
}
