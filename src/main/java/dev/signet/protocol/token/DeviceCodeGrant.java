package dev.signet.protocol.token;

import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.event.Event;
import dev.signet.protocol.Params;
import dev.signet.protocol.Scopes;
import dev.signet.store.DeviceCode;
import dev.signet.store.DeviceCodeStore;
import dev.signet.store.Grant;
import dev.signet.store.RefreshToken;
import dev.signet.store.User;
import dev.signet.tenant.Tenant;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code grant_type=urn:ietf:params:oauth:grant-type:device_code} (RFC 8628 §3.4, §3.5): the device
 * polls with its device code. One write transaction per poll. Until the user decides:
 * {@code authorization_pending}; a poll sooner than the interval after the previous one:
 * {@code slow_down}, and the interval grows by 5 s for this and every later poll (§3.5); past
 * {@code expires_in}: {@code expired_token}; denied on the page: {@code access_denied}. Once
 * approved, the first poll redeems the code (compare-and-set) into a grant like an authorization
 * code's, so refresh, revocation, introspection and userinfo treat its tokens alike; a second
 * redemption is an {@code invalid_grant}. The device code is looked up within the request's tenant.
 */
final class DeviceCodeGrant implements TokenGrant {

    /** RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests". */
    static final long SLOW_DOWN_STEP_SECONDS = 5;

    private final GrantContext c;
    private final DeviceCodeStore devices;

    DeviceCodeGrant(GrantContext context, DeviceCodeStore devices) {
        this.c = context;
        this.devices = devices;
    }

    private sealed interface Outcome {}

    private record Redeemed(Grant grant, User user, Optional<String> refreshToken, Optional<String> hookClaims) implements Outcome {}

    private record Refused(Reason reason, String why) implements Outcome {}

    @Override
    public TokenResponse handle(Tenant tenant, AuthenticatedClient client, Params form) {
        String deviceCode = form.require("device_code");
        Instant now = c.clock().instant();
        Outcome outcome = c.transactions().write(tx -> {
            Optional<DeviceCode> found = devices.byDeviceCodeHash(tx, tenant.name(), Ids.hash(deviceCode));
            if (found.isEmpty()) {
                return new Refused(Reason.INVALID_GRANT, "device_code is unknown");
            }
            DeviceCode d = found.get();
            if (!d.clientId().equals(client.id())) {
                return new Refused(Reason.INVALID_GRANT, "device_code was issued to another client");
            }
            if (!now.isBefore(d.expiresAt())) {
                return new Refused(Reason.DEVICE_EXPIRED_TOKEN, "the device code expired; start again (RFC 8628 §3.5)");
            }
            switch (d.status()) {
                case REDEEMED -> {
                    return new Refused(Reason.INVALID_GRANT, "device_code was already used");
                }
                case DENIED -> {
                    return new Refused(Reason.DEVICE_ACCESS_DENIED, "the user denied the request");
                }
                case PENDING -> {
                    long interval = d.intervalSeconds();
                    boolean early = d.lastPolledAt().filter(last -> now.isBefore(last.plusSeconds(interval))).isPresent();
                    long next = early ? interval + SLOW_DOWN_STEP_SECONDS : interval;
                    devices.polled(tx, tenant.name(), d.id(), now, next);
                    return early ? new Refused(Reason.DEVICE_SLOW_DOWN, "polling too fast: wait " + next + " s between requests")
                            : new Refused(Reason.DEVICE_AUTHORIZATION_PENDING, "the user has not finished yet");
                }
                case APPROVED -> {
                    return redeem(tx, tenant, client, d, now);
                }
            }
            throw new IllegalStateException("unreachable");
        });
        return switch (outcome) {
            case Refused r -> throw ProtocolException.of(r.reason(), r.why());
            case Redeemed r -> {
                Grant g = r.grant();
                var subject = new Tokens.Subject(g.userId(), Optional.of(g.authTime()), Optional.of(g.sessionId()), Optional.of(g.id()));
                String at = c.tokens().accessToken(tenant, client.settings(), subject, g.scopes());
                Optional<String> idt = g.scopes().contains(Scopes.OPENID)
                        ? Optional.of(c.tokens().idToken(tenant, client.settings(), r.user(), subject, g.scopes(), Optional.empty(), at,
                                r.hookClaims()))
                        : Optional.empty();
                yield new TokenResponse(at, client.settings().accessTokenTtl().toSeconds(), r.refreshToken(), idt, Scopes.format(g.scopes()));
            }
        };
    }

    private Outcome redeem(dev.signet.store.Tx tx, Tenant tenant, AuthenticatedClient client, DeviceCode d, Instant now) {
        if (!devices.redeem(tx, tenant.name(), d.id())) {
            return new Refused(Reason.INVALID_GRANT, "device_code was already used");
        }
        String userId = d.userId().orElseThrow();
        Optional<User> user = c.users().byId(tx, tenant.name(), userId);
        if (user.isEmpty()) {
            return new Refused(Reason.INVALID_GRANT, "the user of this device authorization no longer exists");
        }
        // The grant a device authorization becomes: no code to redeem (a random, already used one) and no redirect URI.
        Grant g = new Grant(c.ids().id(), tenant.name(), d.clientId(), userId, d.sessionId().orElseThrow(), Ids.hash(c.ids().secret()),
                "", Optional.empty(), Optional.empty(), d.scopes(), d.authTime().orElse(now), now, true, false, now);
        c.grants().create(tx, g);
        Optional<String> refresh = Optional.empty();
        if (g.scopes().contains(Scopes.OFFLINE_ACCESS) && client.settings().allows("refresh_token")) {
            String value = c.ids().secret();
            c.grants().addRefreshToken(tx, new RefreshToken(Ids.hash(value), g.id(), now.plus(client.settings().refreshTokenTtl()), false));
            refresh = Optional.of(value);
        }
        c.outbox().append(tx, new Event.TokensIssued(g.tenant(), g.userId(), g.clientId(), g.id(), "device_code"));
        return new Redeemed(g, user.get(), refresh, c.sessionClaims().get(tx, g.sessionId()));
    }
}
