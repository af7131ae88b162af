package org.semiseg.config;

import org.semiseg.SemisegException;

/** A configuration value that cannot be used; the message names the key and what is allowed. */
public final class ConfigException extends SemisegException {
    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException key(String key, String problem) {
        return new ConfigException("config key '" + key + "': " + problem);
    }
}
