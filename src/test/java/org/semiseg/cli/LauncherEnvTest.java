package org.semiseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's environment (README, "Speed: the memory allocator"): the project's {@code semiseg} script, copied
 * beside a stand-in jar so that it builds nothing, runs a {@code java} stand-in from PATH that prints the environment
 * it was given.
 */
class LauncherEnvTest {

    @TempDir
    Path dir;

    private Map<String, String> launch(Map<String, String> env) throws IOException, InterruptedException {
        Run run = run(env);
        assertEquals(0, run.exit(), run.out());
        Map<String, String> seen = new HashMap<>();
        for (String line : run.out().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                seen.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return seen;
    }

    private record Run(int exit, String out) {
    }

    private Run run(Map<String, String> env) throws IOException, InterruptedException {
        Files.copy(Path.of("semiseg"), dir.resolve("semiseg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(dir.resolve("target/lib"));
        Files.writeString(dir.resolve("target/semiseg.jar"), "stand-in");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nenv\necho \"JAVA_ARGS=$*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", dir.resolve("semiseg").toString(), "--version");
        pb.environment().keySet().removeIf(k -> k.startsWith("MALLOC_") || k.equals("GLIBC_TUNABLES")
                || k.equals("SEMISEG_MALLOC") || k.equals("DNNL_MAX_CPU_ISA") || k.equals("SEMISEG_CPUINFO")
                || k.equals("SEMISEG_JAVA_OPTS") || k.equals("SEMISEG_TCMALLOC") || k.equals("LD_PRELOAD"));
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher did not finish");
        return new Run(p.exitValue(), out);
    }

    @Test
    void setsTheAllocatorSettings() throws Exception {
        Map<String, String> env = launch(Map.of());
        assertEquals("33554432", env.get("MALLOC_MMAP_THRESHOLD_"));
        assertEquals("17179869184", env.get("MALLOC_TRIM_THRESHOLD_"));
        assertEquals("268435456", env.get("MALLOC_TOP_PAD_"));
        assertEquals("glibc.malloc.hugetlb=1", env.get("GLIBC_TUNABLES"));
    }

    private Path cpuinfo(String vendor) throws IOException {
        return Files.writeString(dir.resolve(vendor + ".cpuinfo"), "processor\t: 0\nvendor_id\t: " + vendor
                + "\ncpu family\t: 26\nmodel name\t: a CPU\n");
    }

    /** oneDNN is limited to AVX2 on AMD CPUs only (README, "Known issues"); the user's value wins everywhere. */
    @Test
    void limitsOneDnnToAvx2OnAmdOnly() throws Exception {
        assertEquals("AVX2", launch(Map.of("SEMISEG_CPUINFO", cpuinfo("AuthenticAMD").toString()))
                .get("DNNL_MAX_CPU_ISA"));
        assertFalse(launch(Map.of("SEMISEG_CPUINFO", cpuinfo("GenuineIntel").toString()))
                .containsKey("DNNL_MAX_CPU_ISA"));
        assertEquals("AVX512_CORE", launch(Map.of("SEMISEG_CPUINFO", cpuinfo("AuthenticAMD").toString(),
                "DNNL_MAX_CPU_ISA", "AVX512_CORE")).get("DNNL_MAX_CPU_ISA"));
    }

    /** No JVM option of the launcher's own: the user's come first (a young-generation cap cost a CamVid run). */
    @Test
    void theUsersJavaOptionsComeFirst() throws Exception {
        assertTrue(launch(Map.of()).get("JAVA_ARGS").startsWith("-Dai.djl.offline=true"));
        String args = launch(Map.of("SEMISEG_JAVA_OPTS", "-Xmx16g")).get("JAVA_ARGS");
        assertTrue(args.startsWith("-Xmx16g -Dai.djl.offline=true "), args);
    }

    @Test
    void theUsersValuesWin() throws Exception {
        Map<String, String> env = launch(Map.of("MALLOC_MMAP_THRESHOLD_", "65536",
                "GLIBC_TUNABLES", "glibc.malloc.tcache_count=0"));
        assertEquals("65536", env.get("MALLOC_MMAP_THRESHOLD_"));
        assertEquals("glibc.malloc.tcache_count=0:glibc.malloc.hugetlb=1", env.get("GLIBC_TUNABLES"));
        Map<String, String> own = launch(Map.of("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0"));
        assertEquals("glibc.malloc.hugetlb=0", own.get("GLIBC_TUNABLES"));
    }

    @Test
    void glibcModeLeavesTheDefaults() throws Exception {
        Map<String, String> env = launch(Map.of("SEMISEG_MALLOC", "glibc"));
        for (String key : List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES")) {
            assertFalse(env.containsKey(key), key + " set in glibc mode: " + env.get(key));
        }
    }

    /** tcmalloc mode preloads the library (a stand-in file here) and sets none of glibc's variables. */
    @Test
    void tcmallocModePreloadsTheLibraryInsteadOfGlibcSettings() throws Exception {
        Path lib = Files.writeString(dir.resolve("libtcmalloc_minimal.so.4"), "stand-in");
        Map<String, String> env = launch(Map.of("SEMISEG_MALLOC", "tcmalloc", "SEMISEG_TCMALLOC", lib.toString()));
        assertEquals(lib.toString(), env.get("LD_PRELOAD"));
        for (String key : List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES")) {
            assertFalse(env.containsKey(key), key + " set in tcmalloc mode: " + env.get(key));
        }
    }

    /** A missing library or an unknown mode: one line naming the variable, exit 2, java never started. */
    @Test
    void aMissingLibraryOrAnUnknownModeIsRefused() throws Exception {
        Run missing = run(Map.of("SEMISEG_MALLOC", "tcmalloc", "SEMISEG_TCMALLOC", dir.resolve("none.so").toString()));
        assertEquals(2, missing.exit(), missing.out());
        assertEquals("semiseg: SEMISEG_MALLOC=tcmalloc: libtcmalloc_minimal.so.4 not found at " + dir.resolve("none.so")
                + " (Debian: apt-get install libtcmalloc-minimal4)", missing.out().strip());
        Run unknown = run(Map.of("SEMISEG_MALLOC", "jemalloc"));
        assertEquals(2, unknown.exit(), unknown.out());
        assertEquals("semiseg: SEMISEG_MALLOC must be tuned, glibc or tcmalloc, got 'jemalloc'", unknown.out().strip());
    }
}
