package dev.signet.web.pages;

/**
 * The device verification page (RFC 8628 §3.3): enter the code, confirm (or deny) the device's
 * request, then the outcome. {@code error} is shown on the entry form (empty: none).
 */
public record DeviceView(Stage stage, String tenant, String action, String userCode, String client, String scope, String error,
        Look look) {

    public enum Stage { ENTER, CONFIRM, APPROVED, DENIED }
}
