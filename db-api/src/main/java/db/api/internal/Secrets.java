package db.api.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence for problem messages: every secret value the configuration holds (and every
 * stretch of a URL or DSN that could be a password) is cut out of the messages before they are thrown.
 * Messages are built not to quote secrets in the first place; this catches what a parse gone wrong could
 * still carry.
 */
public final class Secrets {
    /** Shorter fragments are not scrubbed: they would mangle messages and reveal next to nothing. */
    private static final int MIN_LENGTH = 3;
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?:^|[?&;\\s])[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|credential|key)[A-Za-z0-9_.-]*\\s*=",
            Pattern.CASE_INSENSITIVE);

    private Secrets() {
    }

    /** The stretches of {@code url} that could hold a password, raw as written. */
    public static List<String> candidates(String url) {
        List<String> out = new ArrayList<>();
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            int start = scheme + 3;
            int at = url.lastIndexOf('@');
            int colon = url.indexOf(':', start);
            if (at > start && colon >= 0 && colon < at) {
                String region = url.substring(colon + 1, at);
                out.add(region);
                // a parse that cut the user info at a '?', '/' or '#' inside the password leaves pieces
                for (String piece : region.split("[?&=#/;\\s,@:%]+", -1)) {
                    out.add(piece);
                }
            }
        }
        Matcher m = SECRET_PARAMETER.matcher(url);
        while (m.find()) {
            String rest = url.substring(m.end()).strip();
            out.add(rest);
            // the value up to the next separator, and without quotes, as a parser may have cut it
            String token = rest.split("[&\\s]", 2)[0];
            out.add(token);
            if (token.startsWith("'")) {
                out.add(token.substring(1));
            }
        }
        return out;
    }

    /** {@code problems} with every secret of at least {@value #MIN_LENGTH} characters replaced by {@code ****}. */
    public static List<String> scrub(List<String> problems, List<String> secrets) {
        List<String> sorted = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_LENGTH) {
                sorted.add(s);
            }
        }
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        List<String> out = new ArrayList<>(problems.size());
        for (String problem : problems) {
            String p = problem;
            for (String secret : sorted) {
                p = p.replace(secret, "****");
            }
            out.add(p);
        }
        return out;
    }
}
