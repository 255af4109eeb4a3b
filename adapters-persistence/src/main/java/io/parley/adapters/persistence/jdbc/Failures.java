package io.parley.adapters.persistence.jdbc;

import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;

/**
 * Turns database failures into {@link ParleyException}s with a code the transports understand. Messages
 * are safe for clients: they name what went wrong, never the SQL or the server's text.
 */
final class Failures {
    private Failures() {
    }

    /**
     * @param e    a failure from the pool, the driver or the database client
     * @param what what was being done, for the message
     * @return the refusal to throw: {@code unavailable} when the database is down, slow or overloaded;
     *         {@code invalid} or {@code conflict} when the data broke a rule; {@code internal} otherwise
     */
    static ParleyException translate(Throwable e, String what) {
        if (e instanceof ParleyException parley) {
            return parley;
        }
        if (isUnavailable(e)) {
            return unavailable(what, e);
        }
        String state = sqlCause(e).map(SQLException::getSQLState).orElse("");
        if (state == null) {
            state = "";
        }
        if (state.equals("23505")) {
            return new ParleyException(ErrorCode.CONFLICT, what + " conflicts with existing data", e);
        }
        if (state.startsWith("22") || state.startsWith("23")) {
            // Data exceptions (too long, bad encoding such as NUL, out of range) and other integrity rules.
            return new ParleyException(ErrorCode.INVALID, what + ": a value is too long or not allowed", e);
        }
        return new ParleyException(ErrorCode.INTERNAL, what + " failed", e);
    }

    /**
     * @param what what was being done
     * @param cause why it could not be
     * @return an {@code unavailable} refusal
     */
    static ParleyException unavailable(String what, Throwable cause) {
        return new ParleyException(ErrorCode.UNAVAILABLE, "the database is unavailable; " + what + " did not complete",
                cause);
    }

    /**
     * @param e          a failure
     * @param constraint a constraint or unique index name
     * @return whether it is a unique violation of that constraint
     */
    static boolean violates(Throwable e, String constraint) {
        return sqlCause(e).filter(s -> "23505".equals(s.getSQLState()))
                .map(s -> s instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                        && constraint.equals(p.getServerErrorMessage().getConstraint()))
                .orElse(false);
    }

    /**
     * @param e a failure
     * @return whether retrying the same transaction may well succeed (deadlock, serialization failure)
     */
    static boolean isRetryable(Throwable e) {
        return sqlCause(e).map(SQLException::getSQLState).filter(s -> s.equals("40P01") || s.equals("40001"))
                .isPresent();
    }

    /**
     * @param e a failure
     * @return whether the failure says the database is down or too slow, as opposed to a bad draft
     */
    static boolean isUnavailable(Throwable e) {
        Optional<SQLException> sql = sqlCause(e);
        return sql.isEmpty() ? looksLikeConnectionFailure(e) : isUnavailable(sql.get(), sql.get().getSQLState());
    }

    private static boolean isUnavailable(SQLException e, String state) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true; // includes the pool's "connection is not available, request timed out"
        }
        String s = state == null ? "" : state;
        return s.startsWith("08") // connection exceptions
                || s.equals("57014") // query_canceled: the statement timeout
                || s.startsWith("57P") // admin shutdown, crash shutdown, cannot connect now
                || s.startsWith("53") // insufficient resources: too many connections, disk full
                || s.equals("55P03") // lock_not_available
                || s.equals("40P01") || s.equals("40001") // deadlock or serialization failure, retried in vain
                || s.isEmpty() && e.getCause() instanceof java.io.IOException;
    }

    private static boolean looksLikeConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static Optional<SQLException> sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return Optional.of(sql);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
