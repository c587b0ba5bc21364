package dev.signet.cli;

import dev.signet.ConfigException;
import dev.signet.UnavailableException;
import dev.signet.app.Signet;
import dev.signet.config.ConfigLoader;
import dev.signet.config.SignetConfig;
import dev.signet.store.jdbc.Migrations;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code signet migrate [--config FILE] [--dry-run]}: brings the configured database (SQLite or
 * PostgreSQL) to this build's schema before nodes of the new version start, and prints the
 * versions applied; {@code --dry-run} prints the pending migrations and their SQL files and changes
 * nothing. Nodes also migrate at start, so this is for operators who migrate before rolling.
 *
 * <p>Exit codes: 0 done (or nothing to do), 1 the database cannot be reached or a migration failed,
 * 2 invalid configuration.
 */
final class MigrateCommand {

    private MigrateCommand() {}

    static int run(String file, boolean dryRun, Map<String, String> env, PrintStream out, PrintStream err) {
        SignetConfig config;
        ConfigLoader loader = Signet.configLoader(env);
        try {
            config = file == null || file.isBlank() ? loader.loadDefault() : loader.load(Path.of(file));
        } catch (ConfigException e) {
            err.println("signet: " + e.problems().size() + " configuration problem(s):");
            e.problems().forEach(p -> err.println("  - " + p));
            return 2;
        }
        try {
            Migrations.Plan plan = Migrations.plan(config.data());
            out.println("database: " + plan.database() + ", schema version " + plan.current().orElse("none (new database)"));
            if (dryRun) {
                if (plan.pending().isEmpty()) {
                    out.println("up to date: nothing would change");
                } else {
                    out.println("would apply " + plan.pending().size() + " migration(s):");
                    print(plan.pending(), out);
                    out.println("nothing changed (--dry-run)");
                }
                return 0;
            }
            List<Migrations.Migration> applied = Migrations.migrate(config.data());
            if (applied.isEmpty()) {
                out.println("up to date: nothing applied");
            } else {
                out.println("applied " + applied.size() + " migration(s):");
                print(applied, out);
                out.println("schema version " + applied.getLast().version());
            }
            return 0;
        } catch (UnavailableException e) {
            err.println("signet migrate: " + e.getMessage());
            return 1;
        }
    }

    private static void print(List<Migrations.Migration> migrations, PrintStream out) {
        for (Migrations.Migration m : migrations) {
            out.println("  V" + m.version() + "  " + m.description() + "  (" + m.script() + ")");
        }
    }
}
