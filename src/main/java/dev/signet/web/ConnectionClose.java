package dev.signet.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * RFC 9112 §9.6: a server that receives the "close" connection option MUST initiate closure of the
 * connection after it sends the final response to that request. Helidon 4.5.0 answers such a request
 * with {@code Connection: close} and then waits for another request on the same connection until the
 * client goes away; both listeners end it themselves.
 */
final class ConnectionClose {

    private ConnectionClose() {}

    /**
     * Whether the request carries the "close" option (connection options are case-insensitive tokens
     * in a comma-separated list, RFC 9110 §7.6.1); if so the response announces the close (§9.6: the
     * server then sends "close" too), whatever else the request lists.
     */
    static boolean asked(ServerRequest req, ServerResponse res) {
        for (String value : req.headers().values(HeaderNames.CONNECTION)) {
            for (String option : value.split(",")) {
                if (option.strip().equalsIgnoreCase("close")) {
                    res.header(HeaderValues.CONNECTION_CLOSE);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * After the response: reads what is left of the request content (a handler that failed early may
     * not have; closing a socket with unread bytes makes the kernel send a reset, which can destroy the
     * response before the client has read it, §9.6), then ends the connection. Helidon closes it when
     * a handler throws {@link CloseConnectionException}; the response is already written.
     */
    static void afterAnswer(ServerRequest req) {
        try {
            if (!req.content().consumed()) {
                req.content().consume();
            }
        } catch (RuntimeException unreadable) {
            // the connection ends either way
        }
        throw new CloseConnectionException("the request asked to close the connection (RFC 9112 §9.6)");
    }
}
