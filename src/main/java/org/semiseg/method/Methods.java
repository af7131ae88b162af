package org.semiseg.method;

import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The list of methods that {@code method.name} selects from. Adding a method adds one line here. */
public final class Methods {
    private static final Map<String, Function<Config, Method>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("supervised", config -> new Supervised());
        ALL.put("mean-teacher", config -> new MeanTeacher(config, false));
        ALL.put("classmix", config -> new MeanTeacher(config, true));
        ALL.put("memory-bank", MemoryBankMethod::new);
    }

    private Methods() {
    }

    public static Method create(Config config) {
        Function<Config, Method> factory = ALL.get(config.method().name());
        if (factory == null) {
            throw ConfigException.key("method.name", "must be one of " + String.join(", ", ALL.keySet())
                    + " (got " + config.method().name() + ")");
        }
        return factory.apply(config);
    }

    public static Iterable<String> names() {
        return ALL.keySet();
    }
}
