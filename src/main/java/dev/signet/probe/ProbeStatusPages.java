package dev.signet.probe;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The probe status as JSON (for {@code signet probes}) and as a small HTML page. */
final class ProbeStatusPages {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProbeStatusPages() {}

    static String json(Collection<ProbeRunner.Status> all, Map<String, Map<String, LastDrift>> drifts) {
        List<Map<String, Object>> rows = sorted(all).stream().map(s -> {
            ProbeResult r = s.latest();
            ProbeTarget t = r.target();
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("tenant", t.tenant());
            m.put("domain", t.domain());
            m.put("connection", t.connection());
            m.put("kind", t.kind());
            m.put("ok", r.ok());
            m.put("step", r.step());
            m.put("reason", r.reason());
            m.put("detail", r.detail());
            m.put("checked_at", r.at().toString());
            m.put("since", s.since().toString());
            m.put("took_ms", r.took().toMillis());
            m.put("runs", s.runs());
            m.put("failures", s.failures());
            drift(drifts, t).ifPresent(d -> {
                Map<String, Object> dm = new java.util.LinkedHashMap<>();
                dm.put("field", d.field());
                dm.put("old", d.old());
                dm.put("new", d.now());
                dm.put("hint", d.hint());
                dm.put("at", d.at().toString());
                m.put("last_drift", dm);
            });
            return m;
        }).toList();
        return JSON.writeValueAsString(rows);
    }

    static String html(Collection<ProbeRunner.Status> all, Map<String, Map<String, LastDrift>> drifts) {
        StringBuilder sb = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Signet probes</title>"
                + "<meta http-equiv=\"refresh\" content=\"10\"><style>body{font-family:system-ui,sans-serif;margin:2rem}"
                + "td,th{padding:.3rem .8rem;text-align:left}.ok{color:#0a0}.failing{color:#c00;font-weight:bold}</style></head><body>"
                + "<h1>Signet probes</h1><table><tr><th>tenant</th><th>domain</th><th>connection</th><th>state</th><th>step</th>"
                + "<th>reason</th><th>detail</th><th>since</th><th>checked</th><th>last drift</th></tr>");
        for (ProbeRunner.Status s : sorted(all)) {
            ProbeResult r = s.latest();
            ProbeTarget t = r.target();
            sb.append("<tr><td>").append(esc(t.tenant())).append("</td><td>").append(esc(t.domain())).append("</td><td>")
                    .append(esc(t.connection())).append("</td><td class=\"").append(r.ok() ? "ok\">ok" : "failing\">failing")
                    .append("</td><td>").append(esc(r.step())).append("</td><td>").append(esc(r.reason())).append("</td><td>")
                    .append(esc(r.detail())).append("</td><td>").append(s.since()).append("</td><td>").append(r.at()).append("</td><td class=\"drift\">")
                    .append(drift(drifts, t).map(d -> esc(d.field() + ": " + d.old() + " → " + d.now() + "; " + d.hint()) + " ("
                            + d.at() + ")").orElse("")).append("</td></tr>");
        }
        if (all.isEmpty()) {
            sb.append("<tr><td colspan=\"10\">No probe has run yet.</td></tr>");
        }
        return sb.append("</table></body></html>").toString();
    }

    private static java.util.Optional<LastDrift> drift(Map<String, Map<String, LastDrift>> drifts, ProbeTarget t) {
        return java.util.Optional.ofNullable(drifts.getOrDefault(t.tenant(), Map.of()).get(t.connection()));
    }

    private static List<ProbeRunner.Status> sorted(Collection<ProbeRunner.Status> all) {
        return all.stream().sorted(Comparator.comparing(s -> s.latest().target().key())).toList();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
