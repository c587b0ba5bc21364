package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.broker.SignInPolicy;
import dev.signet.protocol.Params;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.protocol.device.DeviceAuthorization;
import dev.signet.protocol.device.DeviceAuthorizationEndpoint;
import dev.signet.protocol.device.UserCodes;
import dev.signet.session.Sessions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import dev.signet.web.pages.DeviceView;
import dev.signet.web.pages.Pages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The device authorization grant (RFC 8628): the device's {@code /device_authorization} request
 * (client-authenticated like {@code /token}: JSON errors, its limits) and the verification page
 * {@code /device} the user opens (§3.3; its POST, which looks user codes up, in the DEVICE group: §5.1).
 */
public final class DeviceRoutes implements Mount {

    private final DeviceAuthorizationEndpoint device;
    private final AuthorizeEndpoint authorize;
    private final Sessions sessions;
    private final Pages pages;
    private final SignInAnswers answers;

    public DeviceRoutes(DeviceAuthorizationEndpoint device, AuthorizeEndpoint authorize, Sessions sessions, SignInPolicy policy,
            Pages pages) {
        this.device = Objects.requireNonNull(device, "device");
        this.authorize = Objects.requireNonNull(authorize, "authorize");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.pages = Objects.requireNonNull(pages, "pages");
        this.answers = new SignInAnswers(Objects.requireNonNull(policy, "policy"), pages);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post(Path.DEVICE_AUTHORIZATION, this::deviceAuthorization).withSurface(Surface.TOKEN).withLimit(Group.TOKEN),
                Route.get(Path.DEVICE, this::device).withLimit(Group.PAGES),
                Route.post(Path.DEVICE, this::device).withLimit(Group.DEVICE));
    }

    /** RFC 8628 §3.1–3.2. */
    void deviceAuthorization(Exchange x) {
        DeviceAuthorization d = device.handle(x.tenant(), TokenRoutes.clientRequest(x));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_code", d.deviceCode());
        body.put("user_code", d.userCode());
        body.put("verification_uri", d.verificationUri().toString());
        body.put("verification_uri_complete", d.verificationUriComplete().toString());
        body.put("expires_in", d.expiresIn());
        body.put("interval", d.interval());
        x.json(200, Json.write(body), false);
    }

    /**
     * The device verification page (RFC 8628 §3.3). GET: the code form, filled in from
     * {@code verification_uri_complete} only when the value is a well-formed code (text from a URL is
     * never shown otherwise). POST without {@code decision}: the code is looked up (rate-limited per
     * address, §5.1) and the user confirms or denies; {@code approve} continues into the usual sign-in
     * ({@link AuthorizeEndpoint#device}), {@code deny} answers the device's next poll with
     * {@code access_denied}. The code itself is shown for comparison with the device's screen (§5.4,
     * remote phishing).
     */
    void device(Exchange x) {
        Tenant tenant = x.tenant();
        if (x.method().equals("GET")) {
            String code = x.query().get("user_code").flatMap(UserCodes::normalize).map(UserCodes::display).orElse("");
            x.html(200, pages.device(view(tenant, DeviceView.Stage.ENTER, code, "", "", "")));
            return;
        }
        x.requireSameOrigin();
        Params f = x.form();
        String typed = f.get("user_code").orElse("");
        Optional<DeviceAuthorizationEndpoint.Waiting> waiting = device.waiting(tenant, typed);
        if (waiting.isEmpty()) {
            x.html(400, pages.device(view(tenant, DeviceView.Stage.ENTER, "", "", "",
                    "That code is not valid, or it expired or was already used. Check the code on your device and type it again.")));
            return;
        }
        var w = waiting.get();
        switch (f.get("decision").orElse("")) {
            case "" -> x.html(200, pages.device(view(tenant, DeviceView.Stage.CONFIRM, w.userCode(), w.clientName(), w.scope(), "")));
            case "deny" -> {
                device.deny(tenant, w.id());
                x.html(200, pages.device(view(tenant, DeviceView.Stage.DENIED, "", w.clientName(), "", "")));
            }
            case "approve" -> answers.answer(x, authorize.device(tenant, w.id(), w.clientId(), w.clientName(),
                    sessions.lookup(tenant.name(), x.cookie(Sessions.COOKIE))), Optional.empty());
            default -> throw ProtocolException.of(Reason.INVALID_REQUEST, "decision must be approve or deny");
        }
    }

    static DeviceView view(Tenant tenant, DeviceView.Stage stage, String code, String client, String scope, String error) {
        return new DeviceView(stage, tenant.settings().displayName(), tenant.urls().at(Path.DEVICE).toString(), code, client, scope, error,
                Looks.of(tenant));
    }
}
