/**
 * Typed configuration: YAML in ({@code configs/demo.yaml} is the table of defaults and allowed keys), records with
 * validation in their constructors out. Each method keeps its own settings in a {@code method.<name>:} block that its
 * file reads into its own record ({@link org.semiseg.config.ConfigLoader#readBlock}); errors name the full key.
 */
package org.semiseg.config;
