package dev.signet.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.jwk.JWK;
import dev.signet.Ids;
import dev.signet.config.Secret;
import dev.signet.store.StoredKey;
import dev.signet.store.jdbc.Database;
import dev.signet.store.jdbc.JdbcKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing keys against the embedded store: created once, encrypted at rest with a master key, published without private parts. */
class SigningKeysTest {

    /** JWK members that belong only to a private key (RFC 7518 §6.2.2 for EC, §6.3.2 for RSA). */
    static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth");

    @TempDir
    Path dir;

    Database db;
    final JdbcKeys store = new JdbcKeys();

    @BeforeEach
    void open() {
        db = Database.openEmbedded(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    SigningKeys load(Optional<MasterKey> master) {
        return SigningKeys.loadOrCreate(db, store, "default", master, Ids.secure(), Clock.systemUTC());
    }

    List<StoredKey> stored() {
        return db.read(tx -> store.all(tx, "default"));
    }

    static MasterKey master(String s) {
        return MasterKey.of(new Secret(s));
    }

    @Test
    void loadOrCreateWhenStoreEmptyThenOneRs256AndOneEs256AndReloadCreatesNone() {
        SigningKeys first = load(Optional.empty());
        List<StoredKey> created = stored();
        assertThat(created).extracting(StoredKey::alg).containsExactlyInAnyOrder("RS256", "ES256");
        assertThat(created).allSatisfy(k -> assertThat(k.encrypted()).isFalse());
        assertThat(first.key("RS256").getKeyID()).isEqualTo(kidOf(created, "RS256"));
        assertThat(first.key("ES256").getKeyID()).isEqualTo(kidOf(created, "ES256"));

        SigningKeys second = load(Optional.empty());
        assertThat(stored()).extracting(StoredKey::kid).containsExactlyElementsOf(created.stream().map(StoredKey::kid).toList());
        assertThat(second.key("RS256").getKeyID()).isEqualTo(first.key("RS256").getKeyID());
        assertThat(second.key("ES256").getKeyID()).isEqualTo(first.key("ES256").getKeyID());
        assertThat(second.publicKeys().getKeys()).extracting(JWK::getKeyID)
                .containsExactlyInAnyOrderElementsOf(first.publicKeys().getKeys().stream().map(JWK::getKeyID).toList());
    }

    @Test
    void loadOrCreateWhenMasterKeyThenMaterialIsCompactJweAndReopensOnlyWithThatKey() throws Exception {
        MasterKey master = master("x".repeat(40));
        SigningKeys first = load(Optional.of(master));
        List<StoredKey> created = stored();
        assertThat(created).hasSize(2);
        for (StoredKey k : created) {
            assertThat(k.encrypted()).as(k.kid()).isTrue();
            assertThat(k.material().split("\\.", -1)).as(k.material()).hasSize(5);
            assertThat(k.material()).doesNotContain("\"d\"").doesNotContain("{");
            JWEObject jwe = JWEObject.parse(k.material());
            assertThat(jwe.getHeader().getAlgorithm().getName()).isEqualTo("dir");
            assertThat(jwe.getHeader().getEncryptionMethod().getName()).isEqualTo("A256GCM");
        }
        assertThat(first.key("RS256").isPrivate()).isTrue();
        assertThat(first.key("ES256").isPrivate()).isTrue();

        SigningKeys again = load(Optional.of(master("x".repeat(40))));
        assertThat(stored()).hasSize(2);
        assertThat(again.publicKeys().toJSONObject()).isEqualTo(first.publicKeys().toJSONObject());
        assertThat(again.key("RS256").toJSONObject()).isEqualTo(first.key("RS256").toJSONObject());

        assertThatThrownBy(() -> load(Optional.of(master("y".repeat(40)))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(MasterKey.ENV).hasMessageContaining("SIGNET_MASTER_KEY");
        assertThatThrownBy(() -> load(Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SIGNET_MASTER_KEY");
        assertThat(stored()).extracting(StoredKey::kid).containsExactlyElementsOf(created.stream().map(StoredKey::kid).toList());
    }

    @Test
    void masterKeyWhenShorterThan32CharactersThenRefused() {
        assertThatThrownBy(() -> MasterKey.of(new Secret("x".repeat(31))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIGNET_MASTER_KEY").hasMessageContaining("32");
        assertThatThrownBy(() -> MasterKey.fromEnvironment(Map.of(MasterKey.ENV, "short")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIGNET_MASTER_KEY");
        assertThat(MasterKey.of(new Secret("x".repeat(32)))).isNotNull();
        assertThat(MasterKey.fromEnvironment(Map.of())).isEmpty();
        assertThat(MasterKey.of(new Secret("x".repeat(32))).toString()).doesNotContain("xxxx");
    }

    @Test
    void publicKeysWhenLoadedThenNoPrivateParameters() {
        SigningKeys keys = load(Optional.empty());
        assertThat(keys.publicKeys().getKeys()).hasSize(2).allSatisfy(k -> {
            assertThat(k.isPrivate()).as(k.getKeyID()).isFalse();
            assertThat(k.toJSONObject().keySet()).as(k.getKeyID()).doesNotContainAnyElementsOf(PRIVATE_MEMBERS);
        });
        assertThat(keys.publicKeys().toString()).doesNotContain("\"d\"");
        // the signing keys themselves do have them: the check above is about what is published
        assertThat(keys.key("RS256").toJSONObject().keySet()).contains("d", "p", "q");
        assertThat(keys.key("ES256").toJSONObject().keySet()).contains("d");
    }

    private static String kidOf(List<StoredKey> keys, String alg) {
        return keys.stream().filter(k -> k.alg().equals(alg)).map(StoredKey::kid).findFirst().orElseThrow();
    }

    @Test
    void generateWhenConscryptThenAFullRsaKeyThatEitherProviderSignsAndVerifies() throws Exception {
        SignatureProvider conscrypt = SignatureProvider.choose("auto", "test");
        assertThat(conscrypt.name()).isEqualTo("Conscrypt"); // its native library loads on the platforms CI runs on

        com.nimbusds.jose.jwk.RSAKey key = (com.nimbusds.jose.jwk.RSAKey) SigningKeys.generate("RS256", "k1", conscrypt);

        assertThat(key.size()).isEqualTo(2048);
        assertThat(key.getKeyID()).isEqualTo("k1");
        assertThat(key.getFirstPrimeFactor()).isNotNull(); // CRT parameters: stored and reopened like a JDK key
        for (SignatureProvider signer : List.of(conscrypt, SignatureProvider.JDK)) {
            var jws = new com.nimbusds.jose.JWSObject(new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.RS256),
                    new com.nimbusds.jose.Payload("x"));
            jws.sign(signer.signer(key));
            assertThat(jws.verify(SignatureProvider.JDK.verifier(key.toPublicJWK()))).isTrue();
            assertThat(jws.verify(conscrypt.verifier(key.toPublicJWK()))).isTrue();
        }
    }
}
