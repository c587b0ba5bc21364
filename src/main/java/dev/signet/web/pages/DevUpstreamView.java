package dev.signet.web.pages;

/**
 * The built-in dev upstream's page: its form, or, when {@code finished}, a notice that this sign-in
 * is over ({@code signedIn}: the browser has a Signet session, so it most likely went through).
 */
public record DevUpstreamView(String connection, String action, String state, String nonce, String redirectUri, String email,
        boolean finished, boolean signedIn) {

    public static DevUpstreamView finished(String connection, boolean signedIn) {
        return new DevUpstreamView(connection, "", "", "", "", "", true, signedIn);
    }
}
