package dev.signet.cli;

import dev.signet.ConfigException;
import dev.signet.app.MemoryBudget;
import dev.signet.app.Signet;
import dev.signet.config.ConfigLoader;
import dev.signet.config.SignetConfig;
import dev.signet.protocol.Discovery;
import dev.signet.tenant.Domain;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Tenants;
import dev.signet.tenant.Urls;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code signet check [--config FILE] [--offline] [--json]}: the preflight before a deploy.
 *
 * <ol>
 *   <li>The configuration is loaded; when invalid, every problem is listed with its path and the
 *       exit status is 2 (nothing live is tried).
 *   <li>Per domain (in-process, through the same URL builder and discovery document the server
 *       uses): discovery served there names that domain as issuer and lists only URLs on it; the
 *       upstream callback URLs are on it.
 *   <li>Unless {@code --offline}: per connection, the live checks of {@link LiveChecks}.
 * </ol>
 *
 * Exit: 0 when nothing is a problem (notes and skips are fine), 1 when something is, 2 invalid
 * configuration, 64 usage (picocli parses the command line, see {@link Main}).
 */
final class CheckCommand {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CheckCommand() {}

    /** {@code file}: the config file, or null for {@code $SIGNET_CONFIG}, else the built-in configuration. */
    static int run(String file, boolean offline, boolean json, Main.Io io) {
        PrintStream out = io.out();
        String source = file == null || file.isBlank() ? "the built-in configuration" : file;
        ConfigLoader loader = Signet.configLoader(io.env(), io.kinds());
        SignetConfig config;
        try {
            config = file == null || file.isBlank() ? loader.loadDefault() : loader.load(java.nio.file.Path.of(file));
            // what serve would refuse on this heap (the launcher runs check with serve's -Xmx)
            MemoryBudget.checked(config, Runtime.getRuntime().maxMemory());
        } catch (ConfigException e) {
            List<CheckResult> rows = e.problems().stream()
                    .map(p -> CheckResult.problem(p.path(), "config", p.message())).toList();
            print(rows, json, source, out);
            return 2;
        }
        List<CheckResult> rows = new ArrayList<>();
        rows.add(CheckResult.ok(source, "config", "valid: " + config.tenants().size() + " tenant(s)"));
        Tenants tenants = Tenants.of(config);
        for (Tenant t : tenants.onEveryDomain()) {
            rows.addAll(domain(t));
        }
        if (offline) {
            rows.add(CheckResult.skipped("connections", "live", "--offline: no upstream was contacted"));
        } else {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            LiveChecks live = new LiveChecks(http, io.kinds());
            for (Tenant t : tenants.onEveryDomain()) {
                if (!t.domain().custom()) { // connections are per tenant; check each once, from its default domain
                    t.settings().connections().forEach(c -> rows.addAll(live.check(t, c)));
                }
            }
        }
        print(rows, json, source, out);
        return rows.stream().anyMatch(r -> r.status() == CheckResult.Status.PROBLEM) ? 1 : 0;
    }

    /** Discovery and callback URLs on {@code t}'s domain, as the server would serve them there. */
    static List<CheckResult> domain(Tenant t) {
        Domain d = t.domain();
        String target = d.issuer().toString();
        List<CheckResult> out = new ArrayList<>();
        Map<String, Object> m = Discovery.metadata(t);
        List<String> off = new ArrayList<>();
        if (!d.issuer().toString().equals(m.get("issuer"))) {
            off.add("issuer=" + m.get("issuer"));
        }
        for (String k : List.of("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")) {
            if (!onDomain(d, String.valueOf(m.get(k)))) {
                off.add(k + "=" + m.get(k));
            }
        }
        if (off.isEmpty()) {
            out.add(CheckResult.ok(target, "discovery", "issuer and endpoints on this domain (tenant " + t.name() + ")"));
        } else {
            out.add(CheckResult.mismatch(target, "discovery", "discovery served here points elsewhere", "URLs under " + target,
                    String.join(", ", off)));
        }
        List<String> callbacks = t.settings().connections().stream()
                .map(c -> t.urls().at(Urls.Path.CALLBACK, c.id()).toString()).filter(u -> !onDomain(d, u)).toList();
        out.add(callbacks.isEmpty() ? CheckResult.ok(target, "callbacks", t.settings().connections().size() + " callback URL(s) on this domain")
                : CheckResult.mismatch(target, "callbacks", "callback URLs off this domain", "under " + target, String.join(", ", callbacks)));
        return out;
    }

    private static boolean onDomain(Domain d, String url) {
        try {
            URI u = new URI(url);
            return d.issuer().getScheme().equals(u.getScheme()) && d.issuer().getRawAuthority().equals(u.getRawAuthority())
                    && u.getRawPath().startsWith(d.pathPrefix() + "/");
        } catch (Exception e) {
            return false;
        }
    }

    private static void print(List<CheckResult> rows, boolean json, String source, PrintStream out) {
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (CheckResult r : rows) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("target", r.target());
                o.put("check", r.check());
                o.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
                o.put("detail", r.detail());
                r.expected().ifPresent(v -> o.put("expected", v));
                r.actual().ifPresent(v -> o.put("actual", v));
                list.add(o);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("config", source);
            doc.put("ok", rows.stream().noneMatch(r -> r.status() == CheckResult.Status.PROBLEM));
            doc.put("results", list);
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            return;
        }
        int w1 = Math.max(6, rows.stream().mapToInt(r -> r.target().length()).max().orElse(0));
        int w2 = Math.max(5, rows.stream().mapToInt(r -> r.check().length()).max().orElse(0));
        String fmt = "%-" + w1 + "s  %-" + w2 + "s  %-7s  %s%n";
        out.printf(fmt, "TARGET", "CHECK", "RESULT", "DETAIL");
        for (CheckResult r : rows) {
            String detail = r.detail() + r.expected().map(e -> "\n" + " ".repeat(w1 + w2 + 13) + "expected: " + e).orElse("")
                    + r.actual().map(a -> "\n" + " ".repeat(w1 + w2 + 13) + "actual:   " + a).orElse("");
            out.printf(fmt, r.target(), r.check(), r.status().label, detail);
        }
        long problems = rows.stream().filter(r -> r.status() == CheckResult.Status.PROBLEM).count();
        out.println(problems == 0 ? "all checks passed" : problems + " problem(s)");
    }
}
