package db.api.spi;

import db.api.Database;
import db.api.DbConfig;

/**
 * Service interface of the engine that runs a {@link Database}: sessions, transactions, the checkout gate,
 * error translation and instrumentation over the pool a {@link SessionProvider} starts. {@code db.api}
 * finds exactly one with {@link java.util.ServiceLoader} (Switchboard's is module {@code db.core}, which
 * every pool module brings) and hands it the providers it selected; the engine itself discovers nothing.
 */
public interface DatabaseEngine {

    /**
     * Starts the pool of {@code providers.sessionProvider()} and returns the open database. With fail-fast
     * (the default) a database that does not answer fails here with a {@link db.api.ConnectionException}.
     *
     * @param config    the validated configuration
     * @param providers the session provider, error mappers and instrumenters {@code db.api} selected
     * @return the open database; the caller closes it
     */
    Database open(DbConfig config, SelectedProviders providers);
}
