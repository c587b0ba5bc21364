package dev.signet.connector;

/**
 * Optional capability of a {@link Connector}: the upstream answers the authorization request with
 * {@code response_mode=form_post} (OAuth 2.0 Form Post Response Mode, §2): the browser brings the
 * callback parameters as a cross-site, top-level {@code POST} of
 * {@code application/x-www-form-urlencoded} to {@code /callback/{connection}}, not as a query string.
 *
 * <p>Such a POST carries no {@code SameSite=Lax} cookie, so for these connections Signet also binds
 * the state with a second cookie that is {@code SameSite=None; Secure} (see {@code broker.Broker}).
 * A callback must arrive in the mode the connection asked for. Checked with {@code instanceof} on the
 * connector (dex's optional connector interfaces), never on settings.
 */
public interface FormPostCallbacks {

    /** True when this connection asks its upstream for {@code response_mode=form_post}. */
    boolean formPost();

    /** Whether {@code connector} has its callbacks posted. */
    static boolean of(Connector connector) {
        return connector instanceof FormPostCallbacks f && f.formPost();
    }
}
