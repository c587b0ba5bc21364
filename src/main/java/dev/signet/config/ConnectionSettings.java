package dev.signet.config;

import java.util.List;

/**
 * An upstream identity provider as configured. {@code options} is the kind-specific settings
 * record, read and validated by that kind (see {@link ConnectionKinds}).
 */
public record ConnectionSettings(String id, String kind, String displayName, List<String> emailDomains,
        ConnectionKinds.Options options) {
    public ConnectionSettings {
        emailDomains = List.copyOf(emailDomains);
    }
}
