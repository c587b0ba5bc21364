package dev.signet.connector;

/**
 * The issuer a connection expects in the callback's {@code iss} parameter and whether the upstream
 * advertises {@code authorization_response_iss_parameter_supported} (RFC 9207 §3). The issuer is
 * always explicit: configured, or carried by a preset, never a library default (postmortem 001).
 */
public record IssuerExpectation(String issuer, boolean issParameterAdvertised) {}
