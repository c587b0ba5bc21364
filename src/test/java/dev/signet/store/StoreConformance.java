package dev.signet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.Ids;
import dev.signet.Reason;
import dev.signet.UnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every store backend meets (convention 11; dex {@code storage/conformance}). A
 * backend's test extends this class and implements {@link #open()}; the same tests then run against
 * the embedded SQLite database and, later, PostgreSQL.
 *
 * <p>Each test uses fresh random ids and its own tenant, so a backend may hand every test the same
 * database. Instants are whole milliseconds because the schema keeps epoch milliseconds.
 *
 * <p>Over the 500-line budget on purpose: it is the one suite a new backend must pass, kept in one
 * file as dex keeps {@code conformance.go}.
 */
public abstract class StoreConformance {

    private static final int RACERS = 8;
    private static final Duration RACE_LIMIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2030-01-02T03:04:05.678Z");

    private final Ids ids = Ids.secure();
    private final String tenant = "t-" + ids.id();
    private final String otherTenant = "t-" + ids.id();

    private Stores stores;
    private Transactions transactions;
    private UserStore users;
    private SessionStore sessions;
    private PendingStore pending;
    private UpstreamLoginStore logins;
    private GrantStore grants;
    private KeyStore keys;
    private OutboxStore outbox;
    private AuditStore audit;
    private SessionClaimsStore sessionClaims;
    private Housekeeping housekeeping;
    private TokenRevocations revocations;
    private ClientAssertionStore assertions;
    private DeviceCodeStore devices;
    private ConsentStore consents;

    /** The backend under test, open and migrated; closed by this class after each test. */
    protected abstract Stores open();

    @BeforeEach
    final void openStores() {
        stores = open();
        transactions = stores.transactions();
        users = stores.users();
        sessions = stores.sessions();
        pending = stores.pending();
        logins = stores.upstreamLogins();
        grants = stores.grants();
        keys = stores.keys();
        outbox = stores.outbox();
        audit = stores.audit();
        sessionClaims = stores.sessionClaims();
        housekeeping = stores.housekeeping();
        revocations = stores.revocations();
        assertions = stores.assertions();
        devices = stores.devices();
        consents = stores.consents();
    }

    @AfterEach
    final void closeStores() {
        stores.close();
    }

    // ---- users

    @Test
    void createWhenUserThenByIdReturnsEveryField() {
        User u = user("ada@example.com", true);
        given(tx -> users.create(tx, u));

        assertThat(find(tx -> users.byId(tx, tenant, u.id()))).contains(u);
    }

    @Test
    void createWhenOptionalFieldsEmptyThenByIdReturnsThemEmpty() {
        User u = new User(ids.id(), tenant, Optional.empty(), false, Optional.empty(), Optional.empty(), T0);
        given(tx -> users.create(tx, u));

        assertThat(find(tx -> users.byId(tx, tenant, u.id()))).contains(u);
    }

    @Test
    void byIdWhenOtherTenantThenEmpty() {
        User u = saved(user("ada@example.com", true));

        assertThat(find(tx -> users.byId(tx, otherTenant, u.id()))).isEmpty();
    }

    @Test
    void byIdentityWhenLinkedThenReturnsUser() {
        User u = saved(user("ada@example.com", true));
        given(tx -> users.link(tx, new Identity(tenant, "corp", "sub-1", u.id()), T0));

        assertThat(find(tx -> users.byIdentity(tx, tenant, "corp", "sub-1"))).contains(u);
    }

    @Test
    void byIdentityWhenConnectionSubjectOrTenantDiffersThenEmpty() {
        User u = saved(user("ada@example.com", true));
        given(tx -> users.link(tx, new Identity(tenant, "corp", "sub-1", u.id()), T0));

        assertThat(find(tx -> users.byIdentity(tx, tenant, "other", "sub-1"))).isEmpty();
        assertThat(find(tx -> users.byIdentity(tx, tenant, "corp", "sub-2"))).isEmpty();
        assertThat(find(tx -> users.byIdentity(tx, otherTenant, "corp", "sub-1"))).isEmpty();
    }

    @Test
    void linkWhenTwoIdentitiesThenBothFindTheSameUser() {
        User u = saved(user("ada@example.com", true));
        given(tx -> {
            users.link(tx, new Identity(tenant, "corp", "sub-1", u.id()), T0);
            users.link(tx, new Identity(tenant, "github", "4711", u.id()), T0.plusSeconds(1));
        });

        assertThat(find(tx -> users.byIdentity(tx, tenant, "corp", "sub-1"))).contains(u);
        assertThat(find(tx -> users.byIdentity(tx, tenant, "github", "4711"))).contains(u);
    }

    @Test
    void byVerifiedEmailWhenCaseDiffersThenFound() {
        User u = saved(user("Ada.Lovelace@Example.COM", true));

        assertThat(find(tx -> users.byVerifiedEmail(tx, tenant, "ada.lovelace@example.com"))).map(User::id).contains(u.id());
        assertThat(find(tx -> users.byVerifiedEmail(tx, tenant, "ADA.LOVELACE@EXAMPLE.COM"))).map(User::id).contains(u.id());
    }

    @Test
    void byVerifiedEmailWhenEmailUnverifiedThenEmpty() {
        saved(user("ada@example.com", false));

        assertThat(find(tx -> users.byVerifiedEmail(tx, tenant, "ada@example.com"))).isEmpty();
    }

    @Test
    void byVerifiedEmailWhenVerifiedAndUnverifiedShareEmailThenVerifiedOne() {
        saved(user("ada@example.com", false));
        User verified = saved(user("ada@example.com", true));

        assertThat(find(tx -> users.byVerifiedEmail(tx, tenant, "ada@example.com"))).contains(verified);
    }

    @Test
    void byVerifiedEmailWhenOtherTenantThenEmpty() {
        saved(user("ada@example.com", true));

        assertThat(find(tx -> users.byVerifiedEmail(tx, otherTenant, "ada@example.com"))).isEmpty();
    }

    @Test
    void updateProfileWhenUpstreamChangedThenLatestProfileReturned() {
        User u = saved(user("old@example.com", false));
        User latest = new User(u.id(), tenant, Optional.of("new@example.com"), true, Optional.empty(),
                Optional.of("https://example.com/new.png"), u.createdAt());
        given(tx -> users.updateProfile(tx, latest));

        assertThat(find(tx -> users.byId(tx, tenant, u.id()))).contains(latest);
        assertThat(find(tx -> users.byVerifiedEmail(tx, tenant, "new@example.com"))).contains(latest);
        assertThat(find(tx -> users.byVerifiedEmail(tx, tenant, "old@example.com"))).isEmpty();
    }

    @Test
    void updateProfileWhenOtherTenantThenUserUnchanged() {
        User u = saved(user("ada@example.com", true));
        User intruder = new User(u.id(), otherTenant, Optional.of("evil@example.com"), true, Optional.of("Eve"), Optional.empty(),
                u.createdAt());
        given(tx -> users.updateProfile(tx, intruder));

        assertThat(find(tx -> users.byId(tx, tenant, u.id()))).contains(u);
    }

