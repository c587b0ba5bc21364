package dev.signet.observe;

import org.slf4j.MDC;

/**
 * The correlation id of one request, in the log context (MDC key {@value #CORRELATION_ID}) for as
 * long as the request runs on its thread. Use in try-with-resources; closing removes it again, so
 * a pooled or reused thread never carries another request's id.
 */
public final class RequestContext implements AutoCloseable {

    public static final String CORRELATION_ID = "correlation_id";
    public static final String TRACE_ID = "trace_id";
    /** Longest incoming id accepted (longer ones are replaced, not truncated). */
    static final int MAX_ID = 64;

    private final boolean hadTrace;

    private RequestContext(boolean hadTrace) {
        this.hadTrace = hadTrace;
    }

    /** Puts the ids in the log context of the current thread; {@code traceId} may be empty. */
    public static RequestContext open(String correlationId, String traceId) {
        MDC.put(CORRELATION_ID, correlationId);
        boolean trace = !traceId.isEmpty();
        if (trace) {
            MDC.put(TRACE_ID, traceId);
        }
        return new RequestContext(trace);
    }

    /**
     * Whether an incoming {@code X-Request-Id} may be used as is: 8 to 64 characters of
     * {@code [A-Za-z0-9._-]}. Anything else (including ids that could forge log fields or pages) is
     * ignored and a fresh id is generated. No regex: this runs on every request.
     */
    public static boolean wellFormed(String id) {
        int n = id.length();
        if (n < 8 || n > MAX_ID) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        MDC.remove(CORRELATION_ID);
        if (hadTrace) {
            MDC.remove(TRACE_ID);
        }
    }
}
