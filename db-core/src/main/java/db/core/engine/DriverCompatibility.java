package db.core.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings whose meaning depends on the pgjdbc version on the class or module path: an older driver either
 * ignores them silently (it knows no such property) or honours them in a way that can be defeated. Such a
 * setting with such a driver is refused, naming the version to upgrade to, never passed on to be weakened.
 *
 * <ul>
 * <li>{@code require_auth} ({@code requireAuth}): pgjdbc 42.7.11 and later; an older one would connect
 * with whatever method the server asks for.</li>
 * <li>{@code channel_binding=require}: pgjdbc 42.7.12 and later; before it a server (or a man in the
 * middle) could make the driver skip channel binding (CVE-2026-54291, a downgrade).</li>
 * </ul>
 */
final class DriverCompatibility {
    private static final String DRIVER_INFO = "org.postgresql.util.DriverInfo";
    private static final String MODULE = "org.postgresql.jdbc";
    /** The first pgjdbc that reads requireAuth. */
    static final Version REQUIRE_AUTH = new Version(42, 7, 11);
    /** The first pgjdbc whose channel binding cannot be downgraded (CVE-2026-54291). */
    static final Version CHANNEL_BINDING = new Version(42, 7, 12);

    private DriverCompatibility() {
    }

    /** A pgjdbc version. */
    record Version(int major, int minor, int patch) implements Comparable<Version> {
        @Override
        public int compareTo(Version o) {
            int c = Integer.compare(major, o.major);
            if (c == 0) {
                c = Integer.compare(minor, o.minor);
            }
            return c != 0 ? c : Integer.compare(patch, o.patch);
        }

        boolean before(Version other) {
            return compareTo(other) < 0;
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }

    /**
     * The pgjdbc version visible to the engine when a configuration is built (its class loader, the thread's
     * context class loader, module {@code org.postgresql.jdbc} in the engine's layer or its parents), or empty
     * when none is visible yet (then {@link PhysicalConnector} checks the driver it finds).
     */
    static Optional<Version> visible() {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        loaders.add(DriverCompatibility.class.getClassLoader());
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            loaders.add(context);
        }
        ModuleLayer layer = DriverCompatibility.class.getModule().getLayer();
        if (layer != null) {
            layer.findModule(MODULE).map(Module::getClassLoader).ifPresent(loaders::add);
        }
        for (ClassLoader loader : loaders) {
            Optional<Version> v = version(loader);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** The version of the pgjdbc that defined {@code driverClass}, if it is pgjdbc. */
    static Optional<Version> of(Class<?> driverClass) {
        return version(driverClass.getClassLoader());
    }

    private static Optional<Version> version(ClassLoader loader) {
        try {
            Class<?> info = Class.forName(DRIVER_INFO, true, loader);
            return Optional.of(new Version(info.getField("MAJOR_VERSION").getInt(null),
                    info.getField("MINOR_VERSION").getInt(null), info.getField("PATCH_VERSION").getInt(null)));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A pgjdbc without these fields predates 42.2 (where DriverInfo came): older than anything supported.
            return Optional.of(new Version(42, 0, 0));
        }
    }

    /** The problems of the pgjdbc {@code properties} with driver {@code version}; none when the version is unknown. */
    static List<String> problems(Map<String, String> properties, Optional<Version> version) {
        List<String> problems = new ArrayList<>();
        if (version.isEmpty()) {
            return problems;
        }
        Version v = version.get();
        if (properties.containsKey("requireAuth") && v.before(REQUIRE_AUTH)) {
            problems.add("require_auth needs pgjdbc " + REQUIRE_AUTH + " or later, but pgjdbc " + v + " is on the "
                    + "path: it does not know the setting and would authenticate with whatever method the server "
                    + "asks for; upgrade org.postgresql:postgresql to " + REQUIRE_AUTH + " or later");
        }
        if ("require".equals(properties.get("channelBinding")) && v.before(CHANNEL_BINDING)) {
            problems.add("channel_binding=require needs pgjdbc " + CHANNEL_BINDING + " or later, but pgjdbc " + v
                    + " is on the path: its channel binding can be downgraded (CVE-2026-54291); upgrade "
                    + "org.postgresql:postgresql to " + CHANNEL_BINDING + " or later (Spring Boot 4.0.7 manages "
                    + "42.7.11: set the postgresql.version property)");
        }
        return problems;
    }
}
