// Downloads a pinned list of published npm packages into an ignored cache, verifies each tarball
// against the integrity the list pins, and unpacks it. Shared by the real-code suite and the
// benchmarks. A corpus file is JSON: [{ "name", "version", "integrity", "why" }].
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `include`: top folders to lint (e.g. `["src", "test"]`), for packages that also ship
 * generated copies of the same code (dist/main, dist/module) or emscripten bundles.
 * @typedef {{ name: string, version: string, integrity: string, why?: string, include?: string[] }} CorpusPackage
 */

/** @param {string} file */
export function readCorpus(file) {
  /** @type {CorpusPackage[]} */
  const packages = JSON.parse(readFileSync(file, 'utf8'));
  for (const entry of packages) {
    if (!entry.name || !/^\d+\.\d+\.\d+/.test(entry.version ?? '') || !/^sha512-/.test(entry.integrity ?? ''))
      throw new Error(`${file}: each entry needs name, an exact version and a sha512 integrity: ${JSON.stringify(entry)}`);
  }
  return packages;
}

/** The directory name of an unpacked package: `@scope/name@1.2.3` becomes `@scope+name@1.2.3`. */
export const packageDirName = (/** @type {CorpusPackage} */ entry) => `${entry.name.replace('/', '+')}@${entry.version}`;

/** @param {string} file @param {string} integrity */
function verify(file, integrity) {
  const [algorithm, expected] = integrity.split(/-(.*)/s);
  const actual = createHash(/** @type {string} */ (algorithm)).update(readFileSync(file)).digest('base64');
  return actual === expected;
}

/**
 * Makes sure every package of the list is unpacked under `<cacheDir>/packages/<dir>/`, and
 * returns where. A tarball whose hash differs from the pinned integrity is deleted and the run
 * stops: a republished or tampered version must not silently change the corpus.
 * @param {CorpusPackage[]} packages
 * @param {string} cacheDir
 * @param {{ log?: (line: string) => void }} [options]
 */
export function ensureCorpus(packages, cacheDir, { log = (line) => console.error(line) } = {}) {
  const tarballs = path.join(cacheDir, 'tarballs');
  const unpacked = path.join(cacheDir, 'packages');
  mkdirSync(tarballs, { recursive: true });
  mkdirSync(unpacked, { recursive: true });
  return packages.map((entry) => {
    const dir = path.join(unpacked, packageDirName(entry));
    const marker = path.join(dir, '.verified');
    if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === entry.integrity) return { ...entry, dir };
    const tarball = path.join(tarballs, `${packageDirName(entry)}.tgz`);
    if (!existsSync(tarball) || !verify(tarball, entry.integrity)) {
      log(`downloading ${entry.name}@${entry.version}`);
      const staging = path.join(tarballs, `.staging-${process.pid}`);
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      // `npm pack` honours the user's registry, proxy and auth settings; --ignore-scripts
      // because a corpus package's scripts are nothing we want to run.
      execFileSync('npm', ['pack', `${entry.name}@${entry.version}`, '--ignore-scripts', '--silent', '--pack-destination', staging], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const [downloaded] = readdirSync(staging).filter((name) => name.endsWith('.tgz'));
      if (!downloaded) throw new Error(`npm pack ${entry.name}@${entry.version} produced no tarball`);
      renameSync(path.join(staging, downloaded), tarball);
      rmSync(staging, { recursive: true, force: true });
      if (!verify(tarball, entry.integrity)) {
        rmSync(tarball, { force: true });
        throw new Error(`${entry.name}@${entry.version}: tarball does not match the pinned integrity ${entry.integrity}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // Every npm tarball holds one top folder (usually `package/`); strip it.
    execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1', '--no-same-owner', '--no-same-permissions'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    execFileSync('chmod', ['-R', 'u+rwX', dir]);
    writeFileSync(path.join(dir, '.verified'), `${entry.integrity}\n`);
    return { ...entry, dir };
  });
}

const SOURCE_EXTENSIONS = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/;
const SKIPPED = /(?:\.d\.[cm]?ts|\.min\.[cm]?js)$/;

/**
 * The lintable sources of an unpacked package, relative to its directory, sorted: no
 * declaration files, no minified bundles, no nested node_modules.
 * @param {string} dir
 * @param {{ maxBytes?: number, include?: string[] }} [options]
 */
export function sourceFiles(dir, { maxBytes = 1_000_000, include = undefined } = {}) {
  /** @type {string[]} */
  const found = [];
  const walk = (/** @type {string} */ relative) => {
    for (const name of readdirSync(path.join(dir, relative)).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const child = relative ? `${relative}/${name}` : name;
      if (include && !include.some((folder) => child === folder || child.startsWith(`${folder}/`) || folder.startsWith(`${child}/`)))
        continue;
      const stats = statSync(path.join(dir, child));
      if (stats.isDirectory()) walk(child);
      else if (SOURCE_EXTENSIONS.test(name) && !SKIPPED.test(name) && stats.size <= maxBytes) found.push(child);
    }
  };
  walk('');
  return found;
}

/**
 * Prints name, exact version and registry integrity for `name@range` arguments, as corpus
 * entries, so a list is pinned from the registry and not by hand.
 * @param {string[]} specs
 */
export function pinEntries(specs) {
  return specs.map((spec) => {
    const json = execFileSync('npm', ['view', spec, 'name', 'version', 'dist.integrity', '--json'], { encoding: 'utf8' });
    let info = JSON.parse(json);
    if (Array.isArray(info)) info = info.at(-1);
    return { name: info.name, version: info.version, integrity: info['dist.integrity'] };
  });
}
