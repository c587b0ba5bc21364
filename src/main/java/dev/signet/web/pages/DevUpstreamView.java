package dev.signet.web.pages;

public record DevUpstreamView(String connection, String action, String state, String nonce, String redirectUri, String email) {}
