package org.semiseg.method;

import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The list of methods that {@code method.name} selects from. Adding a method to semiseg adds one line here; code that
 * embeds semiseg can add its own with {@link #register} before training.
 */
public final class Methods {
    private static final Map<String, Function<Config, Method>> BUILT_IN = new LinkedHashMap<>();
    private static final Map<String, Function<Config, Method>> REGISTERED = new ConcurrentHashMap<>();

    static {
        BUILT_IN.put("supervised", config -> new Supervised());
        BUILT_IN.put("mean-teacher", config -> new MeanTeacher(config, false));
        BUILT_IN.put("classmix", config -> new MeanTeacher(config, true));
        BUILT_IN.put("memory-bank", MemoryBankMethod::new);
    }

    private Methods() {
    }

    public static Method create(Config config) {
        String name = config.method().name();
        Function<Config, Method> factory = BUILT_IN.getOrDefault(name, REGISTERED.get(name));
        if (factory == null) {
            TreeSet<String> known = new TreeSet<>(BUILT_IN.keySet());
            known.addAll(REGISTERED.keySet());
            throw ConfigException.key("method.name", "must be one of " + String.join(", ", known) + " (got " + name + ")");
        }
        return factory.apply(config);
    }

    /** Makes {@code method.name: name} select {@code factory}; built-in names cannot be replaced. */
    public static void register(String name, Function<Config, Method> factory) {
        if (BUILT_IN.containsKey(name)) {
            throw new IllegalArgumentException("method " + name + " is built in and cannot be replaced");
        }
        REGISTERED.put(name, factory);
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
