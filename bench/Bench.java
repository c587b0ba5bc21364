// Load generator for Signet, run with the JDK's source launcher (no dependencies):
//   java bench/Bench.java login|cc|logout|logout-confirm BASE_URL CONCURRENCY SECONDS SERVER_PID
// "login" walks the whole browser journey through the dev connection and exchanges the code
// (6 HTTP requests: authorize, signin, dev-upstream POST, callback, resume, token; 5 since the callback
// answers the application's redirect itself, issue 16);
// "cc" runs client_credentials; "introspect" introspects one client_credentials access token per
// worker (RFC 7662, JWT verify + one read transaction); "revoke" revokes access tokens minted before
// the measurement starts (RFC 7009, JWT verify + one write transaction each); "userinfo" calls /userinfo with
// one user access token per worker (issue 16: JWT verify, or the verified-token cache, + one read transaction);
// "refresh" rotates one refresh token per worker (new access token, refresh token and, unless the client
// has refresh_id_token: false, ID token; one write transaction); "logout" is one end-session request (RP-Initiated Logout) with a
// valid id_token_hint and a registered post_logout_redirect_uri (the hint's session ended by the first
// one: signature check, one store transaction, the 302); "logout-confirm" one end-session request
// without a hint from a signed-in browser (session lookup, the confirmation page); "discovery" and "jwks" GET
// /.well-known/openid-configuration and /jwks on one kept-alive HTTP/1.1 client per worker (as bench/Compare.java
// does: the per-request overhead of every route, with a static document). Reports completed operations per second and per server
// CPU-second (utime+stime of SERVER_PID from /proc, sampled before and after).
import java.net.*;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.regex.*;

