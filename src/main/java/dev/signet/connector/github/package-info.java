/**
 * GitHub and GitHub Enterprise Server ({@code kind: github}): OAuth 2.0 plus the REST API, with the
 * RFC 9207 issuer GitHub really sends as a preset (postmortem 001), an optional organisation/team
 * restriction, and only verified primary emails counted as verified.
 */
@NullMarked
package dev.signet.connector.github;

import org.jspecify.annotations.NullMarked;
