package io.parley.doctor;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one step of the diagnosis.
 *
 * @param name   the step ({@code tcp}, {@code websocket}, …)
 * @param status how it went
 * @param detail what was seen, in one line
 * @param fix    for a failure or a warning, what to change
 */
public record Check(String name, Status status, String detail, Optional<String> fix) {
    /** How a step went. */
    public enum Status {
        /** As a working deployment answers. */
        OK,
        /** Works, but something is off (a missing extra, a risk); not counted as a failure. */
        WARN,
        /** Broken: clients fail here. */
        FAIL,
        /** Not run, because an earlier step failed or an option was not given. */
        SKIP
    }

    /** Validates the check. */
    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(fix, "fix");
    }

    static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, Optional.empty());
    }

    static Check fail(String name, String detail, String fix) {
        return new Check(name, Status.FAIL, detail, Optional.of(fix));
    }

    static Check warn(String name, String detail, String fix) {
        return new Check(name, Status.WARN, detail, Optional.of(fix));
    }

    static Check skip(String name, String why) {
        return new Check(name, Status.SKIP, why, Optional.empty());
    }

    /** @return the check as one line: status, step, what was seen and, when there is one, the fix */
    public String line() {
        String label = switch (status) {
            case OK -> "ok  ";
            case WARN -> "warn";
            case FAIL -> "FAIL";
            case SKIP -> "skip";
        };
        return String.format("%s %-13s %s%s", label, name, detail, fix.map(f -> " -> fix: " + f).orElse(""));
    }
}
