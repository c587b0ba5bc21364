package dev.signet.hook;

import java.util.Map;

/** The combined answer of the configured hooks. */
public sealed interface HookDecision {

    /** Continue; {@code claims} (possibly empty) are added to the ID token. */
    record Allow(Map<String, Object> claims) implements HookDecision {
        public Allow {
            claims = Map.copyOf(claims);
        }
    }

    /** A hook said no; {@code message} may be shown to the user. */
    record Denied(String hook, String message) implements HookDecision {}

    /** A hook with {@code on_failure: deny} did not answer usably in time. */
    record Failed(String hook, String detail) implements HookDecision {}
}
