package dev.signet.cli;

import dev.signet.ConfigException;
import dev.signet.app.MemoryBudget;
import dev.signet.app.Signet;
import dev.signet.config.ConfigLoader;
import dev.signet.config.SignetConfig;
import dev.signet.connector.ConnectorKinds;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code signet} command line, parsed by picocli: {@code --help} on every command and
 * subcommand, {@code signet version}, and one set of exit codes for all of them.
 *
 * <pre>
 *   signet serve [--config FILE]   start Signet (FILE, else $SIGNET_CONFIG, else the built-in demo config)
 *   signet train                   walk the sign-in journey on a temporary database, then exit (AOT-cache training, smoke test)
 *   signet check [--config FILE] [--offline] [--json]   preflight: config, every domain, every connection live (CheckCommand)
 *   signet probes [--url URL | --config FILE]           the running server's probe results (management listener)
 *   signet events redeliver [--config FILE] [--event ID] [--sink SINK]
 *   signet audit [--config FILE] [--tenant T] [--user ID] [--connection ID] [--since T] [--until T] [--limit N]
 *   signet migrate [--config FILE] [--dry-run]
 *   signet sessions list [--config FILE] [--tenant T] [--user U] | sessions revoke [--tenant T] (--user U | --session S)
 *   signet corpus export [--config FILE] [--tenant T] [--connection C] [--out FILE]   the upstream corpus (CorpusCommand)
 *   signet replay [--corpus FILE] [--config FILE] [--tenant T] [--connection C] [--format table|json]   (ReplayCommand)
 *   signet version | help [COMMAND]
 * </pre>
 *
 * Exit codes (also in {@code signet --help}): 0 ok, 1 failed (could not start, a check found a problem, a migration failed, a
 * probe fails), 2 invalid configuration (every problem printed), 64 usage, 69 the running server
 * cannot be reached.
 *
 * <p>Picocli reads the annotations below once per process start (reflection at start-up of a
 * command, never per request). Paths on the command line are taken as the caller gave them: the
 * launcher script does not change directory, so {@code --config my.yaml} is relative to the
 * caller's working directory.
 */
public final class Main {

    static final int OK = 0;
    /** The configuration has problems (every one printed). */
    static final int CONFIG = 2;
    static final int USAGE = 64;

