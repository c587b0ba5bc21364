/**
 * The HTTP adapter, the only package that imports Helidon. {@link dev.signet.web.SignetHttp} holds
 * the route table; {@code Routes} translates requests into capability calls; {@code
 * ErrorResponses} is the one place errors become responses. Nothing depends on this package.
 */
@NullMarked
package dev.signet.web;

import org.jspecify.annotations.NullMarked;
