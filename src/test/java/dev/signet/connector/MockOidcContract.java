package dev.signet.connector;

import dev.signet.connector.fake.MockOidc;
import java.util.Map;

/**
 * {@link ConnectorContract} for OIDC kinds on mock-oauth2-server, one issuer id per test class; the
 * subclass lists its connections, pointing them at {@code ${UPSTREAM}} (that issuer's URL).
 */
public abstract class MockOidcContract extends ConnectorContract {

    protected MockOidc upstream;

    /** mock-oauth2-server's issuer id (the first path segment). */
    protected abstract String issuerId();

    @Override
    protected void startUpstream() {
        upstream = new MockOidc(issuerId());
    }

    @Override
    protected void stopUpstream() {
        upstream.close();
    }

    @Override
    protected Map<String, String> env() {
        return Map.of("UPSTREAM", upstream.issuer(issuerId()));
    }

    @Override
    protected String expectedIssuer() {
        return upstream.issuer(issuerId());
    }

    @Override
    protected String authorizationEndpoint() {
        return upstream.issuer(issuerId()) + "/authorize";
    }

    @Override
    protected void nextSignIn(Person p) {
        upstream.nextSignIn(p);
    }

    @Override
    protected String nextAnswerLacksRequiredField() {
        return upstream.nextTokenResponseWithoutIdToken();
    }

    @Override
    protected void failNextCall(Fault fault) {
        upstream.failNextCall(fault);
    }
}
