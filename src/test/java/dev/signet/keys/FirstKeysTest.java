package dev.signet.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import dev.signet.Ids;
import dev.signet.config.DataSettings;
import dev.signet.store.StoredKey;
import dev.signet.store.jdbc.Database;
import dev.signet.store.jdbc.JdbcKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new database's first keys generated ahead on a second thread (issue 16, start-up): the start
 * stores those keys instead of generating others, only for tenants that have none, and falls back
 * to generating when there are none ahead.
 */
class FirstKeysTest {

    final Ids ids = Ids.secure();

    @Test
    void generateWhenTenantsGivenThenOneKeyPerAlgorithmEachTakenOnce() {
        FirstKeys ahead = FirstKeys.generate(List.of("a", "b"), () -> SignatureProvider.JDK, ids);

        JWK rsa = ahead.take("a", "RS256").orElseThrow();
        assertThat(rsa.isPrivate()).isTrue();
        assertThat(rsa.size()).isEqualTo(2048);
        assertThat(rsa.getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(ahead.take("b", "ES256").orElseThrow().toECKey().getCurve()).isEqualTo(Curve.P_256);
        assertThat(ahead.take("a", "RS256")).as("taken once").isEmpty();
        assertThat(ahead.take("c", "RS256")).as("a tenant it was not given").isEmpty();
    }

    @Test
    void generateWhenProviderFailsThenNothingAheadAndNoError() {
        FirstKeys ahead = FirstKeys.generate(List.of("a"), () -> {
            throw new IllegalArgumentException("SIGNET_CRYPTO must be auto or jdk");
        }, ids);

        assertThat(ahead.take("a", "RS256")).isEmpty();
    }

    @Test
    void prepareWhenKeysAheadThenNewTenantStoresThemAndOthersGenerate(@TempDir Path dir) {
        JWK rsA = SigningKeys.generate("RS256", "ahead-rs-a", SignatureProvider.JDK);
        JWK esA = SigningKeys.generate("ES256", "ahead-es-a", SignatureProvider.JDK);
        JWK rsOld = SigningKeys.generate("RS256", "ahead-rs-old", SignatureProvider.JDK);
        try (Database db = Database.openEmbedded(dir)) {
            JdbcKeys store = new JdbcKeys();
            TenantKeys first = new TenantKeys(db, store, Optional.empty(), ids, Clock.systemUTC());
            first.prepare(List.of("old")); // a tenant with keys before this start
            List<String> oldKids = kids(db, store, "old");

            TenantKeys keys = new TenantKeys(db, store, Optional.empty(), ids, Clock.systemUTC());
            keys.prepare(List.of("a", "b", "old"),
                    FirstKeys.of(Map.of("a", Map.of("RS256", rsA, "ES256", esA), "old", Map.of("RS256", rsOld))));

            assertThat(kids(db, store, "a")).containsExactlyInAnyOrder("ahead-rs-a", "ahead-es-a");
            assertThat(kids(db, store, "b")).as("none ahead: generated").hasSize(2).noneMatch(k -> k.startsWith("ahead"));
            assertThat(kids(db, store, "old")).as("already had keys: the one ahead is dropped").isEqualTo(oldKids);
            assertThat(keys.keys("a").publicKeys().getKeyByKeyId("ahead-rs-a")).isNotNull();
        }
    }

    @Test
    void isNewWhenNoDatabaseFileThenTrueAfterOpenFalse(@TempDir Path dir) {
        DataSettings data = new DataSettings(dir, Duration.ofSeconds(2), Optional.empty());
        assertThat(Database.isNew(data)).isTrue();
        try (Database db = Database.openEmbedded(dir)) {
            assertThat(Database.isNew(data)).isFalse();
        }
    }

    private static List<String> kids(Database db, JdbcKeys store, String tenant) {
        return db.read(tx -> store.all(tx, tenant)).stream().map(StoredKey::kid).toList();
    }
}
