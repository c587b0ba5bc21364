package dev.signet.config;

import static dev.signet.harness.ConfigYaml.DEV_TENANT;
import static dev.signet.harness.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.signet.ConfigException;
import dev.signet.ConfigException.Problem;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tenants, domains, branding and trusted proxies in the configuration: every problem at once, with its path. */
class TenantsConfigTest {

    static Map<String, String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("expected the configuration to be refused").isNotNull();
        return e.problems().stream().collect(Collectors.toMap(Problem::path, Problem::message, (a, b) -> a + " | " + b));
    }

    static final String TWO_DEV_TENANT = """
            server:
              public_url: https://id.example.com
              trusted_proxies: [10.0.0.0/8, "::1", 192.168.1.7]
            tenants:
              - name: default
                connections: [{id: dev, kind: dev-unsafe}]
              - name: acme
                issuer: https://acme.example.com/
                custom_domains: ["https://login.ACME.com/", "https://bücher.example/sso/", "https://[::1]:8443"]
                display_name: Acme
                demo_client: true
                branding: {logo_url: "https://cdn.acme.com/logo.svg", primary_color: "#a0b", background_color: "#ffffff"}
                connections: [{id: dev, kind: dev-unsafe, unsafe_allow_non_loopback: true}]
            """;

    @Test
    void loadWhenTwoTenantsWithCustomDomainsThenNormalisedDomainsBrandingAndProxies() {
        SignetConfig c = parse(TWO_DEV_TENANT.replace("connections: [{id: dev, kind: dev-unsafe}]",
                "connections: [{id: dev, kind: dev-unsafe, unsafe_allow_non_loopback: true}]"));
        assertThat(c.tenants()).extracting(TenantSettings::name).containsExactly("default", "acme");
        TenantSettings acme = c.tenants().get(1);
        assertThat(acme.issuer()).isEqualTo(URI.create("https://acme.example.com"));
        assertThat(acme.customDomains()).containsExactly(URI.create("https://login.acme.com"),
                URI.create("https://xn--bcher-kva.example/sso"), URI.create("https://[::1]:8443"));
        assertThat(acme.branding().logoUrl()).contains(URI.create("https://cdn.acme.com/logo.svg"));
        assertThat(acme.branding().primaryColor()).isEqualTo("#a0b");
        assertThat(acme.clients().getFirst().redirectUris()).extracting(URI::toString).contains(
                "https://acme.example.com/demo/callback", "https://login.acme.com/demo/callback",
                "https://xn--bcher-kva.example/sso/demo/callback");
        assertThat(c.server().trustedProxies()).extracting(Cidr::toString).containsExactly("10.0.0.0/8", "::1", "192.168.1.7");
        assertThat(c.tenants().getFirst().customDomains()).isEmpty();
        assertThat(c.tenants().getFirst().branding()).isEqualTo(Branding.DEFAULT);
    }

    @Test
    void loadWhenDomainsClashOrAreInvalidThenEveryProblemListedWithItsPath() {
        Map<String, String> p = problems("""
                server:
                  trusted_proxies: [10.0.0.0/33, proxy.internal]
                tenants:
                  - name: default
                    connections: [{id: dev, kind: dev-unsafe}]
                  - name: Acme_Corp
                    custom_domains: ["http://localhost:8080/x", "https://a.example.com?x=1", "https://a.example.com#f", "ftp://b.example.com"]
                    branding: {primary_color: "red;}body{x", logo_url: "http://cdn.example.com/l.png", font: x}
                    connections: [{id: dev, kind: dev-unsafe}]
                  - name: default
                    issuer: https://a.example.com
                    connections: [{id: dev, kind: dev-unsafe}]
                """);
        assertThat(p).containsKeys("server.trusted_proxies[0]", "server.trusted_proxies[1]", "tenants[1].name", "tenants[1].issuer",
                "tenants[1].custom_domains[0]", "tenants[1].custom_domains[1]", "tenants[1].custom_domains[2]",
                "tenants[1].custom_domains[3]", "tenants[1].branding.primary_color", "tenants[1].branding.logo_url",
                "tenants[1].branding.font", "tenants[2].name");
        assertThat(p.get("tenants[1].custom_domains[0]")).contains("host 'localhost' is already served by tenants[0].issuer");
        assertThat(p.get("tenants[1].issuer")).contains("is required for every tenant but the first");
        assertThat(p.get("tenants[2].name")).contains("duplicates tenant name 'default'");
        assertThat(p.get("tenants[1].branding.primary_color")).contains("hex colour");
    }

    @Test
    void loadWhenSecondTenantReusesFirstHostThenRefused() {
        Map<String, String> p = problems("""
                tenants:
                  - name: default
                    connections: [{id: dev, kind: dev-unsafe}]
                  - name: acme
                    issuer: http://localhost:9090
                    connections: [{id: dev, kind: dev-unsafe}]
                """);
        assertThat(p).containsOnlyKeys("tenants[1].issuer");
        assertThat(List.copyOf(p.values()).getFirst()).contains("each host name serves exactly one domain");
    }
}
