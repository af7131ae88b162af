package org.semiseg.bench;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;

/**
 * How much of the machine's CPU other processes used while a run trained: sampled every
 * {@link #EVERY_NANOS} as the machine's (or container's) CPU load minus this process's, both over the time since
 * the previous sample, each a share of all cores. A grid's step times are compared across runs, so a run that shared
 * the machine has step times that say more about its neighbours than about its method.
 */
final class CpuShare {
    static final long EVERY_NANOS = 10_000_000_000L;
    private final DoubleSupplier machine;
    private final DoubleSupplier process;
    private double sum;
    private int samples;
    private long sampledAt;

    /** @param machine and {@code process}: CPU load over the time since the last call, in [0, 1]; negative when unknown */
    CpuShare(DoubleSupplier machine, DoubleSupplier process, long now) {
        this.machine = machine;
        this.process = process;
        this.sampledAt = now;
        machine.getAsDouble();  // the first call starts the window
        process.getAsDouble();
    }

    /** This machine's figures, or a sampler that never samples where the JVM does not give them. */
    static CpuShare ofThisMachine(long now) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return new CpuShare(os::getCpuLoad, os::getProcessCpuLoad, now);
        }
        return new CpuShare(() -> -1, () -> -1, now);
    }

    /** Takes a sample when {@link #EVERY_NANOS} have passed since the last. */
    void tick(long now) {
        if (now - sampledAt < EVERY_NANOS) {
            return;
        }
        sampledAt = now;
        double all = machine.getAsDouble();
        double own = process.getAsDouble();
        if (all >= 0 && own >= 0 && !Double.isNaN(all) && !Double.isNaN(own)) {
            sum += Math.max(0, Math.min(1, all - own));
            samples++;
        }
    }

    /** The samples taken since the last call, as {sum of other processes' shares, count}; resets them. */
    double[] drain() {
        double[] out = {sum, samples};
        sum = 0;
        samples = 0;
        return out;
    }
}
