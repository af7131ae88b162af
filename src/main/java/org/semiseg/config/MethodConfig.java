package org.semiseg.config;

/** Which training method runs each step ({@code org.semiseg.method.Methods} lists them). */
public record MethodConfig(String name) {
    public MethodConfig {
        Check.present("method.name", name);
    }
}
