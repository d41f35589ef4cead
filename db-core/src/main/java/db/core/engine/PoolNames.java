package db.core.engine;

import java.util.HashSet;
import java.util.Set;

/**
 * The pool names in use by the open databases of this process, so that each database reports a unique
 * one: the configured name when it is free, else the name with {@code #2}, {@code #3}, ... appended.
 * The conventions want {@code db.client.connection.pool.name} unique within the application; two
 * databases configured with the same name would otherwise merge their metric series.
 */
final class PoolNames {

    private static final Set<String> IN_USE = new HashSet<>();

    private PoolNames() {
    }

    /** Reserves a unique name derived from {@code configured}; give it back with {@link #release}. */
    static synchronized String claim(String configured) {
        String name = configured;
        for (int n = 2; !IN_USE.add(name); n++) {
            name = configured + "#" + n;
        }
        return name;
    }

    /** Frees a name {@link #claim} returned. */
    static synchronized void release(String name) {
        IN_USE.remove(name);
    }
}
