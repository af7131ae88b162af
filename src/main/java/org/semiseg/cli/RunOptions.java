package org.semiseg.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Options of the commands that use a trained run (evaluate, predict): config changes on top of the run's config. */
public final class RunOptions {
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key of the run's config, e.g. --set eval.flip=true (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "where tensors live")
    String device;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    /** The overrides with --device folded in. */
    List<String> allOverrides() {
        List<String> all = new ArrayList<>(overrides);
        if (device != null) {
            all.add("device=" + device);
        }
        return all;
    }
}
