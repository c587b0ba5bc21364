package dev.signet.hook;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.config.ContainmentSettings.HookSettings;
import dev.signet.config.ContainmentSettings.OnFailure;
import dev.signet.observe.SignetMetrics;
import dev.signet.observe.Tracing;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the configured hooks in order. Each call is bounded by its {@code timeout} (the future is
 * abandoned and cancelled, so even a connect that hangs cannot hold the sign-in longer); a hook
 * that fails is handled by its declared {@code on_failure}. The first denial wins; claims of all
 * allowing hooks are merged (later hooks win), except protocol claims, which a hook cannot set.
 * Every call is counted ({@code signet_hook_calls_total{hook,outcome,decision}}: outcome {@code
 * ok}, {@code denied}, {@code timeout} or {@code error}; decision {@code allowed} or {@code denied},
 * which for a failed call is its {@code on_failure}).
 */
public final class Hooks {

    private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_MESSAGE = 200;
    /** OIDC Core §2 / §3.1.3.6 and Signet's own claims: never from a hook. */
    static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "acr", "amr",
            "azp", "at_hash", "c_hash", "sid", "client_id", "scope", "grant", "email", "email_verified", "name", "picture");

    private final List<HookSettings> hooks;
    private final HttpClient client;
    private final SignetMetrics metrics;

    /** {@code metrics} counts every call by hook, outcome and the decision taken (issue 17). */
    public Hooks(List<HookSettings> hooks, HttpClient client, SignetMetrics metrics) {
        this.hooks = List.copyOf(hooks);
        this.client = client;
        this.metrics = metrics;
    }

    public boolean any() {
        return !hooks.isEmpty();
    }

    public HookDecision check(HookRequest r) {
        Map<String, Object> claims = new HashMap<>();
        for (HookSettings h : hooks) {
            JsonNode answer;
            try {
                answer = call(h, r);
            } catch (HookFailure e) {
                boolean deny = h.onFailure() == OnFailure.DENY;
                metrics.hookCall(h.id(), e.timeout ? "timeout" : "error", deny ? "denied" : "allowed");
                LOG.warn("hook failed", kv("hook", h.id()), kv("outcome", e.timeout ? "timeout" : "error"),
                        kv("on_failure", h.onFailure().name().toLowerCase()), kv("decision", deny ? "denied" : "allowed"),
                        kv("detail", e.getMessage()));
                if (deny) {
                    return new HookDecision.Failed(h.id(), e.getMessage());
                }
                continue;
            }
            boolean allowed = answer.path("allow").asBoolean(false);
            metrics.hookCall(h.id(), allowed ? "ok" : "denied", allowed ? "allowed" : "denied");
            if (!allowed) {
                String m = answer.path("message").isString() ? answer.path("message").asString() : "";
                return new HookDecision.Denied(h.id(), m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) : m);
            }
            JsonNode c = answer.path("claims");
            if (c.isObject()) {
                for (String name : c.propertyNames()) {
                    if (!RESERVED.contains(name)) {
                        claims.put(name, JSON.treeToValue(c.get(name), Object.class));
                    }
                }
            }
        }
        return new HookDecision.Allow(claims);
    }

    private JsonNode call(HookSettings h, HookRequest r) throws HookFailure {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", r.tenant());
        body.put("connection", r.connection());
        body.put("subject", r.subject());
        r.email().ifPresent(e -> body.put("email", e));
        body.put("email_verified", r.emailVerified());
        r.name().ifPresent(n -> body.put("name", n));
        HttpRequest.Builder b = HttpRequest.newBuilder(h.url()).timeout(h.timeout())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        Tracing.traceparent().forEach(b::header); // W3C trace context of the sign-in step calling the hook
        HttpRequest req = b.build();
        CompletableFuture<HttpResponse<String>> f = client.sendAsync(req, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> res;
        try {
            res = f.get(h.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new HookFailure("no answer within " + h.timeout().toMillis() + " ms", true);
        } catch (ExecutionException e) {
            // the request's own timeout (the same bound) may fire first
            throw new HookFailure("call failed: " + e.getCause().getClass().getSimpleName(),
                    e.getCause() instanceof java.net.http.HttpTimeoutException);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new HookFailure("interrupted");
        }
        if (res.statusCode() != 200) {
            throw new HookFailure("answered HTTP " + res.statusCode());
        }
        try {
            JsonNode n = JSON.readTree(res.body());
            if (n == null || !n.isObject() || !n.path("allow").isBoolean()) {
                throw new HookFailure("answer has no boolean 'allow'");
            }
            return n;
        } catch (tools.jackson.core.JacksonException e) {
            throw new HookFailure("answer is not JSON");
        }
    }

    private static final class HookFailure extends Exception {
        final boolean timeout;

        HookFailure(String m) {
            this(m, false);
        }

        HookFailure(String m, boolean timeout) {
            super(m, null, false, false);
            this.timeout = timeout;
        }
    }
}
