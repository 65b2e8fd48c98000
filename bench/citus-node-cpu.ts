// CPU time spent by each PostgreSQL node of a local cluster, read from /proc (Linux only).
//
// A node's CPU is its postmaster's own time, the time of every live child (backends, Citus's
// maintenance daemon, checkpointer…), and the time of the children that have already exited,
// which the kernel adds to the postmaster's cutime/cstime when it reaps them. So backends that
// Citus opens and closes between the coordinator and the workers are counted too.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** The fields of /proc/<pid>/stat after the command name: index 0 is field 3 (state). */
function statFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // the process exited between the listing and the read
  }
}

/** CPU milliseconds used so far by each node, in the order of `dataDirs`. */
export function nodeCpuMs(dataDirs: string[]): number[] {
  const postmasters = dataDirs.map((dir) => readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]!.trim());
  const ticks = dataDirs.map(() => 0);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const fields = statFields(pid);
    if (!fields) continue;
    // Fields 14–17 (utime, stime, cutime, cstime) are at indexes 11–14; the parent (field 4) at 1.
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number) as [number, number, number, number];
    const own = postmasters.indexOf(pid);
    if (own >= 0) ticks[own]! += utime + stime + cutime + cstime;
    const parent = postmasters.indexOf(fields[1]!);
    if (parent >= 0) ticks[parent]! += utime + stime;
  }
  return ticks.map((t) => (t * 1000) / CLOCK_TICKS);
}

/** CPU milliseconds the whole machine has been busy (all cores, every process; /proc/stat). */
export function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const [user, nice, system, , , irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS;
}
