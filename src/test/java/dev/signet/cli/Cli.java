package dev.signet.cli;

import java.io.PrintStream;
import java.util.Map;

/** Lets tests in other packages run a {@code signet} command as the launcher would. */
public final class Cli {

    private Cli() {}

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return Main.run(args, env, out, err);
    }

    /** With another registry of connector kinds (a preset at a fake; a "new build" with a stricter reader). */
    public static int run(String[] args, Map<String, String> env, dev.signet.connector.ConnectorKinds kinds, PrintStream out,
            PrintStream err) {
        return Main.run(args, env, kinds, out, err);
    }
}
