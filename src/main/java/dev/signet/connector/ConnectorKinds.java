package dev.signet.connector;

import dev.signet.config.ConfigNode;
import dev.signet.config.ConnectionKinds;
import dev.signet.config.ConnectionSettings;
import dev.signet.config.ServerSettings;
import dev.signet.connector.apple.AppleConnector;
import dev.signet.connector.apple.AppleSettings;
import dev.signet.connector.dev.DevConnector;
import dev.signet.connector.dev.DevSettings;
import dev.signet.connector.entra.EntraConnector;
import dev.signet.connector.entra.EntraSettings;
import dev.signet.connector.github.GitHubConnector;
import dev.signet.connector.gitlab.GitLabConnector;
import dev.signet.connector.gitlab.GitLabSettings;
import dev.signet.connector.google.GoogleConnector;
import dev.signet.connector.google.GoogleSettings;
import dev.signet.connector.github.GitHubSettings;
import dev.signet.connector.oauth2.OAuth2Connector;
import dev.signet.connector.oauth2.OAuth2Settings;
import dev.signet.connector.oidc.OidcConnector;
import dev.signet.connector.oidc.OidcSettings;
import dev.signet.connector.okta.OktaConnector;
import dev.signet.connector.okta.OktaSettings;
import dev.signet.tenant.Urls;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of connector kinds: adding a kind is one line in {@link #PRODUCTION} (dex
 * server/connector.go). Each kind reads its own settings while the configuration loads, and opens a
 * {@link Connector} from them. Signet uses {@link #production()} unless the composition root is
 * given another registry ({@code Signet.Options.withKinds}, {@code Signet.configLoader(env, kinds)}):
 * the test harness registers preset variants whose endpoints are a fake's, so no such switch is a
 * configuration key.
 */
public final class ConnectorKinds implements ConnectionKinds {

    /** What a kind needs to open a connector. */
    public record Deps(Urls urls, UpstreamHttp http) {}

    /** Reads a kind's settings from its connection's mapping, reporting problems on the node. */
    public interface Reader {
        ConnectionKinds.Options read(ConfigNode node, ServerSettings server);
    }

    private interface Opener {
        Connector open(ConnectionSettings settings, Deps deps);
    }

    private record Kind(Reader reader, Opener opener) {}

    private static final Map<String, Kind> PRODUCTION = Map.of(
            "oidc", new Kind((n, s) -> OidcSettings.read(n), (c, d) -> OidcConnector.open(c, d.http())),
            "dev-unsafe", new Kind(DevSettings::read, (c, d) -> DevConnector.open(c, d.urls())),
            "github", new Kind((n, s) -> GitHubSettings.read(n), (c, d) -> GitHubConnector.open(c, d.http())),
            "oauth2", new Kind((n, s) -> OAuth2Settings.read(n), (c, d) -> OAuth2Connector.open(c, d.http())),
            "google", new Kind((n, s) -> GoogleSettings.read(n), (c, d) -> GoogleConnector.open(c, d.http())),
            "entra", new Kind((n, s) -> EntraSettings.read(n), (c, d) -> EntraConnector.open(c, d.http())),
            "okta", new Kind((n, s) -> OktaSettings.read(n), (c, d) -> OktaConnector.open(c, d.http())),
            "gitlab", new Kind((n, s) -> GitLabSettings.read(n), (c, d) -> GitLabConnector.open(c, d.http())),
            "apple", new Kind((n, s) -> AppleSettings.read(n), (c, d) -> AppleConnector.open(c, d.http())));

    private static final ConnectorKinds PRODUCTION_KINDS = new ConnectorKinds(PRODUCTION);

    private final Map<String, Kind> kinds;

    private ConnectorKinds(Map<String, Kind> kinds) {
        this.kinds = Map.copyOf(kinds);
    }

    /** The kinds Signet ships. */
    public static ConnectorKinds production() {
        return PRODUCTION_KINDS;
    }

    /**
     * A copy in which kind {@code name} reads its settings with {@code reader} and opens as before:
     * a variant of an existing kind (tests: a preset whose endpoints are a fake's).
     */
    public ConnectorKinds withReader(String name, Reader reader) {
        Kind k = kinds.get(name);
        if (k == null) {
            throw new IllegalArgumentException("no connector kind " + name);
        }
        Map<String, Kind> copy = new HashMap<>(kinds);
        copy.put(name, new Kind(reader, k.opener()));
        return new ConnectorKinds(copy);
    }

    @Override
    public Set<String> names() {
        return kinds.keySet();
    }

    @Override
    public Optional<Options> read(String kind, ConfigNode node, ServerSettings server) {
        Kind k = kinds.get(kind);
        return k == null ? Optional.empty() : Optional.of(k.reader().read(node, server));
    }

    /** Opens the connector of a connection this registry read. */
    public Connector open(ConnectionSettings settings, Deps deps) {
        Kind k = kinds.get(settings.kind());
        if (k == null) {
            throw new IllegalArgumentException("no connector kind " + settings.kind());
        }
        return k.opener().open(settings, deps);
    }
}
