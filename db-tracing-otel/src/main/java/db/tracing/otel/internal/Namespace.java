package db.tracing.otel.internal;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code db.namespace} of a PostgreSQL connection: {@code {database}|{schema}} when the schema is
 * fixed at connect time, else the database alone (the conventions' PostgreSQL page).
 *
 * <p>The schema is known at connect when the URL sets {@code currentSchema} (pgjdbc) or passes
 * {@code options=-c search_path=...} (libpq style); the first entry of the search path is the schema
 * in use, recorded as written. A search path starting with {@code $user} names no fixed schema, so none is added. What the
 * application changes later with {@code SET search_path} is not seen: finding it out would cost a
 * round trip.
 */
final class Namespace {

    private Namespace() {
    }

    /**
     * The namespace.
     *
     * @param database   the database name
     * @param parameters the connection URL's driver parameters
     */
    static String of(String database, Map<String, String> parameters) {
        String schema = firstSchema(parameters.get("currentSchema"));
        if (schema == null) {
            schema = firstSchema(searchPathOption(parameters.get("options")));
        }
        return schema == null ? database : database + "|" + schema;
    }

    /** The value of {@code search_path} in a libpq {@code options} string ({@code -c search_path=a,b}). */
    static String searchPathOption(String options) {
        if (options == null) {
            return null;
        }
        String found = null;
        String[] words = options.trim().split("\\s+", -1);
        for (int i = 0; i < words.length; i++) {
            String setting = null;
            if ("-c".equals(words[i]) && i + 1 < words.length) {
                setting = words[++i];
            } else if (words[i].startsWith("-c")) {
                setting = words[i].substring(2);
            } else if (words[i].startsWith("--")) {
                setting = words[i].substring(2);
            }
            if (setting != null) {
                int eq = setting.indexOf('=');
                if (eq > 0 && setting.substring(0, eq).replace('-', '_').toLowerCase(Locale.ROOT)
                        .equals("search_path")) {
                    found = setting.substring(eq + 1); // the last setting wins, as on the server
                }
            }
        }
        return found;
    }

    /**
     * The first schema of a search path as the application wrote it (the conventions ask for no case
     * normalization); {@code null} when none or {@code $user}.
     */
    static String firstSchema(String searchPath) {
        if (searchPath == null) {
            return null;
        }
        String first = searchPath.split(",", -1)[0].trim();
        if (first.isEmpty() || "$user".equals(first) || "\"$user\"".equals(first)) {
            return null;
        }
        return first;
    }
}