public class Bench {
    static final Pattern SIGNIN = Pattern.compile("href=\"([^\"]*/signin/dev[^\"]*)\"");
    // BENCH_CLIENT=id:secret picks another confidential client of the config (bench/hot.sh: an RS256 one)
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            Optional.ofNullable(System.getenv("BENCH_CLIENT")).orElse("bench:bench-secret-0123456789").getBytes());

    public static void main(String[] a) throws Exception {
        String mode = a[0];
        String base = a[1];
        int conc = Integer.parseInt(a[2]);
        int seconds = Integer.parseInt(a[3]);
        long pid = Long.parseLong(a[4]);
        AtomicLong ok = new AtomicLong(), failed = new AtomicLong();
        // revoke: tokens to revoke are minted first, outside the measured CPU time
        ConcurrentLinkedQueue<String> minted = new ConcurrentLinkedQueue<>();
        if (mode.equals("revoke")) {
            HttpClient c = client(null);
            for (int i = 0; i < 1500 * seconds && i < 15000; i++) {
                minted.add(accessToken(c, base));
            }
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String hint = mode.startsWith("logout") ? idToken(base) : "";
        HttpClient signedIn = mode.equals("logout-confirm") ? signedIn(base) : null;
        double cpu0 = cpu(pid);
        long t0 = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < conc; i++) {
                pool.submit(() -> {
                    HttpClient shared = mode.equals("discovery") || mode.equals("jwks") ? http11() : client(null);
                    String own = switch (mode) {
                        case "introspect" -> accessToken(shared, base);
                        case "userinfo" -> field(signIn(client(new CookieManager(null, CookiePolicy.ACCEPT_ALL)), base, "openid email"),
                                "access_token");
                        default -> "";
                    };
                    String[] refresh = {mode.equals("refresh")
                            ? field(signIn(client(new CookieManager(null, CookiePolicy.ACCEPT_ALL)), base, "openid email offline_access"),
                                    "refresh_token") : ""};
                    while (System.nanoTime() < deadline) {
                        try {
                            boolean done = switch (mode) {
                                case "login" -> login(base);
                                case "introspect" -> form(shared, base + "/introspect", "token=" + enc(own)).contains("\"active\":true");
                                case "userinfo" -> shared.send(HttpRequest.newBuilder(URI.create(base + "/userinfo"))
                                        .header("Authorization", "Bearer " + own).GET().build(), HttpResponse.BodyHandlers.ofString())
                                        .statusCode() == 200;
                                case "refresh" -> {
                                    String body = form(shared, base + "/token", "grant_type=refresh_token&refresh_token=" + enc(refresh[0]));
                                    if (body == null) yield false;
                                    refresh[0] = field(body, "refresh_token");
                                    yield true;
                                }
                                case "revoke" -> {
                                    String t = minted.poll();
                                    if (t == null) yield false;
                                    yield form(shared, base + "/revoke", "token=" + enc(t) + "&token_type_hint=access_token") != null;
                                }
                                case "logout" -> logout(shared, base, hint);
                                case "discovery" -> get(shared, base + "/.well-known/openid-configuration").statusCode() == 200;
                                case "jwks" -> get(shared, base + "/jwks").statusCode() == 200;
                                case "logout-confirm" -> get(signedIn, base + "/logout").body().contains("logout-form");
                                default -> cc(shared, base);
                            };
                            if (done) ok.incrementAndGet(); else failed.incrementAndGet();
                            if (mode.equals("revoke") && minted.isEmpty()) break;
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = cpu(pid) - cpu0;
        System.out.printf(Locale.ROOT, "%s: %d ok, %d failed in %.1f s wall = %.0f/s; server CPU %.1f s = %.0f per server CPU-second%n",
                mode, ok.get(), failed.get(), wall, ok.get() / wall, cpu, ok.get() / cpu);
    }

    static HttpClient client(CookieManager cookies) {
        var b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5));
        if (cookies != null) b.cookieHandler(cookies);
        return b.build();
    }

    /** One kept-alive HTTP/1.1 connection (no h2c upgrade offer), like bench/Compare.java's clients. */
    static HttpClient http11() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static boolean cc(HttpClient c, String base) throws Exception {
        var r = c.send(HttpRequest.newBuilder(URI.create(base + "/token")).header("Authorization", BASIC)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200;
    }

    static String accessToken(HttpClient c, String base) throws Exception {
        String body = form(c, base + "/token", "grant_type=client_credentials");
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(body);
        if (!m.find()) throw new IllegalStateException("no access token: " + body);
        return m.group(1);
    }

    /** A form POST with the bench client's Basic credentials; the body of a 200, else null. */
    static String form(HttpClient c, String url, String form) throws Exception {
        var r = c.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", BASIC)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : null;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + name + ": " + json);
        return m.group(1);
    }

    /** One login on a new client (its own connections and cookie jar), closed after it: an unclosed client keeps its
     *  idle connections open for the JDK's keep-alive timeout, thousands in a run (Signet holds at most server.max_connections). */
    static boolean login(String base) throws Exception {
        try (HttpClient c = client(new CookieManager(null, CookiePolicy.ACCEPT_ALL))) {
            return signIn(c, base).contains("id_token");
        }
    }

    static String idToken(String base) throws Exception {
        Matcher m;
        try (HttpClient c = client(new CookieManager(null, CookiePolicy.ACCEPT_ALL))) {
            m = Pattern.compile("\"id_token\":\"([^\"]+)\"").matcher(signIn(c, base));
        }
        if (!m.find()) throw new IllegalStateException("no id_token");
        return m.group(1);
    }

    static HttpClient signedIn(String base) throws Exception {
        HttpClient c = client(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
        signIn(c, base);
        return c;
    }

    static boolean logout(HttpClient c, String base, String hint) throws Exception {
        var r = get(c, base + "/logout?id_token_hint=" + enc(hint) + "&post_logout_redirect_uri=" + enc("http://localhost:9/bye") + "&state=s");
        return r.statusCode() == 302 && r.headers().firstValue("Location").orElse("").equals("http://localhost:9/bye?state=s");
    }

    /** The browser journey and the code exchange; the token response's body. */
    static String signIn(HttpClient c, String base) throws Exception {
        return signIn(c, base, "openid email");
    }

    static String signIn(HttpClient c, String base, String scope) throws Exception {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String authorize = base + "/authorize?response_type=code&client_id=bench&redirect_uri=" + enc("http://localhost:9/cb")
                + "&scope=" + enc(scope) + "&state=s&nonce=n&code_challenge=" + challenge + "&code_challenge_method=S256";
        var page = get(c, authorize);
        Matcher m = SIGNIN.matcher(page.body());
        if (!m.find()) return "";
        URI dev = loc(get(c, m.group(1).replace("&amp;", "&")));
        Map<String, String> q = query(dev);
        String form = "state=" + enc(q.get("state")) + "&nonce=" + enc(q.get("nonce")) + "&redirect_uri=" + enc(q.get("redirect_uri"))
                + "&name=Bench&email=" + enc("u" + ThreadLocalRandom.current().nextInt(1000) + "@example.com");
        var posted = c.send(HttpRequest.newBuilder(dev).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        URI next = loc(get(c, loc(posted).toString()));
        // the callback answers the application's redirect itself when no page is needed (issue 16);
        // a build before that goes through /authorize/resume first
        URI back = next.getPath().endsWith("/authorize/resume") ? loc(get(c, next.toString())) : next;
        String code = query(back).get("code");
        var tok = c.send(HttpRequest.newBuilder(URI.create(base + "/token")).header("Authorization", BASIC)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + enc(code) + "&redirect_uri="
                        + enc("http://localhost:9/cb") + "&code_verifier=" + enc(verifier))).build(), HttpResponse.BodyHandlers.ofString());
        return tok.statusCode() == 200 ? tok.body() : "";
    }

    static HttpResponse<String> get(HttpClient c, String u) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(u)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI loc(HttpResponse<String> r) {
        return URI.create(r.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("no redirect: " + r.statusCode())));
    }

    static Map<String, String> query(URI u) {
        Map<String, String> m = new HashMap<>();
        for (String p : u.getRawQuery().split("&")) {
            String[] kv = p.split("=", 2);
            m.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return m;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** utime + stime of a process in seconds (/proc/PID/stat fields 14 and 15). */
    static double cpu(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }
}
