/**
 * The {@code apple} connector kind: Sign in with Apple (appleid.apple.com), an OIDC upstream that
 * differs from the generic one in three ways, so it is its own connector rather than a preset of
 * {@code oidc}: its client secret is an ES256 JWT Signet signs from the team's key
 * ({@link dev.signet.connector.apple.AppleClientSecret}); it answers with
 * {@code response_mode=form_post} ({@link dev.signet.connector.FormPostCallbacks}); and the user's
 * name is not in the ID token but in the {@code user} form field of the first sign-in only.
 */
@NullMarked
package dev.signet.connector.apple;

import org.jspecify.annotations.NullMarked;
