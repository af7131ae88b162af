package org.semiseg.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The machine name a grid records per run: /proc/cpuinfo's first model name, the cores the JVM sees and oneDNN's
 * instruction-set cap.
 */
class MachineNameTest {
    @Test
    void theFirstModelNameAndTheCores() {
        List<String> cpuinfo = List.of("processor\t: 0", "vendor_id\t: GenuineIntel", "model name\t: Intel(R) Xeon(R) Processor",
                "processor\t: 1", "model name\t: Intel(R) Xeon(R) Processor");
        assertEquals("Intel(R) Xeon(R) Processor, 2 cores, oneDNN default ISA", MachineName.of(cpuinfo, "amd64", 2, null));
        assertEquals("Intel(R) Xeon(R) Processor, 2 cores, oneDNN max ISA AVX2",
                MachineName.of(cpuinfo, "amd64", 2, "AVX2"));
        assertEquals("Intel(R) Xeon(R) Processor, 2 cores, oneDNN default ISA", MachineName.of(cpuinfo, "amd64", 2, " "));
    }

    @Test
    void theArchitectureWhereNoLineNamesTheModel() {
        assertEquals("aarch64, 1 core, oneDNN default ISA",
                MachineName.of(List.of("processor\t: 0", "BogoMIPS\t: 50.00"), "aarch64", 1, null));
        assertEquals("amd64, 4 cores, oneDNN default ISA", MachineName.of(List.of(), "amd64", 4, ""));
    }

    @Test
    void thisMachineHasAName() {
        String name = MachineName.ofThisMachine();
        String cores = Runtime.getRuntime().availableProcessors() == 1 ? " 1 core, oneDNN "
                : " " + Runtime.getRuntime().availableProcessors() + " cores, oneDNN ";
        assertTrue(name.contains(cores), name);
    }
}
