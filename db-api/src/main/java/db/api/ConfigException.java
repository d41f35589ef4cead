package db.api;

import java.util.List;

/**
 * The configuration is invalid. The message lists every problem found, one a line, and
 * {@link #problems()} holds them, so a user fixes everything in one go.
 */
public class ConfigException extends DataAccessException {
    private static final long serialVersionUID = 1L;

    /**
     * The problems, in the order they were found. An array, not a {@code List}, because the field is
     * serialized with the exception and {@code List} is not a serializable type; never handed out.
     */
    private final String[] problems;

    /**
     * A single problem.
     *
     * @param message the problem, a self-contained sentence naming the key at fault
     */
    public ConfigException(String message) {
        this(List.of(message));
    }

    /**
     * Several problems, reported together.
     *
     * @param problems every problem found, each a self-contained sentence naming the key at fault
     */
    public ConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems).toArray(String[]::new);
    }

    /** {@return the problems, each a self-contained sentence naming the key at fault} */
    public List<String> problems() {
        return List.of(problems);
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "Invalid database configuration: " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder("Invalid database configuration (")
                .append(problems.size()).append(" problems):");
        for (String problem : problems) {
            sb.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return sb.toString();
    }
}
