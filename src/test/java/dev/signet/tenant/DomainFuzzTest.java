package dev.signet.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.ConfigException;
import dev.signet.app.Signet;
import dev.signet.config.SignetConfig;
import dev.signet.tenant.Urls.Path;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Jazzer over what an operator writes as a custom domain and what a client sends as Host. In the
 * normal build this runs in regression mode (the seeds under {@code DomainFuzzTestInputs/} plus an
 * empty input) in its own surefire execution and JVM, so Jazzer's instrumentation never touches
 * other tests; {@code JAZZER_FUZZ=1} fuzzes for real. Properties: the loader either accepts a
 * domain or lists a problem (never another exception); an accepted domain's every URL parses and
 * stays on it; a Host header resolves to a domain only when it names that domain's host.
 */
class DomainFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void domainWhenFuzzedThenRejectedOrEveryUrlOnIt(FuzzedDataProvider data) throws Exception {
        String configured = data.consumeString(120);
        String hostHeader = data.consumeRemainingAsString();

        Optional<String> key = Hosts.key(hostHeader);
        key.ifPresent(k -> assertThat(k).matches("[a-z0-9.-]+|\\[[0-9a-f:.]+\\]"));

        SignetConfig config;
        try {
            config = Signet.configLoader(Map.of()).parse("""
                    tenants:
                      - name: default
                        connections: [{id: dev, kind: dev-unsafe}]
                      - name: fuzz
                        issuer: https://fuzz.signet.example
                        custom_domains: [%s]
                        connections: [{id: dev, kind: dev-unsafe}]
                    """.formatted(json(configured)), "fuzz.yaml");
        } catch (ConfigException rejected) {
            assertThat(rejected.problems()).isNotEmpty();
            return;
        }
        Tenants tenants = Tenants.of(config);
        for (Tenant t : tenants.onEveryDomain()) {
            for (Path p : Path.values()) {
                URI u = new URI(t.urls().at(p, "dev", Map.of("q", hostHeader)).toString());
                assertThat(Hosts.canonicalHost(u.getHost())).contains(t.domain().host());
                assertThat(u.getPort()).isEqualTo(t.domain().issuer().getPort());
                assertThat(u.getRawPath()).startsWith(t.domain().pathPrefix() + p.value());
            }
        }
        var resolved = tenants.resolve(new Tenants.Incoming("198.51.100.1", Optional.of(hostHeader), Optional.empty(),
                Optional.empty(), Optional.empty()));
        if (resolved instanceof Tenants.Resolution.Found f) {
            assertThat(key).contains(f.tenant().domain().host());
        } else {
            assertThat(key.flatMap(tenants::byHost)).isEmpty();
        }
    }

    /** A YAML double-quoted scalar (JSON escapes are valid YAML). */
    private static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
