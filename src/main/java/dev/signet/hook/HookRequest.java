package dev.signet.hook;

import java.util.Optional;

/** What a hook is told about the sign-in: the upstream identity, before any account is touched. */
public record HookRequest(String tenant, String connection, String subject, Optional<String> email, boolean emailVerified,
        Optional<String> name) {}
