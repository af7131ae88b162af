package org.semiseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.config.DataConfig;
import org.semiseg.data.DataCheckFailed;
import org.semiseg.data.DataSplits;
import org.semiseg.data.Datasets;
import org.semiseg.data.PseudoMasks;
import org.semiseg.data.sets.CheckReport;
import org.semiseg.data.sets.DataCheck;
import org.semiseg.io.Checkpoints;
import org.semiseg.method.Method;
import org.semiseg.method.Methods;
import org.semiseg.train.RunDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything about a grid that can be checked before anything trains, for every run: its config (keys, types,
 * ranges), its method and the method's block, its data (files listed and paired, the fast check of headers, the
 * labeled / unlabeled split it draws, the test split), and a run folder that already holds a run made with other
 * settings. The grid's {@code set}, each variant's (a group's {@code set}, on top of the grid's) and the command
 * line's {@code --set} are checked first, each on its own, so a typo is named where it was written. The first problem
 * ends the check with one line naming the grid file, the group and the run.
 */
public final class GridCheck {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private GridCheck() {
    }

    /**
     * One checked run.
     *
     * @param config the run's resolved config
     * @param state  {@code new}, {@code partial (iteration N)}, {@code finished} or {@code recorded} (its folder gone,
     *               its results.json record kept: {@link GridRecorded})
     * @param images the images it reads, e.g. "46 labeled, 321 unlabeled, 101 val images"
     */
    public record Planned(GridSpec.Cell cell, Config config, String state, String images) {
    }

    /**
     * Checks every run of {@code grid}.
     *
     * @throws SemisegException for the first problem, naming the grid file, the group and the run
     */
    public static List<Planned> check(GridSpec grid) {
        String file = "grid file " + grid.file();
        try {
            ConfigLoader.load(grid.config(), List.of());
        } catch (SemisegException e) {
            throw new SemisegException(file + ": config: " + e.getMessage());
        }
        try {
            ConfigLoader.load(grid.config(), grid.gridOverrides());
        } catch (SemisegException e) {
            throw new SemisegException(file + ": set: " + e.getMessage().replaceFirst("^--set ", ""));
        }
        // a variant's set on top of the grid's, as its runs apply it: a typo there is named with its group
        for (GridSpec.Variant v : grid.variants()) {
            List<String> withVariant = new ArrayList<>(grid.gridOverrides());
            withVariant.addAll(v.set());
            try {
                ConfigLoader.load(grid.config(), withVariant);
            } catch (SemisegException e) {
                throw new SemisegException(file + ": groups[" + v.group() + "].set (tag " + v.tag() + "): "
                        + e.getMessage().replaceFirst("^--set ", ""));
            }
        }
        try {
            ConfigLoader.load(grid.config(), grid.overrides());
        } catch (SemisegException e) {
            throw new SemisegException("bench " + e.getMessage());
        }
        Map<String, String> checkedData = new HashMap<>();
        List<Planned> planned = new ArrayList<>();
        GridRecorded recorded = GridRecorded.read(grid);
        for (GridSpec.Cell cell : grid.cells()) {
            String where = file + ": groups[" + cell.group() + "] (run " + cell.runName() + "): ";
            try {
                planned.add(checkCell(grid, cell, checkedData, recorded));
            } catch (DataCheckFailed e) {
                throw new SemisegException(where + e.getMessage());
            } catch (SemisegException e) {
                throw new SemisegException(where + e.getMessage());
            }
        }
        return planned;
    }

    private static Planned checkCell(GridSpec grid, GridSpec.Cell cell, Map<String, String> checkedData,
                                     GridRecorded recorded) {
        Config config = grid.configOf(cell);
        Method method = Methods.create(config);
        String pretrained = config.model().pretrained();
        if (pretrained != null && !pretrained.isBlank() && !Files.isRegularFile(Path.of(pretrained))) {
            throw new SemisegException("config key 'model.pretrained': " + pretrained + " does not exist");
        }
        DataSplits data = Datasets.open(config);
        if (method.inputs().unlabeled() && data.unlabeled().isEmpty()) {
            throw new SemisegException("method.name=" + cell.method() + " learns from unlabeled images, but data.labeled="
                    + cell.ratio() + " leaves none unlabeled");
        }
        // pseudo-masks are made per labeled split beforehand: a missing or mismatched folder is named now, not hours in
        PseudoMasks.forRun(config.data(), data, method.inputs().unlabeled() && method.inputs().weakLabels(),
                cell.method());
        // the files of one dataset are checked once, whatever the share and seed that spread them over the roles
        String dataKey = filesKey(config.data());
        if (!checkedData.containsKey(dataKey)) {
            DataSplits.Sources files = data.sources();
            if (files != null && !config.data().check().equals("off")) {
                // headers only, whatever data.check says: a full check (decoding) runs again when each run starts
                CheckReport report = DataCheck.check(files.layout(), files.splits(), files.problems(), false,
                        config.data().ignoreIndex(), config.data().workers());
                if (!report.ok()) {
                    throw new DataCheckFailed(files.layout(), report);
                }
            }
            Datasets.openSource(config);
            try {
                Datasets.evaluationSplit(config, grid.testSplit());
            } catch (SemisegException e) {
                throw new SemisegException("test_split: " + e.getMessage());
            }
            checkedData.put(dataKey, dataKey);
        }
        RunDirectory run = new RunDirectory(grid.out().resolve(cell.runName()));
        if (Files.isRegularFile(run.config())) {
            Map<String, String> existing = settingsOf(ConfigLoader.loadResolved(run.config()), cell.method());
            Map<String, String> wanted = settingsOf(config, cell.method());
            if (!existing.equals(wanted)) {
                throw new SemisegException("run directory " + run.root() + " holds a run with other settings than the grid's ("
                        + firstDifference(existing, wanted) + "); move it away or choose another grid 'out'");
            }
        }
        String images = data.labeled().size() + " labeled, " + (method.inputs().unlabeled() ? data.unlabeled().size()
                + " unlabeled, " : "") + data.val().size() + " val images";
        String state = recorded.of(cell, config.train().iterations(), run.root()) != null ? GridRunner.RECORDED
                : state(run, config.train().iterations());
        return new Planned(cell, config, state, images);
    }