    @Test
    void linkWhenEightFirstSignInsOfOneIdentityRaceThenOneUserAndEveryRacerEndsWithIt() throws InterruptedException {
        String subject = ids.id();
        Queue<String> got = new ConcurrentLinkedQueue<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            racers.add(Thread.ofVirtual().name("first-sign-in-" + i).start(() -> {
                try {
                    go.await();
                    // as the broker's callback: find the identity's user or create and link one, in one write transaction;
                    // a store.unavailable answer is retried, as the user's "Try again" does
                    for (int attempt = 1; ; attempt++) {
                        try {
                            got.add(transactions.write(tx -> users.byIdentity(tx, tenant, "corp", subject).map(User::id).orElseGet(() -> {
                                User u = user("first@example.com", true);
                                users.create(tx, u);
                                users.link(tx, new Identity(tenant, "corp", subject, u.id()), T0);
                                return u.id();
                            })));
                            return;
                        } catch (UnavailableException e) {
                            if (attempt == 5) {
                                throw e;
                            }
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        go.countDown();
        for (Thread racer : racers) {
            assertThat(racer.join(RACE_LIMIT)).as("%s finished", racer.getName()).isTrue();
        }

        assertThat(failures).as("a concurrent first sign-in is retryable, never an internal error").isEmpty();
        assertThat(Set.copyOf(got)).as("one user for the identity").hasSize(1);
        assertThat(find(tx -> users.byIdentity(tx, tenant, "corp", subject))).map(User::id).contains(got.peek());
    }

    // ---- sessions

    @Test
    void createWhenSessionThenByTokenHashReturnsIt() {
        Session s = savedSession(saved(user("ada@example.com", true)));

        assertThat(find(tx -> sessions.byTokenHash(tx, tenant, s.tokenHash()))).contains(s);
    }

    @Test
    void byTokenHashWhenSessionOfOtherTenantThenEmpty() {
        Session s = savedSession(saved(user("ada@example.com", true)));

        assertThat(find(tx -> sessions.byTokenHash(tx, otherTenant, s.tokenHash()))).isEmpty();
    }

    @Test
    void revokeWhenSessionThenOnlyThatSessionRevoked() {
        User u = saved(user("ada@example.com", true));
        Session revoked = savedSession(u);
        Session other = savedSession(u);
        given(tx -> sessions.revoke(tx, tenant, revoked.id()));

        Session found = read(tx -> sessions.byTokenHash(tx, tenant, revoked.tokenHash())).orElseThrow();
        assertThat(found.revoked()).isTrue();
        assertThat(found.activeAt(T0)).isFalse();
        assertThat(find(tx -> sessions.byTokenHash(tx, tenant, other.tokenHash()))).contains(other);
    }

    @Test
    void revokeWhenSessionOfOtherTenantThenUnchanged() {
        Session s = savedSession(saved(user("ada@example.com", true)));
        given(tx -> sessions.revoke(tx, otherTenant, s.id()));

        assertThat(find(tx -> sessions.byTokenHash(tx, tenant, s.tokenHash()))).contains(s);
    }

    // ---- sessions by id and by user (issue 14: logout, signet sessions)

    @Test
    void byIdWhenSessionThenFoundInItsTenantOnly() {
        Session s = savedSession(saved(user("ada@example.com", true)));

        assertThat(find(tx -> sessions.byId(tx, tenant, s.id()))).contains(s);
        assertThat(find(tx -> sessions.byId(tx, otherTenant, s.id()))).isEmpty();
    }

    @Test
    void customIssuerWhenRecordedThenFoundForThatSessionInItsTenantOnly() {
        User u = saved(user("ada@example.com", true));
        Session onCustom = savedSession(u);
        Session onDefault = savedSession(u);
        given(tx -> sessions.signedInOn(tx, tenant, onCustom.id(), "https://login.example.com/" + tenant));

        assertThat(find(tx -> sessions.customIssuer(tx, tenant, onCustom.id()))).contains("https://login.example.com/" + tenant);
        assertThat(find(tx -> sessions.customIssuer(tx, tenant, onDefault.id()))).as("none recorded").isEmpty();
        assertThat(find(tx -> sessions.customIssuer(tx, otherTenant, onCustom.id()))).as("another tenant's").isEmpty();
    }

    @Test
    void activeWhenUserGivenThenOnlyTheirActiveSessionsOfTheTenantNewestFirst() {
        User u = saved(user("ada@example.com", true));
        User other = saved(user("bob@example.com", true));
        Session older = new Session(ids.id(), tenant, Ids.hash(ids.secret()), u.id(), "corp", T0, T0.plus(Duration.ofHours(8)), false);
        Session newer = new Session(ids.id(), tenant, Ids.hash(ids.secret()), u.id(), "corp", T0.plusSeconds(1), T0.plus(Duration.ofHours(8)), false);
        Session revoked = new Session(ids.id(), tenant, Ids.hash(ids.secret()), u.id(), "corp", T0, T0.plus(Duration.ofHours(8)), true);
        Session expired = new Session(ids.id(), tenant, Ids.hash(ids.secret()), u.id(), "corp", T0, T0.plusSeconds(5), false);
        Session othersSession = new Session(ids.id(), tenant, Ids.hash(ids.secret()), other.id(), "corp", T0, T0.plus(Duration.ofHours(8)), false);
        Session otherTenants = new Session(ids.id(), otherTenant, Ids.hash(ids.secret()), u.id(), "corp", T0, T0.plus(Duration.ofHours(8)), false);
        given(tx -> List.of(older, newer, revoked, expired, othersSession, otherTenants).forEach(s -> sessions.create(tx, s)));
        Instant now = T0.plusSeconds(10);

        assertThat(this.<List<Session>>read(tx -> sessions.active(tx, tenant, Optional.of(u.id()), now, 10))).containsExactly(newer, older);
        assertThat(this.<List<Session>>read(tx -> sessions.active(tx, tenant, Optional.of(u.id()), now, 1))).containsExactly(newer);
        assertThat(this.<List<Session>>read(tx -> sessions.active(tx, tenant, Optional.empty(), now, 10))).containsExactlyInAnyOrder(newer, older, othersSession);
        assertThat(this.<List<Session>>read(tx -> sessions.active(tx, otherTenant, Optional.of(u.id()), now, 10))).containsExactly(otherTenants);
        assertThat(this.<List<Session>>read(tx -> sessions.active(tx, tenant, Optional.of(u.id()), T0.plus(Duration.ofHours(8)), 10))).isEmpty();
    }

    @Test
    void redeemedInSessionWhenCodesUsedThenOnlyThoseOfTheSessionInTheTenant() {
        User u = saved(user("ada@example.com", true));
        Session s = savedSession(u);
        Session another = savedSession(u);
        Grant used = grantIn(tenant, u, s.id());
        Grant unused = grantIn(tenant, u, s.id());
        Grant elsewhere = grantIn(tenant, u, another.id());
        Grant otherTenants = grantIn(otherTenant, u, s.id());
        given(tx -> {
            grants.useCode(tx, tenant, used.id());
            grants.useCode(tx, tenant, elsewhere.id());
            grants.useCode(tx, otherTenant, otherTenants.id());
        });

        assertThat(this.<List<Grant>>read(tx -> grants.redeemedInSession(tx, tenant, s.id()))).extracting(Grant::id).containsExactly(used.id());
        assertThat(this.<List<Grant>>read(tx -> grants.redeemedInSession(tx, otherTenant, s.id()))).extracting(Grant::id).containsExactly(otherTenants.id());
        assertThat(unused.codeUsed()).isFalse();
    }

    // ---- consents (issue 14)

    @Test
    void saveWhenConsentThenFoundAndASecondSaveReplacesIt() {
        User u = saved(user("ada@example.com", true));
        Consent first = new Consent(tenant, u.id(), "app", Set.of("openid", "email"), T0);
        given(tx -> consents.save(tx, first));
        assertThat(find(tx -> consents.find(tx, tenant, u.id(), "app"))).contains(first);

        Consent wider = new Consent(tenant, u.id(), "app", Set.of("openid", "email", "offline_access"), T0.plusSeconds(1));
        given(tx -> consents.save(tx, wider));
        assertThat(find(tx -> consents.find(tx, tenant, u.id(), "app"))).contains(wider);
        assertThat(wider.covers(Set.of("openid", "offline_access"))).isTrue();
        assertThat(first.covers(Set.of("openid", "offline_access"))).isFalse();
        assertThat(find(tx -> consents.find(tx, tenant, u.id(), "other-app"))).isEmpty();
    }

    @Test
    void findWhenConsentOfOtherTenantThenEmpty() {
        User u = saved(user("ada@example.com", true));
        given(tx -> consents.save(tx, new Consent(otherTenant, u.id(), "app", Set.of("openid"), T0)));

        assertThat(find(tx -> consents.find(tx, tenant, u.id(), "app"))).isEmpty();
    }

    @Test
    void revokeAllWhenUserHasConsentsThenOnlyTheirsInTheTenantForgotten() {
        User u = saved(user("ada@example.com", true));
        User other = saved(user("bob@example.com", true));
        Consent kept = new Consent(tenant, other.id(), "app", Set.of("openid"), T0);
        Consent otherTenants = new Consent(otherTenant, u.id(), "app", Set.of("openid"), T0);
        given(tx -> {
            consents.save(tx, new Consent(tenant, u.id(), "app", Set.of("openid"), T0));
            consents.save(tx, new Consent(tenant, u.id(), "crm", Set.of("openid"), T0));
            consents.save(tx, kept);
            consents.save(tx, otherTenants);
        });

        assertThat((int) transactions.write(tx -> consents.revokeAll(tx, tenant, u.id()))).isEqualTo(2);
        assertThat(find(tx -> consents.find(tx, tenant, u.id(), "app"))).isEmpty();
        assertThat(find(tx -> consents.find(tx, tenant, other.id(), "app"))).contains(kept);
        assertThat(find(tx -> consents.find(tx, otherTenant, u.id(), "app"))).contains(otherTenants);
    }

    private Grant grantIn(String inTenant, User u, String sessionId) {
        Grant g = new Grant(ids.id(), inTenant, "app", u.id(), sessionId, Ids.hash(ids.secret()), "https://app.example/cb", Optional.empty(),
                Optional.empty(), Set.of("openid"), T0, T0.plusSeconds(60), false, false, T0);
        given(tx -> grants.create(tx, g));
        return g;
    }

    // ---- pending authorizations

    @Test
    void createWhenPendingThenByIdReturnsParams() {
        PendingAuthorization p = savedPending();

        assertThat(find(tx -> pending.byId(tx, tenant, p.id()))).contains(p);
    }

    @Test
    void byIdWhenPendingOfOtherTenantThenEmpty() {
        PendingAuthorization p = savedPending();

        assertThat(find(tx -> pending.byId(tx, otherTenant, p.id()))).isEmpty();
    }

    @Test
    void deleteWhenPendingThenOnlyThatOneGone() {
        PendingAuthorization deleted = savedPending();
        PendingAuthorization kept = savedPending();
        assertThat(count(tx -> pending.delete(tx, tenant, deleted.id()) ? 1 : 0)).as("deleted once (a pushed request is used once)").isEqualTo(1);
        assertThat(count(tx -> pending.delete(tx, tenant, deleted.id()) ? 1 : 0)).as("not twice").isZero();

        assertThat(find(tx -> pending.byId(tx, tenant, deleted.id()))).isEmpty();
        assertThat(find(tx -> pending.byId(tx, tenant, kept.id()))).contains(kept);
    }

    @Test
    void deleteWhenPendingOfOtherTenantThenKept() {
        PendingAuthorization p = savedPending();
        assertThat(count(tx -> pending.delete(tx, otherTenant, p.id()) ? 1 : 0)).isZero();

        assertThat(find(tx -> pending.byId(tx, tenant, p.id()))).contains(p);
    }

    // ---- upstream logins

    @Test
    void createWhenUpstreamLoginThenByStateHashReturnsIt() {
        UpstreamLogin l = savedLogin();

        assertThat(find(tx -> logins.byStateHash(tx, tenant, l.stateHash()))).contains(l);
    }

    @Test
    void byStateHashWhenUpstreamLoginOfOtherTenantThenEmpty() {
        UpstreamLogin l = savedLogin();

        assertThat(find(tx -> logins.byStateHash(tx, otherTenant, l.stateHash()))).isEmpty();
    }

    @Test
    void consumeWhenCalledTwiceThenTrueThenFalse() {
        UpstreamLogin l = savedLogin();

        assertThat(cas(tx -> logins.consume(tx, tenant, l.stateHash()))).isTrue();
        assertThat(cas(tx -> logins.consume(tx, tenant, l.stateHash()))).isFalse();
        assertThat(find(tx -> logins.byStateHash(tx, tenant, l.stateHash()))).isEmpty();
    }

    @Test
    void consumeWhenUpstreamLoginOfOtherTenantThenFalseAndKept() {
        UpstreamLogin l = savedLogin();

        assertThat(cas(tx -> logins.consume(tx, otherTenant, l.stateHash()))).isFalse();
        assertThat(find(tx -> logins.byStateHash(tx, tenant, l.stateHash()))).contains(l);
    }

    @Test
    void consumeWhenEightRacersThenExactlyOneWins() throws InterruptedException {
        UpstreamLogin l = savedLogin();

        // as the broker's callback: the login was read before, each racer only consumes
        int wins = race(tx -> logins.consume(tx, tenant, l.stateHash()));

        assertThat(wins).isEqualTo(1);
    }

    // ---- grants and refresh tokens

    @Test
    void createWhenGrantThenByCodeHashAndByIdReturnIt() {
        Grant g = savedGrant();

        assertThat(find(tx -> grants.byCodeHash(tx, tenant, g.codeHash()))).contains(g);
        assertThat(find(tx -> grants.byId(tx, tenant, g.id()))).contains(g);
    }

    @Test
    void byCodeHashWhenGrantOfOtherTenantThenEmpty() {
        Grant g = savedGrant();

        assertThat(find(tx -> grants.byCodeHash(tx, otherTenant, g.codeHash()))).isEmpty();
    }

    @Test
    void byIdWhenGrantOfOtherTenantThenEmpty() {
        Grant g = savedGrant();

        assertThat(find(tx -> grants.byId(tx, otherTenant, g.id()))).isEmpty();
    }

    @Test
    void createWhenNoChallengeNonceOrScopesThenReturnedEmpty() {
        User u = saved(user("ada@example.com", true));
        Session s = savedSession(u);
        Grant g = new Grant(ids.id(), tenant, "app", u.id(), s.id(), Ids.hash(ids.secret()), "https://app.example/cb",
                Optional.empty(), Optional.empty(), Set.of(), T0, T0.plusSeconds(60), false, false, T0);
        given(tx -> grants.create(tx, g));

        assertThat(find(tx -> grants.byCodeHash(tx, tenant, g.codeHash()))).contains(g);
    }

    @Test
    void useCodeWhenCalledTwiceThenTrueThenFalse() {
        Grant g = savedGrant();

        assertThat(cas(tx -> grants.useCode(tx, tenant, g.id()))).isTrue();
        assertThat(cas(tx -> grants.useCode(tx, tenant, g.id()))).isFalse();
        assertThat(find(tx -> grants.byId(tx, tenant, g.id()))).map(Grant::codeUsed).contains(true);
    }

    @Test
    void useCodeWhenGrantOfOtherTenantThenFalseAndCodeUnused() {
        Grant g = savedGrant();

        assertThat(cas(tx -> grants.useCode(tx, otherTenant, g.id()))).isFalse();
        assertThat(find(tx -> grants.byId(tx, tenant, g.id()))).contains(g);
    }

    @Test
    void useCodeWhenEightRacersThenExactlyOneWins() throws InterruptedException {
        Grant g = savedGrant();

        // as the token endpoint: find by code hash, then compare-and-set, in one write transaction
        int wins = race(tx -> grants.byCodeHash(tx, tenant, g.codeHash()).map(x -> grants.useCode(tx, tenant, x.id())).orElse(false));

        assertThat(wins).isEqualTo(1);
        assertThat(find(tx -> grants.byId(tx, tenant, g.id()))).map(Grant::codeUsed).contains(true);
    }

    @Test
    void revokeWhenGrantThenOnlyThatGrantRevoked() {
        Grant revoked = savedGrant();
        Grant other = savedGrant();
        given(tx -> grants.revoke(tx, tenant, revoked.id()));

        assertThat(find(tx -> grants.byId(tx, tenant, revoked.id()))).map(Grant::revoked).contains(true);
        assertThat(find(tx -> grants.byId(tx, tenant, other.id()))).contains(other);
    }

    @Test
    void revokeWhenGrantOfOtherTenantThenUnchanged() {
        Grant g = savedGrant();
        given(tx -> grants.revoke(tx, otherTenant, g.id()));

        assertThat(find(tx -> grants.byId(tx, tenant, g.id()))).contains(g);
    }

    @Test
    void byActiveGrantWhenGrantActiveAndJtiNotRevokedThenItsUser() {
        Grant g = savedGrant();

        assertThat(find(tx -> users.byActiveGrant(tx, tenant, g.id(), ids.id()))).map(User::id).contains(g.userId());
        assertThat(find(tx -> users.byActiveGrant(tx, tenant, g.id(), ids.id()))).isEqualTo(find(tx -> users.byId(tx, tenant, g.userId())));
    }

    @Test
    void byActiveGrantWhenGrantRevokedOrJtiRevokedOrOtherTenantThenEmpty() {
        Grant revoked = savedGrant();
        Grant active = savedGrant();
        String jti = ids.id();
        given(tx -> grants.revoke(tx, tenant, revoked.id()));
        given(tx -> revocations.revoke(tx, tenant, jti, T0));
        String otherJti = ids.id();
        given(tx -> revocations.revoke(tx, otherTenant, otherJti, T0));

        assertThat(find(tx -> users.byActiveGrant(tx, tenant, revoked.id(), ids.id()))).isEmpty();
        assertThat(find(tx -> users.byActiveGrant(tx, tenant, active.id(), jti))).isEmpty();
        assertThat(find(tx -> users.byActiveGrant(tx, otherTenant, active.id(), ids.id()))).isEmpty();
        assertThat(find(tx -> users.byActiveGrant(tx, tenant, active.id(), otherJti))).as("a jti revoked in another tenant").isPresent();
    }

    @Test
    void addRefreshTokenWhenAddedThenRefreshTokenReturnsIt() {
        Grant g = savedGrant();
        RefreshToken t = new RefreshToken(Ids.hash(ids.secret()), g.id(), T0.plus(Duration.ofDays(30)), false);
        given(tx -> grants.addRefreshToken(tx, t));

        assertThat(find(tx -> grants.refreshToken(tx, tenant, t.tokenHash()))).contains(t);
    }

    @Test
    void refreshTokenWhenGrantOfOtherTenantThenEmpty() {
        RefreshToken t = savedRefreshToken(savedGrant());

        assertThat(find(tx -> grants.refreshToken(tx, otherTenant, t.tokenHash()))).isEmpty();
    }

    @Test
    void redeemableWhenTenantsTokenThenTokenGrantAndUserInOneAnswer() {
        Grant g = savedGrant();
        RefreshToken t = savedRefreshToken(g);
        given(tx -> grants.useRefreshToken(tx, tenant, t.tokenHash()));

        Optional<GrantStore.Redeemable> found = find(tx -> grants.redeemable(tx, tenant, t.tokenHash()));

        assertThat(found).isPresent();
        assertThat(found.get().token()).isEqualTo(new RefreshToken(t.tokenHash(), g.id(), t.expiresAt(), true));
        assertThat(found.get().grant()).isEqualTo(g);
        assertThat(found.get().userExists()).isTrue();
        assertThat(find(tx -> grants.redeemable(tx, otherTenant, t.tokenHash()))).as("another tenant's token").isEmpty();
        assertThat(find(tx -> grants.redeemable(tx, tenant, Ids.hash("unknown")))).isEmpty();
    }

    @Test
    void useRefreshTokenWhenGrantOfOtherTenantThenFalseAndTokenUnused() {
        RefreshToken t = savedRefreshToken(savedGrant());

        assertThat(cas(tx -> grants.useRefreshToken(tx, otherTenant, t.tokenHash()))).isFalse();
        assertThat(find(tx -> grants.refreshToken(tx, tenant, t.tokenHash()))).contains(t);
    }

    @Test
    void useRefreshTokenWhenCalledTwiceThenTrueThenFalse() {
        Grant g = savedGrant();
        RefreshToken first = new RefreshToken(Ids.hash(ids.secret()), g.id(), T0.plus(Duration.ofDays(30)), false);
        RefreshToken second = new RefreshToken(Ids.hash(ids.secret()), g.id(), T0.plus(Duration.ofDays(30)), false);
        given(tx -> {
            grants.addRefreshToken(tx, first);
            grants.addRefreshToken(tx, second);
        });

        assertThat(cas(tx -> grants.useRefreshToken(tx, tenant, first.tokenHash()))).isTrue();
        assertThat(cas(tx -> grants.useRefreshToken(tx, tenant, first.tokenHash()))).isFalse();
        assertThat(find(tx -> grants.refreshToken(tx, tenant, first.tokenHash()))).map(RefreshToken::used).contains(true);
        assertThat(find(tx -> grants.refreshToken(tx, tenant, second.tokenHash()))).contains(second);
    }

    // ---- signing keys

    @Test
    void addWhenKidExistsThenFirstKeyKeptWithoutError() {
        String kid = ids.id();
        StoredKey first = new StoredKey(tenant, kid, "RS256", "{\"first\":true}", false, T0);
        StoredKey second = new StoredKey(tenant, kid, "ES256", "{\"second\":true}", true, T0.plusSeconds(1));
        given(tx -> keys.add(tx, first));
        given(tx -> keys.add(tx, second));

        assertThat(ours(read(tx -> keys.all(tx, tenant)), List.of(first))).containsExactly(first);
    }

    @Test
    void allWhenKeysOfTwoTenantsThenEachListsOnlyItsOwn() {
        StoredKey mine = key(T0);
        StoredKey theirs = new StoredKey(otherTenant, ids.id(), "ES256", "{\"kty\":\"EC\"}", false, T0);
        given(tx -> {
            keys.add(tx, mine);
            keys.add(tx, theirs);
        });
        List<StoredKey> ofTenant = read(tx -> keys.all(tx, tenant));
        List<StoredKey> ofOther = read(tx -> keys.all(tx, otherTenant));

        assertThat(ofTenant).containsExactly(mine);
        assertThat(ofOther).containsExactly(theirs);
    }

    @Test
    void allWhenAddedOutOfOrderThenOrderedByCreation() {
        StoredKey oldest = key(T0);
        StoredKey middle = key(T0.plusSeconds(10));
        StoredKey newest = key(T0.plusSeconds(20));
        given(tx -> {
            keys.add(tx, newest);
            keys.add(tx, oldest);
        });
        given(tx -> keys.add(tx, middle));

        assertThat(ours(read(tx -> keys.all(tx, tenant)), List.of(oldest, middle, newest))).containsExactly(oldest, middle, newest);
    }

    @Test
    void addWhenKeySignsLaterThanItIsPublishedThenBothTimesKept() {
        StoredKey next = new StoredKey(tenant, ids.id(), "ES256", "{\"kty\":\"EC\"}", false, T0, T0.plusSeconds(600));
        given(tx -> keys.add(tx, next));
        assertThat(ours(read(tx -> keys.all(tx, tenant)), List.of(next))).singleElement().satisfies(k -> {
            assertThat(k.createdAt()).isEqualTo(T0);
            assertThat(k.signsFrom()).isEqualTo(T0.plusSeconds(600));
        });
    }

    /** One node at a time creates or rotates a tenant's keys (issue 13): a second transaction waits for the first. */
    @Test
    void lockKeysWhenHeldThenAnotherTransactionWaitsUntilItEnds() throws Exception {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean secondIn = new java.util.concurrent.atomic.AtomicBoolean();
        Thread first = Thread.ofVirtual().start(() -> transactions.write(tx -> {
            keys.lockKeys(tx, tenant);
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertThat(held.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread second = Thread.ofVirtual().start(() -> transactions.write(tx -> {
            keys.lockKeys(tx, tenant);
            secondIn.set(true);
            return null;
        }));
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(300)).atMost(java.time.Duration.ofSeconds(2))
                .until(() -> !secondIn.get());
        release.countDown();
        assertThat(first.join(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(second.join(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(secondIn).isTrue();
    }

    // ---- outbox

    @Test
    void fanOutWhenEventAppendedThenOneDeliveryPerSinkClaimedWithTheEvent() {
        drainFanOut();
        StoredEvent e = savedEvent(T0);
        int fanned = transactions.write(tx -> outbox.fanOut(tx, type -> List.of("webhook", "audit"), T0, 1000));
        List<Delivery> claimed = claimOurs("node-a", T0, T0.plusSeconds(30), e);

        assertThat(fanned).isEqualTo(1);
        assertThat(claimed).extracting(Delivery::sink).containsExactlyInAnyOrder("webhook", "audit");
        assertThat(claimed).allSatisfy(d -> {
            assertThat(d.event()).isEqualTo(e);
            assertThat(d.attempts()).isZero();
        });
        assertThat(count(tx -> outbox.fanOut(tx, type -> List.of("webhook", "audit"), T0, 1000))).as("fanned out once").isZero();
    }

    @Test
    void claimDueWhenLeasedThenNotClaimedAgainUntilLeaseExpires() {
        StoredEvent e = fannedOut(savedEvent(T0), "webhook");
        assertThat(claimOurs("node-a", T0, T0.plusSeconds(30), e)).hasSize(1);

        assertThat(claimOurs("node-b", T0.plusSeconds(29), T0.plusSeconds(60), e)).as("lease still held").isEmpty();
        assertThat(claimOurs("node-b", T0.plusSeconds(31), T0.plusSeconds(60), e)).as("lease expired").hasSize(1);
    }

    @Test
    void claimDueWhenEightRacersThenEachDeliveryClaimedOnce() throws InterruptedException {
        StoredEvent e = fannedOut(savedEvent(T0), "webhook");
        Instant now = T0.plus(Duration.ofDays(365)); // due, and after every other test's deliveries in a shared store

        int wins = race(tx -> outbox.claimDue(tx, "racer", now, now.plusSeconds(60), 1000).stream()
                .anyMatch(d -> d.event().id().equals(e.id())));

        assertThat(wins).isEqualTo(1);
    }

    @Test
    void deliveredWhenMarkedThenNeverClaimedAgainAndBacklogShrinks() {
        drainFanOut();
        long backlog = total(outbox::backlog);
        StoredEvent e = savedEvent(T0);
        assertThat(total(outbox::backlog)).isEqualTo(backlog + 1); // not yet fanned out
        fannedOut(e, "webhook");
        assertThat(total(outbox::backlog)).isEqualTo(backlog + 1); // one pending delivery
        Delivery d = claimOurs("node-a", T0, T0.plusSeconds(30), e).getFirst();
        assertThat(cas(tx -> outbox.delivered(tx, d, T0.plusSeconds(1)))).isTrue();

        assertThat(total(outbox::backlog)).isEqualTo(backlog);
        assertThat(claimOurs("node-a", T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(3)), e)).isEmpty();
    }

    @Test
    void failedWhenRetryableThenClaimableOnlyFromNextAttemptWithAttemptsCounted() {
        StoredEvent e = fannedOut(savedEvent(T0), "webhook");
        Delivery claim = claimOurs("node-a", T0, T0.plusSeconds(30), e).getFirst();
        assertThat(cas(tx -> outbox.failed(tx, claim, 1, T0.plusSeconds(60), "503 from sink", false))).isTrue();

        assertThat(claimOurs("node-a", T0.plusSeconds(59), T0.plusSeconds(90), e)).isEmpty();
        assertThat(claimOurs("node-a", T0.plusSeconds(60), T0.plusSeconds(90), e)).singleElement()
                .satisfies(d -> assertThat(d.attempts()).isEqualTo(1));
    }

    @Test
    void failedWhenDeadThenDeadLetterUntilRedeliveredThenClaimableAgain() {
        StoredEvent e = fannedOut(savedEvent(T0), "webhook");
        long dead = total(outbox::deadLetters);
        Delivery claim = claimOurs("node-a", T0, T0.plusSeconds(30), e).getFirst();
        assertThat(cas(tx -> outbox.failed(tx, claim, 5, T0.plusSeconds(60), "gave up", true))).isTrue();

        assertThat(total(outbox::deadLetters)).isEqualTo(dead + 1);
        assertThat(claimOurs("node-a", T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2)), e)).isEmpty();
        assertThat(count(tx -> outbox.redeliver(tx, Optional.of(e.id()), Optional.of("other-sink"), T0))).isZero();
        assertThat(count(tx -> outbox.redeliver(tx, Optional.of(e.id()), Optional.empty(), T0))).isEqualTo(1);

        assertThat(total(outbox::deadLetters)).isEqualTo(dead);
        assertThat(claimOurs("node-a", T0, T0.plusSeconds(30), e)).singleElement()
                .satisfies(d -> assertThat(d.attempts()).isZero());
    }

    /**
     * Issue 13 leftover: a relay whose lease ran out (a stalled node, a sink slower than the lease)
     * cannot record its outcome over the claim another node took since, nor over its own newer claim;
     * only the claim that holds the delivery records it.
     */
    @Test
    void deliveredOrFailedWhenLeaseRanOutAndClaimedAgainThenOnlyTheHoldingClaimRecords() {
        StoredEvent e = fannedOut(savedEvent(T0), "webhook");
        Delivery stale = claimOurs("node-a", T0, T0.plusSeconds(30), e).getFirst();
        Delivery current = claimOurs("node-b", T0.plusSeconds(31), T0.plusSeconds(61), e).getFirst();

        assertThat(cas(tx -> outbox.delivered(tx, stale, T0.plusSeconds(40)))).as("node-a's lease ran out").isFalse();
        assertThat(cas(tx -> outbox.failed(tx, stale, 1, T0.plusSeconds(100), "late", true))).as("nor may it dead-letter").isFalse();
        assertThat(claimOurs("node-c", T0.plusSeconds(50), T0.plusSeconds(80), e)).as("still held by node-b, still pending").isEmpty();

        Delivery again = claimOurs("node-b", T0.plusSeconds(62), T0.plusSeconds(92), e).getFirst();
        assertThat(cas(tx -> outbox.delivered(tx, current, T0.plusSeconds(63)))).as("node-b's own older claim").isFalse();
        assertThat(cas(tx -> outbox.delivered(tx, again, T0.plusSeconds(63)))).as("the claim that holds it").isTrue();
        assertThat(cas(tx -> outbox.delivered(tx, again, T0.plusSeconds(64)))).as("recorded once").isFalse();
        assertThat(claimOurs("node-c", T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(3)), e)).as("delivered").isEmpty();
    }

    // ---- audit log

    @Test
    void recordWhenSameEventTwiceThenOneEntry() {
        StoredEvent e = event(T0, "u-1", "corp");
        given(tx -> audit.record(tx, e));
        given(tx -> audit.record(tx, e));

        assertThat(audited(query(Optional.empty(), Optional.empty(), Optional.empty(), 100))).containsExactly(e);
    }

    @Test
    void findWhenFilteredByUserConnectionAndTimeThenMatchingNewestFirst() {
        StoredEvent first = event(T0, "u-1", "corp");
        StoredEvent second = event(T0.plusSeconds(10), "u-1", "github");
        StoredEvent third = event(T0.plusSeconds(20), "u-2", "corp");
        StoredEvent elsewhere = new StoredEvent(ids.id(), otherTenant, "sign_in.succeeded", T0, Optional.of("u-1"), Optional.of("corp"), "{}");
        given(tx -> List.of(first, second, third, elsewhere).forEach(e -> audit.record(tx, e)));

        assertThat(audited(query(Optional.empty(), Optional.empty(), Optional.empty(), 100)))
                .containsExactly(third, second, first);
        assertThat(audited(query(Optional.of("u-1"), Optional.empty(), Optional.empty(), 100)))
                .containsExactly(second, first);
        assertThat(audited(new AuditStore.Query(Optional.of(tenant), Optional.empty(), Optional.of("corp"),
                Optional.empty(), Optional.empty(), 100))).containsExactly(third, first);
        // since is inclusive, until exclusive
        assertThat(audited(query(Optional.empty(), Optional.of(T0.plusSeconds(10)), Optional.of(T0.plusSeconds(20)), 100)))
                .containsExactly(second);
        assertThat(audited(query(Optional.empty(), Optional.of(T0.plusSeconds(10)), Optional.empty(), 100)))
                .containsExactly(third, second);
        assertThat(audited(query(Optional.empty(), Optional.empty(), Optional.of(T0.plusSeconds(10)), 100)))
                .containsExactly(first);
        assertThat(audited(query(Optional.empty(), Optional.empty(), Optional.empty(), 2))).containsExactly(third, second);
    }

    // ---- session claims

    @Test
    void putWhenClaimsThenGetReturnsThemAndOtherSessionsHaveNone() {
        User u = saved(user("ada@example.com", true));
        Session s = savedSession(u);
        Session other = savedSession(u);
        given(tx -> sessionClaims.put(tx, s.id(), "{\"groups\":[\"admins\"],\"tier\":\"gold\"}"));

        assertThat(find(tx -> sessionClaims.get(tx, s.id()))).contains("{\"groups\":[\"admins\"],\"tier\":\"gold\"}");
        assertThat(find(tx -> sessionClaims.get(tx, other.id()))).isEmpty();
    }

    // ---- housekeeping

    @Test
    void deleteExpiredWhenRowsPastExpiryAndGraceThenOnlyThoseRemoved() {
        Instant now = T0.plus(Duration.ofDays(400)); // every row of this test is old by then, unless made later
        Instant longAgo = now.minus(Duration.ofDays(3));
        User u = saved(new User(ids.id(), tenant, Optional.empty(), false, Optional.empty(), Optional.empty(), longAgo));
        Session oldSession = new Session(ids.id(), tenant, Ids.hash(ids.secret()), u.id(), "corp", longAgo, longAgo.plusSeconds(60), false);
        Session liveSession = new Session(ids.id(), tenant, Ids.hash(ids.secret()), u.id(), "corp", now, now.plusSeconds(3600), false);
        Session justExpired = new Session(ids.id(), tenant, Ids.hash(ids.secret()), u.id(), "corp", now, now.minusSeconds(60), false);
        PendingAuthorization oldPending = new PendingAuthorization(ids.id(), tenant, "app", Map.of(), longAgo, longAgo.plusSeconds(60));
        PendingAuthorization livePending = new PendingAuthorization(ids.id(), tenant, "app", Map.of(), now, now.plusSeconds(600));
        UpstreamLogin oldLogin = new UpstreamLogin(Ids.hash(ids.secret()), tenant, "corp", oldPending.id(), "n", "v", longAgo);
        UpstreamLogin liveLogin = new UpstreamLogin(Ids.hash(ids.secret()), tenant, "corp", livePending.id(), "n", "v", now.plusSeconds(600));
        Grant oldGrant = grant(u, oldSession, longAgo);
        Grant refreshing = grant(u, oldSession, longAgo);
        Grant newGrant = grant(u, liveSession, now);
        RefreshToken liveRefresh = new RefreshToken(Ids.hash(ids.secret()), refreshing.id(), now.plus(Duration.ofDays(20)), false);
        given(tx -> {
            List.of(oldSession, liveSession, justExpired).forEach(x -> sessions.create(tx, x));
            sessionClaims.put(tx, oldSession.id(), "{}");
            sessions.signedInOn(tx, tenant, oldSession.id(), "https://login.example.com/" + tenant);
            sessions.signedInOn(tx, tenant, liveSession.id(), "https://login.example.com/" + tenant);
            List.of(oldPending, livePending).forEach(x -> pending.create(tx, x));
            List.of(oldLogin, liveLogin).forEach(x -> logins.create(tx, x));
            List.of(oldGrant, refreshing, newGrant).forEach(x -> grants.create(tx, x));
            grants.addRefreshToken(tx, liveRefresh);
        });

        int removed = count(tx -> housekeeping.deleteExpired(tx, now));

        assertThat(removed).as("at least this test's expired rows").isGreaterThanOrEqualTo(5);
        assertThat(find(tx -> sessions.byTokenHash(tx, tenant, oldSession.tokenHash()))).isEmpty();
        assertThat(find(tx -> sessionClaims.get(tx, oldSession.id()))).isEmpty();
        assertThat(find(tx -> sessions.customIssuer(tx, tenant, oldSession.id()))).as("its domain goes with it").isEmpty();
        assertThat(find(tx -> sessions.customIssuer(tx, tenant, liveSession.id()))).isPresent();
        assertThat(find(tx -> sessions.byTokenHash(tx, tenant, justExpired.tokenHash()))).as("kept for a day to detect reuse").isPresent();
        assertThat(find(tx -> sessions.byTokenHash(tx, tenant, liveSession.tokenHash()))).isPresent();
        assertThat(find(tx -> pending.byId(tx, tenant, oldPending.id()))).isEmpty();
        assertThat(find(tx -> pending.byId(tx, tenant, livePending.id()))).isPresent();
        assertThat(find(tx -> logins.byStateHash(tx, tenant, oldLogin.stateHash()))).isEmpty();
        assertThat(find(tx -> logins.byStateHash(tx, tenant, liveLogin.stateHash()))).isPresent();
        assertThat(find(tx -> grants.byId(tx, tenant, oldGrant.id()))).isEmpty();
        assertThat(find(tx -> grants.byId(tx, tenant, refreshing.id()))).as("a live refresh token keeps its grant").isPresent();
        assertThat(find(tx -> grants.refreshToken(tx, tenant, liveRefresh.tokenHash()))).contains(liveRefresh);
        assertThat(find(tx -> grants.byId(tx, tenant, newGrant.id()))).isPresent();
        assertThat(find(tx -> users.byId(tx, tenant, u.id()))).as("users are never expired").isPresent();
    }

    @Test
    void deleteExpiredWhenOutboxDeliveredLongAgoThenRemovedButDeadLettersKept() {
        Instant now = T0.plus(Duration.ofDays(400));
        StoredEvent delivered = fannedOut(savedEvent(T0), "webhook");
        StoredEvent dead = fannedOut(savedEvent(T0), "webhook");
        List<Delivery> claimed = transactions.write(tx -> outbox.claimDue(tx, "node-a", T0, T0.plusSeconds(30), 1000)); // one claim takes both
        Delivery one = claimed.stream().filter(d -> d.event().id().equals(delivered.id())).findFirst().orElseThrow();
        Delivery other = claimed.stream().filter(d -> d.event().id().equals(dead.id())).findFirst().orElseThrow();
        given(tx -> {
            outbox.delivered(tx, one, T0.plusSeconds(1));
            outbox.failed(tx, other, 5, T0.plusSeconds(60), "gave up", true);
        });
        long deadLetters = total(outbox::deadLetters);

        transactions.write(tx -> housekeeping.deleteExpired(tx, now));

        assertThat(total(outbox::deadLetters)).isEqualTo(deadLetters);
        assertThat(count(tx -> outbox.redeliver(tx, Optional.of(delivered.id()), Optional.empty(), now))).isZero();
        assertThat(count(tx -> outbox.redeliver(tx, Optional.of(dead.id()), Optional.empty(), now))).isEqualTo(1);
    }

    // ---- transactions

    @Test
    void writeWhenWorkThrowsThenNothingWrittenAndExceptionPropagates() {
        User u = user("ada@example.com", true);
        Session s = session(u);
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> transactions.write(tx -> {
            users.create(tx, u);
            sessions.create(tx, s);
            throw boom;
        })).isSameAs(boom);

        assertThat(find(tx -> users.byId(tx, tenant, u.id()))).isEmpty();
        assertThat(find(tx -> sessions.byTokenHash(tx, tenant, s.tokenHash()))).isEmpty();
    }

    @Test
    void writeWhenWorkThrowsErrorThenNothingWritten() {
        User u = user("ada@example.com", true);
        AssertionError boom = new AssertionError("boom");

        assertThatThrownBy(() -> transactions.write(tx -> {
            users.create(tx, u);
            throw boom;
        })).isSameAs(boom);

        assertThat(find(tx -> users.byId(tx, tenant, u.id()))).isEmpty();
    }

    @Test
    void writeWhenWorkThrewBeforeThenNextWriteStillCommits() {
        User lost = user("lost@example.com", true);
        assertThatThrownBy(() -> transactions.write(tx -> {
            users.create(tx, lost);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        User kept = saved(user("kept@example.com", true));

        assertThat(find(tx -> users.byId(tx, tenant, kept.id()))).contains(kept);
        assertThat(find(tx -> users.byId(tx, tenant, lost.id()))).isEmpty();
    }

    @Test
    void writeWhenCommittedThenResultVisibleInsideAndToLaterRead() {
        User u = user("ada@example.com", true);

        Optional<User> inside = transactions.write(tx -> {
            users.create(tx, u);
            return users.byId(tx, tenant, u.id());
        });

        assertThat(inside).contains(u);
        assertThat(find(tx -> users.byId(tx, tenant, u.id()))).contains(u);
    }

    @Test
    void lookupWhenNothingStoredThenOptionalEmptyNotNullOrException() {
        String unknown = ids.id();

        List<Optional<?>> found = read(tx -> List.of(users.byId(tx, tenant, unknown), users.byIdentity(tx, tenant, "corp", unknown),
                users.byVerifiedEmail(tx, tenant, unknown + "@example.com"), sessions.byTokenHash(tx, tenant, unknown),
                pending.byId(tx, tenant, unknown), logins.byStateHash(tx, tenant, unknown), grants.byCodeHash(tx, tenant, unknown),
                grants.byId(tx, tenant, unknown), grants.refreshToken(tx, tenant, unknown)));

        assertThat(found).hasSize(9).allSatisfy(o -> assertThat(o).isEmpty());
    }

    @Test
    void compareAndSetWhenNothingStoredThenFalseNotException() {
        String unknown = ids.id();

        assertThat(cas(tx -> grants.useCode(tx, tenant, unknown))).isFalse();
        assertThat(cas(tx -> grants.useRefreshToken(tx, tenant, unknown))).isFalse();
        assertThat(cas(tx -> logins.consume(tx, tenant, unknown))).isFalse();
    }

    @Test
    void readWhenStoreClosedThenUnavailableNotNotFound() {
        stores.close();

        assertThatExceptionOfType(UnavailableException.class)
                .isThrownBy(() -> transactions.read(tx -> users.byId(tx, tenant, ids.id())))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.STORE_UNAVAILABLE));
    }

    @Test
    void writeWhenStoreClosedThenUnavailable() {
        stores.close();

        assertThatExceptionOfType(UnavailableException.class)
                .isThrownBy(() -> transactions.write(tx -> {
                    users.create(tx, user("ada@example.com", true));
                    return true;
                }))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.STORE_UNAVAILABLE));
    }

    // ---- issue 14: revoked access tokens, client assertion jtis, device codes (each against another tenant's row)

    @Test
    void isRevokedWhenRevokedThenTrueAndTwiceHarmless() {
        String jti = ids.id();
        given(tx -> revocations.revoke(tx, tenant, jti, T0));
        given(tx -> revocations.revoke(tx, tenant, jti, T0));

        assertThat((boolean) read(tx -> revocations.isRevoked(tx, tenant, jti))).isTrue();
        assertThat((boolean) read(tx -> revocations.isRevoked(tx, tenant, ids.id()))).isFalse();
    }

    @Test
    void isRevokedWhenOtherTenantRevokedTheSameJtiThenFalse() {
        String jti = ids.id();
        given(tx -> revocations.revoke(tx, otherTenant, jti, T0));

        assertThat((boolean) read(tx -> revocations.isRevoked(tx, tenant, jti))).isFalse();
    }

    @Test
    void useAssertionWhenSameJtiTwiceThenTrueThenFalse() {
        String jti = ids.id();
        assertThat(cas(tx -> assertions.use(tx, tenant, "app", jti, T0))).isTrue();
        assertThat(cas(tx -> assertions.use(tx, tenant, "app", jti, T0))).isFalse();
    }

    @Test
    void useAssertionWhenJtiUsedByOtherTenantOrClientThenStillTrue() {
        String jti = ids.id();
        given(tx -> assertions.use(tx, otherTenant, "app", jti, T0));
        given(tx -> assertions.use(tx, tenant, "other-app", jti, T0));

        assertThat(cas(tx -> assertions.use(tx, tenant, "app", jti, T0))).isTrue();
    }

    @Test
    void useAssertionWhenEightRacersThenExactlyOneWins() throws InterruptedException {
        String jti = ids.id();
        assertThat(race(tx -> assertions.use(tx, tenant, "app", jti, T0))).isEqualTo(1);
    }

    @Test
    void createWhenDeviceCodeThenEveryLookupReturnsEveryField() {
        DeviceCode d = savedDevice(tenant);

        assertThat(find(tx -> devices.byDeviceCodeHash(tx, tenant, d.deviceCodeHash()))).contains(d);
        assertThat(find(tx -> devices.byUserCode(tx, tenant, d.userCode()))).contains(d);
        assertThat(find(tx -> devices.byId(tx, tenant, d.id()))).contains(d);
    }

    @Test
    void lookupWhenDeviceCodeOfOtherTenantThenEmpty() {
        DeviceCode d = savedDevice(otherTenant);

        assertThat(find(tx -> devices.byDeviceCodeHash(tx, tenant, d.deviceCodeHash()))).isEmpty();
        assertThat(find(tx -> devices.byUserCode(tx, tenant, d.userCode()))).isEmpty();
        assertThat(find(tx -> devices.byId(tx, tenant, d.id()))).isEmpty();
    }

    @Test
    void createWhenUserCodeTakenInTenantThenFalseButFreeInAnother() {
        DeviceCode d = savedDevice(tenant);
        DeviceCode clash = device(tenant, d.userCode());
        DeviceCode elsewhere = device(otherTenant, d.userCode());

        assertThat(cas(tx -> devices.create(tx, clash))).isFalse();
        assertThat(cas(tx -> devices.create(tx, elsewhere))).isTrue();
    }

    @Test
    void approveWhenPendingThenOnceAndRedeemOnceAfterIt() {
        DeviceCode d = savedDevice(tenant);
        assertThat(cas(tx -> devices.redeem(tx, tenant, d.id()))).as("not approved yet").isFalse();
        assertThat(cas(tx -> devices.approve(tx, tenant, d.id(), "user-1", "session-1", T0))).isTrue();
        assertThat(cas(tx -> devices.approve(tx, tenant, d.id(), "user-2", "session-2", T0))).isFalse();
        assertThat(cas(tx -> devices.deny(tx, tenant, d.id()))).isFalse();

        DeviceCode approved = find(tx -> devices.byId(tx, tenant, d.id())).orElseThrow();
        assertThat(approved.status()).isEqualTo(DeviceCode.Status.APPROVED);
        assertThat(approved.userId()).contains("user-1");
        assertThat(approved.sessionId()).contains("session-1");
        assertThat(approved.authTime()).contains(T0);
        assertThat(cas(tx -> devices.redeem(tx, tenant, d.id()))).isTrue();
        assertThat(cas(tx -> devices.redeem(tx, tenant, d.id()))).isFalse();
    }

    @Test
    void approveDenyRedeemPolledWhenDeviceCodeOfOtherTenantThenFalseAndUnchanged() {
        DeviceCode d = savedDevice(otherTenant);

        assertThat(cas(tx -> devices.approve(tx, tenant, d.id(), "user-1", "session-1", T0))).isFalse();
        assertThat(cas(tx -> devices.deny(tx, tenant, d.id()))).isFalse();
        assertThat(cas(tx -> devices.redeem(tx, tenant, d.id()))).isFalse();
        given(tx -> devices.polled(tx, tenant, d.id(), T0, 99));
        assertThat(find(tx -> devices.byId(tx, otherTenant, d.id()))).contains(d);
    }

    @Test
    void denyWhenPendingThenDeniedAndPolledRecordsTimeAndInterval() {
        DeviceCode d = savedDevice(tenant);
        given(tx -> devices.polled(tx, tenant, d.id(), T0.plusSeconds(3), 10));
        assertThat(cas(tx -> devices.deny(tx, tenant, d.id()))).isTrue();

        DeviceCode after = find(tx -> devices.byId(tx, tenant, d.id())).orElseThrow();
        assertThat(after.status()).isEqualTo(DeviceCode.Status.DENIED);
        assertThat(after.lastPolledAt()).contains(T0.plusSeconds(3));
        assertThat(after.intervalSeconds()).isEqualTo(10);
    }

    @Test
    void approveWhenEightRacersThenExactlyOneWins() throws InterruptedException {
        DeviceCode d = savedDevice(tenant);
        assertThat(race(tx -> devices.approve(tx, tenant, d.id(), "user-1", "session-1", T0))).isEqualTo(1);
    }

    private DeviceCode device(String inTenant, String userCode) {
        return new DeviceCode(ids.id(), inTenant, "tv", Ids.hash(ids.secret()), userCode, Set.of("openid", "email"), 5, Optional.empty(),
                DeviceCode.Status.PENDING, Optional.empty(), Optional.empty(), Optional.empty(), T0, T0.plus(Duration.ofMinutes(10)));
    }

    private DeviceCode savedDevice(String inTenant) {
        DeviceCode d = device(inTenant, ids.id().substring(0, 8).toUpperCase(java.util.Locale.ROOT));
        given(tx -> devices.create(tx, d));
        return d;
    }

    // ---- issue 15: the upstream corpus

    /** The corpus store of the backend under test (both backends are JDBC today). */
    protected CorpusStore corpus() {
        return new dev.signet.store.jdbc.JdbcCorpus();
    }

    @Test
    void corpusAddWhenAnOutcomeRecurredBeforeTheNewestThenItsFirstAndLastBothKept() {
        CorpusStore corpus = corpus();
        List<String> outcomes = List.of("ok", "upstream.issuer_mismatch", "upstream.issuer_mismatch", "ok", "ok", "ok");
        for (int i = 0; i < outcomes.size(); i++) {
            CorpusEntry e = new CorpusEntry("r" + i, tenant, "corp", T0, outcomes.get(i), "{\"n\":" + i + "}");
            given(tx -> corpus.add(tx, e, 2));
        }

        // newest 2 (r4, r5), the first "ok" (r0), the first and the last issuer_mismatch (r1, r2); r3 trimmed
        assertThat(read(tx -> corpus.list(tx, tenant, Optional.of("corp"))).stream().map(CorpusEntry::id))
                .containsExactly("r0", "r1", "r2", "r4", "r5");
    }

    @Test
    void corpusAddWhenOverTheLimitThenNewestPlusFirstAndLastOfEachOutcomeAndOtherTenantUntouched() {
        CorpusStore corpus = corpus();
        given(tx -> corpus.add(tx, new CorpusEntry("other", otherTenant, "corp", T0, "ok", "{}"), 2));
        List<String> outcomes = List.of("ok", "upstream.issuer_mismatch", "ok", "ok", "ok");
        for (int i = 0; i < outcomes.size(); i++) {
            CorpusEntry e = new CorpusEntry("e" + i, tenant, "corp", T0 /* one clock instant for all: seq orders them */, outcomes.get(i),
                    "{\"n\":" + i + "}");
            given(tx -> corpus.add(tx, e, 2));
        }

        // newest 2 (e3, e4), the first "ok" (e0), the only issuer_mismatch (e1); e2 trimmed
        assertThat(read(tx -> corpus.list(tx, tenant, Optional.of("corp"))).stream().map(CorpusEntry::id))
                .containsExactly("e0", "e1", "e3", "e4");
        List<CorpusEntry> all = read(tx -> corpus.list(tx, tenant, Optional.empty()));
        assertThat(all).hasSize(4);
        assertThat(read(tx -> corpus.list(tx, otherTenant, Optional.empty())).stream().map(CorpusEntry::id)).containsExactly("other");
        List<CorpusEntry> none = read(tx -> corpus.list(tx, tenant, Optional.of("other-connection")));
        assertThat(none).isEmpty();
    }

    @Test
    void corpusLatestWhenAskedForTheNewestThenNewestFirstWithinTheLimitAndTenant() {
        CorpusStore corpus = corpus();
        for (int i = 0; i < 4; i++) {
            CorpusEntry e = new CorpusEntry("l" + i, tenant, "corp", T0, "ok", "{}");
            given(tx -> corpus.add(tx, e, 10));
        }
        given(tx -> corpus.add(tx, new CorpusEntry("l-other", otherTenant, "corp", T0, "ok", "{}"), 10));

        assertThat(read(tx -> corpus.latest(tx, tenant, "corp", 2)).stream().map(CorpusEntry::id)).containsExactly("l3", "l2");
        assertThat(read(tx -> corpus.latest(tx, otherTenant, "corp", 5)).stream().map(CorpusEntry::id)).containsExactly("l-other");
    }

    // ---- issue 15: what upstreams published (the drift watcher)

    protected PublishedStore published() {
        return new dev.signet.store.jdbc.JdbcPublished();
    }

    @Test
    void publishedInsertWhenTheFieldExistsThenFalseAndOtherTenantsSameConnectionIsItsOwnRow() {
        PublishedStore p = published();
        assertThat(count(tx -> p.insert(tx, tenant, "corp", "issuer", "\"A\"", Optional.empty(), Optional.empty(), T0) ? 1 : 0)).isEqualTo(1);
        assertThat(count(tx -> p.insert(tx, tenant, "corp", "issuer", "\"B\"", Optional.empty(), Optional.empty(), T0) ? 1 : 0))
                .as("a second node's first look finds the row").isZero();
        assertThat(count(tx -> p.insert(tx, otherTenant, "corp", "issuer", "\"X\"", Optional.of("\"W\""), Optional.of("hint"), T0)
                ? 1 : 0)).isEqualTo(1);

        PublishedStore.Field mine = read(tx -> p.fields(tx, tenant, "corp")).get("issuer");
        assertThat(mine.value()).isEqualTo("\"A\"");
        assertThat(mine.previous()).isEmpty();
        assertThat(mine.changedAt()).as("a baseline is no change").isEmpty();
        PublishedStore.Field theirs = read(tx -> p.fields(tx, otherTenant, "corp")).get("issuer");
        assertThat(theirs.value()).isEqualTo("\"X\"");
        assertThat(theirs.previous()).contains("\"W\"");
        assertThat(theirs.changedAt()).contains(T0);
        List<PublishedStore.Field> changes = read(tx -> p.changes(tx, tenant));
        assertThat(changes).isEmpty();
    }

    @Test
    void publishedChangeWhenTheOldValueStillHoldsThenOnlyTheFirstCallerWins() {
        PublishedStore p = published();
        given(tx -> p.insert(tx, tenant, "corp", "jwks_keys", "[\"k1:RS256\"]", Optional.empty(), Optional.empty(), T0));
        given(tx -> p.insert(tx, otherTenant, "corp", "jwks_keys", "[\"k1:RS256\"]", Optional.empty(), Optional.empty(), T0));
        Instant later = T0.plusSeconds(60);

        assertThat(count(tx -> p.change(tx, tenant, "corp", "jwks_keys", "[\"k1:RS256\"]", "[\"k2:RS256\"]", "no line", later) ? 1 : 0))
                .isEqualTo(1);
        assertThat(count(tx -> p.change(tx, tenant, "corp", "jwks_keys", "[\"k1:RS256\"]", "[\"k2:RS256\"]", "no line", later) ? 1 : 0))
                .as("the second node saw the same change: compare-and-set fails").isZero();

        List<PublishedStore.Field> changes = read(tx -> p.changes(tx, tenant));
        assertThat(changes).singleElement().satisfies(f -> {
            assertThat(f.value()).isEqualTo("[\"k2:RS256\"]");
            assertThat(f.previous()).contains("[\"k1:RS256\"]");
            assertThat(f.changedAt()).contains(later);
            assertThat(f.hint()).contains("no line");
        });
        assertThat(read(tx -> p.fields(tx, otherTenant, "corp")).get("jwks_keys").value()).as("the other tenant's row untouched")
                .isEqualTo("[\"k1:RS256\"]");
    }

    // ---- helpers

    private StoredEvent event(Instant at, String userId, String connection) {
        return new StoredEvent(ids.id(), tenant, "sign_in.succeeded", at, Optional.of(userId), Optional.of(connection),
                "{\"client_id\":\"app\"}");
    }

    private StoredEvent savedEvent(Instant at) {
        StoredEvent e = event(at, "u-" + ids.id(), "corp");
        given(tx -> outbox.append(tx, e));
        return e;
    }

    /** Fans out every event still waiting (other tests' too), so counts that follow are this test's own. */
    private void drainFanOut() {
        while (transactions.write(tx -> outbox.fanOut(tx, type -> List.of("webhook"), T0, 1000)) > 0) {
            // until nothing is left
        }
    }

    /** {@code e} appended and fanned out to {@code sink} (with whatever else was waiting). */
    private StoredEvent fannedOut(StoredEvent e, String sink) {
        drainFanOut();
        given(tx -> outbox.fanOut(tx, type -> List.of(sink), T0, 1000));
        return e;
    }

    /** The deliveries of {@code e} that {@code node} claims at {@code now}. */
    private List<Delivery> claimOurs(String node, Instant now, Instant leaseUntil, StoredEvent e) {
        return transactions.write(tx -> outbox.claimDue(tx, node, now, leaseUntil, 1000)).stream()
                .filter(d -> d.event().id().equals(e.id())).toList();
    }

    private int count(Function<Tx, Integer> work) {
        return transactions.write(work);
    }

    private long total(Function<Tx, Long> work) {
        return transactions.read(work);
    }

    private List<StoredEvent> audited(AuditStore.Query q) {
        return transactions.read(tx -> audit.find(tx, q));
    }

    private AuditStore.Query query(Optional<String> userId, Optional<Instant> since, Optional<Instant> until, int limit) {
        return new AuditStore.Query(Optional.of(tenant), userId, Optional.empty(), since, until, limit);
    }

    private Grant grant(User u, Session s, Instant created) {
        return new Grant(ids.id(), tenant, "app", u.id(), s.id(), Ids.hash(ids.secret()), "https://app.example/cb", Optional.empty(),
                Optional.empty(), Set.of("openid"), created, created.plusSeconds(60), true, false, created);
    }

    /** Runs {@code attempt} in {@value #RACERS} separate write transactions started together; returns how many got true. */
    private int race(Function<Tx, Boolean> attempt) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(RACERS);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger losses = new AtomicInteger();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            racers.add(Thread.ofVirtual().name("racer-" + i).start(() -> {
                try {
                    ready.countDown();
                    go.await();
                    (transactions.write(attempt) ? wins : losses).incrementAndGet();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        ready.await();
        go.countDown();
        for (Thread racer : racers) {
            assertThat(racer.join(RACE_LIMIT)).as("%s finished", racer.getName()).isTrue();
        }
        assertThat(failures).isEmpty();
        assertThat(wins.get() + losses.get()).isEqualTo(RACERS);
        return wins.get();
    }

    private <T> T read(Function<Tx, T> work) {
        return transactions.read(work);
    }

    private <T> Optional<T> find(Function<Tx, Optional<T>> lookup) {
        return transactions.read(lookup);
    }

    /** A compare-and-set in its own write transaction. */
    private boolean cas(Function<Tx, Boolean> attempt) {
        return transactions.write(attempt);
    }

    private void given(Consumer<Tx> work) {
        transactions.write(tx -> {
            work.accept(tx);
            return true;
        });
    }

    private User user(String email, boolean verified) {
        return new User(ids.id(), tenant, Optional.of(email), verified, Optional.of("Ada"), Optional.of("https://example.com/ada.png"), T0);
    }

    private User saved(User u) {
        given(tx -> users.create(tx, u));
        return u;
    }

    private Session session(User u) {
        return new Session(ids.id(), tenant, Ids.hash(ids.secret()), u.id(), "corp", T0, T0.plus(Duration.ofHours(8)), false);
    }

    private Session savedSession(User u) {
        Session s = session(u);
        given(tx -> sessions.create(tx, s));
        return s;
    }

    private PendingAuthorization savedPending() {
        PendingAuthorization p = new PendingAuthorization(ids.id(), tenant, "app",
                Map.of("response_type", "code", "scope", "openid email", "state", "xyz", "redirect_uri", "https://app.example/cb?a=1&b=2"),
                T0, T0.plus(Duration.ofMinutes(10)));
        given(tx -> pending.create(tx, p));
        return p;
    }

    private UpstreamLogin savedLogin() {
        UpstreamLogin l = new UpstreamLogin(Ids.hash(ids.secret()), tenant, "corp", ids.id(), ids.secret(), ids.secret(),
                T0.plus(Duration.ofMinutes(10)));
        given(tx -> logins.create(tx, l));
        return l;
    }

    private Grant savedGrant() {
        User u = saved(user("ada@example.com", true));
        Session s = savedSession(u);
        Grant g = new Grant(ids.id(), tenant, "app", u.id(), s.id(), Ids.hash(ids.secret()), "https://app.example/cb",
                Optional.of("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), Optional.of("n-0S6_WzA2Mj"), Set.of("openid", "email", "offline_access"),
                T0, T0.plusSeconds(60), false, false, T0);
        given(tx -> grants.create(tx, g));
        return g;
    }

    private RefreshToken savedRefreshToken(Grant g) {
        RefreshToken t = new RefreshToken(Ids.hash(ids.secret()), g.id(), T0.plus(Duration.ofDays(30)), false);
        given(tx -> grants.addRefreshToken(tx, t));
        return t;
    }

    private StoredKey key(Instant createdAt) {
        return new StoredKey(tenant, ids.id(), "ES256", "{\"kty\":\"EC\"}", false, createdAt);
    }

    /** The keys of this test, in the store's order (other tests may share the store). */
    private static List<StoredKey> ours(List<StoredKey> all, List<StoredKey> mine) {
        Set<String> kids = Set.copyOf(mine.stream().map(StoredKey::kid).toList());
        return all.stream().filter(k -> kids.contains(k.kid())).toList();
    }
}
