// The per-scenario logic of bench/compare.sh (issue 16): one load generator for Signet, Spring
// Authorization Server and Keycloak, run with the JDK's source launcher and HdrHistogram on the
// class path:
//   java -cp HdrHistogram-2.2.2.jar bench/Compare.java run SERVER DISCOVERY_URL PID OUT.tsv SCENARIOS WARM SECS CONC LOGIN_CONC [METRICS_URL]
//   java bench/Compare.java table OUT.tsv        (the markdown table of everything OUT.tsv holds)
//
// Every scenario is found through the server's discovery document (endpoints) and differs per server
// only in the sign-in page it fills in (SERVERS below). Per scenario:
// 1. closed loop: CONC workers (LOGIN_CONC for logins) on platform threads, each one HTTP/1.1
//    keep-alive connection (a plain socket, class Wire; the login scenario and the workers' sign-ins
//    use the JDK's HttpClient) sending its next request when the last one answered; WARM seconds not measured, then SECS
//    seconds measured: requests per second, and per server CPU-second (utime+stime from
//    /proc/PID/stat of PID and every process below it, sampled before and after);
// 2. open loop at a fixed rate, 70% of that closed-loop maximum, for SECS seconds: request i is due
//    at start + i/rate and its latency is measured from that intended time, not from when a worker
//    got to send it, so a stalled server cannot hide its queue (coordinated omission); HdrHistogram
//    p50/p99/p99.9. With METRICS_URL (Signet's management listener), Signet's own
//    signet_http_request_seconds histogram is read before and after the open-loop run and its
//    p99 (a bucket bound) reported beside the generator's.
// A request counts as done only with the status and body the scenario expects.
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

public class Compare {

    static final String REDIRECT = "http://localhost:9/cb";
    static final String SECRET = "bench-secret-0123456789";

    /** How a server is signed in to and which of its clients and scopes each scenario uses. */
    record Server(String label, String ccClient, String rsClient, String loginScope, String refreshScope, boolean devForm) {}

    static final Map<String, Server> SERVERS = Map.of(
            // Signet: the dev connection's form (no password); bench-rs256 has access_token_signed_response_alg: RS256.
            "signet", new Server("Signet", "bench", "bench-rs256", "openid email", "openid email offline_access", true),
            // Spring AS: form login (bcrypt strength 4), JWT access tokens signed RS256 (its default).
            "spring", new Server("Spring AS", "bench", "bench", "openid email", "openid email", false),
            // Keycloak: its login page (default password hashing), RS256.
            "keycloak", new Server("Keycloak", "bench", "bench", "openid email", "openid email", false));

