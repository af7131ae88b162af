package org.semiseg.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One entry of {@code data.domains} (CCT's several domains, Ouali et al. CVPR 2020, Section 3.4): a dataset with its
 * own classes, split and labeled share, trained beside the others on one shared encoder. The entry names its domain
 * and gives any {@code data.*} keys, which override the top-level {@code data:} block for this domain (the keys it
 * leaves out are inherited from there); {@link ConfigLoader} resolves them into {@link #data()}.
 *
 * @param name      lower-case letters, digits and dashes; names the domain's heads in checkpoints, its metrics keys
 *                  and {@code --domain}
 * @param batchSize this domain's images per step; null: {@code train.batch_size}
 * @param crop      this domain's random crop {@code [height, width]}; null: {@code augment.crop}
 * @param data      the domain's resolved data block (the top-level one with the entry's keys on top)
 */
@JsonPropertyOrder({"name", "batch_size", "crop"})
public record DomainConfig(String name, @JsonInclude(JsonInclude.Include.NON_NULL) Integer batchSize,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> crop,
                           @JsonUnwrapped DataConfig data) {
    /** Keys of an entry that are not {@code data.*} keys. */
    public static final List<String> OWN_KEYS = List.of("name", "batch_size", "crop");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /** @param key the entry's key in messages, {@code data.domains[1]} */
    public DomainConfig(String key, String name, Integer batchSize, List<Integer> crop, DataConfig data) {
        this(checkName(key, name), batchSize, crop, data);
        if (batchSize != null) {
            Check.atLeast(key + ".batch_size", batchSize, 1);
        }
        if (crop != null) {
            try {
                new AugmentConfig(null, null, crop);
            } catch (ConfigException e) {
                throw ConfigException.key(key + ".crop", "must be [height, width] with each at least 8, or null (got "
                        + crop + ")");
            }
        }
    }

    public DomainConfig {
        Check.present("data.domains[].name", name);
        Check.present("data.domains[]", data);
        crop = crop == null ? null : List.copyOf(crop);
    }

    private static String checkName(String key, String name) {
        if (name == null) {
            throw ConfigException.key(key + ".name", "is required: each domain needs a name (lower-case letters, digits"
                    + " and dashes, e.g. camvid)");
        }
        if (!NAME.matcher(name).matches()) {
            throw ConfigException.key(key + ".name", "must be lower-case letters, digits and dashes, starting with a"
                    + " letter or digit (got '" + name + "')");
        }
        return name;
    }

    /** The crop of this domain: its own, or {@code augment.crop}. */
    public AugmentConfig augment(AugmentConfig shared) {
        return crop == null ? shared : new AugmentConfig(shared.labeled(), shared.unlabeled(), crop);
    }
}
