/**
 * The sign-in journey at upstreams: {@link dev.signet.broker.Broker} (start and callback, see its
 * step table), {@link dev.signet.broker.Accounts} (find, link or create the user; create the
 * session) and {@link dev.signet.broker.SignInPolicy} (which connection, the chooser, email routing and
 * their notices, returned as a typed step that {@code web} only renders). Hands back to the
 * protocol by redirecting to {@code /authorize/resume}, or runs the {@code Broker.Resumption} the
 * caller hands in inside the callback's transaction (issue 16); never calls the protocol itself.
 */
@NullMarked
package dev.signet.broker;

import org.jspecify.annotations.NullMarked;
