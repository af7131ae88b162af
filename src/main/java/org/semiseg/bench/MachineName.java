package org.semiseg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a run trained on, as a grid records it per run ({@code bench.json}, {@code results.json}): the CPU model,
 * the cores the JVM sees and oneDNN's instruction-set cap, e.g. "Intel(R) Xeon(R) Processor, 2 cores, oneDNN default
 * ISA" or "AMD EPYC 7B13, 2 cores, oneDNN max ISA AVX2". Step times, and on another CPU or cap even a seed's trajectory
 * (oneDNN picks its kernels by both), differ between machines, so a grid that spans machines says which run came from
 * which. (Records made before the cap was named ran with it at AVX2.)
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
        return of(lines, System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getenv("DNNL_MAX_CPU_ISA"));
    }

    /**
     * The name from cpuinfo's lines; {@code arch} where no line names the model.
     *
     * @param isa {@code DNNL_MAX_CPU_ISA}, null or blank when unset
     */
    static String of(List<String> cpuinfo, String arch, int cores, String isa) {
        String model = arch;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                model = line.substring(colon + 1).trim();
                break;
            }
        }
        String cap = isa == null || isa.isBlank() ? "oneDNN default ISA" : "oneDNN max ISA " + isa.trim();
        return model + ", " + cores + (cores == 1 ? " core" : " cores") + ", " + cap;
    }
}
