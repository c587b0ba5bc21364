package dev.signet.store;

/** An open store transaction, passed explicitly to every store call (no thread-bound context). */
public interface Tx {}
