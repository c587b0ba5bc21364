package dev.signet.protocol.logout;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.Ids;
import dev.signet.config.ClientSettings;
import dev.signet.event.Event;
import dev.signet.event.Sink;
import dev.signet.keys.TenantKeys;
import dev.signet.store.StoredEvent;
import dev.signet.tenant.Tenant;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers {@code logout.backchannel} events (written by {@link Logouts}) to the client's
 * {@code backchannel_logout_uri}: a logout token (Back-Channel Logout 1.0 §2.4) POSTed as
 * {@code logout_token=…} (§2.5), by the outbox relay, so with its retries, backoff and dead letter,
 * and never on a request path. A 2xx is success (§2.8 asks for 200; 204 is accepted, as the spec
 * notes frameworks send it); anything else, or no answer within {@link #TIMEOUT}, is retried.
 *
 * <p>The token is minted at each attempt (fresh {@code iat}, {@code exp}, {@code jti}) with the
 * tenant's current keys and the client's {@code id_token_signed_response_alg}; {@code iss} is the
 * issuer the session's tokens were issued under (§2.4: the client validates it as it validates its ID
 * tokens), recorded in the event when the session ended on a domain, if it is still one of the
 * tenant's domains; otherwise (an operator's revocation, an event from an older node) the tenant's
 * issuer on its default domain. It carries both {@code sub} and {@code sid} (so
 * {@code backchannel_logout_session_required} is always met), {@code typ: logout+jwt} (§2.4) and
 * never a {@code nonce}. If the client is gone or no longer has a {@code backchannel_logout_uri}
 * when the relay gets to the event, there is nobody to tell and the delivery succeeds.
 */
public final class BackchannelLogoutSink implements Sink {

    public static final String ID = "backchannel-logout";
    /** §2.4: the event member of the {@code events} claim. */
    public static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    /** §2.4: explicit typing of logout tokens (RFC 8725 §3.11). */
    public static final JOSEObjectType LOGOUT_JWT = new JOSEObjectType("logout+jwt");
    /** How long a logout token is valid: §2.4 recommends a short time, two minutes is the usual choice. */
    static final Duration LIFETIME = Duration.ofMinutes(2);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Function<String, Optional<Tenant>> tenants;
    private final TenantKeys keys;
    private final HttpClient client;
    private final Ids ids;
    private final Clock clock;

    /** {@code tenants}: the tenant of a name in the configuration in force (on its default domain). */
    public BackchannelLogoutSink(Function<String, Optional<Tenant>> tenants, TenantKeys keys, HttpClient client, Ids ids, Clock clock) {
        this.tenants = tenants;
        this.keys = keys;
        this.client = client;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean accepts(String type) {
        return Event.BackchannelLogout.TYPE.equals(type);
    }

    @Override
    public void deliver(StoredEvent e) throws IOException, InterruptedException {
        JsonNode data = JSON.readTree(e.data());
        String clientId = data.path("client_id").asString();
        String sid = data.path("session_id").asString();
        Optional<Tenant> tenant = tenants.apply(e.tenant());
        Optional<ClientSettings> rp = tenant.flatMap(t -> t.client(clientId));
        Optional<URI> uri = rp.flatMap(c -> c.logout().backchannelUri());
        if (tenant.isEmpty() || uri.isEmpty()) {
            return;
        }
        String token = logoutToken(tenant.get(), issuer(tenant.get(), data.path("iss").asString("")), rp.get(), e.userId().orElseThrow(), sid);
        HttpRequest req = HttpRequest.newBuilder(uri.get())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build();
        HttpResponse<Void> res = client.send(req, HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() / 100 != 2) {
            throw new IOException("backchannel_logout_uri of " + clientId + " answered HTTP " + res.statusCode());
        }
    }

    /** The recorded issuer when it is (still) one of the tenant's domains, else the default domain's. */
    static String issuer(Tenant tenant, String recorded) {
        return tenant.domains().stream().map(d -> d.issuer().toString()).filter(recorded::equals).findFirst().orElse(tenant.issuer());
    }

    /** Back-Channel Logout 1.0 §2.4. */
    String logoutToken(Tenant tenant, String issuer, ClientSettings rp, String sub, String sid) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(rp.id())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(ids.id())
                .subject(sub)
                .claim("sid", sid)
                .claim("events", Map.of(EVENT, Map.of()))
                .build();
        return keys.minter(tenant.name()).sign(rp.idTokenAlg(), LOGOUT_JWT, claims);
    }
}
