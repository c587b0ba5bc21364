package dev.signet.config;

import java.util.Objects;

/** A secret configuration value. Its {@code toString} never reveals it, so it cannot leak into logs. */
public record Secret(String value) {
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
