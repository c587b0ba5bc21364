package dev.signet.cli;

import dev.signet.ConfigException;
import dev.signet.app.Signet;
import dev.signet.config.ConfigLoader;
import dev.signet.config.SignetConfig;
import dev.signet.store.AuditStore;
import dev.signet.store.StoredEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean redeliver = args[0].equals("events");
        int first = 1;
        if (redeliver) {
            if (args.length < 2 || !args[1].equals("redeliver")) {
                err.println("usage: signet events redeliver [--config FILE] [--event ID] [--sink SINK]");
                return 64;
            }
            first = 2;
        }
        Set<String> allowed = redeliver ? Set.of("--config", "--event", "--sink")
                : Set.of("--config", "--user", "--connection", "--since", "--until", "--limit", "--tenant");
        Map<String, String> opts = new HashMap<>();
        for (int i = first; i < args.length; i++) {
            if (!allowed.contains(args[i]) || i + 1 >= args.length) {
                err.println("signet " + args[0] + ": unexpected argument '" + args[i] + "' (allowed: " + String.join(" ", allowed) + ")");
                return 64;
            }
            opts.put(args[i], args[++i]);
        }
        SignetConfig config;
        String file = opts.getOrDefault("--config", env.get("SIGNET_CONFIG"));
        ConfigLoader loader = Signet.configLoader(env);
        try {
            config = file == null || file.isBlank() ? loader.loadDefault() : loader.load(Path.of(file));
        } catch (ConfigException e) {
            err.println("signet: " + e.problems().size() + " configuration problem(s):");
            e.problems().forEach(p -> err.println("  - " + p));
            return 2;
        }
        try (Signet.Offline offline = Signet.offline(config, Clock.systemUTC())) {
            if (redeliver) {
                int n = offline.events().redeliver(Optional.ofNullable(opts.get("--event")), Optional.ofNullable(opts.get("--sink")));
                out.println("redelivering " + n + " dead-lettered deliver" + (n == 1 ? "y" : "ies"));
                return 0;
            }
            AuditStore.Query q = new AuditStore.Query(Optional.ofNullable(opts.get("--tenant")), Optional.ofNullable(opts.get("--user")),
                    Optional.ofNullable(opts.get("--connection")), instant(opts.get("--since")), instant(opts.get("--until")),
                    Integer.parseInt(opts.getOrDefault("--limit", "100")));
            for (StoredEvent e : offline.events().audit(q)) {
                out.println(line(e));
            }
            return 0;
        } catch (DateTimeParseException | NumberFormatException e) {
            err.println("signet " + args[0] + ": " + e.getMessage());
            return 64;
        }
    }

    private static Optional<Instant> instant(String s) {
        return Optional.ofNullable(s).map(Instant::parse);
    }

    private static String line(StoredEvent e) {
        return "{\"id\":\"" + e.id() + "\",\"type\":\"" + e.type() + "\",\"occurred_at\":\"" + e.occurredAt() + "\",\"tenant\":\""
                + e.tenant() + "\"" + e.userId().map(u -> ",\"user_id\":\"" + u + "\"").orElse("")
                + e.connection().map(c -> ",\"connection\":\"" + c + "\"").orElse("") + ",\"data\":" + e.data() + "}";
    }
}
