package dev.signet.store.jdbc;

import dev.signet.Reason;
import dev.signet.UnavailableException;
import dev.signet.config.DataSettings;
import dev.signet.config.DataSettings.PostgresSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The schema migrations of the configured store, for operators ({@code signet migrate}): what is
 * pending (without changing anything) and applying it. The same {@code db/migration} files serve
 * SQLite and PostgreSQL; on PostgreSQL Flyway holds an advisory lock while it migrates, so running
 * this while nodes start is safe.
 */
public final class Migrations {

    static final String LOCATION = "classpath:db/migration";

    private Migrations() {}

    /** One migration file: its version, description and script name ({@code V6__key_rotation.sql}). */
    public record Migration(String version, String description, String script) {}

    /** What the database has ({@code current}, empty when new) and what this build would apply. */
    public record Plan(String database, Optional<String> current, List<Migration> pending) {}

    /** What {@link #migrate} would do; changes nothing (a SQLite file that does not exist yet is not created). */
    public static Plan plan(DataSettings data) {
        Optional<Path> file = sqliteFile(data);
        if (file.isPresent() && !Files.exists(file.get())) {
            // every migration is pending; asked of an empty in-memory database so that no file is created
            var all = Flyway.configure().locations(LOCATION).dataSource("jdbc:sqlite::memory:", null, null).load().info().pending();
            return new Plan(describe(data), Optional.empty(), Arrays.stream(all).map(Migrations::of).toList());
        }
        return run(data, f -> {
            var info = f.info();
            return new Plan(describe(data), Optional.ofNullable(info.current()).map(i -> i.getVersion().getVersion()),
                    Arrays.stream(info.pending()).map(Migrations::of).toList());
        });
    }

    /** Applies every pending migration; returns those applied (empty when the schema was current or newer). */
    public static List<Migration> migrate(DataSettings data) {
        return run(data, f -> {
            MigrateResult r = f.migrate();
            return r.migrations.stream().map(m -> new Migration(m.version, m.description, Path.of(m.filepath).getFileName().toString()))
                    .toList();
        });
    }

    /** Where the store is, without credentials: the PostgreSQL URL or the SQLite file. */
    public static String describe(DataSettings data) {
        return data.postgres().map(pg -> "PostgreSQL " + pg.url())
                .orElseGet(() -> "SQLite " + data.dir().resolve("signet.db").toAbsolutePath());
    }

    /** Flyway on the configured database, on connections of its own (no statement or lock timeout). */
    static org.flywaydb.core.api.configuration.FluentConfiguration configure(DataSettings data) {
        Optional<PostgresSettings> pg = data.postgres();
        var c = Flyway.configure().locations(LOCATION);
        if (pg.isPresent()) {
            return c.dataSource(pg.get().url(), pg.get().user(), pg.get().password().map(p -> p.value()).orElse(null));
        }
        return c.dataSource("jdbc:sqlite:" + data.dir().resolve("signet.db").toAbsolutePath(), null, null);
    }

    private static Flyway flyway(DataSettings data) {
        if (data.postgres().isEmpty()) {
            try {
                Files.createDirectories(data.dir());
            } catch (IOException e) {
                throw new UnavailableException(Reason.STORE_UNAVAILABLE, "cannot create data directory " + data.dir(), e);
            }
        }
        return configure(data).load();
    }

    private static <T> T run(DataSettings data, java.util.function.Function<Flyway, T> work) {
        try {
            return work.apply(flyway(data));
        } catch (FlywayException e) {
            throw new UnavailableException(Reason.STORE_UNAVAILABLE, describe(data) + ": " + rootMessage(e), e);
        }
    }

    private static Optional<Path> sqliteFile(DataSettings data) {
        return data.postgres().isPresent() ? Optional.empty() : Optional.of(data.dir().resolve("signet.db"));
    }

    private static Migration of(MigrationInfo i) {
        return new Migration(i.getVersion() == null ? "" : i.getVersion().getVersion(), i.getDescription(), i.getScript());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
