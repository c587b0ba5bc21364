/**
 * The sign-in journey at upstreams: {@link dev.signet.broker.Broker} (start and callback, see its
 * step table), {@link dev.signet.broker.Accounts} (find, link or create the user; create the
 * session) and {@link dev.signet.broker.SignInPolicy} (which connection, the chooser, email routing and
 * their notices, returned as a typed step that {@code web} only renders). Hands back to the
 * protocol by redirecting to {@code /authorize/resume}; never calls it.
 */
@NullMarked
package dev.signet.broker;

import org.jspecify.annotations.NullMarked;
