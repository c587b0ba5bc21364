package dev.signet.web.pages;

import java.util.List;

/**
 * The hosted sign-in page. {@code emailAction}: where the "continue with your email" form goes
 * (a POST; empty: no connection lists email domains); {@code unknownDomain}: the domain this browser
 * just posted in that form that no connection serves (empty: none; never taken from a URL). A
 * choice whose {@code unavailable} is not empty is shown as unavailable, with why, and the page
 * offers {@code retryUrl} (this chooser again) next to the other connections.
 */
public record SignInView(String tenant, String client, List<Choice> choices, Look look, String emailAction, String pending,
        String emailHint, String unknownDomain, String retryUrl) {
    public record Choice(String name, String url, String unavailable) {}
}
