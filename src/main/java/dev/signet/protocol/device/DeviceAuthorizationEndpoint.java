package dev.signet.protocol.device;

import dev.signet.Ids;
import dev.signet.InternalException;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.config.ConfigLoader;
import dev.signet.protocol.Scopes;
import dev.signet.protocol.token.AuthenticatedClient;
import dev.signet.protocol.token.ClientAuthentication;
import dev.signet.protocol.token.TokenRequest;
import dev.signet.store.DeviceCode;
import dev.signet.store.DeviceCodeStore;
import dev.signet.store.Transactions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The device authorization endpoint (RFC 8628 §3.1, §3.2). The client authenticates as at the
 * token endpoint (a public client by its {@code client_id}, §3.1) and must have the device_code
 * grant type. One write transaction; the device code is a 256-bit secret of which only the hash is
 * stored, the user code is drawn again on the (rare) clash with a live one of the tenant.
 */
public final class DeviceAuthorizationEndpoint {

    /** How long the user has to enter the code and sign in (§3.2 expires_in). */
    public static final Duration EXPIRES_IN = Duration.ofMinutes(10);
    /** The minimum polling interval (§3.2 interval; §3.5 default 5 s). */
    public static final long INTERVAL_SECONDS = 5;

    private final Transactions transactions;
    private final DeviceCodeStore devices;
    private final ClientAuthentication authentication;
    private final UserCodes userCodes = new UserCodes();
    private final Ids ids;
    private final Clock clock;

    public DeviceAuthorizationEndpoint(Transactions transactions, DeviceCodeStore devices, ClientAuthentication authentication, Ids ids,
            Clock clock) {
        this.transactions = transactions;
        this.devices = devices;
        this.authentication = authentication;
        this.ids = ids;
        this.clock = clock;
    }

    public DeviceAuthorization handle(Tenant tenant, TokenRequest request) {
        AuthenticatedClient client = authentication.authenticate(tenant, request, tenant.urls().at(Path.DEVICE_AUTHORIZATION));
        if (!client.settings().allows(ConfigLoader.DEVICE_CODE_GRANT)) {
            throw ProtocolException.of(Reason.UNAUTHORIZED_CLIENT, "this client may not use the device authorization grant (grant_types)");
        }
        Set<String> scopes = Scopes.parse(request.form().get("scope").orElse(""));
        for (String s : scopes) {
            if (!Scopes.SUPPORTED.contains(s)) {
                throw ProtocolException.of(Reason.INVALID_SCOPE, "unknown scope '" + s + "'");
            }
        }
        Instant now = clock.instant();
        String deviceCode = ids.secret();
        for (int attempt = 0; attempt < 5; attempt++) {
            String userCode = userCodes.next();
            DeviceCode d = new DeviceCode(ids.id(), tenant.name(), client.id(), Ids.hash(deviceCode), userCode, scopes, INTERVAL_SECONDS,
                    Optional.empty(), DeviceCode.Status.PENDING, Optional.empty(), Optional.empty(), Optional.empty(), now,
                    now.plus(EXPIRES_IN));
            if (transactions.write(tx -> devices.create(tx, d))) {
                String shown = UserCodes.display(userCode);
                return new DeviceAuthorization(deviceCode, shown, tenant.urls().at(Path.DEVICE),
                        tenant.urls().at(Path.DEVICE, Map.of("user_code", shown)), EXPIRES_IN.toSeconds(), INTERVAL_SECONDS);
            }
        }
        throw new InternalException("no free user code after 5 draws", new IllegalStateException("user code clash"));
    }

    /** A pending, unexpired device authorization of the tenant with this user code, as typed. */
    public Optional<Waiting> waiting(Tenant tenant, String typed) {
        Instant now = clock.instant();
        return UserCodes.normalize(typed)
                .flatMap(code -> transactions.read(tx -> devices.byUserCode(tx, tenant.name(), code)))
                .filter(d -> d.status() == DeviceCode.Status.PENDING && now.isBefore(d.expiresAt()))
                .flatMap(d -> tenant.client(d.clientId()).map(c -> new Waiting(d.id(), c.id(), c.name(), UserCodes.display(d.userCode()),
                        Scopes.format(d.scopes()))));
    }

    /** The user said no on the page: the device's next poll gets {@code access_denied}. False when it was no longer pending. */
    public boolean deny(Tenant tenant, String deviceId) {
        return transactions.write(tx -> devices.deny(tx, tenant.name(), deviceId));
    }

    /** A device authorization waiting for the user: what the confirmation page shows. */
    public record Waiting(String id, String clientId, String clientName, String userCode, String scope) {}
}
