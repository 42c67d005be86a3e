#!/usr/bin/env node
/*
 * Builds dist/ once and only when its sources changed: `npm start`, `npm run cli` and `npm run start:projector`
 * call it before starting, so a start from an up-to-date build costs a hash of the sources (a few tens of ms), not
 * a compilation. The build goes to a folder of its own and is swapped in by rename, so a running process never
 * sees dist/ emptied under it. `--force` builds even when nothing changed.
 */
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.build-fingerprint');
const lockFile = path.join(root, '.build.lock');
const SOURCE_FOLDERS = ['apps', 'libs', 'bench'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.cjs'];
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const say = (line) => quiet || process.stderr.write(`${line}\n`);

function listSources(folder, found) {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') listSources(full, found);
    } else if (/\.(ts|tsx|json|sql|html|css)$/.test(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

/** A digest of every file the build reads: its path and content, in a stable order. */
function fingerprint() {
  const files = [
    ...SOURCE_FOLDERS.flatMap((folder) => listSources(path.join(root, folder), [])),
    ...SOURCE_FILES.map((file) => path.join(root, file)).filter((file) => fs.existsSync(file)),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files)
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function currentStamp() {
  try {
    return fs.readFileSync(stampFile, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One build at a time (an `npm start` and an `npm run cli` started together); a lock left by a dead build expires. */
function withBuildLock(run) {
  for (let waited = 0; ; waited += 200) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - fs.statSync(lockFile).mtimeMs;
      if (age > 10 * 60_000) fs.rmSync(lockFile, { force: true });
      if (waited === 0) say('Waiting for another build to finish…');
      sleep(200);
    }
  }
  try {
    return run();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function build(wanted) {
  const next = path.join(root, `dist.next-${process.pid}`);
  const old = path.join(root, `dist.old-${process.pid}`);
  fs.rmSync(next, { recursive: true, force: true });
  const bin = (name) => path.join(root, 'node_modules', '.bin', name);
  const started = Date.now();
  say('Building dist/ (sources changed since the last build)…');
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', next], { cwd: root, stdio: 'inherit' });
  execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', next], { cwd: root, stdio: 'inherit' });
  // The console (apps/console, React and Vite) beside the API's build: the API serves dist/console at /console/.
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--logLevel',
      'warn',
      '--outDir',
      path.join(next, 'console'),
    ],
    { cwd: path.join(root, 'apps', 'console'), stdio: 'inherit' },
  );
  fs.writeFileSync(path.join(next, '.build-fingerprint'), `${wanted}\n`);
  // Swap by rename: a process running from the old build keeps its files; the next start reads the new ones.
  if (fs.existsSync(dist)) fs.renameSync(dist, old);
  fs.renameSync(next, dist);
  fs.rmSync(old, { recursive: true, force: true });
  say(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

const wanted = fingerprint();
if (!args.has('--force') && currentStamp() === wanted) process.exit(0);
withBuildLock(() => {
  // Another build may have finished while we waited for the lock.
  if (!args.has('--force') && currentStamp() === wanted) return;
  build(wanted);
});
