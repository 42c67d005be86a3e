import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface ProfileSummary {
  readonly samples: number;
  /** Self time by frame, highest first: [label, share 0..1]. */
  readonly topFrames: Array<[string, number]>;
  /** Self time by area (package, project folder, or the VM's own: idle, GC, program). */
  readonly areas: Array<[string, number]>;
  /**
   * Busy time (not idle, not GC) charged to the nearest function of this project (libs/, apps/) up the stack:
   * which of our functions the library time is spent for.
   */
  readonly projectCallers: Array<[string, number]>;
}

/** Reads a V8 .cpuprofile (node --cpu-prof) and sums self samples by frame and by area. */
export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const frames = new Map<string, number>();
  const areas = new Map<string, number>();
  const callers = new Map<string, number>();
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const callerOf = new Map<number, string>();
  const projectCaller = (id: number): string => {
    const known = callerOf.get(id);
    if (known !== undefined) return known;
    let label = '(no project frame: library or Node internals)';
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame && /\/dist\/(libs|apps)\//.test(frame.url)) {
        label = labelOf(frame);
        break;
      }
    }
    callerOf.set(id, label);
    return label;
  };
  for (const id of profile.samples) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const label = labelOf(frame);
    frames.set(label, (frames.get(label) ?? 0) + 1);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + 1);
    if (frame.url || !/^\((idle|garbage collector|program)\)$/.test(frame.functionName)) {
      const caller = projectCaller(id);
      callers.set(caller, (callers.get(caller) ?? 0) + 1);
    }
  }
  const total = profile.samples.length || 1;
  const sorted = (map: Map<string, number>) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).map(([key, count]) => [key, count / total] as [string, number]);
  return {
    samples: profile.samples.length,
    topFrames: sorted(frames).slice(0, top),
    areas: sorted(areas),
    projectCallers: sorted(callers).slice(0, top),
  };
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  return url.replace(/^file:\/\//, '');
}

function labelOf(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  return `${name}  ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(idle)') return '(idle: waiting for I/O)';
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)') return '(program: V8/native)';
    return `(native: ${functionName || 'anonymous'})`;
  }
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return `npm ${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (url.startsWith('node:')) return `node core (${url.slice(5).split('/').slice(0, 2).join('/')})`;
  const dist = url.indexOf('/dist/');
  if (dist >= 0) {
    const parts = url.slice(dist + '/dist/'.length).split('/');
    return parts[0] === 'libs' || parts[0] === 'apps' ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return url;
}

export function describeProfile(title: string, summary: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(6);
  return [
    `${title}: ${summary.samples} samples`,
    '  self time by area:',
    ...summary.areas.slice(0, 10).map(([area, share]) => `    ${pct(share)}  ${area}`),
    '  top frames (self):',
    ...summary.topFrames.map(([label, share]) => `    ${pct(share)}  ${label}`),
    '  busy time by the nearest project function up the stack (libraries below it included; share of all samples):',
    ...summary.projectCallers.slice(0, 8).map(([label, share]) => `    ${pct(share)}  ${label}`),
  ].join('\n');
}
