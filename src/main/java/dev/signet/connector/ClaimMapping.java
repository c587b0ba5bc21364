package dev.signet.connector;

import dev.signet.config.ConfigNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where an upstream payload (ID token claims, userinfo JSON) keeps the identity's fields: a plain
 * member name ({@code "email"}) or an RFC 6901 JSON pointer ({@code "/data/mail"}). Read by the
 * tolerant {@link UpstreamFields}: the subject is required, everything else optional, and an email
 * counts as verified only when the mapped {@code email_verified} field says {@code true}.
 * {@code required} ({@code required: [email_verified]}) lists fields that must be present besides the
 * subject: a sign-in whose payload lacks one fails with {@code upstream.field_missing} naming it.
 */
public record ClaimMapping(String subject, Optional<String> email, Optional<String> emailVerified, Optional<String> name,
        Optional<String> picture, List<String> required) {

    public ClaimMapping {
        required = List.copyOf(required);
    }

    /** Nothing required but the subject. */
    public ClaimMapping(String subject, Optional<String> email, Optional<String> emailVerified, Optional<String> name,
            Optional<String> picture) {
        this(subject, email, emailVerified, name, picture, List.of());
    }

    /** A copy that also requires {@code fields}. */
    public ClaimMapping requiring(List<String> fields) {
        List<String> all = new java.util.ArrayList<>(required);
        all.addAll(fields);
        return new ClaimMapping(subject, email, emailVerified, name, picture, all);
    }

    /** The OIDC Core §5.1 standard claims. */
    public static final ClaimMapping STANDARD = new ClaimMapping("sub", Optional.of("email"), Optional.of("email_verified"),
            Optional.of("name"), Optional.of("picture"));

    static final Set<String> KEYS = Set.of("subject", "email", "email_verified", "name", "picture", "required");

    /**
     * Reads the {@code key} mapping of a connection (absent keys fall back to {@code defaults}).
     * {@code subjectRequired}: the mapping must name the subject itself (no default exists).
     */
    public static ClaimMapping read(ConfigNode connection, String key, ClaimMapping defaults, boolean subjectRequired) {
        ConfigNode n = connection.child(key);
        n.allowOnly(KEYS);
        if (subjectRequired && !n.has("subject")) {
            n.problem("subject", "is required: the member name or JSON pointer of the user's stable id in the upstream's answer");
        }
        List<String> required = n.has("required") ? n.strings("required") : defaults.required();
        for (String r : required) {
            if (r.isBlank()) {
                n.problem("required", "entries must be member names or JSON pointers, not empty");
            }
        }
        return new ClaimMapping(n.optString("subject").orElse(defaults.subject()), n.optString("email").or(defaults::email),
                n.optString("email_verified").or(defaults::emailVerified), n.optString("name").or(defaults::name),
                n.optString("picture").or(defaults::picture), required);
    }

    /** Never null: a missing or unusable subject is an {@link dev.signet.UpstreamException} naming the field. */
    public UpstreamIdentity identity(UpstreamFields f) {
        String sub = f.id(subject);
        for (String r : required) {
            if (f.node(r).isEmpty()) {
                throw f.missing(r);
            }
        }
        Optional<String> mail = email.flatMap(f::optString);
        boolean verified = mail.isPresent() && emailVerified.map(f::flag).orElse(false);
        return new UpstreamIdentity(sub, mail, verified, name.flatMap(f::optString), picture.flatMap(f::optString));
    }
}
