// Measures operations per second of a function, sync or async, over a fixed
// wall-clock window after a warm-up. Runs the candidate and its floor in
// alternating slices so that machine noise falls on both alike.

const now = () => Number(process.hrtime.bigint()) / 1e9;

async function runFor(fn, seconds) {
  const end = now() + seconds;
  let ops = 0;
  const start = now();
  while (now() < end) {
    // Batches of 16 keep the clock reads out of the measurement.
    for (let i = 0; i < 16; i += 1) {
      const r = fn();
      if (r !== undefined && typeof r.then === 'function') await r;
    }
    ops += 16;
  }
  return { ops, seconds: now() - start };
}

/** Ops/sec of `candidate` and `floor`, measured in `rounds` alternating slices. */
export async function compare(candidate, floor, { warmup = 0.3, slice = 0.25, rounds = 6 } = {}) {
  await runFor(candidate, warmup);
  await runFor(floor, warmup);
  const total = { c: { ops: 0, seconds: 0 }, f: { ops: 0, seconds: 0 } };
  for (let i = 0; i < rounds; i += 1) {
    const c = await runFor(candidate, slice);
    const f = await runFor(floor, slice);
    total.c.ops += c.ops;
    total.c.seconds += c.seconds;
    total.f.ops += f.ops;
    total.f.seconds += f.seconds;
  }
  const opsPerSec = total.c.ops / total.c.seconds;
  const floorOpsPerSec = total.f.ops / total.f.seconds;
  return { opsPerSec, floorOpsPerSec, ratio: opsPerSec / floorOpsPerSec };
}
