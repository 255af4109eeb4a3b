package io.parley.bootstrap;

import java.net.BindException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Turns the usual ways a start-up fails — the database missing, unreachable or refusing the credentials,
 * Redis unreachable, the port taken — into one line with the cause and the fix, instead of a stack trace
 * with the cause twenty lines down. Anything else is not explained (the caller shows it as it is).
 */
final class StartupFailure {
    private StartupFailure() {
    }

    /**
     * @param failure what the start-up threw
     * @return one line saying what is wrong and what to do, when the cause is a known one
     */
    static Optional<String> explain(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return Optional.of("the port is already in use (" + firstLine(cause) + "): stop the process that "
                        + "holds it, or choose another port with PARLEY_PORT");
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                Optional<String> known = postgres(sql.getSQLState(), firstLine(sql));
                if (known.isPresent()) {
                    return known;
                }
            }
            if (cause.getClass().getName().equals("io.lettuce.core.RedisConnectionException")) {
                return Optional.of("Redis is unreachable (" + firstLine(cause) + "): start it, or check "
                        + "PARLEY_REDIS_URI; a single node needs no Redis (PARLEY_FANOUT=memory)");
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return Optional.of("a service Parley needs is unreachable (" + firstLine(cause) + "): check that "
                        + "PostgreSQL or Redis runs at the configured host and port");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> postgres(String state, String message) {
        if (state.equals("3D000")) {
            return Optional.of("the PostgreSQL database does not exist (" + message + "): create it first, e.g. "
                    + "createdb parley or CREATE DATABASE parley, or fix PARLEY_DB_URL");
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return Optional.of("PostgreSQL refused the login (" + message + "): check PARLEY_DB_USER and "
                    + "PARLEY_DB_PASSWORD");
        }
        if (state.startsWith("08")) {
            return Optional.of("PostgreSQL is unreachable (" + message + "): is it running, and are the host and "
                    + "port in PARLEY_DB_URL right?");
        }
        return Optional.empty();
    }

    private static String firstLine(Throwable cause) {
        String message = String.valueOf(cause.getMessage()).strip();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end).strip();
    }
}
