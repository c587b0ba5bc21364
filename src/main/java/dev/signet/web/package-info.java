/**
 * The HTTP adapter, the only package that imports Helidon. Nothing depends on this package.
 *
 * <p><b>Routes mount themselves.</b> Each capability has one small {@link dev.signet.web.Mount} here
 * ({@code TokenRoutes}, {@code SignInRoutes}, …) that declares its routes as {@link dev.signet.web.Route}
 * values — method, a path from the one path enum ({@code tenant.Urls.Path}) with an optional
 * parameter, the surface its errors are answered on, its rate-limit group, any-Host or not, its
 * sign-in counter — and holds the handlers ({@code Consumer<Exchange>}: translate the request into a
 * call on the capability and its result into a response). {@link dev.signet.web.SignetHttp} mounts
 * them in the order the composition root lists them, wraps each the same way (correlation id, Host →
 * tenant, rate limits, metrics and journey counters by the route's pattern, the one error model
 * {@code ErrorResponses}), then for each mounted path a 405 with {@code Allow} for the methods none
 * of its routes takes (RFC 9110 §15.5.6), and the 404 catch-all last. There is no central route table.
 *
 * <p>Adding an endpoint (say, introspection):
 * <ol>
 *   <li>a constant in {@code tenant.Urls.Path}, with its metadata member name
 *       ({@code INTROSPECT("/introspect", "introspection_endpoint")}) if discovery should list it:
 *       {@code protocol.Discovery} lists every path that has one;
 *   <li>{@code web/IntrospectionRoutes implements Mount}: its routes
 *       ({@code Route.post(Path.INTROSPECT, this::introspect).withSurface(Surface.TOKEN).withLimit(Group.TOKEN)})
 *       and handlers, the capability taken in its constructor;
 *   <li>one line in {@code app/Signet}'s {@code mounts} list.
 * </ol>
 * Two mounts declaring the same method and path refuse to start.
 */
@NullMarked
package dev.signet.web;

import org.jspecify.annotations.NullMarked;
