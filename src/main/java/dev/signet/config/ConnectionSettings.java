package dev.signet.config;

import java.util.List;

/**
 * An upstream identity provider as configured (one item of a tenant's {@code connections:}; the
 * fields are its keys {@code id}, {@code kind}, {@code name} — shown on the sign-in page, default
 * the id — and {@code email_domains}). {@code options} is the kind-specific settings record, read and
 * validated by that kind (see {@link ConnectionKinds}).
 */
public record ConnectionSettings(String id, String kind, String name, List<String> emailDomains,
        ConnectionKinds.Options options) {
    public ConnectionSettings {
        emailDomains = List.copyOf(emailDomains);
    }
}