    /** The data settings that decide which files there are (not how they are shared out). */
    private static String filesKey(DataConfig d) {
        return String.join("|", d.dataset(), String.valueOf(d.root()), String.valueOf(d.spec()), String.valueOf(d.trainSplit()),
                String.valueOf(d.valSplit()), String.valueOf(d.unlabeledSplit()), String.valueOf(d.splitDir()),
                String.valueOf(d.valFromTrain()), d.vocProtocol(), String.valueOf(d.resize()), d.check(),
                String.valueOf(d.ignoreIndex()), String.valueOf(d.source()), String.valueOf(d.demo()));
    }

    private static String state(RunDirectory run, int iterations) {
        GridRunner.RunState state = GridRunner.RunState.of(run, iterations);
        if (state == GridRunner.RunState.PARTIAL) {
            try {
                return "partial (iteration " + Checkpoints.readState(run.last()).iteration() + ")";
            } catch (SemisegException e) {
                return "partial";
            }
        }
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The settings that decide what a run of {@code method} computes: its resolved config as {@link #flatten}, without
     * the other methods' {@code method.<name>:} blocks (a run reads its own block only, so a changed default of
     * another method leaves its finished runs valid).
     */
    static Map<String, String> settingsOf(Config config, String method) {
        Map<String, String> flat = flatten(config);
        for (String other : Methods.names()) {
            if (!other.equals(method)) {
                String block = "method." + other + ".";
                flat.keySet().removeIf(k -> k.startsWith(block));
            }
        }
        return flat;
    }

    static String firstDifference(Map<String, String> there, Map<String, String> grid) {
        for (Map.Entry<String, String> e : grid.entrySet()) {
            String old = there.get(e.getKey());
            if (!e.getValue().equals(old)) {
                return old == null ? "no '" + e.getKey() + "' there, '" + e.getKey() + ": " + e.getValue() + "' in the grid"
                        : "'" + e.getKey() + ": " + old + "' there, '" + e.getKey() + ": " + e.getValue() + "' in the grid";
            }
        }
        for (String key : there.keySet()) {
            if (!grid.containsKey(key)) {
                return "'" + key + ": " + there.get(key) + "' there, no '" + key + "' in the grid";
            }
        }
        return "none";
    }

    /**
     * The dry run's listing: every run with the keys in which its resolved config differs from the others, then the
     * keys every run shares, as {@code key: value} lines.
     */
    public static String describe(GridSpec grid, List<Planned> planned) {
        List<Map<String, String>> flat = new ArrayList<>();
        for (Planned p : planned) {
            flat.add(flatten(p.config()));
        }
        Map<String, String> shared = new LinkedHashMap<>(flat.get(0));
        for (Map<String, String> f : flat) {
            shared.entrySet().removeIf(e -> !e.getValue().equals(f.get(e.getKey())));
        }
        StringBuilder out = new StringBuilder();
        out.append("grid ").append(grid.name()).append(" (").append(grid.file()).append("): ").append(planned.size())
                .append(planned.size() == 1 ? " run" : " runs").append(" into ").append(grid.out()).append(", results in ")
                .append(grid.results()).append(", best checkpoint on val reported on ").append(grid.testSplit()).append('\n');
        int width = planned.stream().mapToInt(p -> p.cell().runName().length()).max().orElse(0);
        int indexWidth = ("[" + planned.size() + "/" + planned.size() + "]").length();
        for (int i = 0; i < planned.size(); i++) {
            Planned p = planned.get(i);
            List<String> own = new ArrayList<>();
            flat.get(i).forEach((k, v) -> {
                if (!shared.containsKey(k)) {
                    own.add(k + "=" + v);
                }
            });
            out.append(String.format(java.util.Locale.ROOT, "  %-" + indexWidth + "s %-" + width + "s  groups[%d]  %s  %s%n      %s%n",
                    "[" + (i + 1) + "/" + planned.size() + "]", p.cell().runName(), p.cell().group(), p.state(), p.images(),
                    String.join(" ", own)));
        }
        out.append("every run's config, besides the keys above:\n");
        shared.forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
        return out.toString();
    }

    /** A resolved config as {@code dotted.key -> value} (lists and empty mappings as one value), in config order. */
    static Map<String, String> flatten(Config config) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            flatten(YAML.readTree(ConfigLoader.toYaml(config)), "", out);
        } catch (IOException e) {
            throw new SemisegException("cannot read back a resolved config: " + e.getMessage());
        }
        return out;
    }

    private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
        if (node.isObject() && !node.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(e.getValue(), prefix + e.getKey() + ".", out);
            }
        } else {
            out.put(prefix.substring(0, prefix.length() - 1), node.isTextual() ? node.asText() : node.toString());
        }
    }
}
