package dev.signet.protocol.device;

import java.net.URI;

/** The device authorization response (RFC 8628 §3.2). */
public record DeviceAuthorization(String deviceCode, String userCode, URI verificationUri, URI verificationUriComplete, long expiresIn,
        long interval) {}
