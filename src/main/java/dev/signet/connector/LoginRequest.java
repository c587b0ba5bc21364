package dev.signet.connector;

import java.net.URI;
import java.util.Optional;

/** Signet's own state, nonce and PKCE challenge towards the upstream, and where it must call back. */
public record LoginRequest(String state, String nonce, String codeChallenge, URI callbackUri, Optional<String> loginHint) {}
