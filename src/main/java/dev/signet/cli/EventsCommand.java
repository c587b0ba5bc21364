package dev.signet.cli;

import dev.signet.ConfigException;
import dev.signet.app.Signet;
import dev.signet.config.ConfigLoader;
import dev.signet.config.SignetConfig;
import dev.signet.connector.ConnectorKinds;
import dev.signet.store.AuditStore;
import dev.signet.store.StoredEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code signet events redeliver} and {@code signet audit}: operator commands on the store of a
 * configuration. They work while Signet runs (SQLite WAL allows another process; the running
 * relay picks redelivered rows up at its next poll).
 *
 * <pre>
 *   signet events redeliver [--config FILE] [--event ID] [--sink SINK]   → "redelivering N"
 *   signet audit [--config FILE] [--user ID] [--connection ID] [--since ISO-8601] [--until ISO-8601] [--limit N]
 *                                                                          → one JSON object per line, newest first
 * </pre>
 */
final class EventsCommand {

    private EventsCommand() {}

    /** The options of the command line, by their long name ({@code --config}, {@code --event}, …); absent when not given. */
    record Options(Optional<String> config, Optional<String> event, Optional<String> sink, Optional<String> tenant,
            Optional<String> user, Optional<String> connection, Optional<String> since, Optional<String> until, int limit) {}

    static int run(boolean redeliver, Options opts, Map<String, String> env, ConnectorKinds kinds, PrintStream out, PrintStream err) {
        String name = redeliver ? "events redeliver" : "audit";
        SignetConfig config;
        String file = opts.config().orElse(env.get("SIGNET_CONFIG"));
        ConfigLoader loader = Signet.configLoader(env, kinds);
        try {
            config = file == null || file.isBlank() ? loader.loadDefault() : loader.load(Path.of(file));
        } catch (ConfigException e) {
            err.println("signet: " + e.problems().size() + " configuration problem(s):");
            e.problems().forEach(p -> err.println("  - " + p));
            return 2;
        }
        try (Signet.Offline offline = Signet.offline(config, Clock.systemUTC())) {
            if (redeliver) {
                int n = offline.events().redeliver(opts.event(), opts.sink());
                out.println("redelivering " + n + " dead-lettered deliver" + (n == 1 ? "y" : "ies"));
                return 0;
            }
            AuditStore.Query q = new AuditStore.Query(opts.tenant(), opts.user(), opts.connection(), opts.since().map(Instant::parse),
                    opts.until().map(Instant::parse), opts.limit());
            for (StoredEvent e : offline.events().audit(q)) {
                out.println(line(e));
            }
            return 0;
        } catch (DateTimeParseException e) {
            err.println("signet " + name + ": " + e.getMessage());
            return 64;
        }
    }

    private static String line(StoredEvent e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", e.id());
        line.put("type", e.type());
        line.put("occurred_at", e.occurredAt().toString());
        line.put("tenant", e.tenant());
        e.userId().ifPresent(u -> line.put("user_id", u));
        e.connection().ifPresent(c -> line.put("connection", c));
        line.put("data", JsonLine.embedded(e.data()));
        return JsonLine.of(line);
    }
}
