package dev.signet.protocol.token;

import dev.signet.protocol.Params;
import java.util.Optional;

/** A token request as received: the form body and the {@code Authorization} header, if any. */
public record TokenRequest(Params form, Optional<String> authorization) {}
