package dev.signet.store;

/** A user's account at one upstream connection: (connection, subject) → user. */
public record Identity(String tenant, String connection, String subject, String userId) {}
