package dev.signet.cli;

import dev.signet.SignetException;
import dev.signet.app.Signet;
import dev.signet.config.SignetConfig;
import dev.signet.protocol.logout.SessionAdmin;
import dev.signet.store.Session;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Tenants;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code signet sessions list|revoke}: operator commands on the sessions in a configuration's
 * store, also while Signet runs (SQLite WAL allows another process). A revocation ends the sessions
 * in one transaction each way the server does (session, grants, events), and the clients with a
 * {@code backchannel_logout_uri} get their logout tokens from the running server's outbox relay at
 * its next poll.
 *
 * <pre>
 *   signet sessions list   [--config FILE] [--tenant T] [--user U] [--limit N]  → one JSON object per line, newest sign-in first
 *   signet sessions revoke [--config FILE] [--tenant T] (--user U | --session S) → "revoked N session(s) …"
 * </pre>
 *
 * {@code --tenant} defaults to the configuration's first tenant. Exit codes: 0 ok (also when nothing
 * matched: revoking is idempotent), 1 the store failed, 2 invalid configuration, 64 usage (no or both
 * of --user/--session, an unknown tenant).
 */
final class SessionsCommand {

    private SessionsCommand() {}

    static CommandLine command(Main.Io io) {
        return new CommandLine(new Group(io)).addSubcommand(new ListCommand(io)).addSubcommand(new RevokeCommand(io));
    }

    @Command(name = "sessions", mixinStandardHelpOptions = true, versionProvider = Main.VersionText.class,
            description = "List or revoke users' sign-in sessions (revoking also signs them out of applications with back-channel logout).")
    static final class Group implements Callable<Integer> {
        private final Main.Io io;

        Group(Main.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            io.err().println("usage: signet sessions list [--tenant T] [--user U] | signet sessions revoke [--tenant T] (--user U | --session S)");
            return Main.USAGE;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.VersionText.class,
            description = "Active sessions, newest sign-in first, one JSON object per line.")
    static final class ListCommand implements Callable<Integer> {
        private final Main.Io io;

        @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration (default: $SIGNET_CONFIG, else the built-in one).")
        String config;

        @Option(names = "--tenant", paramLabel = "T", description = "The tenant (default: the configuration's first).")
        String tenant;

        @Option(names = "--user", paramLabel = "U", description = "Only this user's sessions (the user id, the sub claim).")
        String user;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N sessions (default ${DEFAULT-VALUE}).")
        int limit;

        ListCommand(Main.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            if (limit < 1) {
                io.err().println("signet sessions list: --limit must be at least 1");
                return Main.USAGE;
            }
            return withStore(io, config, tenant, "signet sessions list", (admin, t) -> {
                for (SessionAdmin.Listed listed : admin.list(t, Optional.ofNullable(user), limit)) {
                    Session s = listed.session();
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("session_id", s.id());
                    line.put("tenant", s.tenant());
                    line.put("user_id", s.userId());
                    line.put("connection", s.connection());
                    line.put("auth_time", s.authTime().toString());
                    line.put("expires_at", s.expiresAt().toString());
                    line.put("issuer", listed.issuer()); // of the domain it was signed in on
                    io.out().println(JsonLine.of(line));
                }
                return Main.OK;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = Main.VersionText.class,
            description = {"End sessions: --user ends all of a user's sessions and forgets the consents they gave; --session ends one.",
                "Every grant issued in those sessions is revoked; applications with a backchannel_logout_uri get a logout token",
                "from the running server."})
    static final class RevokeCommand implements Callable<Integer> {
        private final Main.Io io;

        @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration (default: $SIGNET_CONFIG, else the built-in one).")
        String config;

        @Option(names = "--tenant", paramLabel = "T", description = "The tenant (default: the configuration's first).")
        String tenant;

        @Option(names = "--user", paramLabel = "U", description = "Every session of this user (the user id, the sub claim).")
        String user;

        @Option(names = "--session", paramLabel = "S", description = "This session (the session id, the sid claim).")
        String session;

        RevokeCommand(Main.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            if ((user == null) == (session == null)) {
                io.err().println("signet sessions revoke: give exactly one of --user or --session; try 'signet sessions revoke --help'");
                return Main.USAGE;
            }
            return withStore(io, config, tenant, "signet sessions revoke", (admin, t) -> {
                SessionAdmin.Revoked r = user != null ? admin.revokeUser(t, user) : admin.revokeSession(t, session);
                io.out().println("revoked " + r.sessions() + " session(s); back-channel logout queued for " + r.notified().size()
                        + " client(s)" + (r.notified().isEmpty() ? "" : " " + String.join(", ", r.notified()))
                        + (user != null ? "; forgot " + r.consents() + " consent(s)" : ""));
                return Main.OK;
            });
        }
    }

    private interface Action {
        int run(SessionAdmin admin, Tenant tenant);
    }

    private static int withStore(Main.Io io, String file, String tenantName, String name, Action action) {
        Optional<SignetConfig> loaded = io.config(file);
        if (loaded.isEmpty()) {
            return Main.CONFIG;
        }
        SignetConfig config = loaded.get();
        Tenants tenants = Tenants.of(config);
        Optional<Tenant> tenant = tenantName == null ? Optional.of(tenants.first()) : tenants.byName(tenantName);
        if (tenant.isEmpty()) {
            io.err().println(name + ": no tenant named '" + tenantName + "' in the configuration");
            return Main.USAGE;
        }
        try (Signet.Offline offline = Signet.offline(config, Clock.systemUTC())) {
            return action.run(offline.sessions(), tenant.get());
        } catch (SignetException e) {
            io.err().println(name + ": " + e.getMessage());
            return 1;
        }
    }
}
