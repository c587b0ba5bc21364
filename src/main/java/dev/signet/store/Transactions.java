package dev.signet.store;

import java.util.function.Function;

/**
 * Runs work in one store transaction. Each step of the sign-in journey is exactly one call.
 *
 * <p>Throws {@link dev.signet.UnavailableException} when the store cannot be reached or the
 * transaction fails for a transient reason; never returns null for "not there" (stores use
 * {@link java.util.Optional} for that).
 */
public interface Transactions {
    /** A read-write transaction: committed when {@code work} returns, rolled back when it throws. */
    <T> T write(Function<Tx, T> work);

    /** A read-only transaction. */
    <T> T read(Function<Tx, T> work);
}
