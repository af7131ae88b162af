package org.semiseg.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options shared by the commands that load a config. */
public final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML config (default: the built-in demo config)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key, e.g. --set train.iterations=50 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "run seed (same as --set seed=N)")
    Long seed;

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "where tensors live (same as --set device=...)")
    String device;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    /** The overrides with --seed and --device folded in (they win over --set). */
    List<String> allOverrides() {
        List<String> all = new ArrayList<>(overrides);
        if (seed != null) {
            all.add("seed=" + seed);
        }
        if (device != null) {
            all.add("device=" + device);
        }
        return all;
    }
}
