package org.semiseg.method;

import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.config.ConfigLoader;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The list of methods that {@code method.name} selects from, each with the record its {@code method.<name>:} block
 * is read into. Adding a method to semiseg adds one line here; code that embeds semiseg can add its own with
 * {@link #register} before training.
 */
public final class Methods {
    /** A method's settings type ({@code Void} for none) and how to build it from the config and its settings. */
    public record Entry<S>(Class<S> settings, BiFunction<Config, S, Method> factory) {
        Method create(Config config, String name) {
            S s = settings == Void.class ? null : ConfigLoader.readBlock(config.method().block(name), settings, name);
            return factory.apply(config, s);
        }
    }

    private static final Map<String, Entry<?>> BUILT_IN = new LinkedHashMap<>();
    private static final Map<String, Entry<?>> REGISTERED = new ConcurrentHashMap<>();

    static {
        BUILT_IN.put("supervised", new Entry<>(Void.class, (config, none) -> new Supervised()));
        BUILT_IN.put("mean-teacher", new Entry<>(MeanTeacher.Settings.class, MeanTeacher::new));
        BUILT_IN.put("classmix", new Entry<>(MeanTeacher.Settings.class, ClassMixMethod::new));
        BUILT_IN.put("memory-bank", new Entry<>(MemoryBankMethod.Settings.class, MemoryBankMethod::new));
        BUILT_IN.put("fixmatch", new Entry<>(FixMatch.Settings.class, FixMatch::new));
        BUILT_IN.put("unimatch", new Entry<>(UniMatch.Settings.class, UniMatch::new));
        BUILT_IN.put("u2pl", new Entry<>(U2pl.Settings.class, U2pl::new));
        BUILT_IN.put("cct", new Entry<>(Cct.Settings.class, Cct::new));
        BUILT_IN.put("pc2seg", new Entry<>(Pc2seg.Settings.class, Pc2seg::new));
    }

    private Methods() {
    }

    /**
     * The method {@code method.name} selects, built from its block. Every built-in method's block in the config is
     * validated too, so a bad value is refused even for a method not chosen.
     */
    public static Method create(Config config) {
        String name = config.method().name();
        Entry<?> entry = lookup(name);
        if (entry == null) {
            TreeSet<String> known = new TreeSet<>(BUILT_IN.keySet());
            known.addAll(REGISTERED.keySet());
            throw ConfigException.key("method.name", "must be one of " + String.join(", ", known) + " (got " + name + ")");
        }
        for (String block : config.method().blocks().keySet()) {
            Entry<?> other = lookup(block);
            if (other == null) {
                throw new ConfigException("unknown key 'method." + block + "' (no method of that name; methods: "
                        + String.join(", ", BUILT_IN.keySet()) + ")");
            }
            if (!block.equals(name) && other.settings() != Void.class) {
                ConfigLoader.readBlock(config.method().block(block), other.settings(), block);
            }
        }
        return entry.create(config, name);
    }

    private static Entry<?> lookup(String name) {
        Entry<?> e = BUILT_IN.get(name);
        return e != null ? e : REGISTERED.get(name);
    }

    /** Makes {@code method.name: name} select a method built from the {@code method.<name>:} block. */
    public static <S> void register(String name, Class<S> settings, BiFunction<Config, S, Method> factory) {
        if (BUILT_IN.containsKey(name)) {
            throw new IllegalArgumentException("method " + name + " is built in and cannot be replaced");
        }
        REGISTERED.put(name, new Entry<>(settings, factory));
    }

    /** Makes {@code method.name: name} select a method without settings of its own. */
    public static void register(String name, java.util.function.Function<Config, Method> factory) {
        register(name, Void.class, (config, none) -> factory.apply(config));
    }

    /** Removes a method added with {@link #register}. */
    public static void unregister(String name) {
        REGISTERED.remove(name);
    }

    /** The built-in methods, in a fixed order. */
    public static Iterable<String> names() {
        return BUILT_IN.keySet();
    }
}
