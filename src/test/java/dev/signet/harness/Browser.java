package dev.signet.harness;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser stand-in: the JDK HttpClient with a cookie jar and no automatic redirects. */
public final class Browser {

    private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    public HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    public HttpResponse<String> postForm(URI uri, Map<String, String> form) {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    public HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Location of a redirect; fails the test if the response is not a redirect. */
    public static URI location(HttpResponse<String> r) {
        if (r.statusCode() / 100 != 3) {
            throw new AssertionError("expected a redirect, got " + r.statusCode() + ": " + r.body());
        }
        return URI.create(r.headers().firstValue("Location").orElseThrow());
    }

    /** Follows one redirect. */
    public HttpResponse<String> follow(HttpResponse<String> r) {
        return get(location(r));
    }

    /** The first link on a page whose href contains {@code fragment}, HTML-unescaped. */
    public static URI link(String html, String fragment) {
        Matcher m = HREF.matcher(html);
        while (m.find()) {
            String href = m.group(1).replace("&amp;", "&");
            if (href.contains(fragment)) {
                return URI.create(href);
            }
        }
        throw new AssertionError("no link containing '" + fragment + "' in: " + html);
    }

    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(c -> c.getValue()).findFirst();
    }

    public static Map<String, String> query(URI uri) {
        String q = uri.getRawQuery();
        if (q == null) {
            return Map.of();
        }
        return java.util.Arrays.stream(q.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> java.net.URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> p.length > 1 ? java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "", (a, b) -> a));
    }

    public static String form(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
