package org.semiseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.semiseg.SemisegException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Finished runs that a grid's {@code results.json} records but whose run folders are gone (run folders hold
 * checkpoints and are not kept with the results; a machine that is replaced loses them). With {@code keep_recorded:
 * true} in the grid file such a cell is not trained again: its recorded figures (val and test mIoU, per-class IoU,
 * step times) stay in the tables, marked {@code recorded}, and the grid's pairs and summaries use them like any
 * finished run. A record is kept only for the same run: its name, method, tag, ratio, seed and iterations as the
 * cell's, status {@code finished}, a test mIoU. Its config cannot be checked again (the folder that held it is
 * gone), so the grid file's comment should say which commit made it; {@code results.json}'s {@code commit} is the
 * one that last wrote the file. A run folder that holds a {@code metrics.jsonl} always wins over a record.
 */
final class GridRecorded {
    private final Map<String, GridResults.Run> runs;

    private GridRecorded(Map<String, GridResults.Run> runs) {
        this.runs = runs;
    }

    /** The finished runs of the grid's current {@code results.json}; none unless the grid says keep_recorded. */
    static GridRecorded read(GridSpec grid) {
        Map<String, GridResults.Run> runs = new HashMap<>();
        Path file = grid.results().resolve("results.json");
        if (!grid.keepRecorded() || !Files.isRegularFile(file)) {
            return new GridRecorded(runs);
        }
        try {
            for (JsonNode node : GridResults.JSON.readTree(file.toFile()).path("runs")) {
                GridResults.Run r = GridResults.JSON.treeToValue(node, GridResults.Run.class);
                if ("finished".equals(r.status()) && r.testMiou() != null) {
                    runs.put(r.name(), r);
                }
            }
        } catch (IOException e) {
            throw new SemisegException(file + " cannot be read for keep_recorded: " + e.getMessage());
        }
        return new GridRecorded(runs);
    }

    /**
     * The cell's record as results.json holds it, when its run folder holds no metrics and the record is of the same
     * run; null otherwise (the cell trains, or is read from its folder).
     */
    GridResults.Run of(GridSpec.Cell cell, int iterations, Path runRoot) {
        GridResults.Run r = runs.get(cell.runName());
        if (r == null || Files.exists(runRoot.resolve("metrics.jsonl")) || !r.method().equals(cell.method())
                || !java.util.Objects.equals(r.tag(), cell.tag()) || !r.ratio().equals(cell.ratio())
                || r.seed() != cell.seed() || r.iterations() != iterations) {
            return null;
        }
        return r;
    }
}
