package dev.signet;

/** A bug or an impossible state. Users see {@code server_error} and a correlation id only. */
public final class InternalException extends SignetException {

    public InternalException(String detail, Throwable cause) {
        super(Reason.INTERNAL, "Something went wrong inside Signet.", detail, cause);
    }
}
