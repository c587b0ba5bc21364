package dev.signet;

/**
 * A dependency Signet needs (the store) did not answer. Never means "invalid": callers must not
 * clear sessions or reject grants because of it; the user is asked to retry.
 */
public final class UnavailableException extends SignetException {

    public UnavailableException(Reason reason, String detail, Throwable cause) {
        super(reason, "Signet cannot reach its data store right now. Please try again in a moment.", detail, cause);
    }
}
