package dev.signet.keys;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.Ids;
import dev.signet.config.KeySettings;
import dev.signet.store.Changes;
import dev.signet.store.KeyStore;
import dev.signet.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tenant's own {@link SigningKeys} and {@link JwtMinter}, by tenant name (issue 11: a token of
 * one tenant must never verify with another tenant's JWKS). Keys are loaded, or created and stored,
 * on a tenant's first use; {@link #prepare} does that ahead of time at start and for tenants a
 * configuration reload adds, so no request pays for key generation. A store failure while loading
 * is not cached: the next use tries again.
 *
 * <p>The loaded keys are a per-node cache of the store (issue 13): {@link #reload} drops a tenant's
 * when any node announces that they changed, {@link #reloadAll} every tenant's (a node that may have
 * missed announcements, and every {@code KEY_CHECK_EVERY} in any case, so a cache is never older
 * than that). Rotation: {@link #rotate} (on the schedule, or forced by {@code signet keys rotate}).
 */
public final class TenantKeys {

    private static final Logger LOG = LoggerFactory.getLogger(TenantKeys.class);

    private record Entry(SigningKeys keys, JwtMinter minter) {}

    private final ConcurrentMap<String, Entry> byTenant = new ConcurrentHashMap<>();
    private final Transactions transactions;
    private final KeyStore store;
    private final Changes changes;
    private final Optional<MasterKey> master;
    private final Ids ids;
    private final Clock clock;
    private final KeySettings settings;
    private final Function<String, Duration> retain;
    private final SignatureProvider provider;

    /** As below, with the default rotation and keys retired as soon as their successor signs (tests, tools). */
    public TenantKeys(Transactions transactions, KeyStore store, Optional<MasterKey> master, Ids ids, Clock clock) {
        this(transactions, store, Changes.LOCAL, master, ids, clock, KeySettings.DEFAULTS, t -> Duration.ofDays(1), SignatureProvider.JDK);
    }

    /**
     * @param retain per tenant, how long a key stays published after its successor started signing:
     *     the longest lifetime of a token it signs, plus the clock skew and the key cache lifetime
     * @param provider who signs ({@link SignatureProvider#choose})
     */
    public TenantKeys(Transactions transactions, KeyStore store, Changes changes, Optional<MasterKey> master, Ids ids, Clock clock,
            KeySettings settings, Function<String, Duration> retain, SignatureProvider provider) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.store = Objects.requireNonNull(store, "store");
        this.changes = Objects.requireNonNull(changes, "changes");
        this.master = Objects.requireNonNull(master, "master");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.retain = Objects.requireNonNull(retain, "retain");
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /** Who signs and verifies with these keys. */
    public SignatureProvider signatureProvider() {
        return provider;
    }

    /** Loads or creates the keys of each tenant now. */
    public void prepare(Collection<String> tenants) {
        prepare(tenants, FirstKeys.NONE);
    }

    /** As above, a tenant without keys taking the ones {@code ahead} generated (a new database's start); the rest are dropped. */
    public void prepare(Collection<String> tenants, FirstKeys ahead) {
        Objects.requireNonNull(ahead, "ahead");
        tenants.forEach(t -> entry(t, ahead));
    }

    /** The tenant's keys (its JWKS). */
    public SigningKeys keys(String tenant) {
        return entry(tenant).keys();
    }

    /** Signs with the tenant's keys. */
    public JwtMinter minter(String tenant) {
        return entry(tenant).minter();
    }

    /** The tenant's keys changed in the store (maybe on another node): load them again at next use. */
    public void reload(String tenant) {
        byTenant.remove(tenant);
    }

    /** Drops every tenant's loaded keys; each is loaded again at its next use. */
    public void reloadAll() {
        byTenant.clear();
    }

    /**
     * Rotates what is due for each tenant ({@code force}: every algorithm of each, unless a successor
     * is already waiting), reloads the tenants it rotated, and returns the keys it created.
     */
    public List<KeyRotation.Created> rotate(Collection<String> tenants, boolean force) {
        List<KeyRotation.Created> created = new ArrayList<>();
        for (String tenant : tenants) {
            KeyRotation.ensure(transactions, store, tenant, master, ids, clock, provider, FirstKeys.NONE);
            List<KeyRotation.Created> now = KeyRotation.rotate(transactions, store, changes, tenant, settings, force, master, ids, clock, provider);
            for (KeyRotation.Created c : now) {
                LOG.info("signing key created; published now, signs later", kv("tenant", c.tenant()), kv("alg", c.alg()),
                        kv("kid", c.kid()), kv("signs_from", c.signsFrom().toString()));
            }
            if (!now.isEmpty()) {
                reload(tenant);
            }
            created.addAll(now);
        }
        return created;
    }

    private Entry entry(String tenant) {
        return entry(tenant, FirstKeys.NONE);
    }

    private Entry entry(String tenant, FirstKeys ahead) {
        return byTenant.computeIfAbsent(tenant, t -> {
            SigningKeys keys = SigningKeys.open(KeyRotation.ensure(transactions, store, t, master, ids, clock, provider, ahead), master,
                    retain.apply(t), clock);
            return new Entry(keys, new JwtMinter(keys, provider));
        });
    }
}
