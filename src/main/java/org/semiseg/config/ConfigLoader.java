package org.semiseg.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * YAML in, typed {@link Config} out. The built-in demo config is the table of defaults and of allowed keys: a user
 * file and each {@code --set key.path=value} are merged onto it, and a key it does not have is refused by name.
 */
public final class ConfigLoader {
    /** Classpath location of the built-in demo config (the same file as {@code configs/demo.yaml}). */
    public static final String DEFAULTS_RESOURCE = "/configs/demo.yaml";

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);

    /** The methods whose blocks took over the keys of the old shared {@code method:} block. */
    private static final List<String> TEACHER_METHODS = List.of("mean-teacher", "classmix", "memory-bank");

    private ConfigLoader() {
    }

    /**
     * A method's block ({@code method.<name>:}) as that method's settings record; unknown keys and bad values are
     * refused with the full key ({@code method.memory-bank.bank.size}).
     */
    public static <T> T readBlock(JsonNode block, Class<T> type, String method) {
        String prefix = "method." + method;
        if (type.isRecord() && block != null && block.isObject()) {
            // name a misspelt key before Jackson complains about the key it then misses
            List<String> allowed = java.util.Arrays.stream(type.getRecordComponents())
                    .map(c -> PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(c.getName())).toList();
            block.fieldNames().forEachRemaining(k -> {
                if (!allowed.contains(k)) {
                    throw new ConfigException("unknown key '" + prefix + "." + k + "' (allowed: "
                            + String.join(", ", allowed) + ")");
                }
            });
        }
        try {
            return YAML.treeToValue(block, type);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new ConfigException("unknown key '" + prefix + "." + ConfigErrors.path(e) + "' (allowed: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof ConfigException ce) {
                // records shared by several methods name their keys method.<name>.*
                throw new ConfigException(ce.getMessage().replace("method.<name>", prefix));
            }
            throw new ConfigException("config key '" + prefix + "." + ConfigErrors.path(e) + "': " + ConfigErrors.typeProblem(e));
        } catch (JacksonException e) {
            throw new ConfigException("config key '" + prefix + "': " + ConfigErrors.firstLine(e.getOriginalMessage()));
        }
    }

    /**
     * Loads the defaults, merges {@code file} (may be null) and then the overrides in order, and validates.
     *
     * @param overrides {@code key.path=value} strings; values are read as YAML ({@code 0.1}, {@code true}, {@code [1, 2]})
     */
    public static Config load(Path file, List<String> overrides) {
        ObjectNode tree = defaults();
        if (file != null) {
            merge(tree, migrated(readFile(file)), "", file.toString());
        }
        for (String override : overrides) {
            applyOverride(tree, override);
        }
        return toConfig(tree, file == null ? "the built-in demo config" : file.toString());
    }

    /**
     * As {@link #load(Path, List)}, for YAML already read (a checkpoint's {@code config.yaml}, read from the same open
     * files as its weights); {@code origin} names it in messages.
     */
    public static Config loadText(String yaml, Path origin, List<String> overrides) {
        ObjectNode tree = defaults();
        merge(tree, migrated(parse(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), origin)), "", origin.toString());
        for (String override : overrides) {
            applyOverride(tree, override);
        }
        return toConfig(tree, origin.toString());
    }

    /** Reads a resolved config as written by {@link #write} (for example a run's {@code config.yaml}). */
    public static Config loadResolved(Path file) {
        return load(file, List.of());
    }

    /** The YAML text of a resolved config, with every key. */
    public static String toYaml(Config config) {
        try {
            if (config.data().hasDomains()) {
                // each domain entry keeps only what it does not inherit, so that it reads back the same and a later
                // --set data.<key> reaches the entries that inherit that key
                ObjectNode tree = YAML.valueToTree(config);
                ObjectNode data = (ObjectNode) tree.get("data");
                ObjectNode top = data.deepCopy();
                top.remove("domains");
                for (JsonNode entry : data.get("domains")) {
                    List<String> inherited = new ArrayList<>();
                    entry.fieldNames().forEachRemaining(k -> {
                        if (!DomainConfig.OWN_KEYS.contains(k) && entry.get(k).equals(top.get(k))) {
                            inherited.add(k);
                        }
                    });
                    ((ObjectNode) entry).remove(inherited);
                }
                return YAML.writeValueAsString(tree);
            }
            return YAML.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("built-in config " + DEFAULTS_RESOURCE + " is missing from the jar");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode readFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        return parse(bytes, file);
    }

    private static ObjectNode parse(byte[] bytes, Path file) {
        JsonNode node;
        try {
            node = YAML.readTree(bytes);
        } catch (JacksonException e) {
            throw new ConfigException("config file " + file + " is not valid YAML" + where(e.getLocation()) + ": "
                    + ConfigErrors.firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new ConfigException("config file " + file + " is empty");
        }
        if (!node.isObject()) {
            throw new ConfigException("config file " + file + " must hold a mapping of keys (got a " + node.getNodeType().toString().toLowerCase() + ")");
        }
        return (ObjectNode) node;
    }

    /**
     * Configs written before each method had its block (run folders' {@code config.yaml} among them) kept
     * {@code method.weights}, {@code method.sharpen} and {@code method.bank} in one shared block; they are moved to
     * where they live now, so old files and run folders still load: {@code bank} and every weight go to
     * {@code method.memory-bank}, {@code sharpen} and the weights sup and pseudo also to {@code method.mean-teacher}
     * and {@code method.classmix}. A key given both ways takes the new place's value.
     */
    static ObjectNode migrated(ObjectNode source) {
        if (!(source.get("method") instanceof ObjectNode method)) {
            return source;
        }
        JsonNode weights = method.remove("weights");
        JsonNode sharpen = method.remove("sharpen");
        JsonNode bank = method.remove("bank");
        for (String name : TEACHER_METHODS) {
            boolean all = name.equals("memory-bank");
            ObjectNode old = YAML.createObjectNode();
            if (weights instanceof ObjectNode w) {
                ObjectNode kept = old.putObject("weights");
                w.fields().forEachRemaining(e -> {
                    if (all || e.getKey().equals("sup") || e.getKey().equals("pseudo")) {
                        kept.set(e.getKey(), e.getValue());
                    }
                });
            } else if (weights != null) {
                old.set("weights", weights); // not a mapping: let the block's check name the problem
            }
            if (sharpen != null) {
                old.set("sharpen", sharpen);
            }
            if (bank != null && all) {
                old.set("bank", bank);
            }
            if (old.isEmpty()) {
                continue;
            }
            JsonNode given = method.get(name);
            if (given instanceof ObjectNode g) {
                deepMerge(old, g);
            }
            method.set(name, old);
        }
        return source;
    }

    private static void deepMerge(ObjectNode target, ObjectNode source) {
        source.fields().forEachRemaining(e -> {
            JsonNode t = target.get(e.getKey());
            if (t instanceof ObjectNode to && e.getValue() instanceof ObjectNode so) {
                deepMerge(to, so);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        });
    }

    /** Copies {@code source} onto {@code target}, refusing keys that {@code target} (the defaults) does not have. */
    static void merge(ObjectNode target, JsonNode source, String prefix, String origin) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            JsonNode existing = target.get(field.getKey());
            if (existing == null && prefix.equals("method.") && field.getValue().isObject()) {
                // a block of a method that is not built in (Methods.register): its method validates it
                target.set(field.getKey(), field.getValue().deepCopy());
                continue;
            }
            if (existing == null) {
                throw new ConfigException(origin + ": unknown key '" + key + "' (allowed" + (prefix.isEmpty() ? "" : " under " + prefix.substring(0, prefix.length() - 1)) + ": " + keys(target) + ")");
            }
            if (existing.isObject()) {
                if (!field.getValue().isObject()) {
                    throw new ConfigException(origin + ": key '" + key + "' must be a mapping with keys " + keys((ObjectNode) existing));
                }
                merge((ObjectNode) existing, field.getValue(), key + ".", origin);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void applyOverride(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set " + override + ": expected key.path=value");
        }
        String path = override.substring(0, eq).trim();
        String valueText = override.substring(eq + 1);
        JsonNode value;
        try {
            value = valueText.isBlank() ? YAML.nullNode() : YAML.readTree(valueText);
        } catch (JacksonException e) {
            throw new ConfigException("--set " + path + ": value '" + valueText + "' is not valid YAML");
        }
        ObjectNode source = YAML.createObjectNode();
        ObjectNode cursor = source;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            cursor = cursor.putObject(parts[i]);
        }
        cursor.set(parts[parts.length - 1], value == null ? YAML.nullNode() : value);
        merge(tree, migrated(source), "", "--set " + path);
    }

    private static Config toConfig(ObjectNode tree, String origin) {
        // each method's block is read by its method (Methods.create); the record keeps it as a tree
        Map<String, JsonNode> blocks = new java.util.TreeMap<>();
        JsonNode method = tree.get("method");
        if (method instanceof ObjectNode m) {
            List<String> names = new ArrayList<>();
            m.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                if (!MethodConfig.SHARED_KEYS.contains(n)) {
                    blocks.put(n, m.remove(n));
                }
            }
        }
        // data.domains' entries are data blocks over the top-level one: resolved once that one is read
        JsonNode domains = tree.get("data") instanceof ObjectNode d ? d.remove("domains") : null;
        try {
            Config c = YAML.treeToValue(tree, Config.class);
            MethodConfig mc = c.method();
            DataConfig data = c.data();
            if (domains != null && !(domains.isArray() && domains.isEmpty()) && !domains.isNull()) {
                data = data.withDomains(DomainsReader.read(domains, (ObjectNode) tree.get("data"), origin));
            }
            return new Config(c.seed(), c.device(), data, c.augment(), c.model(),
                    new MethodConfig(mc.name(), mc.warmup(), mc.unlabeledViews(), mc.ema(), blocks), c.train(), c.eval(),
                    c.weak());
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                throw new ConfigException(origin + ": " + ce.getMessage());
            }
            throw new ConfigException(origin + ": config key '" + ConfigErrors.path(e) + "': " + ConfigErrors.typeProblem(e));
        } catch (ConfigException e) {
            throw new ConfigException(origin + ": " + e.getMessage());
        } catch (JacksonException e) {
            throw new ConfigException(origin + ": " + ConfigErrors.firstLine(e.getOriginalMessage()));
        }
    }

    private static String keys(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " (line " + location.getLineNr() + ")";
    }
}
