package org.semiseg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a run trained on, as a grid records it per run ({@code bench.json}, {@code results.json}): the CPU model
 * and the cores the JVM sees, e.g. "Intel(R) Xeon(R) Processor, 2 cores". Step times, and on another CPU even a seed's
 * trajectory (oneDNN picks its kernels by CPU), differ between machines, so a grid that spans machines says which run
 * came from which.
 */
final class MachineName {
    private MachineName() {
    }

    /** This machine's name: /proc/cpuinfo's first "model name" (the OS architecture where there is none). */
    static String ofThisMachine() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            lines = List.of();
        }
        return of(lines, System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
    }

    /** The name from cpuinfo's lines; {@code arch} where no line names the model. */
    static String of(List<String> cpuinfo, String arch, int cores) {
        String model = arch;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                model = line.substring(colon + 1).trim();
                break;
            }
        }
        return model + ", " + cores + (cores == 1 ? " core" : " cores");
    }
}
