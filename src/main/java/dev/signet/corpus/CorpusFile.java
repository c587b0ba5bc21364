package dev.signet.corpus;

import dev.signet.config.ConnectionSettings;
import dev.signet.store.CorpusEntry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The exported corpus file, format {@value Recorder#FORMAT} (README "Upstream corpus"): one
 * tenant, its connections in id order, each with its exchanges oldest first. What
 * {@code signet corpus export} writes and {@code signet replay} will read.
 */
public final class CorpusFile {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CorpusFile() {}

    /** {@code entries} of {@code tenant} (by connection, oldest first), grouped by connection; {@code configured} adds each connection's settings when known. */
    public static String write(String tenant, Instant exportedAt, List<ConnectionSettings> configured, List<CorpusEntry> entries) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", Recorder.FORMAT);
        root.put("exported_at", exportedAt.toString());
        root.put("tenant", tenant);
        Map<String, ArrayNode> byConnection = new LinkedHashMap<>();
        ArrayNode connections = root.putArray("connections");
        for (CorpusEntry e : entries) { // the store's order: by connection, oldest first
            ArrayNode exchanges = byConnection.computeIfAbsent(e.connection(), id -> {
                ObjectNode c = connections.addObject();
                c.put("id", id);
                Optional<ConnectionSettings> s = configured.stream().filter(k -> k.id().equals(id)).findFirst();
                s.ifPresent(k -> c.put("kind", k.kind()));
                s.ifPresent(k -> c.put("record_limit", k.recordLimit()));
                return c.putArray("exchanges");
            });
            ObjectNode x = (ObjectNode) JSON.readTree(e.entry());
            x.put("id", e.id());
            exchanges.add(x);
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }
}
