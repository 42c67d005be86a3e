import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock, EmbeddedStoreBusyError } from './data-dir-lock';

const freshDir = () => mkdtempSync(join(tmpdir(), 'helpline-lock-'));

describe('the embedded data folder lock', () => {
  it('refuses a second holder while the first lives, and is free again once released', async () => {
    const dataDir = freshDir();
    const release = acquireDataDirLock(dataDir);
    expect(() => acquireDataDirLock(dataDir)).toThrow(EmbeddedStoreBusyError);
    await release();
    const again = acquireDataDirLock(dataDir);
    await again();
  });

  it('takes over a lock naming its own pid that it does not hold (a container restarted after kill -9)', async () => {
    const dataDir = freshDir();
    writeFileSync(join(dataDir, 'helpline.lock'), String(process.pid));
    const release = acquireDataDirLock(dataDir);
    expect(readFileSync(join(dataDir, 'helpline.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid}\\b`));
    await release();
  });

  it('takes over a lock whose pid now belongs to another process started later (pid reuse)', async () => {
    const dataDir = freshDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dataDir, 'helpline.lock'), `${other.pid} 1`);
      const release = acquireDataDirLock(dataDir);
      await release();
    } finally {
      other.kill();
    }
  });

  it('refuses a lock held by another live process that wrote it', async () => {
    const dataDir = freshDir();
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const fs=require('fs');const s=fs.readFileSync('/proc/self/stat','utf8');` +
          `fs.writeFileSync(${JSON.stringify(join(dataDir, 'helpline.lock'))}, process.pid+' '+s.slice(s.lastIndexOf(')')+2).split(' ')[19]);` +
          `console.log('locked');setTimeout(()=>{},10000)`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      expect(() => acquireDataDirLock(dataDir)).toThrow(EmbeddedStoreBusyError);
    } finally {
      holder.kill();
    }
  });
});
