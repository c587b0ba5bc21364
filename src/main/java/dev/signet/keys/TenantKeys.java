package dev.signet.keys;

import dev.signet.Ids;
import dev.signet.store.KeyStore;
import dev.signet.store.Transactions;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every tenant's own {@link SigningKeys} and {@link JwtMinter}, by tenant name (issue 11: a token of
 * one tenant must never verify with another tenant's JWKS). Keys are loaded, or created and stored,
 * on a tenant's first use and then kept for the life of the process; {@link #prepare} does that
 * ahead of time at start and for tenants a configuration reload adds, so no request pays for key
 * generation. A store failure while loading is not cached: the next use tries again.
 */
public final class TenantKeys {

    private record Entry(SigningKeys keys, JwtMinter minter) {}

    private final ConcurrentMap<String, Entry> byTenant = new ConcurrentHashMap<>();
    private final Transactions transactions;
    private final KeyStore store;
    private final Optional<MasterKey> master;
    private final Ids ids;
    private final Clock clock;

    public TenantKeys(Transactions transactions, KeyStore store, Optional<MasterKey> master, Ids ids, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.store = Objects.requireNonNull(store, "store");
        this.master = Objects.requireNonNull(master, "master");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Loads or creates the keys of each tenant now. */
    public void prepare(Collection<String> tenants) {
        tenants.forEach(this::entry);
    }

    /** The tenant's keys (its JWKS). */
    public SigningKeys keys(String tenant) {
        return entry(tenant).keys();
    }

    /** Signs with the tenant's keys. */
    public JwtMinter minter(String tenant) {
        return entry(tenant).minter();
    }

    private Entry entry(String tenant) {
        return byTenant.computeIfAbsent(tenant, t -> {
            SigningKeys keys = SigningKeys.loadOrCreate(transactions, store, t, master, ids, clock);
            return new Entry(keys, new JwtMinter(keys));
        });
    }
}
