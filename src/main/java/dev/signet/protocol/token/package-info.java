/**
 * The token endpoint: {@link dev.signet.protocol.token.TokenEndpoint} (the pipeline),
 * package-private grants registered in its map, {@link dev.signet.protocol.token.Tokens} (JWT
 * access and ID tokens). Each grant is one store transaction at most; client_credentials touches
 * no store.
 */
@NullMarked
package dev.signet.protocol.token;

import org.jspecify.annotations.NullMarked;
