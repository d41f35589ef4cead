package db.api.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses configuration durations: ISO-8601 ({@code PT30S}) or a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 1d}); a bare {@code 0} means zero.
 */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message fit for a config problem list
     */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        if (trimmed.startsWith("p") || trimmed.startsWith("-p")) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher m = SHORT.matcher(trimmed);
        if (!m.matches()) {
            throw invalid(text);
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofDays(amount);
        }
    }

    /** A compact rendering for logs: {@code 30s}, {@code 500ms}, {@code 10m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return (ms / 60_000) + "m";
        }
        if (ms % 1000 == 0) {
            return (ms / 1000) + "s";
        }
        return ms + "ms";
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration (use ISO-8601 like PT30S, "
                + "or a number with a unit: 500ms, 30s, 10m, 1h)");
    }
}
