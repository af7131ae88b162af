package org.semiseg.config;

import java.util.List;

/**
 * The whole resolved configuration of a run. Built only by {@link ConfigLoader}, which starts from the built-in
 * defaults ({@code configs/demo.yaml}), so every component is present.
 */
public record Config(long seed, String device, DataConfig data, AugmentConfig augment, ModelConfig model,
                     MethodConfig method, TrainConfig train, EvalConfig eval, WeakConfig weak) {
    public Config {
        Check.oneOf("device", device, List.of("cpu", "gpu"));
        Check.present("data", data);
        Check.present("augment", augment);
        Check.present("model", model);
        Check.present("method", method);
        Check.present("train", train);
        Check.present("eval", eval);
        Check.present("weak", weak);
    }
}
