package dev.signet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.signet.ConfigException;
import dev.signet.ConfigException.Problem;
import dev.signet.Ids;
import dev.signet.app.Signet;
import dev.signet.connector.TestKinds;
import dev.signet.connector.dev.DevSettings;
import dev.signet.connector.oidc.OidcSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration loader as the CLI uses it (through {@link Signet#configLoader}, so with the
 * real connector kinds): every problem is listed at once with its path, {@code ${VAR}} comes from
 * the environment, secrets never print, and the dev upstream is refused off loopback.
 */
class ConfigLoaderTest {

    static final String LOOPBACK_SERVER = """
            server:
              host: 127.0.0.1
              port: 8080
            """;

    static final String DEV_CONNECTION = """
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    static SignetConfig parse(String yaml) {
        return parse(yaml, Map.of());
    }

    static SignetConfig parse(String yaml, Map<String, String> env) {
        return Signet.configLoader(env).parse(yaml, "test.yaml");
    }

    static ConfigException refused(String yaml) {
        return refused(yaml, Map.of());
    }

    static ConfigException refused(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml, env));
        assertThat(e).as("expected the configuration to be refused").isNotNull();
        return e;
    }

    static List<String> paths(ConfigException e) {
        return e.problems().stream().map(Problem::path).toList();
    }

    static Problem problemAt(ConfigException e, String path) {
        List<Problem> at = e.problems().stream().filter(p -> p.path().equals(path)).toList();
        assertThat(at).as("problems at %s among %s", path, e.problems()).hasSize(1);
        return at.getFirst();
    }

    @Test
    void clockSkewAndManagementHostsWhenGivenThenReadAndWhenOutOfRangeThenProblemsWithPaths() {
        String tenant = "tenants:\n  - name: default\n" + DEV_CONNECTION;
        SignetConfig defaults = parse(LOOPBACK_SERVER + tenant);
        assertThat(defaults.server().clockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.observe().management().hosts()).isEmpty();

        SignetConfig set = parse(LOOPBACK_SERVER + "  clock_skew: 2s\n" + tenant
                + "management:\n  hosts: [Metrics.Internal, \"[fd00::1]\"]\n");
        assertThat(set.server().clockSkew()).isEqualTo(Duration.ofSeconds(2));
        assertThat(set.observe().management().hosts()).containsExactly("metrics.internal", "[fd00::1]");

        ConfigException e = refused(LOOPBACK_SERVER + "  clock_skew: 10m\n" + tenant
                + "management:\n  hosts: [\"http://metrics.internal\", \"evil.example:9464\"]\n");
        assertThat(paths(e)).contains("server.clock_skew", "management.hosts[0]", "management.hosts[1]");
    }

    @Test
    void cryptoProviderWhenUnsetThenAutoWhenJdkThenJdkWhenOtherThenProblemWithPath() {
        String tenant = "tenants:\n  - name: default\n" + DEV_CONNECTION;
        assertThat(parse(LOOPBACK_SERVER + tenant).server().cryptoProvider()).isEqualTo("auto");
        assertThat(parse(LOOPBACK_SERVER + "  crypto_provider: jdk\n" + tenant).server().cryptoProvider()).isEqualTo("jdk");
        ConfigException e = refused(LOOPBACK_SERVER + "  crypto_provider: openssl\n  clock_skew: 10m\n" + tenant);
        assertThat(problemAt(e, "server.crypto_provider").toString()).contains("auto or jdk", "openssl");
        assertThat(paths(e)).contains("server.clock_skew");
    }

    @Test
    void recordWhenGivenThenReadAndWhenMalformedThenEveryProblemWithItsPath() {
        String tenant = "tenants:\n  - name: default\n    connections:\n";
        SignetConfig defaults = parse(LOOPBACK_SERVER + tenant + "      - {id: dev, kind: dev-unsafe}\n");
        ConnectionSettings dev = defaults.tenants().getFirst().connections().getFirst();
        assertThat(dev.record()).isTrue();
        assertThat(dev.recordLimit()).isEqualTo(200);

        SignetConfig set = parse(LOOPBACK_SERVER + tenant + "      - {id: dev, kind: dev-unsafe, record: false, record_limit: 5}\n");
        ConnectionSettings off = set.tenants().getFirst().connections().getFirst();
        assertThat(off.record()).isFalse();
        assertThat(off.recordLimit()).isEqualTo(5);

        ConfigException e = refused(LOOPBACK_SERVER + tenant + "      - {id: dev, kind: dev-unsafe, record: sometimes, record_limit: 0}\n");
        assertThat(paths(e)).contains("tenants[0].connections[0].record", "tenants[0].connections[0].record_limit");
    }

    @Test
    void loadDefaultWhenNoFileGivenThenDefaultTenantWithDemoClientAndDevConnection() {
        SignetConfig config = Signet.configLoader(Map.of()).loadDefault();

        assertThat(config.server().loopbackOnly()).isTrue();
        assertThat(config.tenants()).hasSize(1);
        TenantSettings tenant = config.tenants().getFirst();
        assertThat(tenant.name()).isEqualTo("default");
        assertThat(tenant.issuer()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(tenant.clients()).extracting(ClientSettings::id).containsExactly(ConfigLoader.DEMO_CLIENT_ID);
        ClientSettings demo = tenant.clients().getFirst();
        assertThat(demo.id()).isEqualTo("signet-demo");
        assertThat(demo.isPublic()).isTrue();
        assertThat(demo.redirectUris()).containsExactly(URI.create("http://localhost:8080/demo/callback"));
        assertThat(tenant.connections()).hasSize(1);
        ConnectionSettings dev = tenant.connections().getFirst();
        assertThat(dev.id()).isEqualTo("dev");
        assertThat(dev.kind()).isEqualTo("dev-unsafe");
        assertThat(dev.options()).isEqualTo(new DevSettings(false));
    }

    @Test
    void parseWhenFileHasManyMistakesThenOneExceptionListsEveryProblemWithItsPath() {
        String yaml = LOOPBACK_SERVER + """
                tokens:
                  ttl: 10m
                tenants:
                  - name: default
                    display_name: ${UNSET_VAR}
                    session_ttl: ten minutes
                    clients:
                      - id: web
                        secret: a-long-enough-client-secret
                        redirect_uris: [https://app.example.com/cb]
                        acess_token_ttl: 5m
                      - id: spa
                        redirect_uris:
                          - https://app.example.com/cb#section
                          - http://app.example.com/cb
                      - id: batch
                        secret: another-long-client-secret
                        grant_types: [client_credentials, password]
                      - id: web
                        secret: a-third-long-client-secret
                        redirect_uris: [https://other.example.com/cb]
                    connections:
                      - id: corp
                        kind: saml
                      - id: upstream
                        kind: oidc
                        client_id: signet
                        client_secret: an-upstream-client-secret
                      - id: dev
                        kind: dev-unsafe
                """;
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("tokens", "unknown key");
        expected.put("tenants[0].display_name", "environment variable UNSET_VAR, which is not set");
        expected.put("tenants[0].session_ttl", "must be a positive duration like 90s, 10m, 24h or 30d, got 'ten minutes'");
        expected.put("tenants[0].clients[0].acess_token_ttl", "unknown key");
        expected.put("tenants[0].clients[1].secret", "is required for a confidential client; state 'public: true'");
        expected.put("tenants[0].clients[1].redirect_uris[0]", "without a fragment");
        expected.put("tenants[0].clients[1].redirect_uris[1]", "plain http is allowed only for loopback hosts");
        expected.put("tenants[0].clients[2].grant_types", "unknown grant type 'password'");
        expected.put("tenants[0].clients[3].id", "duplicates client id 'web'");
        expected.put("tenants[0].connections[0].kind", "unknown connection kind 'saml' (known: "); // the list, whichever kind sorts first
        expected.put("tenants[0].connections[1].issuer", "is required");
        expected.put("tenants[0].connections[1].discovery", "is required");

        ConfigException e = refused(yaml);

        assertThat(paths(e)).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((path, message) -> assertThat(problemAt(e, path).message()).contains(message));
        assertThat(e.getMessage()).startsWith(expected.size() + " configuration problem(s):");
        expected.keySet().forEach(path -> assertThat(e.getMessage()).contains("\n  - " + path + ": "));
    }

    @Test
    void parseWhenValuesReferToEnvironmentThenSubstitutedAndSecretsNeverPrinted() {
        String webSecret = "web-secret-0123456789abcdef";
        String corpSecret = "corp-secret-fedcba9876543210";
        String yaml = """
                server:
                  host: 127.0.0.1
                  port: ${PORT}
                tenants:
                  - name: default
                    display_name: "Signet at ${COMPANY}"
                    clients:
                      - id: web
                        secret: ${WEB_SECRET}
                        redirect_uris: ["https://${APP_HOST}/cb"]
                    connections:
                      - id: corp
                        kind: oidc
                        issuer: ${CORP_ISSUER}
                        client_id: signet
                        client_secret: ${CORP_SECRET}
                        discovery: auto
                """;
        Map<String, String> env = Map.of("PORT", "9443", "COMPANY", "Example Corp", "WEB_SECRET", webSecret,
                "APP_HOST", "app.example.com", "CORP_ISSUER", "https://login.example.com", "CORP_SECRET", corpSecret);

        SignetConfig config = parse(yaml, env);

        assertThat(config.server().port()).isEqualTo(9443);
        TenantSettings tenant = config.tenants().getFirst();
        assertThat(tenant.displayName()).isEqualTo("Signet at Example Corp");
        ClientSettings web = tenant.clients().getFirst();
        assertThat(web.secretHash()).contains(Ids.hash(webSecret));
        assertThat(web.redirectUris()).containsExactly(URI.create("https://app.example.com/cb"));
        OidcSettings corp = (OidcSettings) tenant.connections().getFirst().options();
        assertThat(corp.issuer()).isEqualTo(URI.create("https://login.example.com"));
        assertThat(corp.clientSecret().value()).isEqualTo(corpSecret);
        assertThat(corp.clientSecret()).hasToString("Secret[****]");

        for (Object printed : List.of(config, tenant, web, tenant.connections().getFirst(), corp)) {
            assertThat(printed.toString()).doesNotContain(webSecret).doesNotContain(corpSecret);
        }
        assertThat(corp.toString()).contains("****");
    }

    @Test
    void parseWhenSecretIsBadThenProblemNeverQuotesTheSecret() {
        String yaml = LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    clients:
                      - id: web
                        secret: short-secret
                        redirect_uris: [https://app.example.com/cb]
                """ + DEV_CONNECTION;

        ConfigException e = refused(yaml);

        assertThat(paths(e)).containsExactly("tenants[0].clients[0].secret");
        assertThat(e.problems().getFirst().message()).isEqualTo("must be at least 16 characters");
        assertThat(e.getMessage()).doesNotContain("short-secret");
    }

    @Test
    void parseWhenDevUnsafeOnNonLoopbackHostThenRefused() {
        String yaml = """
                server:
                  host: 0.0.0.0
                  public_url: https://id.example.com
                tenants:
                  - name: default
                """ + DEV_CONNECTION;

        ConfigException e = refused(yaml);

        assertThat(paths(e)).containsExactly("tenants[0].connections[0].kind");
        assertThat(e.problems().getFirst().message())
                .contains("dev-unsafe lets anyone sign in as anyone", "'0.0.0.0'", "unsafe_allow_non_loopback: true");
    }

    @Test
    void parseWhenDevUnsafeOnNonLoopbackHostWithUnsafeAllowThenAccepted() {
        String yaml = """
                server:
                  host: 0.0.0.0
                  public_url: https://id.example.com/
                tenants:
                  - name: default
                    connections:
                      - id: dev
                        kind: dev-unsafe
                        unsafe_allow_non_loopback: true
                """;

        SignetConfig config = parse(yaml);

        assertThat(config.server().loopbackOnly()).isFalse();
        assertThat(config.server().publicUrl()).isEqualTo(URI.create("https://id.example.com"));
        assertThat(config.tenants().getFirst().issuer()).isEqualTo(URI.create("https://id.example.com"));
        assertThat(config.tenants().getFirst().connections().getFirst().options()).isEqualTo(new DevSettings(true));
    }

    @Test
    void parseWhenDevUnsafeOnLoopbackHostsThenAccepted() {
        for (String host : List.of("127.0.0.1", "127.1.2.3", "localhost", "::1")) {
            String yaml = "server:\n  host: \"" + host + "\"\ntenants:\n  - name: default\n" + DEV_CONNECTION;

            SignetConfig config = parse(yaml);

            assertThat(config.server().loopbackOnly()).as(host).isTrue();
        }
    }

    @Test
    void parseWhenHostLooksLikeLoopbackButIsANameThenDevUnsafeRefused() {
        // "127.0.0.1.nip.io" resolves to wherever its owner likes; only an IP literal in 127/8 is loopback.
        String yaml = """
                server:
                  host: 127.0.0.1.nip.io
                  public_url: https://id.example.com
                tenants:
                  - name: default
                """ + DEV_CONNECTION;

        ConfigException e = refused(yaml);

        assertThat(paths(e)).containsExactly("tenants[0].connections[0].kind");
    }

    @Test
    void parseWhenHostNotLoopbackAndNoPublicUrlThenPublicUrlRequired() {
        String yaml = """
                server:
                  host: 0.0.0.0
                tenants:
                  - name: default
                    connections:
                      - id: dev
                        kind: dev-unsafe
                        unsafe_allow_non_loopback: true
                """;

        ConfigException e = refused(yaml);

        assertThat(paths(e)).containsExactly("server.public_url");
        assertThat(e.problems().getFirst().message()).contains("is required when host is not a loopback address");
    }

    @Test
    void parseWhenHostLoopbackAndNoPublicUrlThenIssuerIsLocalhostWithPort() {
        SignetConfig config = parse("server:\n  port: 9000\ntenants:\n  - name: default\n" + DEV_CONNECTION);

        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.tenants().getFirst().issuer()).isEqualTo(URI.create("http://localhost:9000"));
    }

    @Test
    void parseWhenRedirectUriIsHttpOnLoopbackThenAccepted() {
        String yaml = LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    clients:
                      - id: cli
                        public: true
                        redirect_uris:
                          - http://127.0.0.1:53682/cb
                          - http://localhost:3000/cb
                          - http://[::1]:8000/cb
                          - https://app.example.com/cb?tenant=a
                          - com.example.app:/oauth2redirect
                """ + DEV_CONNECTION;

        ClientSettings cli = parse(yaml).tenants().getFirst().clients().getFirst();

        assertThat(cli.isPublic()).isTrue();
        assertThat(cli.redirectUris()).hasSize(5);
        assertThat(cli.hasRedirectUri("https://app.example.com/cb?tenant=a")).isTrue();
        assertThat(cli.hasRedirectUri("https://app.example.com/cb")).isFalse();
    }

    @Test
    void parseWhenHttpRedirectHostOnlyStartsLikeLoopbackThenRefused() {
        String yaml = LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    clients:
                      - id: cli
                        public: true
                        redirect_uris:
                          - http://127.0.0.1.nip.io/cb
                          - http://127.attacker.example/cb
                """ + DEV_CONNECTION;

        ConfigException e = refused(yaml);

        assertThat(paths(e)).containsExactly("tenants[0].clients[0].redirect_uris[0]", "tenants[0].clients[0].redirect_uris[1]");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).contains("plain http is allowed only for loopback hosts"));
    }

    /** web_origins: origins only (no path, query, user info), https but on loopback, kept in the form a browser sends. */
    @Test
    void parseWhenWebOriginsThenCanonicalOriginsAndEveryBadOneListed() {
        String good = LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    clients:
                      - id: spa
                        public: true
                        redirect_uris: [https://app.example.com/cb]
                        web_origins: ["HTTPS://App.Example.com:443", "http://localhost:3000", "https://app.example.com:8443/"]
                """ + DEV_CONNECTION;
        assertThat(parse(good).tenants().getFirst().clients().getFirst().webOrigins())
                .containsExactly("https://app.example.com", "http://localhost:3000", "https://app.example.com:8443");

        String bad = LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    clients:
                      - id: spa
                        public: true
                        redirect_uris: [https://app.example.com/cb]
                        web_origins: ["https://app.example.com/cb", "http://app.example.com", "*", "https://u@app.example.com", "https://app.example.com?x"]
                """ + DEV_CONNECTION;
        ConfigException e = refused(bad);
        assertThat(paths(e)).containsExactly("tenants[0].clients[0].web_origins[0]", "tenants[0].clients[0].web_origins[1]",
                "tenants[0].clients[0].web_origins[2]", "tenants[0].clients[0].web_origins[3]", "tenants[0].clients[0].web_origins[4]");
        assertThat(problemAt(e, "tenants[0].clients[0].web_origins[1]").message()).contains("plain http is allowed only for loopback hosts");
    }

    @Test
    void parseWhenDurationsUseUnitsThenParsed() {
        String yaml = LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    session_ttl: 12h
                    clients:
                      - id: web
                        secret: a-long-enough-client-secret
                        redirect_uris: [https://app.example.com/cb]
                        access_token_ttl: 90s
                        refresh_token_ttl: PT36H
                """ + DEV_CONNECTION;

        TenantSettings tenant = parse(yaml).tenants().getFirst();

        assertThat(tenant.sessionTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(tenant.clients().getFirst().accessTokenTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(tenant.clients().getFirst().refreshTokenTtl()).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void parseWhenYamlSyntaxIsBrokenThenOneProblemNamingTheFileAndLine() {
        String yaml = """
                server:
                  host: 127.0.0.1
                tenants:
                  - name: default
                    connections: [ { id: dev, kind: dev-unsafe }
                """;

        ConfigException e = refused(yaml);

        assertThat(e.problems()).hasSize(1);
        Problem p = e.problems().getFirst();
        assertThat(p.path()).isEqualTo("test.yaml");
        assertThat(p.message()).startsWith("is not valid YAML: while parsing a flow sequence").contains("line 5, column 18");
    }

    @Test
    void parseWhenKeyIsRepeatedThenProblemInsteadOfSilentlyKeepingTheLast() {
        String yaml = LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    clients:
                      - id: web
                        secret: a-long-enough-client-secret
                        redirect_uris: [https://app.example.com/cb]
                    clients:
                      - id: other
                        public: true
                        redirect_uris: [https://other.example.com/cb]
                """ + DEV_CONNECTION;

        ConfigException e = refused(yaml);

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().getFirst().toString())
                .isEqualTo("test.yaml: is not valid YAML: Duplicate Object property \"clients\" (line 10, column 12)");
    }

    @Test
    void parseWhenFileIsEmptyOrNotAMappingThenOneProblem() {
        for (String yaml : List.of("", "# only a comment\n", "- a\n- b\n", "just text\n")) {
            ConfigException e = refused(yaml);

            assertThat(e.problems()).as(yaml).hasSize(1);
            assertThat(e.problems().getFirst().path()).isEqualTo("test.yaml");
        }
    }

    @Test
    void parseWhenIssuerHasQueryThenProblemAtIssuer() {
        String yaml = LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    issuer: https://id.example.com/t?x=1
                """ + DEV_CONNECTION;

        ConfigException e = refused(yaml);

        assertThat(paths(e)).containsExactly("tenants[0].issuer");
        assertThat(e.problems().getFirst().message()).contains("must not contain a query");
    }

    /** The endpoint base that points a preset at a fake is test code (connector.TestKinds): production does not know the key. */
    @Test
    void parseWhenAPresetNamesUnsafeEndpointBaseThenUnknownKeyForEveryPreset() {
        StringBuilder yaml = new StringBuilder(LOOPBACK_SERVER + "tenants:\n  - name: default\n    connections:\n");
        List<String> presets = TestKinds.PRESET_KINDS.stream().sorted().toList();
        assertThat(presets).contains("github", "google");
        for (String kind : presets) {
            yaml.append("      - id: ").append(kind).append("\n        kind: ").append(kind)
                    .append("\n        unsafe_endpoint_base: http://127.0.0.1:9\n");
        }

        ConfigException e = refused(yaml.toString());

        for (int i = 0; i < presets.size(); i++) {
            assertThat(problemAt(e, "tenants[0].connections[" + i + "].unsafe_endpoint_base").message()).startsWith("unknown key");
        }
    }

    /** One record and one parser per top-level section: each mapping section refuses a key it does not know, under its own path. */
    @Test
    void parseWhenEverySectionHasAnUnknownKeyThenEachReportedUnderItsSection() {
        StringBuilder yaml = new StringBuilder("tenants:\n  - name: default\n" + DEV_CONNECTION + "hooks: []\n");
        List<String> mappings = ConfigLoader.SECTIONS.stream().filter(s -> !s.equals("tenants") && !s.equals("hooks")).sorted().toList();
        for (String section : mappings) {
            yaml.append(section).append(":\n  bogus_key: 1\n");
        }

        ConfigException e = refused(yaml.toString());

        assertThat(mappings).hasSize(10);
        for (String section : mappings) {
            assertThat(problemAt(e, section + ".bogus_key").message()).as(section).startsWith("unknown key");
        }
        assertThat(e.problems()).hasSize(mappings.size());
    }
}
