package dev.signet.probe;

import dev.signet.Ids;
import dev.signet.config.ClientSettings;
import dev.signet.config.SignetConfig;
import dev.signet.config.TenantSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in probe client, added to every tenant like the demo client: confidential
 * ({@code client_secret_basic}), authorization code only, one redirect URI per domain at {@code
 * /probe/callback} (never served: the probe reads the code from the redirect's Location). Its
 * secret is {@code probes.client_secret} when set (needed when several nodes share one store and a
 * probe's token request may reach another node), otherwise random per process; only the hash is kept
 * in the client settings.
 */
public final class ProbeClient {

    public static final String CLIENT_ID = "signet-probe";
    static final String CALLBACK = "/probe/callback";

    private ProbeClient() {}

    /** {@code config} with the probe client added to every tenant (a tenant that already has one keeps its own). */
    public static SignetConfig register(SignetConfig config, String secret) {
        List<TenantSettings> tenants = new ArrayList<>();
        for (TenantSettings t : config.tenants()) {
            if (t.clients().stream().anyMatch(c -> c.id().equals(CLIENT_ID))) {
                tenants.add(t);
                continue;
            }
            List<URI> callbacks = t.domainUrls().stream().map(ProbeClient::redirectUri).toList();
            List<ClientSettings> clients = new ArrayList<>(t.clients());
            clients.add(ClientSettings.builtIn(CLIENT_ID, "Signet probe", callbacks).withSecretHash(Ids.hash(secret))
                    .withTokenTtls(Duration.ofMinutes(1), Duration.ofMinutes(1)));
            tenants.add(t.withClients(clients));
        }
        return config.withTenants(tenants);
    }

    /** {@code {issuer}/probe/callback}, built from typed parts. */
    static URI redirectUri(URI issuer) {
        try {
            return new URI(issuer.getScheme(), null, issuer.getHost(), issuer.getPort(), issuer.getPath() + CALLBACK, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
