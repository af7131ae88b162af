package org.semiseg.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which training method runs each step ({@code org.semiseg.method.Methods} lists them), the keys two or more methods
 * share, and one block of settings per method ({@code method.<name>:}), which that method's file reads into its own
 * validated record ({@link #block}).
 *
 * @param name           the method
 * @param warmup         iterations at the start without the unlabeled terms (Alonso et al. Section 4.2: 2,000); see
 *                       {@link #warmupFor(int)} for short runs
 * @param unlabeledViews strong views of each unlabeled image per step (A of Alonso et al. Eq. 6-7)
 * @param ema            teacher decay τ of Eq. 2 (Alonso et al.): [start, end], cosine ramp over training
 * @param blocks         each method's own block, by method name, as read from the YAML (validated by the method)
 */
public record MethodConfig(String name, int warmup, int unlabeledViews, List<Double> ema,
                           @JsonIgnore Map<String, JsonNode> blocks) {
    /** The keys of {@code method:} that are not a method's block. */
    public static final List<String> SHARED_KEYS = List.of("name", "warmup", "unlabeled_views", "ema");

    public MethodConfig {
        Check.present("method.name", name);
        Check.atLeast("method.warmup", warmup, 0);
        Check.atLeast("method.unlabeled_views", unlabeledViews, 1);
        if (ema == null || ema.size() != 2 || ema.get(0) == null || ema.get(1) == null
                || !(ema.get(0) >= 0 && ema.get(0) <= ema.get(1) && ema.get(1) <= 1)) {
            throw ConfigException.key("method.ema", "must be [start, end] with 0 <= start <= end <= 1 (got " + ema + ")");
        }
        blocks = blocks == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(blocks));
    }

    /** The blocks, written back beside the shared keys (so a resolved config reads like the file it came from). */
    @JsonAnyGetter
    public Map<String, JsonNode> blocksForYaml() {
        return blocks;
    }

    /** Method {@code method}'s block, or an empty mapping when the config has none. */
    public JsonNode block(String method) {
        JsonNode b = blocks.get(method);
        return b != null ? b : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    /** A copy with {@code method}'s block replaced (tests, grids). */
    public MethodConfig withBlock(String method, ObjectNode block) {
        Map<String, JsonNode> copy = new TreeMap<>(blocks);
        copy.put(method, block);
        return new MethodConfig(name, warmup, unlabeledViews, ema, copy);
    }

    /**
     * The warm-up of a run of {@code iterations}: {@link #warmup()} for runs at least five times as long, otherwise
     * the first fifth of the run (the paper's 2,000 of 150,000 iterations would leave a short run no time to use
     * pseudo-labels; a fifth keeps the teacher's first labels out while still leaving most of the run to them).
     */
    public int warmupFor(int iterations) {
        return iterations >= 5 * warmup ? warmup : Math.min(warmup, iterations / 5);
    }

    public double emaStart() {
        return ema.get(0);
    }

    public double emaEnd() {
        return ema.get(1);
    }
}
