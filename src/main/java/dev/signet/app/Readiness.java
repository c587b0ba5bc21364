package dev.signet.app;

import dev.signet.keys.TenantKeys;
import dev.signet.observe.Health;
import dev.signet.store.jdbc.Database;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** The readiness checks the management listener reports, for the composition root (kept under 500 lines). */
final class Readiness {

    private Readiness() {}

    static Health checks(AtomicBoolean stopping, Database db, TenantKeys keys, Supplier<Snapshot> current) {
        return new Health(List.of(
                new Health.Check("serving", () -> !stopping.get()), // down first on shutdown: the load balancer drains the node
                new Health.Check("store", () -> db.read(tx -> Boolean.TRUE)),
                new Health.Check("keys", () -> current.get().tenants().onEveryDomain().stream()
                        .allMatch(t -> !keys.keys(t.name()).publicKeys().getKeys().isEmpty())),
                new Health.Check("config", () -> !current.get().tenants().onEveryDomain().isEmpty())));
    }
}
