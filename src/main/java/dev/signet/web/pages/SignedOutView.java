package dev.signet.web.pages;

/** The page after signing out when the application named no (valid) place to return to. */
public record SignedOutView(String tenant, String client, Look look) {}
