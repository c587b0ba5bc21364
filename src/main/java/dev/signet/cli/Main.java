package dev.signet.cli;

import dev.signet.ConfigException;
import dev.signet.app.Signet;
import dev.signet.config.ConfigLoader;
import dev.signet.config.SignetConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The {@code signet} command.
 *
 * <pre>
 *   signet serve [--config FILE]   start Signet (FILE, else $SIGNET_CONFIG, else the built-in demo config)
 *   signet train                   walk the sign-in journey on a temporary database, then exit (AOT-cache training, smoke test)
 *   signet check [--config FILE] [--offline] [--json]   preflight: config, every domain, every connection live (CheckCommand)
 *   signet probes [--url URL]     the running server's probe results (management listener); exit 1 when one fails
 *   signet help
 * </pre>
 *
 * Exit codes: 0 ok, 1 could not start (e.g. the port is taken), 2 invalid configuration (every
 * problem printed), 64 usage.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(run(args, System.getenv(), System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream err) {
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "serve" -> {
                return serve(args, env, err);
            }
            case "train" -> {
                try {
                    return Train.run(env);
                } catch (Exception e) {
                    err.println("signet train: " + e.getMessage());
                    return 1;
                }
            }
            case "check" -> {
                return CheckCommand.run(args, env, System.out, err);
            }
            case "probes" -> {
                return ProbesCommand.run(args, env, System.out, err);
            }
            case "events", "audit" -> {
                return EventsCommand.run(args, env, System.out, err);
            }
            case "help", "--help", "-h" -> {
                err.println("usage: signet serve [--config FILE]    (or set SIGNET_CONFIG; without either, the built-in demo config)");
                err.println("       signet train                   (walk the sign-in journey once on a temporary database, then exit)");
                err.println("       signet check [--config FILE] [--offline] [--json]   (validate the config, then check every domain and connection)");
                err.println("       signet probes [--url URL | --config FILE]   (probe results of the running server, from its management port)");
                err.println("       signet events redeliver [--config FILE] [--event ID] [--sink SINK]   (dead letters back to pending)");
                err.println("       signet audit [--config FILE] [--user ID] [--connection ID] [--since T] [--until T] [--limit N]");
                return args.length == 0 ? 64 : 0;
            }
            default -> {
                err.println("signet: unknown command '" + command + "'; try 'signet help'");
                return 64;
            }
        }
    }

    private static int serve(String[] args, Map<String, String> env, PrintStream err) {
        String file = env.get("SIGNET_CONFIG");
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = args[++i];
            } else {
                err.println("signet serve: unexpected argument '" + args[i] + "'");
                return 64;
            }
        }
        SignetConfig config;
        ConfigLoader loader = Signet.configLoader(env);
        try {
            config = file == null || file.isBlank() ? loader.loadDefault() : loader.load(Path.of(file));
        } catch (ConfigException e) {
            err.println("signet: refusing to start, " + e.problems().size() + " configuration problem(s) in "
                    + (file == null ? "the built-in configuration" : file) + ":");
            e.problems().forEach(p -> err.println("  - " + p));
            return 2;
        }
        Signet signet;
        try {
            signet = Signet.start(config, Signet.Options.system());
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
