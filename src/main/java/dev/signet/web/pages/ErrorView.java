package dev.signet.web.pages;

import org.jspecify.annotations.Nullable;

public record ErrorView(String title, String message, String reason, String correlationId, @Nullable String connection,
        @Nullable String retryUrl, Look look) {}
