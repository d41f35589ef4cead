package db.benchmarks.support;

import db.api.Database;
import db.api.DbConfig;
import db.api.spi.QueryInstrumenter;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A class loader that hides the {@link QueryInstrumenter} service file, used as the context class loader
 * while a {@link Database} opens. The benchmark uber-jars carry {@code db-tracing-otel} for their traced
 * variants; everywhere else this measures the core's no-instrumenter path, exactly as an application
 * without a tracing module on its class path gets it.
 */
public final class NoInstrumenters extends ClassLoader {
    private static final String HIDDEN = "META-INF/services/" + QueryInstrumenter.class.getName();

    private NoInstrumenters(ClassLoader parent) {
        super("no-instrumenters", parent);
    }

    @Override
    public URL getResource(String name) {
        return HIDDEN.equals(name) ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return HIDDEN.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }

    /** Opens a database that discovers every provider except instrumenters; fails if one slipped through. */
    public static Database open(DbConfig config) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(new NoInstrumenters(previous));
        Database db;
        try {
            db = Database.open(config);
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (!db.providers().instrumenters().isEmpty()) {
            db.close();
            throw new IllegalStateException("expected no instrumenter, found " + db.providers().instrumenters());
        }
        return db;
    }
}
