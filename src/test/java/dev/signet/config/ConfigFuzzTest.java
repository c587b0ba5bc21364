package dev.signet.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.ConfigException;
import dev.signet.app.Signet;
import dev.signet.connector.ConnectorKinds;
import dev.signet.connector.UpstreamHttp;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Tenants;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Jazzer over the configuration loader ({@link ConfigLoader#parse}) with arbitrary text and with a
 * realistic file whose every value is replaced by fuzzed scalars or raw YAML fragments. Property:
 * the loader returns a configuration or throws a {@link ConfigException} listing at least one
 * problem (never an NPE, ClassCast, IllegalArgument, Arithmetic…); an accepted configuration
 * builds its tenants and opens every connector without an exception, since that is what start-up
 * and reload do next, and its lifetimes can be added to the clock (sign-in stores them in epoch ms). Regression mode runs the seeds under {@code ConfigFuzzTestInputs/} in the
 * fuzz execution of the build; {@code scripts/fuzz ConfigFuzzTest#METHOD 5m} fuzzes for real.
 */
class ConfigFuzzTest {

    private static final Map<String, String> ENV = Map.of("PORT", "8080", "SECRET", "s3cret-from-env", "EMPTY", "");
    private static final ConfigLoader LOADER = Signet.configLoader(ENV);
    private static final UpstreamHttp HTTP = new UpstreamHttp(HttpClient.newHttpClient(), Clock.systemUTC());

    /** Arbitrary bytes (as UTF-8) as a configuration file; the seeds are readable YAML files. */
    @FuzzTest(maxDuration = "30s")
    void yamlWhenArbitraryThenConfigOrProblems(byte[] yaml) {
        loadAndOpen(new String(yaml, StandardCharsets.UTF_8));
    }

    /**
     * The {@link #TEMPLATE} with each {@code @n@} slot replaced: the fuzzer chooses, per slot, a
     * quoted string (any characters), a raw fragment (numbers, lists, mappings, broken YAML) or the
     * template's own value, so it reaches every section's validation with one odd value at a time.
     */
    @FuzzTest(maxDuration = "30s")
    void templateWhenValuesFuzzedThenConfigOrProblems(FuzzedDataProvider data) {
        Matcher m = SLOT.matcher(TEMPLATE);
        StringBuilder yaml = new StringBuilder();
        while (m.find()) {
            String keep = m.group(2);
            String value = switch (data.remainingBytes() == 0 ? 0 : data.consumeInt(0, 3)) {
                case 1 -> quoted(data.consumeString(60));
                case 2 -> data.consumeString(60).replace('\n', ' ');
                case 3 -> "";
                default -> keep;
            };
            m.appendReplacement(yaml, Matcher.quoteReplacement(value));
        }
        m.appendTail(yaml);
        loadAndOpen(yaml.toString());
    }

    /** The template as written is a valid configuration, so the fuzzer starts from an accepted file. */
    @Test
    void templateWhenUnchangedThenAccepted() {
        assertThat(LOADER.parse(SLOT.matcher(TEMPLATE).replaceAll("$2"), "template.yaml").tenants()).hasSize(2);
    }

    private static void loadAndOpen(String yaml) {
        SignetConfig config;
        try {
            config = LOADER.parse(yaml, "fuzz.yaml");
        } catch (ConfigException rejected) {
            assertThat(rejected.problems()).isNotEmpty();
            return;
        }
        // Sign-in adds these to the clock and stores the result in epoch milliseconds.
        for (TenantSettings t : config.tenants()) {
            Instant.now().plus(t.sessionTtl()).toEpochMilli();
            for (ClientSettings c : t.clients()) {
                Instant.now().plus(c.accessTokenTtl()).plus(c.refreshTokenTtl()).toEpochMilli();
            }
        }
        Tenants tenants = Tenants.of(config);
        for (Tenant t : tenants.onEveryDomain()) {
            for (ConnectionSettings c : t.settings().connections()) {
                assertThat(ConnectorKinds.production().open(c, new ConnectorKinds.Deps(t.urls(), HTTP)).id()).isEqualTo(c.id());
            }
        }
    }

    /** A YAML double-quoted scalar (JSON escapes are valid YAML). */
    static String quoted(String s) {
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

    private static final Pattern SLOT = Pattern.compile("@(\\d+):([^@]*)@");

    /** Every section and connection kind; {@code @n:value@} is a slot with its default value. */
    private static final String TEMPLATE = """
            server:
              host: @0:127.0.0.1@
              port: @1:${PORT}@
              public_url: @2:http://localhost:8080@
              trusted_proxies: [@3:10.0.0.0/8@, @4:"::1"@]
            data:
              dir: @5:./data@
              timeout: @6:5s@
            management:
              enabled: @7:true@
              port: @8:0@
            logging:
              format: @9:json@
              access_log: @10:false@
            tracing:
              otlp_endpoint: @11:http://127.0.0.1:4318/v1/traces@
            probes:
              interval: @12:30s@
              timeout: @13:10s@
              alert_webhook: @14:https://alerts.example.com/x@
              alert_secret: @15:${SECRET}-0123456789@
            sessions:
              outage_cache_ttl: @16:5m@
            events:
              relay:
                poll: @17:1s@
                max_attempts: @18:5@
              webhooks:
                - id: @19:hook@
                  url: @20:https://sink.example.com/hook@
                  secret: @21:hook-secret-0123456789@
            hooks:
              - id: @22:policy@
                url: @23:https://policy.example.com/check@
                timeout: @24:2s@
                on_failure: @25:deny@
            tenants:
              - name: @26:default@
                display_name: @27:Signet@
                session_ttl: @28:24h@
                custom_domains: [@29:https://login.example.com@]
                branding:
                  logo_url: @30:https://example.com/logo.png@
                  primary_color: @31:#336699@
                clients:
                  - id: @32:app@
                    secret: @33:app-secret-0123456789@
                    redirect_uris: [@34:https://app.example.com/cb@]
                    grant_types: [@35:authorization_code@, @36:refresh_token@]
                    id_token_signed_response_alg: @37:ES256@
                    access_token_ttl: @38:5m@
                    refresh_token_ttl: @39:30d@
                  - id: @40:spa@
                    public: @41:true@
                    redirect_uris: [@42:http://127.0.0.1:9/cb@]
                connections:
                  - id: @43:dev@
                    kind: @44:dev-unsafe@
                    email_domains: [@45:example.com@]
                  - id: @46:corp@
                    kind: oidc
                    issuer: @47:https://idp.example.com@
                    discovery: @48:manual@
                    authorization_endpoint: @49:https://idp.example.com/authorize@
                    token_endpoint: @50:https://idp.example.com/token@
                    jwks_uri: @51:https://idp.example.com/jwks@
                    client_id: @52:signet@
                    client_secret: @53:${SECRET}@
                    token_endpoint_auth_method: @54:client_secret_post@
                    iss_parameter_supported: @85:false@
                    claims: {subject: @55:/sub@, email: @56:/mail@, email_verified: @57:email_verified@}
                  - id: gh
                    kind: github
                    client_id: @58:abc@
                    client_secret: @59:def@
                    host: @60:github.example.com@
                    allowed_teams: [@61:acme/platform@]
                  - id: plain
                    kind: oauth2
                    client_id: @62:abc@
                    client_secret: @63:def@
                    authorization_endpoint: @64:https://o.example.com/a@
                    token_endpoint: @65:https://o.example.com/t@
                    userinfo_endpoint: @66:https://o.example.com/u@
                    iss_parameter_supported: @86:false@
                    userinfo_mapping: {subject: @67:/data/id@, email: @68:/data/email@}
                  - id: goog
                    kind: google
                    client_id: @69:abc@
                    client_secret: @70:def@
                    hosted_domains: [@71:example.com@]
                  - id: ms
                    kind: entra
                    client_id: @72:abc@
                    client_secret: @73:def@
                    tenant: @74:organizations@
                    allowed_tenants: [@75:9188040d-6c67-4c5b-b112-36a304b66dad@]
                  - id: ok
                    kind: okta
                    client_id: @76:abc@
                    client_secret: @77:def@
                    domain: @78:acme.okta.com@
                    authorization_server: @79:default@
                  - id: gl
                    kind: gitlab
                    client_id: @80:abc@
                    client_secret: @81:def@
                    base_url: @82:https://gitlab.example.com/@
              - name: @83:second@
                issuer: @84:https://second.example.com/auth@
                connections:
                  - {id: dev, kind: dev-unsafe}
            """;
}
