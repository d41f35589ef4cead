package db.api.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libpq's connection service file ({@code pg_service.conf}): an INI file whose sections are service names
 * and whose lines are libpq connection parameters ({@code host=...}, {@code port=...}). The per-user file
 * ({@code PGSERVICEFILE}, else {@code ~/.pg_service.conf}, on Windows
 * {@code %APPDATA%\postgresql\.pg_service.conf}) is searched first, then the system-wide
 * {@code pg_service.conf} in {@code PGSYSCONFDIR} (else {@code /etc/postgresql-common}, the directory
 * Debian's and Ubuntu's libpq are built with; Java cannot ask libpq for its compiled-in one). The first file
 * that has the service is the only one used, as in libpq.
 */
final class ServiceFile {
    /** Where libpq on Debian and Ubuntu looks when PGSYSCONFDIR is not set. */
    private static final String DEFAULT_SYSCONFDIR = "/etc/postgresql-common";

    private ServiceFile() {
    }

    /** A service's parameters, and a label for messages: {@code service 'name' (/path/to/file)}. */
    record Found(Map<String, String> parameters, String label) {
    }

    /**
     * The parameters of {@code service}, or {@code null} with a problem added when no file has it or its
     * section cannot be read (libpq refuses to connect then, too).
     */
    static Found lookup(String service, Map<String, String> environment, List<String> problems) {
        List<Path> files = new ArrayList<>();
        String userFile = environment.get("PGSERVICEFILE");
        files.add(LibpqEnvironment.blank(userFile)
                ? LibpqEnvironment.userFile(environment, ".pg_service.conf", ".pg_service.conf") : Path.of(userFile));
        String sysconf = environment.get("PGSYSCONFDIR");
        files.add(Path.of(LibpqEnvironment.blank(sysconf) ? DEFAULT_SYSCONFDIR : sysconf, "pg_service.conf"));
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add("service '" + service + "': the service file " + file + " cannot be read ("
                        + e.getClass().getSimpleName() + ")");
                return null;
            }
            int before = problems.size();
            Map<String, String> section = section(lines, service, file, problems);
            if (problems.size() > before) {
                return null;
            }
            if (section != null) {
                return new Found(section, "service '" + service + "' (" + file + ")");
            }
        }
        problems.add("service '" + service + "' is not defined in " + files.get(0) + " nor in " + files.get(1)
                + " (PGSERVICEFILE names the per-user file, PGSYSCONFDIR the directory of the system-wide one)");
        return null;
    }

    /**
     * The section {@code [service]} of a service file, or {@code null} when the file has none. libpq's rules:
     * leading and trailing blanks are ignored, so are empty lines and lines starting with {@code #}; a line
     * of the section without {@code =} is a syntax error, and so is a nested {@code service=}.
     */
    static Map<String, String> section(List<String> lines, String service, Path file, List<String> problems) {
        Map<String, String> parameters = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (parameters != null) {
                    break;
                }
                int close = line.indexOf(']');
                if (close > 0 && line.substring(1, close).equals(service)) {
                    parameters = new LinkedHashMap<>();
                }
                continue;
            }
            if (parameters == null) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                // The line is not quoted: it may be a password written without its key.
                problems.add("service '" + service + "': syntax error in service file " + file + ", line " + (i + 1)
                        + " (expected key=value)");
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.equals("service")) {
                problems.add("service '" + service + "': nested service specifications are not supported (service "
                        + "file " + file + ", line " + (i + 1) + ")");
                continue;
            }
            if (!parameters.containsKey(key)) {
                parameters.put(key, value);
            }
        }
        return parameters == null ? null : Collections.unmodifiableMap(parameters);
    }
}
