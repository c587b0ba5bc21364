package dev.signet.web.pages;

/**
 * A page that sends the browser on to {@code url} (same origin) by itself (meta refresh) or by its
 * link: used where a redirect would still count as a form's submission (see
 * {@code SignInRoutes#signInByEmail}).
 */
public record ContinueView(String connection, String url, Look look) {}
