package db.api.internal;

import db.api.DbKeys;
import db.api.spi.ConfigKey;
import db.api.spi.ConfigKeySource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Collects the declared configuration keys ({@link DbKeys}, every {@link ConfigKeySource} found, the
 * application's own) and words the "unknown key" problem with a "did you mean".
 */
public final class ConfigRegistry {

    private ConfigRegistry() {
    }

    /**
     * The sources found by {@link ServiceLoader}: the boot layer and the class path, then the given layers,
     * each class once (a layer's loader also finds its parents' sources). A source that cannot be loaded is
     * a problem.
     */
    public static List<ConfigKeySource> sources(List<ModuleLayer> layers, List<String> problems) {
        List<ServiceLoader<ConfigKeySource>> loaders = new ArrayList<>();
        loaders.add(ServiceLoader.load(ConfigKeySource.class));
        for (ModuleLayer layer : layers) {
            loaders.add(ServiceLoader.load(layer, ConfigKeySource.class));
        }
        Map<String, ConfigKeySource> sources = new LinkedHashMap<>();
        for (ServiceLoader<ConfigKeySource> loader : loaders) {
            try {
                for (ConfigKeySource source : loader) {
                    sources.putIfAbsent(source.getClass().getName(), source);
                }
            } catch (ServiceConfigurationError e) {
                problems.add("a module's configuration keys could not be loaded: " + e.getMessage());
            }
        }
        return List.copyOf(sources.values());
    }

    /**
     * Every key known for a build, by name: {@link DbKeys} first, then those of {@code sources}, then
     * {@code declared}. A second declaration of a name keeps the first.
     */
    public static Map<String, ConfigKey<?>> keys(List<ConfigKey<?>> declared, List<ConfigKeySource> sources) {
        Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
        DbKeys.all().forEach(k -> keys.putIfAbsent(k.name(), k));
        for (ConfigKeySource source : sources) {
            for (ConfigKey<?> key : source.configKeys()) {
                keys.putIfAbsent(key.name(), key);
            }
        }
        declared.forEach(k -> keys.putIfAbsent(k.name(), k));
        return keys;
    }

    /** The problem for a {@code db.*} key nobody declares, with the closest known key when one is close. */
    public static String unknownKey(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(normalize(key), normalize(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, key.length() / 5);
        if (best != null && bestDistance <= allowed) {
            return key + " is not a known key (did you mean " + best + "?)";
        }
        return key + " is not a known key: keys under db. are declared by Switchboard (see DbKeys and "
                + "README.md) or by a module on the module path that reads them (is that module missing?)";
    }

    /** Case, '-', '_' and '.' differences count as small: DB_POOL_MAX_SIZE and db.pool.maxSize are near. */
    private static String normalize(String key) {
        return key.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }

    /** Optimal-string-alignment distance (edits and adjacent swaps). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
