package dev.signet.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code /health/live}: the process answers (no dependency checked, so an orchestrator does not
 * restart Signet because its database is briefly down). {@code /health/ready}: every check passes
 * (store reachable, keys loaded, configuration valid); a load balancer stops sending sign-ins while
 * it fails.
 */
public final class Health {

    /** One readiness check: passes when {@code check} returns true and does not throw. */
    public record Check(String name, Callable<Boolean> check) {}

    /** The outcome: overall, and per check "up" or "down: reason". */
    public record Report(boolean up, Map<String, String> checks) {
        public int status() {
            return up ? 200 : 503;
        }

        public String json() {
            StringBuilder sb = new StringBuilder("{\"status\":\"").append(up ? "up" : "down").append("\",\"checks\":{");
            String sep = "";
            for (var e : checks.entrySet()) {
                sb.append(sep).append('"').append(Json.escape(e.getKey())).append("\":\"").append(Json.escape(e.getValue())).append('"');
                sep = ",";
            }
            return sb.append("}}").toString();
        }
    }

    private final List<Check> checks;

    public Health(List<Check> checks) {
        this.checks = List.copyOf(checks);
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
            } catch (Exception e) {
                result = "down: " + e.getClass().getSimpleName();
            }
            up &= result.equals("up");
            out.put(c.name(), result);
        }
        return new Report(up, out);
    }
}
