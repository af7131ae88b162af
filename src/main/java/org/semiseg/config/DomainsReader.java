package org.semiseg.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** {@code data.domains}: several datasets that share an encoder, each entry a data block over the top-level one. */
final class DomainsReader {
    private DomainsReader() {
    }

    /**
     * The entries of {@code data.domains}, each its own keys merged onto a copy of the top-level data block
     * ({@code data}, without {@code domains}); a problem names the entry's key, {@code data.domains[1].labeled}.
     */
    static List<DomainConfig> read(JsonNode list, ObjectNode data, String origin) {
        if (!list.isArray()) {
            throw ConfigException.key("data.domains", "must be a list of domains, each a mapping with a name and data.*"
                    + " keys (got a " + list.getNodeType().toString().toLowerCase() + ")");
        }
        List<DomainConfig> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String key = "data.domains[" + i + "]";
            if (!(list.get(i) instanceof ObjectNode entry)) {
                throw ConfigException.key(key, "must be a mapping with a name and data.* keys (got a "
                        + list.get(i).getNodeType().toString().toLowerCase() + ")");
            }
            entry = entry.deepCopy();
            JsonNode name = entry.remove("name");
            JsonNode batch = entry.remove("batch_size");
            JsonNode crop = entry.remove("crop");
            if (name != null && !name.isNull() && !name.isTextual()) {
                throw ConfigException.key(key + ".name", "expected a string (got '" + name + "')");
            }
            ObjectNode merged = data.deepCopy();
            try {
                ConfigLoader.merge(merged, entry, key + ".", origin);
            } catch (ConfigException e) {
                // merge names the origin first; toConfig adds it again
                throw new ConfigException(e.getMessage().substring(origin.length() + 2));
            }
            Integer batchSize = null;
            List<Integer> cropSize = null;
            if (batch != null && !batch.isNull()) {
                if (!batch.isIntegralNumber()) {
                    throw ConfigException.key(key + ".batch_size", "expected an integer (got '" + batch + "')");
                }
                batchSize = batch.asInt();
            }
            if (crop != null && !crop.isNull()) {
                cropSize = new ArrayList<>();
                for (JsonNode side : crop) {
                    cropSize.add(side.isIntegralNumber() ? side.asInt() : null);
                }
                if (!crop.isArray()) {
                    cropSize.add(null);
                }
            }
            try {
                DataConfig resolved = ConfigLoader.YAML.treeToValue(merged, DataConfig.class);
                out.add(new DomainConfig(key, name == null || name.isNull() ? null : name.asText(), batchSize, cropSize,
                        resolved));
            } catch (JsonMappingException e) {
                if (e.getCause() instanceof ConfigException ce) {
                    throw new ConfigException(ce.getMessage().replace("config key 'data.", "config key '" + key + "."));
                }
                String field = ConfigErrors.path(e);
                throw ConfigException.key(key + (field.isEmpty() ? "" : "." + field), ConfigErrors.typeProblem(e));
            } catch (JacksonException e) {
                throw ConfigException.key(key, ConfigErrors.firstLine(e.getOriginalMessage()));
            }
        }
        return out;
    }
}
