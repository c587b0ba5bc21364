package dev.signet.broker;

import dev.signet.config.ConnectionSettings;
import dev.signet.tenant.Tenant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The sign-in page's policy: where a request that must sign in goes next. Decided here and returned
 * as a {@link Step}; {@code web} only renders it (a redirect, the chooser page, a page that continues).
 *
 * <table>
 *   <caption>What decides the step</caption>
 *   <tr><th>the request</th><th>step</th></tr>
 *   <tr><td>names a connection the tenant has (Signet's {@code connection} parameter)</td><td>{@link Step.ToConnection}</td></tr>
 *   <tr><td>names none, and its {@code login_hint} (OIDC Core §3.1.2.1) is an address whose domain a
 *       connection lists in {@code email_domains}</td><td>{@link Step.ToConnection}, with the hint</td></tr>
 *   <tr><td>anything else (an unknown connection too)</td><td>{@link Step.Chooser}</td></tr>
 *   <tr><td>an address typed in the page's email form, its domain routed</td><td>{@link Step.Continue}</td></tr>
 *   <tr><td>an address typed, its domain not routed</td><td>the request's step; a chooser carries the
 *       notice naming the domain typed</td></tr>
 * </table>
 *
 * Home-realm discovery: domains compare case-insensitively; the first connection listing a domain
 * wins. A chooser lists every connection with what is known about its availability ({@link
 * Availability}): one that is unavailable is shown so, with a retry and the others. The domain typed
 * is only ever shown in the answer to that browser's own POST (issue 11, defect 7): never read from a
 * URL; there is no bounce through {@code /authorize/resume} with it.
 */
public final class SignInPolicy {

    /** Where the sign-in goes next. */
    public sealed interface Step {
        /** Straight on to this connection ({@code loginHint}: passed on to it). */
        record ToConnection(String connectionId, Optional<String> loginHint) implements Step {}

        /** The address typed routes to this connection: continue there with it as {@code login_hint}. */
        record Continue(String connectionId, String name, String loginHint) implements Step {}

        /**
         * The chooser. {@code byEmail}: offer "continue with your email" (some connection lists email
         * domains); {@code emailHint}: pre-filled in it; {@code unroutedDomain}: the domain just typed
         * that no connection serves (the notice).
         */
        record Chooser(List<Choice> choices, boolean byEmail, String emailHint, Optional<String> unroutedDomain) implements Step {
            public Chooser {
                choices = List.copyOf(choices);
            }
        }
    }

    /** One entry of the chooser; {@code unavailable}: why it cannot be used right now. */
    public record Choice(String connectionId, String name, Optional<String> unavailable) {}

    /**
     * Whether a connection's upstream is known not to answer right now (its circuit breaker is open,
     * or its synthetic probe fails at the upstream): the sign-in page then says so and offers a retry
     * and the other connections instead of sending the browser to a host that does not answer.
     * Empty: no known problem. Supplied by the composition root, which sees breakers and probes.
     */
    @FunctionalInterface
    public interface Availability {
        Optional<String> problem(String tenant, String connectionId);
    }

    private final Availability availability;

    public SignInPolicy(Availability availability) {
        this.availability = Objects.requireNonNull(availability, "availability");
    }

    /**
     * The step for a request waiting to sign in: {@code requested}, the connection it names;
     * {@code loginHint}, its hint; {@code typed}, an address this browser just typed in the email form
     * that no connection serves (the chooser then names its domain).
     */
    public Step forRequest(Tenant tenant, Optional<String> requested, Optional<String> loginHint, Optional<String> typed) {
        List<ConnectionSettings> connections = tenant.settings().connections();
        Optional<ConnectionSettings> chosen = requested.flatMap(tenant::connection);
        if (chosen.isEmpty() && requested.isEmpty()) { // login_hint with a routed domain skips the chooser
            chosen = loginHint.flatMap(h -> byEmail(connections, h));
        }
        if (chosen.isPresent()) {
            return new Step.ToConnection(chosen.get().id(), loginHint);
        }
        List<Choice> choices = connections.stream()
                .map(c -> new Choice(c.id(), c.name(), availability.problem(tenant.name(), c.id()))).toList();
        boolean offered = connections.stream().anyMatch(c -> !c.emailDomains().isEmpty());
        return new Step.Chooser(choices, offered, loginHint.orElse(""), typed.map(SignInPolicy::domainOf));
    }

    /** The step for an address typed in the email form: on to the connection that serves its domain; empty when none does. */
    public Optional<Step.Continue> forTypedEmail(Tenant tenant, String email) {
        return byEmail(tenant.settings().connections(), email).map(c -> new Step.Continue(c.id(), c.name(), email.trim()));
    }

    /** The connection for {@code email}'s domain; empty when it is not an address or no connection lists its domain. */
    static Optional<ConnectionSettings> byEmail(List<ConnectionSettings> connections, String email) {
        String e = email.trim();
        int at = e.lastIndexOf('@');
        if (at <= 0 || at == e.length() - 1) {
            return Optional.empty();
        }
        String domain = e.substring(at + 1).toLowerCase(Locale.ROOT);
        for (ConnectionSettings c : connections) {
            for (String d : c.emailDomains()) {
                if (d.equalsIgnoreCase(domain)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    /** The domain part of what was typed, for the page's notice (at most 100 characters). */
    static String domainOf(String email) {
        String e = email.trim();
        String d = e.substring(e.lastIndexOf('@') + 1);
        return d.length() > 100 ? d.substring(0, 100) : d;
    }
}
