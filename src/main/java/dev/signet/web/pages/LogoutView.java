package dev.signet.web.pages;

import java.util.Map;

/**
 * The sign-out confirmation (RP-Initiated Logout 1.0 §2, a request without a valid
 * {@code id_token_hint}): a form POSTed back to {@code action} with {@code hidden}, {@code confirm}
 * and the session-bound {@code csrf} token. {@code client} is the application's name, or empty.
 */
public record LogoutView(String tenant, String client, String action, Map<String, String> hidden, String csrf, String home, Look look) {
    public LogoutView {
        hidden = Map.copyOf(hidden);
    }
}