    private Main() {}

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream err) {
        return run(args, env, System.out, err);
    }

    /** Runs one {@code signet} command line; returns its exit code. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, ConnectorKinds.production(), out, err);
    }

    /** With another registry of connector kinds (tests: preset variants whose endpoints are a fake's). */
    static int run(String[] args, Map<String, String> env, ConnectorKinds kinds, PrintStream out, PrintStream err) {
        Io io = new Io(env, kinds, out, err);
        // picocli reads each command's annotations when it is added (~50 ms of a start for all of them):
        // a command line naming a command gets only that one; anything else (help, usage, a typo) all of them.
        Map<String, Supplier<Object>> commands = new java.util.LinkedHashMap<>();
        commands.put("serve", () -> new Serve(io));
        commands.put("train", () -> new TrainCommand(io));
        commands.put("check", () -> new Check(io));
        commands.put("probes", () -> new Probes(io));
        commands.put("events", () -> new CommandLine(new Events(io)).addSubcommand(new Redeliver(io)));
        commands.put("audit", () -> new Audit(io));
        commands.put("migrate", () -> new Migrate(io));
        commands.put("keys", () -> new CommandLine(new KeysCommand.Keys(io)).addSubcommand(new KeysCommand.Rotate(io)));
        commands.put("sessions", () -> SessionsCommand.command(io));
        commands.put("corpus", () -> CorpusCommand.command(io));
        commands.put("replay", () -> new ReplayCommand(io));
        commands.put("version", () -> new VersionCommand(io));
        // a lambda, not CommandLine.HelpCommand::new: a method reference to a picocli class (compiled for Java 5, left out of
        // the AOT cache) makes JDK 25.0.3 crash assembling the cache (archiveHeapWriter "Metadata ... should have been archived")
        commands.put("help", () -> new CommandLine.HelpCommand());
        CommandLine cli = new CommandLine(new Root(io));
        if (args.length > 0 && commands.containsKey(args[0]) && !args[0].equals("help")) {
            cli.addSubcommand(args[0], commands.get(args[0]).get());
        } else {
            commands.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            err.println(name(c) + ": " + e.getMessage());
            return 1;
        });
        cli.setUsageHelpWidth(120);
        return cli.execute(args);
    }

    /** A usage error: one line naming what was wrong and where to read more; exit 64. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        PrintWriter err = c.getErr();
        String name = name(c);
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            if (c.getParent() == null && !first.startsWith("-")) {
                err.println("signet: unknown command '" + first + "'; try 'signet help'");
            } else {
                err.println(name + ": unexpected argument '" + first + "'; try '" + name + " --help'");
            }
        } else {
            err.println(name + ": " + e.getMessage() + "; try '" + name + " --help'");
        }
        err.flush();
        return USAGE;
    }

    private static String name(CommandLine c) {
        return c.getCommandSpec().qualifiedName(" ");
    }

    /** What every command gets from the process: environment, the connector kinds and output streams. */
    record Io(Map<String, String> env, ConnectorKinds kinds, PrintStream out, PrintStream err) {
        Io {
            Objects.requireNonNull(env, "env");
            Objects.requireNonNull(kinds, "kinds");
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(err, "err");
        }

        /**
         * The configuration of an offline command: {@code --config} if given, else {@code $SIGNET_CONFIG},
         * else the built-in one, read with this run's connector kinds; empty after every problem was
         * printed (the command then exits {@link Main#CONFIG}).
         */
        Optional<SignetConfig> config(@org.jspecify.annotations.Nullable String option) {
            String path = option != null ? option : env.get("SIGNET_CONFIG");
            ConfigLoader loader = Signet.configLoader(env, kinds);
            try {
                return Optional.of(path == null || path.isBlank() ? loader.loadDefault() : loader.load(Path.of(path)));
            } catch (ConfigException e) {
                err.println("signet: " + e.problems().size() + " configuration problem(s):");
                e.problems().forEach(p -> err.println("  - " + p));
                return Optional.empty();
            }
        }
    }

    /** Version text for {@code --version} and {@code signet version}. */
    static String version() {
        String v = Optional.ofNullable(Main.class.getPackage().getImplementationVersion()).orElse("development build");
        return "signet " + v + " (Java " + Runtime.version() + ", " + System.getProperty("java.vm.name") + ")";
    }

    /** Supplies {@link #version()} to picocli's {@code --version}. */
    static final class VersionText implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {version()};
        }
    }

    @Command(name = "signet", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            synopsisHeading = "", customSynopsis = {
                "usage: signet serve [--config FILE]",
                "       signet train [--data DIR [--prepare]]",
                "       signet check [--config FILE] [--offline] [--json]",
                "       signet probes [--url URL | --config FILE]",
                "       signet events redeliver [--config FILE] [--event ID] [--sink SINK]",
                "       signet audit [--config FILE] [--tenant T] [--user ID] [--connection ID] [--since T] [--until T] [--limit N]",
                "       signet migrate [--config FILE] [--dry-run]",
                "       signet keys rotate [--config FILE] [--tenant T]",
                "       signet sessions list [--config FILE] [--tenant T] [--user U] [--limit N]",
                "       signet sessions revoke [--config FILE] [--tenant T] (--user U | --session S)",
                "       signet corpus export [--config FILE] [--tenant T] [--connection C] [--out FILE]",
                "       signet replay [--corpus FILE] [--config FILE] [--tenant T] [--connection C] [--format table|json]",
                "       signet version | signet help [COMMAND] | signet COMMAND --help",
                "",
                "FILE defaults to $SIGNET_CONFIG, else the built-in demo configuration; a relative FILE is relative to the",
                "directory you run signet from.",
            },
            description = "%nSelf-hosted sign-in: OpenID Connect for applications, brokered to upstream identity providers.",
            commandListHeading = "%nCommands:%n", footerHeading = "%nExit codes:%n", footer = {
                "  0   ok",
                "  1   failed: could not start (the port is taken, ...), a check found a problem, a probe fails, a migration failed,",
                "      signet replay found a regression",
                "  2   invalid configuration: every problem is printed with its path",
                "  64  usage: unknown command or option, missing or malformed value",
                "  69  the running server's management listener cannot be reached (signet probes)",
            })
    static final class Root implements Callable<Integer> {
        private final Io io;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Root(Io io) {
            this.io = io;
        }

        /** {@code signet} alone: the usage, on standard error, as a usage error. */
        @Override
        public Integer call() {
            spec.commandLine().usage(io.err());
            return USAGE;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            description = "Start Signet and serve until stopped (SIGTERM/Ctrl-C drains in-flight sign-ins first)."
                    + " Reloads the configuration file on SIGHUP and when it changes.",
            footerHeading = "%nExit codes:%n", footer = {"  1 could not start, 2 invalid configuration, 64 usage"})
    static final class Serve implements Callable<Integer> {
        private final Io io;

        @Option(names = "--config", paramLabel = "FILE",
                description = "The YAML configuration (default: $SIGNET_CONFIG, else the built-in demo configuration).")
        String config;

        Serve(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            return serve(config == null ? io.env().get("SIGNET_CONFIG") : config, io);
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            description = "Walk the whole sign-in journey on a temporary database and a free loopback port, then exit"
                    + " (records the start-up cache under -XX:AOTCacheOutput; also a smoke test: exit 1 when it fails).")
    static final class TrainCommand implements Callable<Integer> {
        private final Io io;

        @Option(names = "--data", paramLabel = "DIR", description = "The database directory to walk the journey on (created and"
                + " migrated when new, kept afterwards); default: a temporary one, removed afterwards.")
        Path data;

        @Option(names = "--prepare", description = "Only start and stop Signet on --data DIR (creates and migrates its database), no"
                + " journey: the launcher records the start-up cache on a database that already exists, as a start finds it.")
        boolean prepare;

        TrainCommand(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            if (prepare && data == null) {
                io.err().println("signet train: --prepare needs --data DIR");
                return USAGE;
            }
            try {
                return Train.run(io.env(), Optional.ofNullable(data), prepare);
            } catch (Exception e) {
                io.err().println("signet train: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            description = "The preflight before a deploy: validate the configuration (every problem listed), check discovery and"
                    + " callbacks on every domain, then check every connection against its live upstream.",
            footerHeading = "%nExit codes:%n", footer = {"  0 nothing is a problem, 1 something is, 2 invalid configuration, 64 usage"})
    static final class Check implements Callable<Integer> {
        private final Io io;

        @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration (default: $SIGNET_CONFIG, else the built-in one).")
        String config;

        @Option(names = "--offline", description = "Contact no upstream: configuration and domains only.")
        boolean offline;

        @Option(names = "--json", description = "One JSON document instead of the table.")
        boolean json;

        Check(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            return CheckCommand.run(config == null ? io.env().get("SIGNET_CONFIG") : config, offline, json, io);
        }
    }

    @Command(name = "probes", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            description = "The running server's probe results, read from its management listener (GET /probes).",
            footerHeading = "%nExit codes:%n", footer = {"  0 every probe passes, 1 one fails, 64 usage, 69 the server cannot be reached"})
    static final class Probes implements Callable<Integer> {
        private final Io io;

        @Option(names = "--url", paramLabel = "URL", description = "The management listener's base URL (default: from the configuration, else http://127.0.0.1:9464).")
        String url;

        @Option(names = "--config", paramLabel = "FILE", description = "Read the management host and port from this configuration (default: $SIGNET_CONFIG).")
        String config;

        Probes(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            return ProbesCommand.run(url, config == null ? io.env().get("SIGNET_CONFIG") : config, io.env(), io.kinds(), io.out(), io.err());
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            description = "Operator commands on the outbox of a configuration's store.")
    static final class Events implements Callable<Integer> {
        private final Io io;

        Events(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            io.err().println("usage: signet events redeliver [--config FILE] [--event ID] [--sink SINK]");
            return USAGE;
        }
    }

    @Command(name = "redeliver", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            description = "Put dead-lettered deliveries back to pending; the running relay picks them up at its next poll.")
    static final class Redeliver implements Callable<Integer> {
        private final Io io;

        @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration (default: $SIGNET_CONFIG, else the built-in one).")
        String config;

        @Option(names = "--event", paramLabel = "ID", description = "Only this event.")
        String event;

        @Option(names = "--sink", paramLabel = "SINK", description = "Only deliveries to this sink.")
        String sink;

        Redeliver(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            var opts = new EventsCommand.Options(Optional.ofNullable(config), Optional.ofNullable(event), Optional.ofNullable(sink),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 100);
            return EventsCommand.run(true, opts, io.env(), io.kinds(), io.out(), io.err());
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            description = "The audit trail of a configuration's store, newest first, one JSON object per line.")
    static final class Audit implements Callable<Integer> {
        private final Io io;

        @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration (default: $SIGNET_CONFIG, else the built-in one).")
        String config;

        @Option(names = "--tenant", paramLabel = "TENANT")
        String tenant;

        @Option(names = "--user", paramLabel = "ID")
        String user;

        @Option(names = "--connection", paramLabel = "ID")
        String connection;

        @Option(names = "--since", paramLabel = "T", description = "ISO-8601 instant, e.g. 2026-11-29T00:00:00Z.")
        String since;

        @Option(names = "--until", paramLabel = "T", description = "ISO-8601 instant.")
        String until;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N events (default ${DEFAULT-VALUE}).")
        int limit;

        Audit(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            if (limit < 1) {
                io.err().println("signet audit: --limit must be at least 1");
                return USAGE;
            }
            var opts = new EventsCommand.Options(Optional.ofNullable(config), Optional.empty(), Optional.empty(),
                    Optional.ofNullable(tenant), Optional.ofNullable(user), Optional.ofNullable(connection), Optional.ofNullable(since),
                    Optional.ofNullable(until), limit);
            return EventsCommand.run(false, opts, io.env(), io.kinds(), io.out(), io.err());
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            description = "Migrate the configured database (SQLite or PostgreSQL) to this build's schema and print the versions"
                    + " applied; --dry-run prints the pending migrations and their SQL files and changes nothing.")
    static final class Migrate implements Callable<Integer> {
        private final Io io;

        @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration (default: $SIGNET_CONFIG, else the built-in one).")
        String config;

        @Option(names = "--dry-run", description = "Print what would change; change nothing.")
        boolean dryRun;

        Migrate(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            return MigrateCommand.run(config == null ? io.env().get("SIGNET_CONFIG") : config, dryRun, io.env(), io.out(), io.err());
        }
    }

    @Command(name = "version", mixinStandardHelpOptions = true, versionProvider = VersionText.class,
            description = "Print Signet's version and the Java runtime it runs on.")
    static final class VersionCommand implements Callable<Integer> {
        private final Io io;

        VersionCommand(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            io.out().println(version());
            return OK;
        }
    }

    private static int serve(String file, Io io) {
        PrintStream err = io.err();
        SignetConfig config;
        ConfigLoader loader = Signet.configLoader(io.env(), io.kinds());
        try {
            config = file == null || file.isBlank() ? loader.loadDefault() : loader.load(Path.of(file));
            MemoryBudget.checked(config, Runtime.getRuntime().maxMemory()); // the bounds must fit this heap
        } catch (ConfigException e) {
            err.println("signet: refusing to start, " + e.problems().size() + " configuration problem(s) in "
                    + (file == null || file.isBlank() ? "the built-in configuration" : file) + ":");
            e.problems().forEach(p -> err.println("  - " + p));
            return 2;
        }
        Signet signet;
        try {
            signet = Signet.start(config, Signet.Options.system().withKinds(io.kinds()));
            if (file != null && !file.isBlank()) {
                signet.reloadOnChange(loader, Path.of(file));
            }
        } catch (RuntimeException e) {
            err.println("signet: could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signet.close();
            stopped.countDown();
        }, "signet-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
