package dev.signet.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.app.Signet;
import dev.signet.config.SignetConfig;
import dev.signet.protocol.Discovery;
import dev.signet.tenant.DomainGenerator.Generated;
import dev.signet.tenant.Urls.Path;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests over seeded generated domains (postmortem 002): whatever an operator writes for
 * a custom domain (IDN, punycode, IPv4/IPv6 literal, default or other port, path prefix, trailing
 * slashes, mixed case), every URL Signet builds on it parses and points at exactly that scheme,
 * host, port and prefix; discovery served there lists only URLs there; the Host a browser sends
 * resolves back to it, directly and through a trusted reverse proxy with a prefix. The seed is
 * fixed so a failure reproduces; change it to explore.
 */
class DomainUrlsPropertyTest {

    static final long SEED = 20260711L; // the day of incident 002
    static final List<String> VALUES = List.of("", "a b", "a+b&c=d", "/?#[]@!$'()*,;=%", "é✓", "%2F", "x".repeat(300));

    static Stream<Generated> domains() {
        return new DomainGenerator(SEED, ".example").take(150, true).stream();
    }

    /** Each generated domain as the only custom domain of tenant "gen", behind a trusted proxy range. */
    static SignetConfig configFor(Generated d) {
        String yaml = """
                server:
                  public_url: https://id.signet.example
                  trusted_proxies: [192.0.2.0/24]
                tenants:
                  - name: default
                    connections: [{id: dev, kind: dev-unsafe, unsafe_allow_non_loopback: true}]
                  - name: gen
                    issuer: https://gen.signet.example
                    custom_domains: ["%s"]
                    demo_client: true
                    connections: [{id: corp-1, kind: dev-unsafe, unsafe_allow_non_loopback: true}]
                """.formatted(d.configured());
        return Signet.configLoader(Map.of()).parse(yaml, "generated.yaml");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("domains")
    void urlsWhenBuiltOnGeneratedDomainThenParseAndPointAtIt(Generated d) throws Exception {
        Tenants tenants = Tenants.of(configFor(d));
        Tenant t = tenants.byHost(d.host()).orElseThrow(() -> new AssertionError("no tenant for host " + d.host()));
        assertThat(t.name()).isEqualTo("gen");
        assertThat(t.domain().custom()).isTrue();
        assertThat(t.issuer()).isEqualTo(d.issuer());

        for (Path p : Path.values()) {
            assertOnDomain(d, t.urls().at(p), p.value());
            URI withSegment = t.urls().at(p, "corp-1", query());
            assertOnDomain(d, withSegment, p.value() + "/corp-1");
            assertThat(decode(withSegment)).isEqualTo(query());
        }
        Map<String, Object> metadata = Discovery.metadata(t);
        assertThat(metadata.get("issuer")).isEqualTo(d.issuer());
        for (String k : List.of("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")) {
            assertOnDomain(d, new URI((String) metadata.get(k)), null);
        }
        assertThat(t.client("signet-demo").orElseThrow().redirectUris()).contains(new URI(d.issuer() + "/demo/callback"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("domains")
    void hostWhenSentByBrowserOrTrustedProxyThenResolvesToTheDomain(Generated d) {
        Tenants tenants = Tenants.of(configFor(d));
        String header = d.hostHeader();
        for (String variant : List.of(header, header.toUpperCase(java.util.Locale.ROOT), d.host())) {
            assertThat(found(tenants.resolve(new Tenants.Incoming("198.51.100.7", Optional.of(variant), Optional.empty(),
                    Optional.empty(), Optional.empty())))).as(variant).map(Tenant::issuer).contains(d.issuer());
        }
        // through a trusted reverse proxy that strips the prefix: forwarded host, proto and prefix
        for (String prefix : List.of(d.prefix(), d.prefix() + "/")) {
            var viaProxy = new Tenants.Incoming("192.0.2.10", Optional.of("signet-internal:8080"), Optional.of(header + ", proxy2.internal"),
                    Optional.of(d.scheme()), d.prefix().isEmpty() && prefix.equals("/") ? Optional.empty() : Optional.of(prefix));
            assertThat(found(tenants.resolve(viaProxy))).map(Tenant::issuer).contains(d.issuer());
        }
        String otherScheme = d.scheme().equals("https") ? "http" : "https";
        assertThat(tenants.resolve(new Tenants.Incoming("192.0.2.10", Optional.empty(), Optional.of(header), Optional.of(otherScheme),
                Optional.empty()))).isInstanceOf(Tenants.Resolution.Refused.class);
        // the same forwarded headers from outside the trusted range are not honoured
        assertThat(tenants.resolve(new Tenants.Incoming("198.51.100.7", Optional.of("id.signet.example"), Optional.of(header),
                Optional.empty(), Optional.empty()))).isInstanceOf(Tenants.Resolution.Refused.class);
    }

    private static Optional<Tenant> found(Tenants.Resolution r) {
        return r instanceof Tenants.Resolution.Found f ? Optional.of(f.tenant()) : Optional.empty();
    }

    private static Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i < VALUES.size(); i++) {
            q.put("k" + i + VALUES.get(i), VALUES.get(i));
        }
        return q;
    }

    private static void assertOnDomain(Generated d, URI built, String path) throws Exception {
        URI u = new URI(built.toString()); // parses as a whole, not just as we built it
        assertThat(u.getScheme()).isEqualTo(d.scheme());
        assertThat(u.getRawUserInfo()).isNull();
        assertThat(u.getPort()).isEqualTo(d.port());
        if (d.host().startsWith("[")) {
            assertThat(InetAddress.getByName(u.getHost().substring(1, u.getHost().length() - 1)))
                    .isEqualTo(InetAddress.getByName(d.host().substring(1, d.host().length() - 1)));
        } else {
            assertThat(u.getHost()).isEqualTo(d.host());
        }
        assertThat(u.getRawPath()).startsWith(d.prefix() + "/");
        if (path != null) {
            assertThat(u.getRawPath()).isEqualTo(d.prefix() + path);
        }
        assertThat(u.getRawFragment()).isNull();
    }

    private static Map<String, String> decode(URI u) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : u.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }
}
