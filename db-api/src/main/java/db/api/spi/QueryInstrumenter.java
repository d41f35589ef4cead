package db.api.spi;

/**
 * Service interface for observing every statement that passes through a session, and the pool's
 * events. All instrumenters found are used, in descending {@link #priority()}. With none present,
 * the statement wrappers skip instrumentation with a single branch.
 */
public interface QueryInstrumenter {

    /** {@return a short stable name, shown in the startup log ({@code "opentelemetry"})} */
    String name();

    /** {@return this one's priority: higher goes first} */
    default int priority() {
        return 0;
    }

    /**
     * Binds this instrumenter to one opened database. Called once per
     * {@link db.api.Database#open(db.api.DbConfig)}; the result is closed with the database.
     *
     * @param context the opened database's configuration and identity
     * @return the instrumentation for that database; closed with it
     */
    Instrumentation open(InstrumentationContext context);
}
