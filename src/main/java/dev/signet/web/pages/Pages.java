package dev.signet.web.pages;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * Server-rendered hosted pages. Templates are compiled at build time (jte-maven-plugin), so start-up
 * compiles nothing and a deploy can never serve a stale cached page: every page is sent with
 * {@code Cache-Control: no-store}. HTML escaping is automatic ({@code ContentType.Html}).
 */
public final class Pages {

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public String home(HomeView v) {
        return render("home.jte", v);
    }

    public String signIn(SignInView v) {
        return render("signin.jte", v);
    }

    public String error(ErrorView v) {
        return render("error.jte", v);
    }

    public String devUpstream(DevUpstreamView v) {
        return render("dev_upstream.jte", v);
    }

    public String continueTo(ContinueView v) {
        return render("continue.jte", v);
    }

    public String device(DeviceView v) {
        return render("device.jte", v);
    }

    public String demo(DemoView v) {
        return render("demo.jte", v);
    }

    public String logout(LogoutView v) {
        return render("logout.jte", v);
    }

    public String signedOut(SignedOutView v) {
        return render("signed_out.jte", v);
    }

    public String consent(ConsentView v) {
        return render("consent.jte", v);
    }

    public String formPost(FormPostView v) {
        return render("form_post.jte", v);
    }

    private String render(String template, Object view) {
        StringOutput out = new StringOutput();
        engine.render(template, view, out);
        return out.toString();
    }
}
