package dev.signet.broker;

import dev.signet.Ids;
import dev.signet.event.Event;
import dev.signet.event.Outbox;
import dev.signet.connector.UpstreamIdentity;
import dev.signet.session.Sessions;
import dev.signet.store.Identity;
import dev.signet.store.SessionClaimsStore;
import dev.signet.store.Tx;
import dev.signet.store.User;
import dev.signet.store.UserStore;
import dev.signet.tenant.Tenant;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Finds, links or creates the user for an upstream identity, then creates the session, inside the
 * callback step's one transaction.
 *
 * <pre>
 *   (connection, subject) known           → that user; profile refreshed from the upstream
 *   unknown, email verified upstream,
 *     a user with that verified email     → link the identity to that user
 *   otherwise                             → a new user (email kept, marked unverified if so)
 * </pre>
 *
 * Linking by an unverified email would let anyone who can type an address take over an account.
 */
public final class Accounts {

    private final UserStore users;
    private final Sessions sessions;
    private final Outbox outbox;
    private final SessionClaimsStore claims;
    private final Ids ids;
    private final Clock clock;

    public Accounts(UserStore users, Sessions sessions, Outbox outbox, SessionClaimsStore claims, Ids ids, Clock clock) {
        this.claims = claims;
        this.users = users;
        this.outbox = outbox;
        this.sessions = sessions;
        this.ids = ids;
        this.clock = clock;
    }

    Sessions.Created signIn(Tx tx, Tenant tenant, String connection, UpstreamIdentity identity) {
        return signIn(tx, tenant, connection, identity, Optional.empty());
    }

    /** {@code hookClaims}: a JSON object of ID token claims a sign-in hook added, stored with the session. */
    Sessions.Created signIn(Tx tx, Tenant tenant, String connection, UpstreamIdentity identity, Optional<String> hookClaims) {
        Instant now = clock.instant();
        String t = tenant.name();
        Optional<User> known = users.byIdentity(tx, t, connection, identity.subject());
        User user;
        if (known.isPresent()) {
            user = withProfile(known.get(), identity);
            users.updateProfile(tx, user);
        } else {
            Optional<User> byEmail = identity.emailVerified()
                    ? identity.email().flatMap(e -> users.byVerifiedEmail(tx, t, e))
                    : Optional.empty();
            if (byEmail.isPresent()) {
                user = byEmail.get();
            } else {
                user = new User(ids.id(), t, identity.email(), identity.emailVerified() && identity.email().isPresent(),
                        identity.name(), identity.picture(), now);
                users.create(tx, user);
                outbox.append(tx, new Event.UserCreated(t, user.id(), connection));
            }
            users.link(tx, new Identity(t, connection, identity.subject(), user.id()), now);
        }
        Sessions.Created created = sessions.create(tx, t, tenant.domain().custom() ? Optional.of(tenant.issuer()) : Optional.empty(), user.id(), connection,
                tenant.settings().sessionTtl());
        hookClaims.ifPresent(c -> claims.put(tx, created.session().id(), c));
        outbox.append(tx, new Event.SessionCreated(t, user.id(), connection, created.session().id()));
        outbox.append(tx, new Event.SignInSucceeded(t, user.id(), connection, created.session().id()));
        return created;
    }

    private static User withProfile(User u, UpstreamIdentity i) {
        boolean sameEmail = i.email().isPresent() && i.email().get().equalsIgnoreCase(u.email().orElse(""));
        boolean verified = i.email().isPresent() && (i.emailVerified() || (sameEmail && u.emailVerified()));
        return new User(u.id(), u.tenant(), i.email().or(u::email), i.email().isPresent() ? verified : u.emailVerified(),
                i.name().or(u::name), i.picture().or(u::picture), u.createdAt());
    }
}
