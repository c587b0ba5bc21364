package dev.signet.config;

import java.util.List;

/**
 * An upstream identity provider as configured (one item of a tenant's {@code connections:}; the
 * fields are its keys {@code id}, {@code kind}, {@code name} — shown on the sign-in page, default
 * the id — and {@code email_domains}). {@code options} is the kind-specific settings record, read and
 * validated by that kind (see {@link ConnectionKinds}). {@code record} ({@code record: false} turns it
 * off) and {@code recordLimit} ({@code record_limit}, 1–10000) govern the upstream corpus (README
 * "Upstream corpus").
 */
public record ConnectionSettings(String id, String kind, String name, List<String> emailDomains,
        ConnectionKinds.Options options, boolean record, int recordLimit) {

    /** Default of {@code record_limit}: the newest exchanges kept in the upstream corpus per connection. */
    public static final int RECORD_LIMIT = 200;

    public ConnectionSettings {
        emailDomains = List.copyOf(emailDomains);
    }

    /** Recording on (the default), {@link #RECORD_LIMIT} newest exchanges kept. */
    public ConnectionSettings(String id, String kind, String name, List<String> emailDomains, ConnectionKinds.Options options) {
        this(id, kind, name, emailDomains, options, true, RECORD_LIMIT);
    }
}
