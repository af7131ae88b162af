package org.semiseg.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.semiseg.SemisegException;
import org.semiseg.io.FileWrites;
import org.semiseg.io.OutOfSpace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code metrics.jsonl}: one JSON object per line, written as it happens and flushed. */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final BufferedWriter out;

    private MetricsLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Opens {@code file} for appending. With {@code keepThrough >= 0} (a resume), first drops the lines logged after
     * iteration {@code keepThrough}: the run repeats those iterations and logs them again. A line that does not parse
     * (the tail of a process killed mid-write) is dropped too. The rewrite goes through a temporary file and a rename,
     * so a kill during it leaves the old file.
     */
    public static MetricsLog open(Path file, int keepThrough) {
        try {
            if (keepThrough >= 0 && Files.exists(file)) {
                List<String> kept = new ArrayList<>();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    JsonNode node = parse(line);
                    if (node != null && node.path("iter").asInt(0) <= keepThrough) {
                        kept.add(line);
                    }
                }
                StringBuilder text = new StringBuilder();
                kept.forEach(line -> text.append(line).append(System.lineSeparator()));
                org.semiseg.io.AtomicFiles.writeString(file, text);
            }
            return new MetricsLog(file, new BufferedWriter(new OutputStreamWriter(FileWrites.open(file,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            OutOfSpace.ifFull(e, file);
            throw new SemisegException("cannot open metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The records of {@code file} in order, an empty list when it does not exist. Lines that do not parse as a JSON
     * object (the tail of a process killed mid-write) are left out, as {@link #open} drops them on resume.
     */
    public static List<JsonNode> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode node = parse(line);
                if (node != null) {
                    out.add(node);
                }
            }
        } catch (IOException e) {
            throw new SemisegException("cannot read metrics log " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException torn) {
            return null;
        }
    }

    /**
     * Appends one line and flushes it.
     *
     * @throws OutOfSpace if the disk is full (a part of the line may be written: {@link #open} drops it on resume)
     */
    public void write(Map<String, Object> record) {
        try {
            out.write(JSON.writeValueAsString(record));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            OutOfSpace.ifFull(e, file);
            throw new SemisegException("cannot write metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing left to save
        }
    }
}
