package dev.signet.connector;

import dev.signet.config.ConfigNode;
import dev.signet.connector.apple.AppleSettings;
import dev.signet.connector.entra.EntraSettings;
import dev.signet.connector.github.GitHubSettings;
import dev.signet.connector.google.GoogleSettings;
import dev.signet.connector.okta.OktaSettings;
import java.net.URI;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The connector kinds the tests run with: the production registry, except that the presets with
 * fixed public endpoints (google, okta, entra, github, apple) also take {@value #ENDPOINT_BASE},
 * which moves their endpoints to a fake. Only this registry knows the key: production refuses it as
 * unknown. The harness ({@code SignetHarness}) and the command-line tests load and start with it.
 */
public final class TestKinds {

    /** The test-only key: the base URL of a fake that stands in for the preset's provider. */
    public static final String ENDPOINT_BASE = "unsafe_endpoint_base";

    public static final ConnectorKinds REGISTRY = ConnectorKinds.production()
            .withReader("google", atBase(GoogleSettings::read))
            .withReader("okta", atBase(OktaSettings::read))
            .withReader("entra", atBase(EntraSettings::read))
            .withReader("github", atBase(GitHubSettings::read))
            .withReader("apple", atBase(AppleSettings::read));

    private TestKinds() {}

    private static ConnectorKinds.Reader atBase(BiFunction<ConfigNode, Optional<URI>, ? extends dev.signet.config.ConnectionKinds.Options> preset) {
        return (node, server) -> preset.apply(node.without(ENDPOINT_BASE), node.optUri(ENDPOINT_BASE));
    }
}
