package org.semiseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A segment's wall time reaches bench.json while it runs, so a run killed outright keeps what it had spent. */
class SegmentTimeTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private JsonNode bench() throws IOException {
        return new ObjectMapper().readTree(dir.resolve(GridRunner.BENCH_JSON).toFile());
    }

    /** Each machine a segment trained on is named once, in order: a grid that moved machines says so per run. */
    @Test
    void namesEachMachineItsSegmentsTrainedOn() throws IOException {
        AtomicLong clock = new AtomicLong(0);
        for (String machine : List.of("AMD EPYC 7B13, 2 cores", "AMD EPYC 7B13, 2 cores", "Intel(R) Xeon(R) Processor, 2 cores")) {
            GridRunner.SegmentTime time = new GridRunner.SegmentTime(dir, clock::get, 60 * SECOND);
            time.machine(machine);
            clock.addAndGet(10 * SECOND);
            time.close();
        }
        assertEquals(List.of("AMD EPYC 7B13, 2 cores", "Intel(R) Xeon(R) Processor, 2 cores"),
                new ObjectMapper().convertValue(bench().get("machines"), List.class));
        assertEquals(3, bench().get("segments").asInt());
    }

    @Test
    void writesAsItGoesAndCountsTheSegmentOnce() throws IOException {
        AtomicLong clock = new AtomicLong(100 * SECOND);
        GridRunner.SegmentTime time = new GridRunner.SegmentTime(dir, clock::get, 60 * SECOND);
        time.labeled(46);

        clock.addAndGet(30 * SECOND);
        time.tick();  // half an interval: nothing written yet
        assertFalse(Files.exists(dir.resolve(GridRunner.BENCH_JSON)));

        clock.addAndGet(40 * SECOND);
        time.tick();  // 70 s since the start
        assertEquals(70.0, bench().get("wall_s").asDouble(), 1e-9);
        assertEquals(1, bench().get("segments").asInt());
        assertEquals(46, bench().get("labeled_images").asInt());

        clock.addAndGet(65 * SECOND);
        time.tick();  // 135 s: a kill after this point loses at most the time since
        assertEquals(135.0, bench().get("wall_s").asDouble(), 1e-9);
        assertEquals(1, bench().get("segments").asInt());

        clock.addAndGet(5 * SECOND);
        time.close();
        assertEquals(140.0, bench().get("wall_s").asDouble(), 1e-9);
        assertEquals(1, bench().get("segments").asInt());

        // a second segment (a resume) adds to the first and counts once more
        GridRunner.SegmentTime resumed = new GridRunner.SegmentTime(dir, clock::get, 60 * SECOND);
        clock.addAndGet(90 * SECOND);
        resumed.tick();
        clock.addAndGet(10 * SECOND);
        resumed.close();
        assertEquals(240.0, bench().get("wall_s").asDouble(), 1e-9);
        assertEquals(2, bench().get("segments").asInt());
        assertEquals(46, bench().get("labeled_images").asInt());
    }

    @Test
    void aStartThatNeverMadeItsFolderWritesNothing() {
        Path missing = dir.resolve("never-made");
        AtomicLong clock = new AtomicLong();
        GridRunner.SegmentTime time = new GridRunner.SegmentTime(missing, clock::get, 60 * SECOND);
        clock.addAndGet(5 * SECOND);
        time.close();
        assertFalse(Files.exists(missing));
    }

    /** Other processes' CPU share: machine load minus this process's, sampled every 10 s, its mean over every segment. */
    @Test
    void otherProcessesShareOfTheCpuIsSampledAndAveragedOverSegments() throws IOException {
        AtomicLong clock = new AtomicLong(0);
        double[] machine = {0.9, 0.9, 0.5, 0.95};
        double[] own = {0.5, 0.5, 0.5, 0.35};
        int[] call = {0, 0};
        CpuShare cpu = new CpuShare(() -> machine[call[0]++], () -> own[call[1]++], clock.get());
        GridRunner.SegmentTime time = new GridRunner.SegmentTime(dir, clock::get, 60 * SECOND, cpu);
        clock.addAndGet(5 * SECOND);
        time.tick();                      // under 10 s: no sample
        clock.addAndGet(6 * SECOND);
        time.tick();                      // 0.9 - 0.5
        clock.addAndGet(10 * SECOND);
        time.tick();                      // 0.5 - 0.5
        time.close();
        assertEquals(0.2, bench().get("other_cpu").asDouble(), 1e-9);
        assertEquals(2, bench().get("cpu_samples").asInt());
        GridRunner.SegmentTime resumed = new GridRunner.SegmentTime(dir, clock::get, 60 * SECOND,
                new CpuShare(() -> machine[3], () -> own[3], clock.get()));
        clock.addAndGet(10 * SECOND);
        resumed.tick();                   // 0.95 - 0.35
        resumed.close();
        assertEquals((0.4 + 0.0 + 0.6) / 3, bench().get("other_cpu").asDouble(), 1e-9);
    }
}
