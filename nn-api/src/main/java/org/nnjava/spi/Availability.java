package org.nnjava.spi;

import java.util.Objects;

/**
 * Whether a backend can run on this machine, and if not, why: the result of
 * {@link BackendProvider#probe()}.
 *
 * @param available true if {@link BackendProvider#create} will work here
 * @param reason why not (a sentence a user can act on); empty when available
 */
public record Availability(boolean available, String reason) {

    /**
     * An availability of the given values.
     *
     * @param available whether the backend can run here
     * @param reason why not; empty when available
     * @throws NullPointerException if {@code reason} is null
     */
    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * The backend can run here.
     *
     * @return an availability with an empty reason
     */
    public static Availability ok() {
        return new Availability(true, "");
    }

    /**
     * The backend cannot run here, for the given reason.
     *
     * @param reason a sentence a user can act on, e.g. which library to install
     * @return an unavailable availability with that reason
     */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
