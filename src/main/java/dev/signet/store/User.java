package dev.signet.store;

import java.time.Instant;
import java.util.Optional;

/** A person known to a tenant. {@code emailVerified} is true only if an upstream said so. */
public record User(String id, String tenant, Optional<String> email, boolean emailVerified, Optional<String> name,
        Optional<String> picture, Instant createdAt) {}
