package dev.signet.connector;

import dev.signet.config.ConfigNode;
import dev.signet.config.ConnectionKinds;
import dev.signet.connector.apple.AppleSettings;
import dev.signet.connector.entra.EntraSettings;
import dev.signet.connector.github.GitHubSettings;
import dev.signet.connector.google.GoogleSettings;
import dev.signet.connector.okta.OktaSettings;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /** Each preset with fixed public endpoints, and how it reads its settings with an endpoint base. One line per kind. */
    private static final Map<String, BiFunction<ConfigNode, Optional<URI>, ? extends ConnectionKinds.Options>> PRESETS = Map.of(
            "google", GoogleSettings::read,
            "okta", OktaSettings::read,
            "entra", EntraSettings::read,
            "github", GitHubSettings::read,
            "apple", AppleSettings::read);

    /** The kinds that take {@value #ENDPOINT_BASE} here (and refuse it in production). */
    public static final Set<String> PRESET_KINDS = PRESETS.keySet();

    public static final ConnectorKinds REGISTRY = registry();

    private TestKinds() {}

    private static ConnectorKinds registry() {
        ConnectorKinds kinds = ConnectorKinds.production();
        for (var preset : PRESETS.entrySet()) {
            kinds = kinds.withReader(preset.getKey(), atBase(preset.getValue()));
        }
        return kinds;
    }

    private static ConnectorKinds.Reader atBase(BiFunction<ConfigNode, Optional<URI>, ? extends ConnectionKinds.Options> preset) {
        return (node, server) -> preset.apply(node.without(ENDPOINT_BASE), node.optUri(ENDPOINT_BASE));
    }
}
