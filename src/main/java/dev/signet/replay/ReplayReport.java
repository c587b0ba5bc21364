package dev.signet.replay;

import java.io.PrintStream;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a replay of one tenant's corpus found: per connection the counts, and every difference
 * between a recorded outcome and the current build's, with the exchange id, the field and the old
 * and new values (README "Upgrading safely").
 */
public record ReplayReport(String tenant, List<Connection> connections, List<Difference> regressions, List<Difference> accepted,
        List<Difference> notReplayed) {

    /** Format of {@code --format json}. */
    public static final String FORMAT = "signet-replay/1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ReplayReport {
        connections = List.copyOf(connections);
        regressions = List.copyOf(regressions);
        accepted = List.copyOf(accepted);
        notReplayed = List.copyOf(notReplayed);
    }

    /** One connection's counts; {@code unchanged} + those with a difference + {@code notReplayed} = {@code exchanges}. */
    public record Connection(String id, String kind, int exchanges, int unchanged, int regressions, int newlyAccepted,
            int notReplayed) {}

    /**
     * One difference: {@code field} is {@code outcome}, {@code subject}, {@code email},
     * {@code email_verified} or {@code client_auth (endpoint)}; {@code detail} says why the current
     * build decided so (the failure's internal detail: the field and connection it names).
     */
    public record Difference(String connection, String exchange, String field, String old, String now, String detail) {}

    /** Whether any exchange regressed. */
    public boolean regressed() {
        return !regressions.isEmpty();
    }

    public int exchanges() {
        return connections.stream().mapToInt(Connection::exchanges).sum();
    }

    /** The human-readable table. */
    public void table(PrintStream out) {
        out.println("tenant " + tenant + ": " + exchanges() + " exchange(s) replayed, " + regressions.size() + " regression(s)");
        out.printf("  %-20s %-10s %9s %9s %11s %14s %12s%n", "CONNECTION", "KIND", "EXCHANGES", "UNCHANGED", "REGRESSIONS",
                "NEWLY_ACCEPTED", "NOT_REPLAYED");
        for (Connection c : connections) {
            out.printf("  %-20s %-10s %9d %9d %11d %14d %12d%n", c.id(), c.kind(), c.exchanges(), c.unchanged(), c.regressions(),
                    c.newlyAccepted(), c.notReplayed());
        }
        list(out, "regressions", regressions);
        list(out, "newly accepted", accepted);
        list(out, "not replayed", notReplayed);
    }

    private static void list(PrintStream out, String title, List<Difference> diffs) {
        if (diffs.isEmpty()) {
            return;
        }
        out.println("  " + title + ":");
        for (Difference d : diffs) {
            out.println("    " + d.connection() + " " + d.exchange() + " " + d.field() + ": " + d.old() + " -> " + d.now()
                    + (d.detail().isEmpty() ? "" : " (" + d.detail() + ")"));
        }
    }

    /** {@code --format json}: one object per tenant. */
    public ObjectNode json() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        root.put("tenant", tenant);
        root.put("exchanges", exchanges());
        root.put("regressed", regressed());
        ArrayNode cs = root.putArray("connections");
        connections.forEach(c -> cs.addObject().put("id", c.id()).put("kind", c.kind()).put("exchanges", c.exchanges())
                .put("unchanged", c.unchanged()).put("regressions", c.regressions()).put("newly_accepted", c.newlyAccepted())
                .put("not_replayed", c.notReplayed()));
        root.set("regressions", JSON.valueToTree(regressions));
        root.set("newly_accepted", JSON.valueToTree(accepted));
        root.set("not_replayed", JSON.valueToTree(notReplayed));
        return root;
    }
}
