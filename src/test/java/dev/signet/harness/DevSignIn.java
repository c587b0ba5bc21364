package dev.signet.harness;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs a user in through Signet's built-in dev upstream ({@code kind: dev-unsafe}), the way a
 * browser would: authorize → sign-in page → {@code /signin/{connection}} → dev upstream form (POST)
 * → {@code /callback/{connection}} → back to the client (through {@code /authorize/resume} when a page
 * such as consent is needed).
 *
 * <p>The browser must not already hold a session that satisfies the request (then authorize answers
 * with the client redirect at once and there is no sign-in page); use a fresh {@link Browser}.
 */
public final class DevSignIn {

    private DevSignIn() {}

    /** Through the connection with id {@code dev}; returns the final redirect to the client. */
    public static URI signIn(Browser b, URI authorizeUrl, String email) {
        return signIn(b, authorizeUrl, "dev", email);
    }

    public static URI signIn(Browser b, URI authorizeUrl, String connection, String email) {
        return Browser.location(resumed(b, authorizeUrl, connection, email));
    }

    /** Up to and including the callback's answer, or {@code /authorize/resume}'s when it sends there: the redirect to the client, or a consent page. */
    public static HttpResponse<String> resumed(Browser b, URI authorizeUrl, String connection, String email) {
        HttpResponse<String> page = b.get(authorizeUrl);
        if (page.statusCode() != 200) {
            throw new AssertionError("expected the sign-in page, got " + page.statusCode() + " "
                    + page.headers().firstValue("Location").orElse("") + ": " + page.body());
        }
        URI upstream = Browser.location(b.get(Browser.link(page.body(), "/signin/" + connection)));
        Map<String, String> q = Browser.query(upstream);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("state", q.get("state"));
        form.put("nonce", q.get("nonce"));
        form.put("redirect_uri", q.get("redirect_uri"));
        form.put("name", email.substring(0, email.indexOf('@')));
        form.put("email", email);
        URI callback = Browser.location(b.postForm(withoutQuery(upstream), form));
        HttpResponse<String> called = b.get(callback);
        URI next = Browser.location(called);
        // the callback answers the client's redirect itself unless a page is needed (consent): then /authorize/resume
        return next.getPath().endsWith("/authorize/resume") ? b.get(next) : called;
    }

    /** A fresh browser signs in; the query of the redirect back to the client (code, state, iss). */
    public static Map<String, String> code(URI authorizeUrl, String email) {
        return Browser.query(signIn(new Browser(), authorizeUrl, email));
    }

    private static URI withoutQuery(URI u) {
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + u.getRawPath());
    }
}
