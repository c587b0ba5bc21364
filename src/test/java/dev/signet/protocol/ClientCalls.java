package dev.signet.protocol;

import dev.signet.harness.Browser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Form POSTs to the endpoints a client calls with its credentials (/token, /introspect, /revoke,
 * /device_authorization), with HTTP Basic (RFC 6749 §2.3.1) or without any Authorization header.
 */
final class ClientCalls {

    private static final Browser HTTP = new Browser();

    private ClientCalls() {}

    static HttpResponse<String> basic(URI issuer, String path, String clientId, String secret, Map<String, String> form) {
        return HTTP.send(request(issuer, path, form).header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8))));
    }

    static HttpResponse<String> form(URI issuer, String path, Map<String, String> form) {
        return HTTP.send(request(issuer, path, form));
    }

    private static HttpRequest.Builder request(URI issuer, String path, Map<String, String> form) {
        return HttpRequest.newBuilder(URI.create(issuer + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.form(form)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
