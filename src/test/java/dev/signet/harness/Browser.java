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

/**
 * A browser stand-in: the JDK HttpClient with a cookie jar and no automatic redirects. The jar
 * ignores {@code SameSite} and never sends a {@code Secure} cookie over http; {@link #postCrossSite}
 * plays what a current browser (Chromium) does for a top-level POST from another site instead.
 */
public final class Browser {

    private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");
    private static final Pattern FORM = Pattern.compile("<form[^>]*action=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern INPUT = Pattern.compile("<input[^>]*name=\"([^\"]*)\"[^>]*value=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    /** Cookies set with {@code SameSite=None}, by name: the only ones a cross-site POST carries. */
    private final Map<String, String> crossSite = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpClient bare = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    public HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    public HttpResponse<String> postForm(URI uri, Map<String, String> form) {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    /**
     * A top-level form POST from another site's page (an upstream's {@code response_mode=form_post}
     * answer), as Chromium sends it: only cookies set with {@code SameSite=None} come along (those
     * are {@code Secure}, which Chromium sends to {@code http://localhost} too); {@code Lax} and
     * {@code Strict} cookies stay behind. Cookies the response sets go into the jar as usual.
     */
    public HttpResponse<String> postCrossSite(URI uri, Map<String, String> form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (!crossSite.isEmpty()) {
            b.header("Cookie", crossSite.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> r = bare.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            cookies.put(uri, r.headers().map());
            remember(r);
            return r;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void remember(HttpResponse<String> r) {
        for (String c : r.headers().allValues("Set-Cookie")) {
            String[] nv = c.split(";", 2)[0].split("=", 2);
            String lower = c.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("max-age=0") || nv.length < 2 || nv[1].isEmpty()) {
                crossSite.remove(nv[0].strip());
            } else if (lower.contains("samesite=none")) {
                crossSite.put(nv[0].strip(), nv[1].strip());
            }
        }
    }

    /**
     * An upstream's {@code response_mode=form_post} page (OAuth 2.0 Form Post Response Mode §2): the
     * form's action with its hidden fields as the query, HTML-unescaped. Fails the test if the
     * response is not such a page.
     */
    public static URI postedForm(HttpResponse<String> r) {
        Matcher f = FORM.matcher(r.body());
        if (r.statusCode() != 200 || !f.find()) {
            throw new AssertionError("expected an auto-submitting form, got " + r.statusCode() + ": " + r.body());
        }
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        Matcher m = INPUT.matcher(r.body());
        while (m.find()) {
            fields.put(unescape(m.group(1)), unescape(m.group(2)));
        }
        return URI.create(unescape(f.group(1)) + "?" + form(fields));
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    public HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            remember(r);
            return r;
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
