package dev.signet.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.store.Grant;
import dev.signet.store.PendingAuthorization;
import dev.signet.store.RefreshToken;
import dev.signet.store.Session;
import dev.signet.store.UpstreamLogin;
import dev.signet.store.User;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HousekeepingTest {

    final JdbcUsers users = new JdbcUsers();
    final JdbcSessions sessions = new JdbcSessions();
    final JdbcPending pending = new JdbcPending();
    final JdbcUpstreamLogins logins = new JdbcUpstreamLogins();
    final JdbcGrants grants = new JdbcGrants();

    @Test
    void deleteExpiredWhenRowsPastExpiryThenOnlyThoseRemoved(@TempDir Path dir) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant longAgo = now.minus(Duration.ofDays(3));
        try (Database db = Database.openEmbedded(dir)) {
            db.write(tx -> {
                users.create(tx, new User("u", "t", Optional.empty(), false, Optional.empty(), Optional.empty(), longAgo));
                sessions.create(tx, new Session("s-old", "t", "h-old", "u", "dev", longAgo, longAgo.plusSeconds(60), false));
                sessions.create(tx, new Session("s-live", "t", "h-live", "u", "dev", now, now.plusSeconds(3600), false));
                pending.create(tx, new PendingAuthorization("p-old", "t", "c", Map.of(), longAgo, longAgo.plusSeconds(60)));
                pending.create(tx, new PendingAuthorization("p-live", "t", "c", Map.of(), now, now.plusSeconds(600)));
                logins.create(tx, new UpstreamLogin("l-old", "t", "dev", "p-old", "n", "v", longAgo));
                logins.create(tx, new UpstreamLogin("l-live", "t", "dev", "p-live", "n", "v", now.plusSeconds(600)));
                grants.create(tx, grant("g-old", longAgo));
                grants.create(tx, grant("g-refreshing", longAgo));
                grants.addRefreshToken(tx, new RefreshToken("r-live", "g-refreshing", now.plus(Duration.ofDays(20)), false));
                grants.create(tx, grant("g-new", now));
                return null;
            });
            int removed = db.write(tx -> new JdbcHousekeeping().deleteExpired(tx, now));
            assertThat(removed).isEqualTo(4);
            db.read(tx -> {
                assertThat(sessions.byTokenHash(tx, "t", "h-old")).isEmpty();
                assertThat(sessions.byTokenHash(tx, "t", "h-live")).isPresent();
                assertThat(pending.byId(tx, "t", "p-old")).isEmpty();
                assertThat(pending.byId(tx, "t", "p-live")).isPresent();
                assertThat(logins.byStateHash(tx, "t", "l-old")).isEmpty();
                assertThat(logins.byStateHash(tx, "t", "l-live")).isPresent();
                assertThat(grants.byId(tx, "t", "g-old")).isEmpty();
                assertThat(grants.byId(tx, "t", "g-refreshing")).isPresent();
                assertThat(grants.byId(tx, "t", "g-new")).isPresent();
                return null;
            });
        }
    }

    /** Issue 14: revoked jtis, used assertion jtis and device codes go once their token is past exp (plus the grace). */
    @Test
    void deleteExpiredWhenRevocationsAssertionsAndDeviceCodesPastExpiryThenOnlyThoseRemoved(@TempDir Path dir) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant longAgo = now.minus(Duration.ofDays(3));
        JdbcTokenRevocations revocations = new JdbcTokenRevocations();
        JdbcClientAssertions assertions = new JdbcClientAssertions();
        JdbcDeviceCodes devices = new JdbcDeviceCodes();
        try (Database db = Database.openEmbedded(dir)) {
            db.write(tx -> {
                revocations.revoke(tx, "t", "jti-old", longAgo);
                revocations.revoke(tx, "t", "jti-live", now.plusSeconds(600));
                assertions.use(tx, "t", "c", "a-old", longAgo);
                assertions.use(tx, "t", "c", "a-live", now.plusSeconds(60));
                devices.create(tx, device("d-old", "OLDCODES", longAgo));
                devices.create(tx, device("d-live", "LIVECODE", now.plusSeconds(600)));
                return null;
            });
            int removed = db.write(tx -> new JdbcHousekeeping().deleteExpired(tx, now));
            assertThat(removed).isEqualTo(3);
            db.read(tx -> {
                assertThat(revocations.isRevoked(tx, "t", "jti-old")).isFalse();
                assertThat(revocations.isRevoked(tx, "t", "jti-live")).isTrue();
                assertThat(assertions.use(tx, "t", "c", "a-live", now)).as("still remembered").isFalse();
                assertThat(devices.byId(tx, "t", "d-old")).isEmpty();
                assertThat(devices.byId(tx, "t", "d-live")).isPresent();
                return null;
            });
        }
    }

    private static dev.signet.store.DeviceCode device(String id, String userCode, Instant expires) {
        return new dev.signet.store.DeviceCode(id, "t", "c", "hash-" + id, userCode, Set.of(), 5, Optional.empty(),
                dev.signet.store.DeviceCode.Status.PENDING, Optional.empty(), Optional.empty(), Optional.empty(), expires.minusSeconds(600),
                expires);
    }

    private static Grant grant(String id, Instant created) {
        return new Grant(id, "t", "c", "u", "s", "code-" + id, "http://localhost/cb", Optional.empty(), Optional.empty(),
                Set.of("openid"), created, created.plusSeconds(60), true, false, created);
    }
}
