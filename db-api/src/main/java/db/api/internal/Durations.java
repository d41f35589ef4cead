package db.api.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses configuration durations: ISO-8601 ({@code PT30S}) or a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 1d}); a bare {@code 0} means zero.
 * A sign is parsed so that {@code -5s} is reported as negative rather than as "not a duration"; a
 * duration too large to count in milliseconds is refused, so nothing downstream overflows.
 */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("([-+]?\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException whose message completes "'value' ..." (it never quotes the value)
     */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Duration d;
        if (trimmed.startsWith("p") || trimmed.startsWith("-p") || trimmed.startsWith("+p")) {
            try {
                d = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw e.getCause() instanceof ArithmeticException ? tooLarge() : invalid();
            }
        } else {
            Matcher m = SHORT.matcher(trimmed);
            if (!m.matches()) {
                throw invalid();
            }
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw tooLarge(); // the pattern admits only digits: it is a number, just a huge one
            }
            try {
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } catch (ArithmeticException e) {
                throw tooLarge();
            }
        }
        try {
            long unused = d.toMillis(); // only whether it fits: the millisecond count is not needed
        } catch (ArithmeticException e) {
            throw tooLarge();
        }
        return d;
    }

    /** A compact rendering for logs: {@code 30s}, {@code 500ms}, {@code 10m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long ms;
        try {
            ms = d.toMillis();
        } catch (ArithmeticException e) {
            return d.toString();
        }
        if (ms % 60_000 == 0) {
            return (ms / 60_000) + "m";
        }
        if (ms % 1000 == 0) {
            return (ms / 1000) + "s";
        }
        return ms + "ms";
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("is not a duration (use ISO-8601 like PT30S, "
                + "or a number with a unit: 500ms, 30s, 10m, 1h, 1d)");
    }

    private static IllegalArgumentException tooLarge() {
        return new IllegalArgumentException("is too large for a duration (at most about 292 million years, "
                + "and every key has a far smaller useful range)");
    }
}
