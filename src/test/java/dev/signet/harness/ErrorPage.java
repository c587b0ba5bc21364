package dev.signet.harness;

import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Signet's error page (error.jte) shows: reason code, correlation id, provider, retry link. */
public record ErrorPage(int status, String reason, String correlationId, Optional<String> provider, Optional<String> retryUrl,
        String html) {

    private static final Pattern REASON = Pattern.compile("<code id=\"reason\">([^<]*)</code>");
    private static final Pattern CORRELATION = Pattern.compile("<code id=\"correlation-id\">([^<]*)</code>");
    private static final Pattern PROVIDER = Pattern.compile("Provider: <strong>([^<]*)</strong>");
    private static final Pattern RETRY = Pattern.compile("<a class=\"button\" href=\"([^\"]*)\">Try again</a>");

    /** Reads an error page; fails the test if {@code r} is not one (a redirect, JSON, another page). */
    public static ErrorPage of(HttpResponse<String> r) {
        String html = r.body();
        if (r.headers().firstValue("Location").isPresent() || !r.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
            throw new AssertionError("expected an error page, got " + r.statusCode() + " " + r.headers().map() + ": " + html);
        }
        return new ErrorPage(r.statusCode(), group(REASON, html).orElseThrow(() -> new AssertionError("no reason code in: " + html)),
                group(CORRELATION, html).orElseThrow(() -> new AssertionError("no correlation id in: " + html)),
                group(PROVIDER, html).map(ErrorPage::unescape), group(RETRY, html).map(ErrorPage::unescape), html);
    }

    private static Optional<String> group(Pattern p, String html) {
        Matcher m = p.matcher(html);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String unescape(String s) {
        return s.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">");
    }
}
