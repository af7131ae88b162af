package org.semiseg.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** Options of the commands that load a config: --config and --seed on top of {@link RunOptions}. */
public final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML config (default: the built-in demo config)")
    Path config;

    @Option(names = "--seed", paramLabel = "N", description = "run seed (same as --set seed=N)")
    Long seed;

    @Mixin
    RunOptions run;

    /** The overrides with --seed and --device folded in (they win over --set). */
    List<String> allOverrides() {
        List<String> all = run.allOverrides();
        if (seed != null) {
            all.add("seed=" + seed);
        }
        return all;
    }
}
