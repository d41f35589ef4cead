package db.api.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * libpq's password file: {@code passfile} (URL or service), else {@code PGPASSFILE}, else
 * {@code ~/.pgpass} ({@code %APPDATA%\postgresql\pgpass.conf} on Windows), read only when no password is
 * given otherwise. Lines are
 * {@code hostname:port:database:username:password}; each of the first four fields is a literal or
 * {@code *} (anything); {@code \:} and {@code \\} escape a colon and a backslash; lines starting with
 * {@code #} are comments; the first matching line wins. The host compared is the host as written (a
 * {@code hostaddr} when only that is given); a connection that names no host matches {@code localhost}, as
 * libpq's Unix-socket default does (127.0.0.1 matches only {@code 127.0.0.1} or {@code *}, as in libpq). A
 * file that is not a plain file or that the group or others may access is ignored with a warning, as libpq
 * does (a file system without POSIX permissions, such as Windows', has nothing to check, as in libpq). The password found is a secret: it is never logged or quoted.
 */
public final class PasswordFile {
    private static final Set<PosixFilePermission> GROUP_OR_WORLD = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PasswordFile() {
    }

    /**
     * What a look-up found: the password (or {@code null}), and whether a password file exists where libpq
     * would read it (then pgjdbc must not read it by its own rules: it checks no permissions).
     */
    public record Lookup(String password, boolean fileExists) {
        @Override
        public String toString() {
            return "Lookup[password=" + (password == null ? "(none)" : "****") + ", fileExists=" + fileExists + "]";
        }
    }

    /** Where libpq reads the password file: {@code passfile}, else {@code PGPASSFILE}, else {@code ~/.pgpass}. */
    public static Path location(ConnectionUrl url, Map<String, String> environment) {
        String passfile = url.parameters().get("passfile");
        if (LibpqEnvironment.blank(passfile)) {
            passfile = environment.get("PGPASSFILE");
        }
        return LibpqEnvironment.blank(passfile) ? LibpqEnvironment.userFile(environment, ".pgpass", "pgpass.conf")
                : Path.of(passfile);
    }

    /**
     * The password for every host of {@code url} as {@code user}. pgjdbc sends one password to every host, so
     * when the hosts' entries differ (or only some hosts have one) a problem is added instead: sending one
     * host's password to another would give it away.
     */
    public static Lookup find(Path file, ConnectionUrl url, String user, List<String> problems,
                              List<String> warnings) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
            return new Lookup(null, false);
        }
        if (!Files.isRegularFile(file)) {
            warnings.add("password file \"" + file + "\" is not a plain file: ignored (as libpq does)");
            return new Lookup(null, true);
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        List<String> lines;
        try {
            if (posix != null) {
                Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
                if (permissions.stream().anyMatch(GROUP_OR_WORLD::contains)) {
                    warnings.add("password file \"" + file + "\" has group or world access; permissions should be "
                            + "u=rw (0600) or less: ignored (as libpq does)");
                    return new Lookup(null, true);
                }
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            warnings.add("password file \"" + file + "\" cannot be read (" + e.getClass().getSimpleName() + "): ignored");
            return new Lookup(null, true);
        }
        String database = url.database() == null ? "" : url.database();
        String found = null;
        for (int i = 0; i < url.hosts().size(); i++) {
            ConnectionUrl.HostPort host = url.hosts().get(i);
            String one = match(lines, host.host(), Integer.toString(host.port()), database, user);
            if (i == 0) {
                found = one;
            } else if (!java.util.Objects.equals(found, one)) {
                problems.add("the password file " + file + " gives the hosts different passwords (or only some of "
                        + "them one); pgjdbc sends one password to every host, so set db.password, or make the "
                        + "entries for " + url.hosts() + " agree");
                return new Lookup(null, true);
            }
        }
        return new Lookup(found, true);
    }

    /** The password of the first line of {@code lines} that matches, or {@code null}; an empty one counts as none. */
    static String match(List<String> lines, String host, String port, String database, String user) {
        for (String raw : lines) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int at = 0;
            boolean matches = true;
            for (String wanted : new String[] {host, port, database, user}) {
                int end = fieldEnd(line, at);
                if (end < 0) {
                    matches = false;
                    break;
                }
                String field = line.substring(at, end);
                if (!field.equals("*") && !unescape(field).equals(wanted)) {
                    matches = false;
                    break;
                }
                at = end + 1;
            }
            if (matches) {
                String password = unescape(line.substring(at));
                return password.isEmpty() ? null : password;
            }
        }
        return null;
    }

    /** Index of the next unescaped ':' from {@code from}, or -1. */
    private static int fieldEnd(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                i++;
            } else if (c == ':') {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                c = field.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
