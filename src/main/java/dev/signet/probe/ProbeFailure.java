package dev.signet.probe;

import dev.signet.Reason;

/** A probe step failed: which step, the reason code and what was seen. */
final class ProbeFailure extends Exception {

    final String step;
    final Reason reason;

    ProbeFailure(String step, Reason reason, String detail) {
        super(detail, null, false, false);
        this.step = step;
        this.reason = reason;
    }
}
