/**
 * Browser sessions at Signet: {@link dev.signet.session.Sessions} creates them (inside the sign-in
 * transaction) and looks them up as {@link dev.signet.session.SessionLookup} = Valid | Absent |
 * Unavailable, never null.
 */
@NullMarked
package dev.signet.session;

import org.jspecify.annotations.NullMarked;
