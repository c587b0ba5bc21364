package dev.signet.web.pages;

import java.util.List;
import org.jspecify.annotations.Nullable;

public record HomeView(String tenant, String issuer, String discoveryUrl, List<String> connections, List<String> clients,
        boolean devConnection, @Nullable String demoUrl, Look look) {}