    /** Scenarios in table order, with their table labels. */
    static final Map<String, String> SCENARIOS = new LinkedHashMap<>();
    static {
        SCENARIOS.put("discovery", "discovery");
        SCENARIOS.put("jwks", "jwks");
        SCENARIOS.put("cc", "client_credentials, server default alg (Signet ES256; Spring AS, Keycloak RS256)");
        SCENARIOS.put("cc-rs256", "client_credentials, RS256");
        SCENARIOS.put("refresh", "refresh");
        SCENARIOS.put("introspect", "introspection (a user's access token, server default alg)");
        SCENARIOS.put("userinfo", "userinfo, server default access token (Signet ES256)");
        SCENARIOS.put("userinfo-rs256", "userinfo, RS256 access token");
        SCENARIOS.put("login", "full login, code + PKCE through the pages");
    }

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "run" -> run(a);
            case "table" -> System.out.print(table(Path.of(a[1])));
            case "ports" -> System.out.println(ports(Integer.parseInt(a[1])));
            default -> throw new IllegalArgumentException("run | table | ports");
        }
    }

    /** N distinct free loopback ports (all held open until each is known, so no two are the same). */
    static String ports(int n) throws IOException {
        List<java.net.ServerSocket> held = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        try {
            for (int i = 0; i < n; i++) {
                var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                b.append(i == 0 ? "" : " ").append(s.getLocalPort());
            }
        } finally {
            for (var s : held) {
                s.close();
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ run

    static void run(String[] a) throws Exception {
        String key = a[1];
        Server server = SERVERS.get(key);
        URI discovery = URI.create(a[2]);
        long pid = Long.parseLong(a[3]);
        Path out = Path.of(a[4]);
        String[] scenarios = a[5].split(",");
        int warm = Integer.parseInt(a[6]);
        int secs = Integer.parseInt(a[7]);
        int conc = Integer.parseInt(a[8]);
        int loginConc = Integer.parseInt(a[9]);
        String metrics = a.length > 10 && !a[10].isEmpty() && System.getenv().getOrDefault("NO_SCRAPE", "").isEmpty() ? a[10] : null;
        HttpClient probe = client();
        String doc = probe.send(HttpRequest.newBuilder(discovery).build(), HttpResponse.BodyHandlers.ofString()).body();
        if (metrics != null) {
            // one scrape before any scenario, as a Prometheus server does from a node's first minute: the first
            // scrape's class loading and compilations are not inside the first scenario's open loop
            serverHistogram(probe, metrics);
        }
        Endpoints ep = new Endpoints(discovery, URI.create(field(doc, "jwks_uri")), URI.create(field(doc, "token_endpoint")),
                URI.create(field(doc, "authorization_endpoint")), optional(doc, "userinfo_endpoint"), optional(doc, "introspection_endpoint"));
        for (String scenario : scenarios) {
            if ((scenario.equals("introspect") && ep.introspect() == null) || (scenario.startsWith("userinfo") && ep.userinfo() == null)) {
                record(out, key, scenario, Map.of("missing", "no endpoint in discovery"));
                System.out.printf("%-10s %-15s not offered by this server%n", server.label(), scenario);
                continue;
            }
            Op op = op(scenario, server, ep);
            int c = scenario.equals("login") ? loginConc : conc;
            Map<String, String> row = new LinkedHashMap<>();
            try {
                op.check(client());
            } catch (Exception e) {
                record(out, key, scenario, Map.of("missing", "fails", "first_error", String.valueOf(e.getMessage())));
                System.out.printf("%-10s %-15s FAILED its first request: %s%n", server.label(), scenario, e.getMessage());
                continue;
            }
            Closed max;
            try {
                closedLoop(op, c, warm, pid); // warm-up, not measured
                max = closedLoop(op, c, secs, pid);
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                record(out, key, scenario, Map.of("missing", "fails", "first_error", String.valueOf(cause)));
                System.out.printf("%-10s %-15s FAILED: %s%n", server.label(), scenario, cause);
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IllegalStateException("the server process is gone");
                }
                continue;
            }
            row.put("conc", Integer.toString(c));
            row.put("rps", fmt(max.rps()));
            row.put("cpu_s", fmt(max.cpu()));
            row.put("per_cpu_s", fmt(max.ok() / max.cpu()));
            row.put("generator_cpu_s", fmt(max.generatorCpu()));
            row.put("failed", Long.toString(max.failed()));
            double rate = Math.max(1, Double.parseDouble(System.getenv().getOrDefault("OPEN_FRACTION", "0.7")) * max.rps());
            Map<Double, Double> before = null;
            Open open;
            try {
                List<Worker> ws = workers(op, c);
                // the server's histogram is read when the measured part of the open loop starts (after its warm-up)
                var atStart = new java.util.concurrent.atomic.AtomicReference<Map<Double, Double>>();
                java.util.concurrent.Callable<?> atMeasureStart =
                        () -> metrics == null ? null : atStart.getAndSet(serverHistogram(probe, metrics));
                // OPEN_LOOP=event: the event loop (class EventLoop) for every scenario but logins, which go
                // through HttpClient (pages, cookies); by default one thread per connection, as in the runs before
                open = scenario.equals("login") || !"event".equals(System.getenv("OPEN_LOOP"))
                        ? openLoop(ws, rate, openWarm(warm), secs, atMeasureStart)
                        : EventLoop.run(ws, rate, openWarm(warm), secs, atMeasureStart);
                before = atStart.get();
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                row.put("first_error", String.valueOf(cause));
                record(out, key, scenario, row);
                System.out.printf("%-10s %-15s open loop FAILED: %s%n", server.label(), scenario, cause);
                continue;
            }
            Map<Double, Double> after = metrics == null ? null : serverHistogram(probe, metrics);
            Histogram h = open.histogram();
            row.put("rate", fmt(rate));
            row.put("open_sent", Long.toString(h.getTotalCount()));
            row.put("open_failed", Long.toString(open.failed()));
            row.put("p50_ms", ms(h.getValueAtPercentile(50)));
            row.put("p99_ms", ms(h.getValueAtPercentile(99)));
            row.put("p999_ms", ms(h.getValueAtPercentile(99.9)));
            row.put("max_ms", ms(h.getMaxValue()));
            if (before != null) {
                row.put("server_p99_ms", serverP99(before, after));
            }
            String error = FIRST_ERROR.getAndSet(null);
            if (error != null) {
                row.put("first_error", error);
                System.out.printf("%-10s %-15s first error: %s%n", server.label(), scenario, error);
            }
            record(out, key, scenario, row);
            System.out.printf(Locale.ROOT, "%-10s %-15s c%-3d %9s/s  %8s per server CPU-s  (server %s CPU-s, generator %s; %s failed) | open loop %s/s: p50 %s ms p99 %s ms%s (%s failed)%n",
                    server.label(), scenario, c, row.get("rps"), row.get("per_cpu_s"), row.get("cpu_s"), row.get("generator_cpu_s"), row.get("failed"), row.get("rate"), row.get("p50_ms"),
                    row.get("p99_ms"), before == null ? "" : ", server's own p99 ≤ " + row.get("server_p99_ms") + " ms", row.get("open_failed"));
        }
    }

    record Endpoints(URI discovery, URI jwks, URI token, URI authorize, URI userinfo, URI introspect) {}

    /** One scenario: per-worker state (a token to use, a refresh token to rotate) and its request. */
    interface Op {
        Worker worker(HttpClient c) throws Exception;

        default void check(HttpClient c) throws Exception {
            if (!worker(c).call()) {
                throw new IllegalStateException("unexpected answer");
            }
        }
    }

    interface Worker {
        boolean call() throws Exception;
    }

    static Op op(String scenario, Server s, Endpoints ep) {
        // Measured requests go over a Wire (one raw HTTP/1.1 keep-alive socket per worker); sign-ins for
        // the workers' tokens and the login scenario use the JDK's HttpClient (redirects, cookies).
        return switch (scenario) {
            case "discovery" -> c -> {
                Wire w = new Wire(ep.discovery());
                return () -> ok(w.send("GET", ep.discovery(), null, null), "\"issuer\"");
            };
            case "jwks" -> c -> {
                Wire w = new Wire(ep.jwks());
                return () -> ok(w.send("GET", ep.jwks(), null, null), "\"keys\"");
            };
            case "cc", "cc-rs256" -> c -> {
                Wire w = new Wire(ep.token());
                String basic = basic(scenario.equals("cc") ? s.ccClient() : s.rsClient());
                return () -> ok(w.send("POST", ep.token(), basic, "grant_type=client_credentials"), "\"access_token\"");
            };
            case "introspect" -> c -> {
                // A user's access token from a sign-in: Keycloak 26 answers active:false for client_credentials
                // tokens (no user session), and a resource server introspects users' tokens.
                String token = field(signIn(c, s, ep, s.ccClient(), s.loginScope()), "access_token");
                Wire w = new Wire(ep.introspect());
                String basic = basic(s.ccClient()), form = "token=" + enc(token);
                return () -> {
                    Res r = w.send("POST", ep.introspect(), basic, form);
                    return ok(r, "\"active\"") && (ACTIVE.matcher(r.body()).find() || unexpected(r));
                };
            };
            case "userinfo", "userinfo-rs256" -> c -> {
                String client = scenario.equals("userinfo") ? s.ccClient() : s.rsClient();
                String bearer = "Bearer " + field(signIn(c, s, ep, client, s.loginScope()), "access_token");
                Wire w = new Wire(ep.userinfo());
                return () -> ok(w.send("GET", ep.userinfo(), bearer, null), "\"sub\"");
            };
            case "refresh" -> c -> {
                String[] refresh = {field(signIn(c, s, ep, s.ccClient(), s.refreshScope()), "refresh_token")};
                Wire w = new Wire(ep.token());
                String basic = basic(s.ccClient());
                return () -> {
                    Res r = w.send("POST", ep.token(), basic, "grant_type=refresh_token&refresh_token=" + enc(refresh[0]));
                    if (r.status() != 200) {
                        return unexpected(r);
                    }
                    Matcher m = REFRESH_TOKEN.matcher(r.body());
                    if (m.find()) {
                        refresh[0] = m.group(1); // rotated, or the same one kept
                    }
                    return true;
                };
            };
            case "login" -> c -> () -> signIn(c, s, ep, s.ccClient(), s.loginScope()).contains("\"id_token\"");
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern ACTIVE = Pattern.compile("\"active\"\\s*:\\s*true");

    // ------------------------------------------------------------------ load

    record Closed(long ok, long failed, double rps, double cpu, double generatorCpu) {}

    static Closed closedLoop(Op op, int conc, int seconds, long pid) throws Exception {
        AtomicLong ok = new AtomicLong(), failed = new AtomicLong();
        List<Worker> workers = workers(op, conc);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        double cpu0 = cpu(pid);
        long gen0 = generatorCpuNanos();
        long t0 = System.nanoTime();
        try (var pool = generatorThreads()) {
            for (Worker w : workers) {
                pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        try {
                            (w.call() ? ok : failed).incrementAndGet();
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            firstError(e);
                        }
                    }
                    return null;
                });
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = cpu(pid) - cpu0;
        double gen = (generatorCpuNanos() - gen0) / 1e9;
        Wire.closeAll();
        return new Closed(ok.get(), failed.get(), ok.get() / wall, cpu, gen);
    }

    /**
     * The workers run on platform threads: a blocking socket read is one system call there, where a
     * virtual thread parks and is woken through the JDK's poller (more generator CPU on the shared cores).
     */
    static java.util.concurrent.ExecutorService generatorThreads() {
        return Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("generator-", 0).factory());
    }

    /** This generator's own CPU time (it shares the cores with the server). */
    static long generatorCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static final java.util.concurrent.atomic.AtomicReference<String> FIRST_ERROR = new java.util.concurrent.atomic.AtomicReference<>();

    static void firstError(Exception e) {
        FIRST_ERROR.compareAndSet(null, e.toString());
    }

    static java.util.concurrent.atomic.AtomicIntegerArray TRACE;

    /** OPEN_TRACE=1: which 10 ms slots of intended send time had requests later than 25 ms. */
    static void printTrace(long startEpochMs) {
        if (TRACE != null) {
            StringBuilder b = new StringBuilder("open-loop late (>25 ms) requests per 10 ms slot, start epoch ms " + startEpochMs + ":");
            for (int i = 1; i < TRACE.length(); i++) { // slot 0: the warm-up's
                if (TRACE.get(i) > 0) {
                    b.append(' ').append((i - 1) * 10).append("ms:").append(TRACE.get(i));
                }
            }
            System.out.println(b);
        }
    }

    /**
     * Seconds the open loop runs at its rate before it records (like wrk2's calibration period): the
     * scenario's warm-up, at least 3 s and at most 10 s. Its connections are new, the generator's
     * event-loop code is cold in the first scenario of a run (until C2 compiles it, the loop falls
     * behind), and a schedule that starts at full rate behind a first stall would put the time the
     * server needs to catch up (at 30% spare capacity, ~2.3x the stall) into the tail.
     */
    static int openWarm(int warm) {
        return Math.max(3, Math.min(10, warm));
    }

    record Open(Histogram histogram, long failed) {}

    /** Fixed-rate schedule; latency from each request's intended send time (corrects coordinated omission). */
    static Open openLoop(List<Worker> workers, double rate, int warmSeconds, int seconds,
            java.util.concurrent.Callable<?> atMeasureStart) throws Exception {
        AtomicLong next = new AtomicLong(), failed = new AtomicLong();
        double period = 1e9 / rate;
        long total = (long) (rate * (warmSeconds + seconds));
        List<Histogram> hs = new ArrayList<>();
        long first = System.nanoTime() + 50_000_000L;
        long start = first + warmSeconds * 1_000_000_000L; // requests due before this are sent, not recorded
        long startEpochMs = System.currentTimeMillis() + 50 + warmSeconds * 1000L;
        TRACE = System.getenv("OPEN_TRACE") == null ? null : new java.util.concurrent.atomic.AtomicIntegerArray(seconds * 100 + 100);
        try (var pool = generatorThreads()) {
            for (Worker w : workers) {
                Histogram h = new Histogram(Duration.ofMinutes(5).toNanos() / 1000, 3); // microseconds
                Histogram[] recorders = {h, new Histogram(Duration.ofMinutes(5).toNanos() / 1000, 3)};
                hs.add(h);
                pool.submit(() -> {
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        long due = first + (long) (i * period);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        boolean done;
                        try {
                            done = w.call();
                        } catch (Exception e) {
                            done = false;
                            firstError(e);
                        }
                        long us = Math.max(0, (System.nanoTime() - due) / 1000);
                        // The warm-up records too, into a histogram dropped at its end, and nothing here branches
                        // on which of the two a request is in: C2 compiles a branch never taken in the warm-up as
                        // a trap, and at the start every thread fell back to the interpreter at once (a 0.2-0.5 s
                        // episode of late requests, most of a run's p99). idx is 1 in the warm-up, 0 after it.
                        int idx = (int) ((due - start) >>> 63);
                        recorders[idx].recordValue(us);
                        if (!done) {
                            failed.addAndGet(1 - idx);
                        }
                        if (TRACE != null && us > 25_000) { // slot 0: the warm-up (not printed)
                            TRACE.incrementAndGet((int) Math.min(TRACE.length() - 1, (1 - idx) * (1 + (due - start) / 10_000_000L)));
                        }
                    }
                    return null;
                });
            }
            long wait;
            while ((wait = start - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            atMeasureStart.call();
        }
        Histogram all = new Histogram(Duration.ofMinutes(5).toNanos() / 1000, 3);
        hs.forEach(all::add);
        printTrace(startEpochMs);
        Wire.closeAll();
        return new Open(all, failed.get());
    }

    /** Each worker's state (tokens from a sign-in, …) is made before any measurement starts. */
    static List<Worker> workers(Op op, int conc) throws Exception {
        List<Worker> ws = new ArrayList<>();
        var setup = new java.util.concurrent.Semaphore(8); // sign-ins for tokens: not 64 at once on a loaded machine
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Worker>> fs = new ArrayList<>();
            for (int i = 0; i < conc; i++) {
                fs.add(pool.submit(() -> {
                    setup.acquire();
                    try {
                        for (int attempt = 1; ; attempt++) {
                            try {
                                return op.worker(client());
                            } catch (Exception e) {
                                if (attempt == 3) {
                                    throw e;
                                }
                                firstError(e); // a server that fails a sign-in now and then (reported), not a broken scenario
                            }
                        }
                    } finally {
                        setup.release();
                    }
                }));
            }
            for (var f : fs) {
                ws.add(f.get());
            }
        }
        return ws;
    }

    /** utime+stime in seconds of PID and of every live process below it (+ the children it has waited for). */
    static double cpu(long root) throws IOException {
        Map<Long, long[]> procs = new HashMap<>(); // pid -> {ppid, ticks}
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String n = d.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    if (Long.parseLong(n) == root) {
                        ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    }
                    procs.put(Long.parseLong(n), new long[] {Long.parseLong(f[1]), ticks});
                } catch (IOException | RuntimeException gone) {
                    // exited while listing
                }
            }
        }
        if (!procs.containsKey(root)) {
            throw new IllegalStateException("server process " + root + " is gone");
        }
        long sum = 0;
        for (var e : procs.entrySet()) {
            long p = e.getKey();
            for (int depth = 0; depth < 20 && p > 1; depth++) {
                if (p == root) {
                    sum += e.getValue()[1];
                    break;
                }
                long[] up = procs.get(p);
                if (up == null) {
                    break;
                }
                p = up[0];
            }
        }
        return sum / 100.0;
    }

    // ------------------------------------------------------------------ Signet's own histogram

    static final Pattern BUCKET = Pattern.compile("^signet_http_request_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*\\} ([0-9.eE+]+)", Pattern.MULTILINE);

    /** Cumulative bucket counts summed over every route: upper bound in seconds → count. */
    static Map<Double, Double> serverHistogram(HttpClient c, String url) throws Exception {
        String text = c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<Double, Double> buckets = new TreeMap<>();
        Matcher m = BUCKET.matcher(text);
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
        }
        return buckets;
    }

    static String serverP99(Map<Double, Double> before, Map<Double, Double> after) {
        if (after.isEmpty()) {
            return "n/a";
        }
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            return "n/a";
        }
        for (var e : after.entrySet()) {
            double n = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            if (n >= 0.99 * total) {
                return e.getKey().isInfinite() ? "inf" : String.format(Locale.ROOT, "%.2f", e.getKey() * 1000);
            }
        }
        return "n/a";
    }

    // ------------------------------------------------------------------ sign-in through the pages

    static final Pattern SIGNIN_LINK = Pattern.compile("href=\"([^\"]*/signin/dev[^\"]*)\"");
    static final Pattern FORM = Pattern.compile("<form[^>]*\\baction=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    static final Pattern ATTR = Pattern.compile("([a-zA-Z_:-]+)=\"([^\"]*)\"");

    /**
     * The browser journey with a fresh cookie jar (code + PKCE S256), then the code exchange at the
     * token endpoint with the client's Basic credentials; the token response's body.
     */
    static String signIn(HttpClient c, Server s, Endpoints ep, String client, String scope) throws Exception {
        Map<String, String> jar = new HashMap<>();
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String sep = ep.authorize().getRawQuery() == null ? "?" : "&";
        URI next = URI.create(ep.authorize() + sep + "response_type=code&client_id=" + enc(client) + "&redirect_uri=" + enc(REDIRECT)
                + "&scope=" + enc(scope) + "&state=s" + ThreadLocalRandom.current().nextInt(1 << 30) + "&nonce=n&code_challenge=" + challenge
                + "&code_challenge_method=S256");
        HttpResponse<String> r = browse(c, jar, next, null);
        String code = null;
        for (int step = 0; step < 12 && code == null; step++) {
            int st = r.statusCode();
            if (st / 100 == 3) {
                URI loc = r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
                if (loc.toString().startsWith(REDIRECT)) {
                    code = query(loc).get("code");
                } else if (s.devForm() && loc.getPath().contains("/dev-upstream/")) {
                    // Signet's dev connection: the upstream's form, as its page would post it.
                    Map<String, String> q = query(loc);
                    r = browse(c, jar, loc, "state=" + enc(q.get("state")) + "&nonce=" + enc(q.get("nonce")) + "&redirect_uri="
                            + enc(q.get("redirect_uri")) + "&name=Bench&email=" + enc("u" + ThreadLocalRandom.current().nextInt(1000) + "@example.com"));
                } else {
                    r = browse(c, jar, loc, null);
                }
            } else if (st == 200 && s.devForm()) {
                Matcher m = SIGNIN_LINK.matcher(r.body());
                if (!m.find()) {
                    throw new IllegalStateException("no dev sign-in link on " + r.uri());
                }
                r = browse(c, jar, r.uri().resolve(m.group(1).replace("&amp;", "&")), null);
            } else if (st == 200) {
                r = browse(c, jar, r.uri().resolve(unescape(formAction(r))), loginForm(r.body()));
            } else {
                throw new IllegalStateException(st + " from " + r.uri());
            }
        }
        if (code == null) {
            throw new IllegalStateException("no code after the sign-in pages");
        }
        var tok = post(c, ep.token(), client, "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(REDIRECT)
                + "&code_verifier=" + enc(verifier));
        if (tok.statusCode() != 200) {
            throw new IllegalStateException("code exchange: " + tok.statusCode() + " " + tok.headers().firstValue("Location").orElse("") + " "
                    + (tok.body().length() > 200 ? tok.body().substring(0, 200) : tok.body()));
        }
        return tok.body();
    }

    static String formAction(HttpResponse<String> r) {
        Matcher m = FORM.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no form on " + r.uri());
        }
        return m.group(1);
    }

    /** The page's hidden inputs plus the bench user's credentials. */
    static String loginForm(String html) {
        StringBuilder b = new StringBuilder("username=bench&password=bench-password");
        Matcher m = INPUT.matcher(html);
        while (m.find()) {
            Map<String, String> at = new HashMap<>();
            Matcher am = ATTR.matcher(m.group());
            while (am.find()) {
                at.put(am.group(1).toLowerCase(Locale.ROOT), am.group(2));
            }
            if ("hidden".equalsIgnoreCase(at.get("type")) && at.containsKey("name")) {
                b.append('&').append(enc(at.get("name"))).append('=').append(enc(unescape(at.getOrDefault("value", ""))));
            }
        }
        return b.toString();
    }

    /** One browser request: GET, or POST of a form; the jar's cookies sent, Set-Cookie kept (Max-Age=0 deletes). */
    static HttpResponse<String> browse(HttpClient c, Map<String, String> jar, URI u, String form) throws Exception {
        var b = HttpRequest.newBuilder(u).timeout(TIMEOUT).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        if (!jar.isEmpty()) {
            StringBuilder cookie = new StringBuilder();
            jar.forEach((k, v) -> cookie.append(cookie.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", cookie.toString());
        }
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        }
        var r = c.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (String set : r.headers().allValues("Set-Cookie")) {
            String pair = set.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String lower = set.toLowerCase(Locale.ROOT);
            if (lower.contains("max-age=0") || lower.contains("expires=thu, 01-jan-1970") || lower.contains("expires=thu, 01 jan 1970")) {
                jar.remove(pair.substring(0, eq).trim());
            } else {
                jar.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ the measured requests' client

    record Res(String what, int status, String body) {}

    /**
     * OPEN_LOOP=event: the open loop on one or two threads (OPEN_LOOP_THREADS, default 2) that each own half of the
     * workers' connections through a {@link java.nio.channels.Selector}, instead of one parked
     * thread per connection (wrk2's design): on 2 shared cores, 64 generator threads woken at their
     * intended send times were themselves the open loop's tail. A request that is due while all of
     * a loop's connections are busy waits in that loop's backlog (its latency still counts from its
     * due time). Timers are the selector's (1 ms); a request due sooner than that is sent after
     * {@code selectNow} and a park of at most the time left.
     *
     * <p>The scenarios stay as written for the closed loop: a worker runs on the loop with
     * {@link #ON_LOOP} set, its {@link Wire#send} throws {@link Captured} with the request's bytes
     * instead of sending them, and when the answer has arrived the worker runs again and its
     * {@code send} returns that answer (a worker builds the same request from the same state both
     * times, and updates its state, e.g. a rotated refresh token, only the second time).
     */
    static final class EventLoop implements java.util.concurrent.Callable<Void> {
        static final ThreadLocal<Boolean> ON_LOOP = new ThreadLocal<>();

        static final class Captured extends RuntimeException {
            final Wire wire;
            final byte[] request;

            Captured(Wire wire, byte[] request) {
                super(null, null, false, false);
                this.wire = wire;
                this.request = request;
            }
        }

        /** One worker's connection and the request in flight on it. */
        static final class Conn {
            final Worker worker;
            Wire wire;
            java.nio.channels.SocketChannel channel;
            byte[] in = new byte[8192];
            int len;
            long due;
            boolean busy;

            Conn(Worker worker) {
                this.worker = worker;
            }
        }

        final List<Conn> conns = new ArrayList<>();
        final java.util.ArrayDeque<Conn> idle = new java.util.ArrayDeque<>();
        final java.util.ArrayDeque<Long> backlog = new java.util.ArrayDeque<>();
        final Histogram histogram = new Histogram(Duration.ofMinutes(5).toNanos() / 1000, 3);
        /** [0] the recorded histogram, [1] the warm-up's, dropped (see openLoop: no branch on the phase). */
        final Histogram[] recorders = {histogram, new Histogram(Duration.ofMinutes(5).toNanos() / 1000, 3)};
        final long first, start, total, index0, stride;
        final double period;
        final AtomicLong failed;
        java.nio.channels.Selector selector;
        long next;

        EventLoop(long first, long start, double period, long total, long index0, long stride, AtomicLong failed) {
            this.first = first;
            this.start = start;
            this.period = period;
            this.total = total;
            this.index0 = index0;
            this.stride = stride;
            this.failed = failed;
            this.next = index0;
        }

        static Open run(List<Worker> workers, double rate, int warmSeconds, int seconds,
                java.util.concurrent.Callable<?> atMeasureStart) throws Exception {
            int threads = Math.max(1, Math.min(workers.size(), Integer.parseInt(System.getenv().getOrDefault("OPEN_LOOP_THREADS", "2"))));
            AtomicLong failed = new AtomicLong();
            long total = (long) (rate * (warmSeconds + seconds));
            long first = System.nanoTime() + 200_000_000L; // connections are opened before the first is due
            long start = first + warmSeconds * 1_000_000_000L;
            long startEpochMs = System.currentTimeMillis() + 200 + warmSeconds * 1000L;
            TRACE = System.getenv("OPEN_TRACE") == null ? null : new java.util.concurrent.atomic.AtomicIntegerArray(seconds * 100 + 100);
            List<EventLoop> loops = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                loops.add(new EventLoop(first, start, 1e9 / rate, total, t, threads, failed)); // request i goes to loop i % threads
            }
            for (int i = 0; i < workers.size(); i++) {
                loops.get(i % threads).conns.add(new Conn(workers.get(i)));
            }
            try (var pool = generatorThreads()) {
                List<java.util.concurrent.Future<Void>> fs = new ArrayList<>();
                for (EventLoop l : loops) {
                    fs.add(pool.submit(l));
                }
                long wait;
                while ((wait = start - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                atMeasureStart.call();
                for (var f : fs) {
                    f.get();
                }
            }
            Histogram all = new Histogram(Duration.ofMinutes(5).toNanos() / 1000, 3);
            loops.forEach(l -> all.add(l.histogram));
            printTrace(startEpochMs);
            Wire.closeAll();
            return new Open(all, failed.get());
        }

        @Override
        public Void call() throws Exception {
            ON_LOOP.set(Boolean.TRUE);
            selector = java.nio.channels.Selector.open();
            try {
                for (Conn c : conns) {
                    connect(c);
                }
                loop();
            } finally {
                for (Conn c : conns) {
                    if (c.channel != null) {
                        c.channel.close();
                    }
                }
                selector.close();
                ON_LOOP.remove();
            }
            return null;
        }

        long due(long i) {
            return first + (long) (i * period);
        }

        void loop() throws IOException {
            while (true) {
                long now = System.nanoTime();
                for (; next < total && due(next) <= now; next += stride) {
                    backlog.add(due(next));
                }
                while (!backlog.isEmpty() && !idle.isEmpty()) {
                    send(idle.poll(), backlog.poll());
                }
                if (next >= total && backlog.isEmpty() && idle.size() == conns.size()) {
                    return;
                }
                long wait = next < total ? due(next) - System.nanoTime() : 10_000_000L;
                int ready;
                if (wait >= 1_000_000L) {
                    ready = selector.select(wait / 1_000_000L);
                } else {
                    ready = selector.selectNow();
                    if (ready == 0 && wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                if (ready > 0) {
                    var keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        var key = keys.next();
                        keys.remove();
                        readable((Conn) key.attachment());
                    }
                }
            }
        }

        void connect(Conn c) throws IOException {
            if (c.wire == null) {
                // the worker's Wire (host, port) is known once the worker has built its first request
                try {
                    c.worker.call();
                    throw new IllegalStateException("a worker on the event loop sent nothing through its Wire");
                } catch (Captured first) {
                    c.wire = first.wire;
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
            c.channel = java.nio.channels.SocketChannel.open(new java.net.InetSocketAddress(c.wire.host, c.wire.port));
            c.channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            c.channel.configureBlocking(false);
            c.channel.register(selector, java.nio.channels.SelectionKey.OP_READ, c);
            c.len = 0;
            c.busy = false;
            idle.add(c);
        }

        void send(Conn c, long due) throws IOException {
            c.due = due;
            c.busy = true;
            c.wire.replay = null;
            byte[] request;
            try {
                c.worker.call();
                throw new IllegalStateException("a worker on the event loop sent nothing through its Wire");
            } catch (Captured captured) {
                request = captured.request;
            } catch (Exception e) {
                done(c, false, e);
                return;
            }
            var b = java.nio.ByteBuffer.wrap(request);
            while (b.hasRemaining()) {
                if (c.channel.write(b) == 0) {
                    Thread.onSpinWait(); // a full socket buffer (requests are < 2 KB): rare
                }
            }
        }

        void readable(Conn c) throws IOException {
            if (c.len == c.in.length) {
                c.in = java.util.Arrays.copyOf(c.in, c.in.length * 2);
            }
            int n;
            try {
                n = c.channel.read(java.nio.ByteBuffer.wrap(c.in, c.len, c.in.length - c.len));
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) { // the server closed the connection: the request in flight failed, open another
                c.channel.close();
                idle.remove(c);
                boolean wasBusy = c.busy;
                connect(c);
                if (wasBusy) {
                    done(c, false, new java.io.EOFException("connection closed in a response"));
                }
                return;
            }
            c.len += n;
            Res r = parse(c);
            if (r == null || !c.busy) {
                return;
            }
            c.len = 0;
            c.wire.replay = r;
            boolean ok;
            try {
                ok = c.worker.call();
                done(c, ok, null);
            } catch (Exception e) {
                done(c, false, e);
            }
        }

        void done(Conn c, boolean ok, Exception e) throws IOException {
            long us = Math.max(0, (System.nanoTime() - c.due) / 1000);
            c.busy = false;
            if (!idle.contains(c)) {
                idle.add(c);
            }
            if (e != null) {
                firstError(e);
            }
            int idx = (int) ((c.due - start) >>> 63); // 1 in the warm-up, 0 after it
            recorders[idx].recordValue(us);
            if (!ok) {
                failed.addAndGet(1 - idx);
            }
            if (TRACE != null && us > 25_000) { // slot 0: the warm-up (not printed)
                TRACE.incrementAndGet((int) Math.min(TRACE.length() - 1, (1 - idx) * (1 + (c.due - start) / 10_000_000L)));
            }
            if (!backlog.isEmpty()) {
                send(idle.poll(), backlog.poll());
            }
        }

        /** A whole HTTP/1.1 response in c.in[0, c.len) (Content-Length or chunked), or null while it is not complete. */
        static Res parse(Conn c) {
            byte[] b = c.in;
            int end = indexOf(b, 0, c.len, "\r\n\r\n");
            if (end < 0) {
                return null;
            }
            // the head is ASCII: lower-cased once, then the two fields that frame the body are looked up
            String head = new String(b, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            int code = Integer.parseInt(head.substring(9, 12));
            String contentLength = field(head, "content-length");
            long length = contentLength == null ? -1 : Long.parseLong(contentLength);
            String transferEncoding = field(head, "transfer-encoding");
            boolean chunked = transferEncoding != null && transferEncoding.endsWith("chunked");
            int at = end + 4;
            if (!chunked) {
                long l = Math.max(0, length);
                return c.len - at < l ? null : new Res("", code, new String(b, at, (int) l, StandardCharsets.UTF_8));
            }
            var body = new java.io.ByteArrayOutputStream();
            while (true) {
                int eol = indexOf(b, at, c.len, "\r\n");
                if (eol < 0) {
                    return null;
                }
                String size = new String(b, at, eol - at, StandardCharsets.ISO_8859_1);
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                at = eol + 2;
                if (n == 0) {
                    return indexOf(b, at, c.len, "\r\n") < 0 ? null : new Res("", code, body.toString(StandardCharsets.UTF_8)); // no trailers
                }
                if (c.len - at < n + 2) {
                    return null;
                }
                body.write(b, at, n);
                at += n + 2;
            }
        }

        /** The value of header field {@code name} in a lower-cased response head, or null. */
        static String field(String head, String name) {
            int at = head.indexOf("\r\n" + name + ":");
            if (at < 0) {
                return null;
            }
            int from = at + name.length() + 3;
            int eol = head.indexOf('\r', from);
            return head.substring(from, eol < 0 ? head.length() : eol).trim();
        }

        static int indexOf(byte[] b, int from, int to, String what) {
            outer:
            for (int i = from; i <= to - what.length(); i++) {
                for (int k = 0; k < what.length(); k++) {
                    if (b[i + k] != what.charAt(k)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /**
     * One HTTP/1.1 keep-alive connection over a plain blocking socket, for the measured requests: the
     * JDK's HttpClient hands each exchange between its selector thread and the caller's thread and
     * spent more CPU per request than the servers it measured (its run-queue time on the 2 shared cores
     * was most of the open-loop tail). Bodies with Content-Length or chunked transfer coding (RFC 9112
     * §6, §7.1). A GET that finds its kept-alive connection closed is sent once more on a new one; a
     * POST is not (a refresh token must not be redeemed twice by the generator).
     */
    static final class Wire {
        private final String host;
        private final int port;
        private final String hostHeader;
        private java.net.Socket socket;
        private java.io.InputStream in;
        private java.io.OutputStream out;
        private final byte[] buf = new byte[16 * 1024];
        private int pos, lim;
        /** On the event loop: the answer to hand back when the worker runs again (EventLoop). */
        Res replay;

        Wire(URI u) {
            if (!"http".equals(u.getScheme())) {
                throw new IllegalArgumentException("the generator speaks plain http only: " + u);
            }
            host = u.getHost();
            port = u.getPort() == -1 ? 80 : u.getPort();
            hostHeader = u.getPort() == -1 ? host : host + ":" + port;
            OPEN.add(this);
        }

        /** Every Wire made so far (each loop makes its workers' anew): closed when a loop ends. */
        static final List<Wire> OPEN = java.util.Collections.synchronizedList(new ArrayList<>());

        static void closeAll() {
            synchronized (OPEN) {
                OPEN.forEach(Wire::close);
                OPEN.clear();
            }
        }

        Res send(String method, URI u, String authorization, String form) throws IOException {
            if (replay != null && EventLoop.ON_LOOP.get() != null) { // the event loop's answer: no request to build again
                Res r = replay;
                replay = null;
                return new Res(method + " " + u.getRawPath(), r.status(), r.body());
            }
            String target = u.getRawQuery() == null ? u.getRawPath() : u.getRawPath() + "?" + u.getRawQuery();
            StringBuilder b = new StringBuilder(512).append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ")
                    .append(hostHeader).append("\r\nUser-Agent: signet-bench\r\n");
            if (authorization != null) {
                b.append("Authorization: ").append(authorization).append("\r\n");
            }
            byte[] body = form == null ? null : form.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                b.append("Accept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
                        .append(body.length).append("\r\n");
            }
            byte[] head = b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = head;
            if (body != null) {
                request = java.util.Arrays.copyOf(head, head.length + body.length);
                System.arraycopy(body, 0, request, head.length, body.length);
            }
            String what = method + " " + u.getRawPath();
            if (EventLoop.ON_LOOP.get() != null) { // the open loop's event loop does the I/O (class EventLoop)
                throw new EventLoop.Captured(this, request);
            }
            for (int attempt = 1; ; attempt++) {
                boolean reused = socket != null;
                try {
                    if (socket == null) {
                        socket = new java.net.Socket(host, port);
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout((int) TIMEOUT.toMillis());
                        in = socket.getInputStream();
                        out = socket.getOutputStream();
                        pos = lim = 0;
                    }
                    out.write(request);
                    out.flush();
                    return response(what);
                } catch (IOException e) {
                    close();
                    if (!reused || body != null || attempt == 2) {
                        throw e;
                    }
                }
            }
        }

        private Res response(String what) throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1 status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false, closes = status.startsWith("HTTP/1.0");
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim(), value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                } else if (name.equalsIgnoreCase("connection")) {
                    closes = value.equalsIgnoreCase("close");
                }
            }
            var body = new java.io.ByteArrayOutputStream();
            if (chunked) {
                for (int size; (size = Integer.parseInt(chunkSize(line()), 16)) > 0; ) {
                    take(size, body);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailer fields
                }
            } else if (length >= 0) {
                take((int) length, body);
            } else if (code != 204 && code != 304) {
                closes = true; // read to the end of the connection
                for (int n; (n = fill()) > 0; ) {
                    take(n, body);
                }
            }
            if (closes) {
                close();
            }
            return new Res(what, code, body.toString(StandardCharsets.UTF_8));
        }

        private static String chunkSize(String line) {
            int ext = line.indexOf(';');
            return (ext < 0 ? line : line.substring(0, ext)).trim();
        }

        private int fill() throws IOException {
            if (pos < lim) {
                return lim - pos;
            }
            pos = 0;
            lim = Math.max(0, in.read(buf));
            return lim;
        }

        private String line() throws IOException {
            StringBuilder l = new StringBuilder(64);
            while (true) {
                if (fill() == 0) {
                    throw new java.io.EOFException("connection closed in a response");
                }
                byte c = buf[pos++];
                if (c == '\n') {
                    int n = l.length();
                    return n > 0 && l.charAt(n - 1) == '\r' ? l.substring(0, n - 1) : l.toString();
                }
                l.append((char) (c & 0xff));
            }
        }

        private void take(int n, java.io.ByteArrayOutputStream to) throws IOException {
            while (n > 0) {
                if (fill() == 0) {
                    throw new java.io.EOFException("connection closed in a body");
                }
                int k = Math.min(n, lim - pos);
                to.write(buf, pos, k);
                pos += k;
                n -= k;
            }
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    // ------------------------------------------------------------------ HTTP helpers

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static String basic(String client) {
        return "Basic " + Base64.getEncoder().encodeToString((client + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> post(HttpClient c, URI u, String client, String form) throws Exception {
        return c.send(HttpRequest.newBuilder(u).timeout(TIMEOUT).header("Authorization", basic(client)).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** True for a 200 whose body has {@code contains}; else throws with what came (the first error is reported). */
    static boolean ok(Res r, String contains) {
        return (r.status() == 200 && r.body().contains(contains)) || unexpected(r);
    }

    static boolean unexpected(Res r) {
        String b = r.body();
        throw new IllegalStateException(r.what() + ": " + r.status() + " " + (b.length() > 200 ? b.substring(0, 200) + "…" : b));
    }

    static String body(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " from " + r.uri() + ": " + r.body());
        }
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + (json.length() > 300 ? json.substring(0, 300) + "…" : json));
        }
        return m.group(1);
    }

    static URI optional(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        return m.find() ? URI.create(m.group(1)) : null;
    }

    static Map<String, String> query(URI u) {
        Map<String, String> m = new HashMap<>();
        if (u.getRawQuery() == null) {
            return m;
        }
        for (String p : u.getRawQuery().split("&")) {
            String[] kv = p.split("=", 2);
            m.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return m;
    }

    static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&#x3D;", "=").replace("&#61;", "=").replace("&quot;", "\"").replace("&#39;", "'");
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String ms(long micros) {
        return String.format(Locale.ROOT, micros < 10_000 ? "%.2f" : "%.0f", micros / 1000.0);
    }

    /** One line per scenario: server, scenario, then key=value pairs. */
    static void record(Path out, String server, String scenario, Map<String, String> row) throws IOException {
        StringBuilder b = new StringBuilder(server).append('\t').append(scenario);
        row.forEach((k, v) -> b.append('\t').append(k).append('=').append(v.replace('\t', ' ')));
        Files.writeString(out, b.append('\n'), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    // ------------------------------------------------------------------ the table

    /** Reads OUT.tsv (scenario rows from {@link #record}, and "SERVER\tmeta\tkey=value" rows from compare.sh). */
    static String table(Path tsv) throws IOException {
        Map<String, Map<String, Map<String, String>>> rows = new LinkedHashMap<>(); // server -> scenario -> fields
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t");
            if (f.length < 3) {
                continue;
            }
            var fields = rows.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).computeIfAbsent(f[1], k -> new LinkedHashMap<>());
            for (int i = 2; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                fields.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        List<String> servers = new ArrayList<>();
        for (String s : List.of("signet", "spring", "keycloak")) {
            if (rows.containsKey(s)) {
                servers.add(s);
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("| scenario |");
        for (String s : servers) {
            String l = SERVERS.get(s).label();
            b.append(' ').append(l).append(" req/s | ").append(l).append(" per CPU-s | ").append(l).append(" open-loop p50 / p99 ms |");
            if (s.equals("signet")) {
                b.append(" Signet's own p99 ms |");
            }
        }
        b.append(" Signet ÷ Spring AS (per CPU-s) |\n|---|");
        for (String s : servers) {
            b.append(s.equals("signet") ? "---|---|---|---|" : "---|---|---|");
        }
        b.append("---|\n");
        for (var sc : SCENARIOS.entrySet()) {
            boolean any = servers.stream().anyMatch(s -> rows.get(s).containsKey(sc.getKey()));
            if (!any) {
                continue;
            }
            b.append("| ").append(sc.getValue()).append(" |");
            for (String s : servers) {
                Map<String, String> r = rows.get(s).get(sc.getKey());
                String note = "";
                if (r == null && !s.equals("signet") && sc.getKey().endsWith("-rs256")) {
                    // Spring AS and Keycloak sign RS256 by default: their default-alg row is their RS256 row.
                    r = rows.get(s).get(sc.getKey().replace("-rs256", ""));
                    note = r == null ? "" : " (same run)";
                }
                if (r == null) {
                    b.append(s.equals("signet") ? " – | – | – | – |" : " – | – | – |");
                    continue;
                }
                if (r.containsKey("missing")) {
                    b.append(" ").append(r.get("missing")).append(" | – | – |").append(s.equals("signet") ? " – |" : "");
                    continue;
                }
                b.append(' ').append(group(r.get("rps"))).append(note).append(" | ").append(group(r.get("per_cpu_s")))
                        .append(failedNote(r)).append(" | ").append(r.get("p50_ms")).append(" / ").append(r.get("p99_ms")).append(" |");
                if (s.equals("signet")) {
                    b.append(" ≤ ").append(r.getOrDefault("server_p99_ms", "n/a")).append(" |");
                }
            }
            b.append(' ').append(ratio(rows, sc.getKey())).append(" |\n");
        }
        b.append('\n');
        b.append("| server | start-up to first 200 (a new database) | RSS idle, 2 s / 10 s after it | RSS after the runs | load average (1 min) before / after its runs |\n|---|---|---|---|---|\n");
        for (String s : servers) {
            Map<String, String> m = rows.get(s).getOrDefault("meta", Map.of());
            // Signet also restarts on the database its runs left (restart_*): no migration, keys already made
            String restart = m.containsKey("restart_ms") ? " (restart: " + m.get("restart_ms") + " ms)" : "";
            String restartRss = m.containsKey("restart_ms")
                    ? " (restart: " + m.get("restart_rss_idle_mib") + " / " + m.get("restart_rss_settled_mib") + " MiB)" : "";
            b.append("| ").append(SERVERS.get(s).label()).append(" | ").append(m.getOrDefault("startup_ms", "–")).append(" ms").append(restart).append(" | ")
                    .append(m.getOrDefault("rss_idle_mib", "–")).append(" / ").append(m.getOrDefault("rss_settled_mib", "–")).append(" MiB").append(restartRss)
                    .append(" | ").append(m.getOrDefault("rss_after_mib", "–"))
                    .append(" MiB | ").append(m.getOrDefault("load", "")).append(m.containsKey("note") ? " " + m.get("note") : "").append(" |\n");
        }
        StringBuilder errors = new StringBuilder();
        for (String s : servers) {
            rows.get(s).forEach((scenario, r) -> {
                if (r.containsKey("first_error")) {
                    errors.append("- ").append(SERVERS.get(s).label()).append(", ").append(scenario).append(": ").append(r.get("first_error")).append('\n');
                }
            });
        }
        if (!errors.isEmpty()) {
            b.append("\nFirst error seen per scenario: during the warm-up, while signing in for the workers' tokens (retried), or measured"
                    + " (those are the \"failed\" counts beside the figures, and are not in req/s):\n\n").append(errors);
        }
        return b.toString();
    }

    static String failedNote(Map<String, String> r) {
        long failed = Long.parseLong(r.getOrDefault("failed", "0")) + Long.parseLong(r.getOrDefault("open_failed", "0"));
        return failed == 0 ? "" : " (" + failed + " failed)";
    }

    static String ratio(Map<String, Map<String, Map<String, String>>> rows, String scenario) {
        var sig = rows.getOrDefault("signet", Map.of()).get(scenario);
        var spr = rows.getOrDefault("spring", Map.of()).get(scenario);
        if (spr == null && scenario.endsWith("-rs256")) {
            spr = rows.getOrDefault("spring", Map.of()).get(scenario.replace("-rs256", ""));
        }
        if (sig == null || spr == null || !sig.containsKey("per_cpu_s") || !spr.containsKey("per_cpu_s")) {
            return "–";
        }
        double a = Double.parseDouble(sig.get("per_cpu_s")), b = Double.parseDouble(spr.get("per_cpu_s"));
        return b <= 0 ? "–" : String.format(Locale.ROOT, "%.2f×", a / b);
    }

    static String group(String n) {
        try {
            return String.format(Locale.ROOT, "%,d", Long.parseLong(n));
        } catch (NumberFormatException e) {
            return n;
        }
    }
}
