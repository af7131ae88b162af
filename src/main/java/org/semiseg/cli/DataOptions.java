package org.semiseg.cli;

import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which dataset a {@code semiseg data} command works on: named on the command line or taken from a config. */
public final class DataOptions {
    @Option(names = "--dataset", paramLabel = "NAME", description = "camvid, voc, cityscapes, gta5 or folder")
    String dataset;

    @Option(names = "--root", paramLabel = "DIR", description = "the dataset folder")
    Path root;

    @Option(names = "--spec", paramLabel = "FILE", description = "folder datasets: their YAML (default: <root>/dataset.yaml)")
    Path spec;

    @Option(names = "--config", paramLabel = "FILE", description = "take the dataset (data.*) from this run config")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key, e.g. --set data.voc_protocol=classic (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "threads that read files (default: the number of cores)")
    Integer threads;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    /** The config these options describe; refuses the generated demo, which has no files to work on. */
    Config load() {
        List<String> all = new ArrayList<>();
        if (dataset != null) {
            all.add("data.dataset=" + dataset);
        }
        if (root != null) {
            all.add("data.root=" + quoted(root.toString()));
        }
        if (spec != null) {
            all.add("data.spec=" + quoted(spec.toString()));
        }
        all.addAll(overrides);
        Config c = ConfigLoader.load(config, all);
        if (c.data().dataset().equals("demo")) {
            throw new SemisegException("semiseg data works on datasets on disk: give --dataset NAME --root DIR (or --config FILE)");
        }
        return c;
    }

    int threads() {
        if (threads != null && threads < 1) {
            throw new SemisegException("--threads must be at least 1 (got " + threads + ")");
        }
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
