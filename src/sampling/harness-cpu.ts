/**
 * The harness's own CPU over a window: this process runs the mock sensor (which receives every
 * event the agent sends), the samplers and the progress line. On a host-wide figure such as the
 * overhead's host CPU that work is part of "with the agent", although in production the sensor
 * runs elsewhere; measuring it lets the report say how much of the host delta it was.
 */
export interface HarnessCpu {
  /** Percent of one core since start. */
  stop(): number;
}

export function startHarnessCpu(): HarnessCpu {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  return {
    stop() {
      const used = process.cpuUsage(c0);
      const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
      return wallUs > 0 ? ((used.user + used.system) / wallUs) * 100 : 0;
    },
  };
}
