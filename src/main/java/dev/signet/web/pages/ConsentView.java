package dev.signet.web.pages;

import java.util.List;

/**
 * The consent page (OIDC Core §3.1.2.4): {@code client} asks for {@code scopes} (each with what it
 * means); the form POSTs {@code pending}, {@code csrf} and {@code decision} (approve or deny) to {@code action}.
 */
public record ConsentView(String tenant, String client, List<Scope> scopes, String action, String pending, String csrf, Look look) {
    public record Scope(String name, String meaning) {}

    public ConsentView {
        scopes = List.copyOf(scopes);
    }
}
