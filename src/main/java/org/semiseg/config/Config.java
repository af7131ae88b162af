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
        if (data.hasDomains() && !DOMAIN_METHODS.contains(method.name())) {
            throw ConfigException.key("method.name", method.name() + " cannot train several domains (data.domains):"
                    + " they are defined for " + String.join(" and ", DOMAIN_METHODS) + " (a teacher method would need a"
                    + " teacher over the shared encoder)");
        }
    }

    /** The methods that train several domains ({@code data.domains}). */
    public static final List<String> DOMAIN_METHODS = List.of("supervised", "cct");

    /**
     * The config one domain of a run on several domains sees: its data block, its crop ({@code augment.crop}) and
     * batch size ({@code train.batch_size}); everything else is the run's.
     */
    public Config forDomain(DomainConfig domain) {
        return new Config(seed, device, domain.data(), domain.augment(augment), model, method,
                train.withBatchSize(domain.batchSize()), eval, weak);
    }

    /**
     * The domains of the run, each as the config it sees ({@link #forDomain}), by name in the order of
     * {@code data.domains}; a run on one dataset gives one entry, named null, with this config.
     */
    public java.util.List<java.util.Map.Entry<String, Config>> domainConfigs() {
        if (!data.hasDomains()) {
            return java.util.List.of(new java.util.AbstractMap.SimpleImmutableEntry<>(null, this));
        }
        java.util.List<java.util.Map.Entry<String, Config>> out = new java.util.ArrayList<>();
        for (DomainConfig d : data.domains()) {
            out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(d.name(), forDomain(d)));
        }
        return out;
    }
}
