package dev.signet.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /health/live}: the process answers (no dependency checked, so an orchestrator does not
 * restart Signet because its database is briefly down). {@code /health/ready}: every check passes
 * (the store takes a read and a rolled-back write, keys loaded, configuration valid); a load
 * balancer stops sending sign-ins while it fails. Besides the checks, the body carries {@link
 * Section}s the operator needs to read the state (the configuration version in force and the last
 * reload's outcome, issue 17); they never change the status.
 */
public final class Health {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One readiness check: passes when {@code check} returns true and does not throw. */
    public record Check(String name, Callable<Boolean> check) {}

    /** A part of the body that informs and never fails readiness (e.g. {@code config}). */
    public record Section(String name, Supplier<Map<String, Object>> value) {}

    /**
     * Thrown by a check to say why it fails in words the operator can act on ({@code writes
     * refused: store.unavailable}); any other exception shows only its class name.
     */
    public static final class Down extends Exception {
        public Down(String why) {
            super(why, null, false, false);
        }
    }

    /** The outcome: overall, per check "up" or "down: reason", and the informing sections. */
    public record Report(boolean up, Map<String, String> checks, Map<String, Object> sections) {
        public Report(boolean up, Map<String, String> checks) {
            this(up, checks, Map.of());
        }

        public int status() {
            return up ? 200 : 503;
        }

        public String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", up ? "up" : "down");
            m.put("checks", checks);
            m.putAll(sections);
            return JSON.writeValueAsString(m);
        }
    }

    private final List<Check> checks;
    private final List<Section> sections;

    public Health(List<Check> checks) {
        this(checks, List.of());
    }

    public Health(List<Check> checks, List<Section> sections) {
        this.checks = List.copyOf(checks);
        this.sections = List.copyOf(sections);
    }

    public Report live() {
        return new Report(true, Map.of());
    }

    public Report ready() {
        Map<String, String> out = new LinkedHashMap<>();
        boolean up = true;
        for (Check c : checks) {
            String result;
            try {
                result = Boolean.TRUE.equals(c.check().call()) ? "up" : "down";
            } catch (Down e) {
                result = "down: " + e.getMessage();
            } catch (Exception e) {
                result = "down: " + e.getClass().getSimpleName();
            }
            up &= result.equals("up");
            out.put(c.name(), result);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        for (Section s : sections) {
            try {
                info.put(s.name(), s.value().get());
            } catch (RuntimeException e) {
                info.put(s.name(), Map.of("error", e.getClass().getSimpleName()));
            }
        }
        return new Report(up, out, info);
    }
}
