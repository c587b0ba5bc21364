package dev.signet.connector;

/**
 * Optional capability of a {@link Connector}: the kind lets people in without a real upstream
 * (the dev connection). Start-up and reload warn about it; {@code signet check} has nothing upstream
 * to check; probes can walk its whole journey, since Signet serves it.
 */
public interface Unsafe {

    /** The warning logged when such a connection is enabled. */
    String unsafeWarning();
}
