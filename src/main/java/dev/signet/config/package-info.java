/**
 * Configuration: one YAML file read into immutable records ({@link dev.signet.config.SignetConfig}).
 * {@link dev.signet.config.ConfigLoader} lists every problem at once with its path; values of the
 * form {@code ${VAR}} come from the environment; secrets are {@link dev.signet.config.Secret}s that
 * never print. Connector kinds read their own keys through {@link dev.signet.config.ConnectionKinds}
 * so this package knows no connector. One record per top-level section, and one parser: the
 * record's own {@code read(ConfigNode)} (the loader only names the sections and wires the records;
 * tenants, which need the connection kinds, are read by the loader itself). A change is a
 * {@code with…} copy, never a positional constructor call.
 */
@NullMarked
package dev.signet.config;

import org.jspecify.annotations.NullMarked;
