package dev.signet.cli;

import dev.signet.connector.ConnectorKinds;
import dev.signet.ConfigException;
import dev.signet.app.Signet;
import dev.signet.config.ObserveSettings;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code signet probes [--url URL | --config FILE]}: the running server's probe results, read from
 * its management listener ({@code GET /probes}): {@code --url} as given, else the {@code management}
 * host and port of FILE / {@code $SIGNET_CONFIG}, else {@code http://127.0.0.1:9464}.
 *
 * <p>Exit codes: 0 every probe passes, 1 at least one fails, 69 the server cannot be reached, 64 usage.
 */
final class ProbesCommand {

    private ProbesCommand() {}

    /** {@code url} and {@code file} may be null. */
    static int run(String url, String file, Map<String, String> env, ConnectorKinds kinds, PrintStream out, PrintStream err) {
        URI base = null;
        try {
            if (url != null) {
                base = new URI(url);
            }
            if (base == null) {
                ObserveSettings.Management m = file == null || file.isBlank() ? ObserveSettings.defaults().management()
                        : Signet.configLoader(env, kinds).load(Path.of(file)).observe().management();
                base = new URI("http", null, m.host(), m.port(), null, null, null);
            }
            URI probes = new URI(base.getScheme(), base.getRawAuthority(), "/probes", null, null);
            HttpResponse<String> r;
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
                r = client.send(HttpRequest.newBuilder(probes).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            if (r.statusCode() != 200) {
                err.println("signet probes: " + probes + " answered HTTP " + r.statusCode());
                return 69;
            }
            return print(JsonMapper.builder().build().readTree(r.body()), out);
        } catch (ConfigException e) {
            err.println("signet probes: invalid configuration: " + e.getMessage());
            return 64;
        } catch (URISyntaxException | IllegalArgumentException e) {
            err.println("signet probes: bad URL: " + e.getMessage());
            return 64;
        } catch (java.io.IOException e) {
            err.println("signet probes: cannot reach the management listener at " + base + " (" + e.getClass().getSimpleName()
                    + "); is Signet running, and is management enabled?");
            return 69;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 69;
        }
    }

    private static int print(JsonNode rows, PrintStream out) {
        if (rows.isEmpty()) {
            out.println("no probe results yet (probes run every probes.interval; are they enabled?)");
            return 0;
        }
        boolean failing = false;
        out.printf("%-8s %-12s %-28s %-14s %-10s %-26s %s%n", "STATE", "TENANT", "DOMAIN", "CONNECTION", "STEP", "REASON", "DETAIL");
        for (JsonNode p : rows) {
            boolean ok = p.path("ok").asBoolean(false);
            failing |= !ok;
            out.printf("%-8s %-12s %-28s %-14s %-10s %-26s %s (since %s)%n", ok ? "ok" : "FAILING", p.path("tenant").asString(""),
                    p.path("domain").asString(""), p.path("connection").asString(""), p.path("step").asString(""),
                    p.path("reason").asString(""), p.path("detail").asString(""), p.path("since").asString(""));
            JsonNode d = p.path("last_drift");
            if (d.isObject()) {
                out.printf("%-8s last drift: %s changed from %s to %s; %s (at %s)%n", "", d.path("field").asString(""),
                        d.path("old").asString(""), d.path("new").asString(""), d.path("hint").asString(""), d.path("at").asString(""));
            }
        }
        return failing ? 1 : 0;
    }
}
