package org.semiseg.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code metrics.jsonl}: reading it back, and trimming it on resume. */
class MetricsLogTest {
    @TempDir
    Path dir;

    @Test
    void readSkipsTornAndNonObjectLinesAndMissingFileIsEmpty() throws IOException {
        assertTrue(MetricsLog.read(dir.resolve("none.jsonl")).isEmpty());
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"iter\":10,\"loss\":1.5}\n\n[1,2]\n{\"iter\":20,\"eval\":{\"mIoU\":0.5}}\n{\"iter\":30,\"lo");
        List<JsonNode> lines = MetricsLog.read(file);
        assertEquals(2, lines.size());
        assertEquals(10, lines.get(0).get("iter").asInt());
        assertEquals(0.5, lines.get(1).get("eval").get("mIoU").asDouble());
    }

    @Test
    void openForResumeDropsLaterIterationsAndTornLinesThenAppends() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"iter\":10}\n{\"iter\":20}\n{\"iter\":30}\n{\"iter\":40,\"lo");
        try (MetricsLog log = MetricsLog.open(file, 20)) {
            log.write(Map.of("iter", 30, "again", true));
        }
        List<JsonNode> lines = MetricsLog.read(file);
        assertEquals(List.of(10, 20, 30), lines.stream().map(n -> n.get("iter").asInt()).toList());
        assertTrue(lines.get(2).get("again").asBoolean());
    }
}
