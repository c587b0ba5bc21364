package dev.signet.connector;

import java.util.Objects;
import java.util.Optional;

/** Who the upstream says the user is. {@code subject} is stable per connection and never empty. */
public record UpstreamIdentity(String subject, Optional<String> email, boolean emailVerified, Optional<String> name,
        Optional<String> picture) {
    public UpstreamIdentity {
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
    }
}
